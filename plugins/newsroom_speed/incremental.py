"""Reuse pages whose inputs have not changed since the last build.

Pelican renders every page on every build. Here each queued write gets a key:
a digest of everything the whole site shares (settings, theme, plugin code,
every item's metadata and derived fields, every registry in the context)
plus what only that write shows (its own item's body, table of contents,
comments, structured data, reading time and share links; a feed's item
bodies). A write whose key and output files match the previous build's
record is not rendered: its files are hard-linked from the live output into
the staging folder (or found there already: spare.py).

Only article and page templates show a body, and only the article template
shows the fields in OWN_PAGE_FIELDS (tests/test_incremental.py holds both to
that). Anything else an item carries is part of the site digest, so a change
to it renders every page again. That errs towards work, never staleness.
"""

import dataclasses
import datetime
import hashlib
import json
import os
import sys
import types
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

import newsroom
from newsroom.state import BUILD_KEY

from .caches import read_cache, write_cache

RECORDS_FILE = "newsroom-pages.pickle"
SEARCH_RECORDS_FILE = "newsroom-search.pickle"
RECORDS_FILES = (RECORDS_FILE, SEARCH_RECORDS_FILE)
FORMAT = 2  # bump when what a key covers changes
PACKAGES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "feedgenerator",
    "markdown",
    "typogrify",
    "nh3",
    "mutagen",  # podcast audio: its duration
)
# Item attributes that are rendered only on the item's own page: they key that
# page alone. Everything else an item carries keys every page.
OWN_PAGE_FIELDS = (
    "_content",
    "body_facts",
    "toc",
    "json_ld",
    "comments",
    "reading_minutes",
    "share_links",
)
# Of those, what follows from the rendered body alone, and from the headers,
# settings and records alone (see own_digest).
DERIVED_FROM_BODY = ("_content", "body_facts", "toc", "reading_minutes")
DERIVED_FROM_HEADERS = ("json_ld", "share_links")
# Never part of a key: the global context (digested once) and the settings in it.
SKIPPED_FIELDS = ("_context", "settings", "_frozen_addresses")
# Both layers' code: a change to either may change every page.
PLUGIN_DIRS = (Path(newsroom.__file__).resolve().parent, Path(__file__).resolve().parent)
# A container described by more characters than this is represented by a
# digest of its description, so descriptions of nested values stay short.
DIGEST_OVER = 64
MISSING = object()
# Context lists Pelican fills in file-system order, which varies between runs.
UNORDERED_CONTEXT = ("staticfiles",)


class UnstableError(Exception):
    """A value has no stable description (its repr names a memory address)."""


class Fingerprint:
    """Describe values as stable text for hashing, items by reference only."""

    def __init__(self):
        self.memo = {}  # id -> (container, description): lists shared by many writes
        self.wrappers = {}  # id -> URLWrapper met by reference, described in full once
        self.open = set()  # ids of objects being described: met again, they are a cycle
        self.handlers = {}  # type -> how to describe its values

    def describe(self, value, depth=0):
        """Return stable text for a value; raise UnstableError if there is none."""
        kind = type(value)
        handler = self.handlers.get(kind)
        if handler is None:
            handler = self.handlers[kind] = self.handler_for(kind)
        return handler(value, depth)

    def handler_for(self, kind):
        """Pick how values of one type are described (once per type)."""
        if kind is str or kind is type(None) or issubclass(kind, (bool, int, float)):
            return lambda value, depth: repr(value)
        if issubclass(kind, str):  # Markup and other str subclasses
            return lambda value, depth: repr(str(value))
        if issubclass(kind, (datetime.date, datetime.time)):
            return lambda value, depth: value.isoformat()
        if issubclass(kind, Content):
            return lambda value, depth: f"<{kind.__name__} {value.source_path}>"
        if issubclass(kind, URLWrapper):
            return self.wrapper_reference
        if issubclass(kind, (types.FunctionType, types.BuiltinFunctionType, type)):
            return lambda value, depth: f"<{value.__module__}.{value.__qualname__}>"
        if issubclass(kind, types.ModuleType):
            return lambda value, depth: f"<module {value.__name__}>"
        return self.container

    def wrapper_reference(self, value, depth):
        self.wrappers.setdefault(id(value), value)
        return f"<{type(value).__name__} {value.name!r} {value.slug}>"

    def container(self, value, depth, remember=True):
        """Describe a dict, sequence, set or object once; later meetings reuse the text.

        remember=False for a value made only to be described (an object's fields):
        it is never met again, and keeping it would keep every item's copy alive.
        """
        key = id(value)
        if key in self.memo:
            return self.memo[key][1]
        if depth > 40:
            raise UnstableError(f"nesting deeper than 40 at {type(value).__qualname__}")
        describe, depth = self.describe, depth + 1
        if isinstance(value, dict):
            parts = sorted(f"{describe(k, depth)}:{describe(v, depth)}" for k, v in value.items())
            text = "{" + ",".join(parts) + "}"
        elif isinstance(value, (list, tuple)):
            text = "[" + ",".join([describe(v, depth) for v in value]) + "]"
        elif isinstance(value, (set, frozenset)):
            text = "{" + ",".join(sorted(describe(v, depth) for v in value)) + "}"
        elif dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
            if key in self.open:  # a cycle (topics relate to topics): refer by name
                return f"<{type(value).__qualname__} {reference(value)}>"
            self.open.add(key)
            fields = self.container(fields_of(value), depth, remember=False)
            text = f"{type(value).__qualname__}{fields}"
            self.open.discard(key)
        else:
            text = repr(value)
            if " at 0x" in text:
                raise UnstableError(f"{type(value).__qualname__} has no stable description")
        if len(text) > DIGEST_OVER:  # keep a digest, not the text: parents embed it
            text = "#" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        if remember:
            self.memo[key] = (value, text)  # holding the value keeps its id from being reused
        return text

    def wrappers_text(self):
        """Describe in full every tag, category and author met so far (bios, feeds...)."""
        done, parts = set(), []
        while len(done) < len(self.wrappers):
            for key, wrapper in list(self.wrappers.items()):
                if key not in done:
                    done.add(key)
                    parts.append(self.container(fields_of(wrapper), 0, remember=False))
        return "".join(sorted(parts))


def reference(value):
    """Name an object met again inside its own description."""
    for name in ("slug", "name", "path"):
        if isinstance(getattr(value, name, None), str):
            return repr(getattr(value, name))
    raise UnstableError(f"a {type(value).__qualname__} refers to itself and has no name")


def fields_of(value, skip=SKIPPED_FIELDS):
    """Return an object's attributes as a dict, without the global context and settings.

    Pelican copies each metadata value to an attribute; the copy is left out.
    """
    if dataclasses.is_dataclass(value) and not hasattr(value, "__dict__"):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    fields = {name: field for name, field in vars(value).items() if name not in skip}
    metadata = fields.get("metadata")
    if isinstance(metadata, dict):
        fields["metadata"] = {
            name: field for name, field in metadata.items() if fields.get(name) is not field
        }
    return fields


def tree_digest(folder):
    """Hash every file's path and bytes below a folder."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def static_sources(context):
    """Describe every static source file by size and time: pages may read their images."""
    parts = []
    for item in context.get("static_content", {}).values():
        try:
            stat = os.stat(item.source_path)
        except OSError:
            continue
        parts.append(f"{item.source_path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(sorted(parts))


def site_digest(context, settings):
    """Hash what every page may show; return None if some value is not stable."""
    describe = Fingerprint()
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for name in PACKAGES:
        digest.update(f"{name} {version(name)}\0".encode())
    digest.update(tree_digest(settings["THEME"]).encode())
    digest.update(plugins_digest().encode())
    digest.update(static_sources(context).encode())
    shared = {k: v for k, v in context.items() if k not in ("generated_content", "static_content")}
    shared = without_process_settings(shared)
    for name in UNORDERED_CONTEXT:
        if name in shared:
            shared[name] = sorted(shared[name], key=lambda item: item.source_path)
    items = sorted(context.get("generated_content", {}).items())
    try:
        digest.update(describe.describe(shared).encode())
        for path, item in items:
            public = {k: v for k, v in fields_of(item).items() if k not in OWN_PAGE_FIELDS}
            digest.update(f"\0{path}\0{describe.container(public, 0, remember=False)}".encode())
        digest.update(describe.wrappers_text().encode())
    except UnstableError:
        return None
    return digest.hexdigest()


def plugins_digest():
    """Hash the code of both layers."""
    return "".join(tree_digest(folder) for folder in PLUGIN_DIRS)


def without_process_settings(values):
    """Leave out what decides how a build runs, not what it makes (the speed layer's
    settings, such as how many workers), and the build's own state."""
    return {k: v for k, v in values.items() if k not in ("NEWSROOM_SPEED", BUILD_KEY)}


def site_inputs(settings, listing):
    """Hash everything the site is made from except article bodies; None if unsure.

    listing: what the scan saw of every content file (scan.ScanMemo.listing).
    An article's body reaches only its own page and its own fields, which a
    write's own digest covers (OWN_PAGE_FIELDS; the template test guards it),
    so while these inputs stay the same, so does the site digest: a warm build
    that only edited bodies reuses the last one instead of describing the
    whole site again. Where publication depends on the clock (future dates
    held back), there is no such shortcut.
    """
    if not settings.get("WITH_FUTURE_DATES", True):
        return None
    digest = hashlib.sha256(f"inputs {FORMAT}\0{sys.version}\0".encode())
    for name in PACKAGES:
        digest.update(f"{name} {version(name)}\0".encode())
    digest.update(tree_digest(settings["THEME"]).encode())
    digest.update(plugins_digest().encode())
    try:
        digest.update(Fingerprint().describe(without_process_settings(settings)).encode())
    except UnstableError:
        return None
    for relative, kind, first, second in listing:
        seen = (relative, kind, second) if kind == "article" else (relative, kind, first, second)
        digest.update(f"{seen!r}\n".encode())
    return digest.hexdigest()


def context_digests(contexts, settings, describe, known=(None, None)):
    """Digest each distinct context object, by id.

    Generators hand the writer copies of the shared context with a few keys
    changed. The most used one is digested in full (or, with known = (site
    inputs, site digest) of the last build and the same inputs now, taken from
    it); the others as that digest plus the keys where they differ.
    """
    counts = Counter(id(context) for context in contexts)
    by_id = {id(context): context for context in contexts}
    base_id = counts.most_common(1)[0][0] if counts else None
    base_digest = known[1] or (site_digest(by_id[base_id], settings) if base_id else None)
    digests = {}
    for key, context in by_id.items():
        if key == base_id or base_digest is None:
            digests[key] = base_digest
            continue
        base = by_id[base_id]
        changed = {k: v for k, v in context.items() if base.get(k, MISSING) is not v}
        changed["(removed)"] = sorted(k for k in base if k not in context)
        try:
            text = f"{base_digest}\0{describe.describe(changed)}"
        except UnstableError:
            digests[key] = None
            continue
        digests[key] = hashlib.sha256(text.encode()).hexdigest()
    return digests


def own_digest(item, key=None, inputs=None):
    """Hash what only an item's own page shows: its body and article-only fields.

    A body rendered ahead (rendering.py) is stood for by its cache key, which
    also fixes what is derived from it alone (contents list, reading time).
    With the site inputs (site_inputs()), the fields derived from headers alone
    (structured data, share links) are stood for by them: they are worked out
    only for the pages that are rendered (finish.prepare_own_page). The rest is
    mostly JSON: encoding it, in C, is far quicker than Fingerprint, which
    describes what is not.
    """
    standing = (DERIVED_FROM_BODY if key else ()) + (DERIVED_FROM_HEADERS if inputs else ())
    own = {name: getattr(item, name, None) for name in OWN_PAGE_FIELDS if name not in standing}
    own["(body)"], own["(site)"] = key, inputs
    describe = Fingerprint()
    try:
        text = json.dumps(own, sort_keys=True, default=describe.describe)
    except (UnstableError, TypeError, ValueError):
        return None
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def recorded_files(settings):
    """Every file the last build's records list, pages and search index alike."""
    files = set()
    for name in RECORDS_FILES:
        saved = read_cache(Path(settings["CACHE_PATH"]) / name, FORMAT)
        for record in (saved or {}).get("writes", {}).values():
            files.update(file for file, _, _ in record["files"])
    return files


class PageRecords:
    """What each write produced last time, by write id: its key and its files' stats."""

    def __init__(self, settings, stage, records_file=RECORDS_FILE):
        self.stage = stage  # the build's stage.Stage: its staging folder and what it holds
        self.path = Path(settings["CACHE_PATH"]) / records_file
        self.output = os.path.abspath(settings["OUTPUT_PATH"])
        self.folders = set()  # folders made in the staging output so far
        self.previous = read_cache(self.path, FORMAT) or {}
        self.current = {}

    def reuse(self, write_id, key):
        """Link a write's files from the live output if its key and files are unchanged."""
        record = self.previous.get("writes", {}).get(write_id)
        if key is None or not record or record["key"] != key:
            return False
        inodes = []
        for name, size, mtime in record["files"]:
            try:
                stat = os.stat(os.path.join(self.output, name))
            except OSError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
                return False
            inodes.append(stat.st_ino)
        stage = self.stage
        for (name, _, _), inode in zip(record["files"], inodes, strict=True):
            target = os.path.join(stage.path, name)
            stage.touched.add(name)
            stage.linked.add(name)
            try:
                if os.lstat(target).st_ino == inode:
                    continue  # the spare holds this very file already
                os.unlink(target)
            except FileNotFoundError:
                folder = os.path.dirname(target)
                if folder not in self.folders:
                    os.makedirs(folder, exist_ok=True)
                    self.folders.add(folder)
            os.link(os.path.join(self.output, name), target)
        self.current[write_id] = record
        return True

    def add(self, write_id, key, files):
        """Record what a write produced in the staging folder (unkeyed: nothing to reuse)."""
        relative = [os.path.relpath(path, self.stage.path) for path in files]
        self.stage.touched.update(relative)
        if key is None:
            return
        stats = []
        for name, path in zip(relative, files, strict=True):
            stat = os.stat(path)
            stats.append([name, stat.st_size, stat.st_mtime_ns])
        self.current[write_id] = {"key": key, "files": stats}

    def save(self, **extra):
        """Write this build's records (and anything else to remember) for the next build."""
        write_cache(self.path, FORMAT, writes=self.current, **extra)
