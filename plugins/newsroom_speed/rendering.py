"""Markdown and typogrify for every article and page at once: in parallel, cached.

The site layer's reader converts one file after another and typogrifies each
on every build. Here every source the scan already read is rendered before
Pelican asks for it: bodies whose text and rendering settings are unchanged
come from the cache in CACHE_PATH, the rest are rendered by a pool of worker
processes, and the reader is one that serves the results (the same HTML,
headers and BodyFacts as the site layer's reader would give).
"""

import hashlib
import multiprocessing
import os
import re
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.utils import SafeDatetime

from newsroom.images import show_body_images
from newsroom.markup import typographic, typogrify_html
from newsroom.reader import BodyFacts, NewsroomReader, body_facts
from newsroom.state import build_of

from .caches import read_cache, write_cache
from .collector import frozen
from .incremental import plugins_digest
from .typography import typogrify

CACHE_FILES = "newsroom-bodies-{}.pickle"  # in CACHE_PATH, one per first hex digit of a key
FORMAT = 7  # bump when what a cache entry holds changes
# Below this many bodies to render, starting workers costs more than it saves.
POOL_THRESHOLD = 32
MAX_CHUNK = 8  # bodies per hand-over to a worker (chunk_size)


class Rendered(NamedTuple):
    """One source rendered: everything derived from its text alone, cached together."""

    html: str  # the body, typogrified
    meta: dict  # raw header values, as Markdown's meta extension read them
    typeset: dict  # headers as the site layer's reader typesets them (title, summary)
    facts: BodyFacts  # what the site derives from the body (reader.body_facts)


def fast_typogrify_html(value, settings):
    """The site layer's typogrify_html, through typography.py's equivalent filter."""
    return typogrify_html(value, settings, typogrify)


def fast_typographic(text, settings):
    """The site layer's typographic, through typography.py's equivalent filter."""
    return typographic(text, settings, typogrify)


# What workers need; set before the pool forks, so nothing is pickled for it.
_WORKER_SETTINGS = {}
# Markdown instances by rendering fingerprint: one for bodies (which read the
# headers), one for formatted header fields (which must not). Building one
# costs about as much as converting a body, so each process keeps its own and
# resets it between documents.
_CONVERTERS = {}


def converters(settings):
    """Return this process's (body, field) Markdown instances for these settings."""
    key = settings.get("_fingerprint") or fingerprint(settings)
    if key not in _CONVERTERS:
        body = Markdown(**settings["MARKDOWN"])
        field = Markdown(**settings["MARKDOWN"])
        field.preprocessors.deregister("meta")
        _CONVERTERS.clear()
        _CONVERTERS[key] = (body, field)
    return _CONVERTERS[key]


def render_body(text):
    """Render one source to a Rendered.

    Typeset headers are what Pelican's reader would have made of them with
    TYPOGRIFY on: the title typogrified, formatted fields (Summary) rendered as
    Markdown and typogrified.
    """
    settings = _WORKER_SETTINGS
    body, field = converters(settings)
    try:
        html = fast_typogrify_html(body.reset().convert(text), settings)
    except RecursionError:  # the scan refuses such shapes; the reader reports any it missed
        return None
    meta = getattr(body, "Meta", {})
    typeset = {}
    if "title" in meta:
        typeset["title"] = fast_typogrify_html(meta["title"][0], settings)
    for name in settings["FORMATTED_FIELDS"]:
        if name in meta:
            converted = field.reset().convert("\n".join(meta[name]))
            typeset[name] = fast_typogrify_html(converted, settings)
    facts = body_facts(html, typeset.get("title"), settings, fast_typographic)
    return Rendered(html, meta, typeset, facts)


def render_one(text, settings):
    """Render one source in this process, as a worker would."""
    _WORKER_SETTINGS.clear()
    _WORKER_SETTINGS.update(settings)
    return render_body(text)


def fingerprint(settings):
    """Describe everything besides the text that shapes a rendered body."""
    config = settings["MARKDOWN"]
    extensions = sorted(
        ext if isinstance(ext, str) else type(ext).__qualname__
        for ext in config.get("extensions", [])
    )
    parts = [
        FORMAT,
        extensions,
        repr(sorted(config.get("extension_configs", {}).items())),
        config.get("output_format"),
        [
            settings.get(k)
            for k in (
                "TYPOGRIFY_IGNORE_TAGS",
                "TYPOGRIFY_DASHES",
                "TYPOGRIFY_OMIT_FILTERS",
                "FORMATTED_FIELDS",
            )
        ],
        settings["NEWSROOM"].get("typogrify", True),
        [version(name) for name in ("markdown", "typogrify", "smartypants")],
        plugins_digest(),  # the code that renders: a changed reader or filter renders anew
    ]
    return repr(parts).encode()


def cache_key(digest, salt):
    """Key a body by its text's digest and the rendering settings."""
    return hashlib.sha256(salt + digest.encode()).hexdigest()


class BodyCache:
    """Rendered bodies by key, kept in sixteen files by the key's first digit, so that a
    build that renders one body writes one small file, not all of them."""

    SHARDS = "0123456789abcdef"

    def __init__(self, folder):
        self.folder, self.loaded, self.bodies = Path(folder), {}, {}
        for shard in self.SHARDS:
            saved = read_cache(self.folder / CACHE_FILES.format(shard), FORMAT)
            self.loaded[shard] = set(saved["bodies"]) if saved else set()
            self.bodies.update(saved["bodies"] if saved else {})

    def save(self, used):
        """Keep only the bodies this build used; rewrite the files whose contents change."""
        for shard in self.SHARDS:
            keys = {key for key in used if key[0] == shard}
            if keys != self.loaded[shard]:
                entries = {key: self.bodies[key] for key in keys}
                write_cache(self.folder / CACHE_FILES.format(shard), FORMAT, bodies=entries)


def chunk_size(count, workers):
    """Bodies handed to a worker at a time: enough to make the hand-over cheap, few enough
    that the workers finish together (a worker left alone with a long last chunk
    leaves a core idle)."""
    return max(1, min(MAX_CHUNK, count // (workers * 8)))


def render_all(texts, settings, workers):
    """Render texts in order, with a pool of forked workers when it pays."""
    _WORKER_SETTINGS.clear()
    _WORKER_SETTINGS.update(settings, _fingerprint=fingerprint(settings))
    if workers <= 1 or len(texts) < POOL_THRESHOLD:
        return [render_body(text) for text in texts]
    context = multiprocessing.get_context("fork")
    # Workers inherit the build's objects; frozen, no worker's collector walks
    # them (that cost time that grew with the site, and copied their memory).
    with frozen(), context.Pool(workers) as pool:
        return pool.map(render_body, texts, chunksize=chunk_size(len(texts), workers))


class PreparedBodies:
    """The bodies rendered for one build (Rendered), and their cache keys (a digest of the
    source text and settings), by absolute source path."""

    def __init__(self, rendered=None, keys=None):
        self.rendered, self.keys = rendered or {}, keys or {}

    def of_source(self, source_path):
        """Return the Rendered of a source, or None if it was not prepared."""
        return self.rendered.get(os.path.abspath(source_path))

    def key_of(self, item):
        """Return the cache key of an item's body if its body is the prepared one, else None.

        Everything the Rendered holds follows from the key: a digest that covers it.
        """
        path = os.path.abspath(item.source_path)
        prepared = self.rendered.get(path)
        if prepared is not None and prepared.html == getattr(item, "_content", None):
            return self.keys[path]
        return None

    def release_read_parts(self, articles):
        """Drop what only reading and indexing needed (raw headers, typeset headers, search
        counts), once the search index has them: on a large archive that is tens of
        megabytes the rest of the build can use."""
        for path, prepared in self.rendered.items():
            self.rendered[path] = prepared._replace(meta={}, typeset={}, facts=None)
        for article in articles:
            if article.body_facts is not None:
                article.body_facts = article.body_facts._replace(words=None)
                article.metadata["body_facts"] = article.body_facts


def prepare_bodies(sources, settings, workers):
    """Render every article and page body ahead of Pelican, from the cache when possible;
    return the PreparedBodies."""
    cache = BodyCache(settings["CACHE_PATH"])
    cached = cache.bodies
    salt = fingerprint(settings)
    keys = {source.path: cache_key(source.digest, salt) for source in sources}
    missing = [source for source in sources if keys[source.path] not in cached]
    rendered = render_all([source.text for source in missing], settings, workers)
    cached.update(
        (keys[source.path], body)
        for source, body in zip(missing, rendered, strict=True)
        if body is not None  # not renderable: the site layer's reader says why
    )
    cache.save(set(keys.values()) & set(cached))
    by_path = {
        os.path.abspath(source.path): keys[source.path]
        for source in sources
        if keys[source.path] in cached
    }
    return PreparedBodies({path: cached[key] for path, key in by_path.items()}, by_path)


_PLAIN_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?")


def plain_date(text):
    """Parse `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (no offset) as Pelican's get_date would,
    without dateutil's general parser; None for anything else (Pelican parses it)."""
    match = _PLAIN_DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, hour, minute = (int(part or 0) for part in match.groups())
    try:
        return SafeDatetime(year, month, day, hour, minute)
    except ValueError:
        return None


class PreparedMarkdownReader(NewsroomReader):
    """The site layer's reader, serving bodies rendered ahead of time."""

    def read(self, source_path):
        """Return (HTML, metadata) for a source, rendering it now if it was not prepared."""
        prepared = build_of(self.settings).engine.bodies.of_source(source_path)
        if prepared is None:
            return super().read(source_path)
        self._source_path = source_path
        self._md = self.header_markdown()
        done = dict(prepared.typeset)
        for key in ("date", "modified"):
            value = prepared.meta.get(key)
            parsed = plain_date(value[0]) if value and len(value) == 1 else None
            if parsed is not None:
                done[key] = parsed
        plain = {key: value for key, value in prepared.meta.items() if key not in done}
        parsed = self._parse_metadata(plain)
        metadata = {key: done.get(key, parsed.get(key)) for key in prepared.meta}
        metadata["body_facts"] = prepared.facts
        # As the site layer's reader does: raster images as <picture>, from this build's
        # sources (so not cached with the body: an image may change while its body does not).
        html, metadata["body_images"] = show_body_images(prepared.html, source_path, self.settings)
        return html, metadata

    def header_markdown(self):
        """Return the one Markdown instance Pelican's _parse_metadata uses for every file.

        _parse_metadata converts formatted fields with self._md, after removing
        its "meta" step so a field cannot carry headers. The step is put back
        (as a no-op: headers are already parsed) so the removal succeeds on
        the next file; building a fresh Markdown per file costs far more.
        """
        markdown = getattr(self, "_header_markdown", None)
        if markdown is None:
            markdown = self._header_markdown = Markdown(**self.settings["MARKDOWN"])
        if "meta" not in markdown.preprocessors:
            markdown.preprocessors.register(NoOpPreprocessor(markdown), "meta", 0)
        return markdown


class NoOpPreprocessor(Preprocessor):
    """A preprocessor that leaves the lines as they are."""

    def run(self, lines):
        return lines
