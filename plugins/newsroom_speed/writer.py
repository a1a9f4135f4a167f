"""The speed layer's writer: unchanged pages reused, files written beside the rendering.

Pelican renders and writes every page one after another. This writer (the site
layer's NewsroomWriter underneath) queues
each write while the generators run and, once all are queued, links the files
of writes whose inputs are unchanged from the live output (incremental.py) and
renders the others. Rendering stays in this one process (a forked renderer
would copy most of the build's memory); the files are created by the build's
helper process (files.py, stage.py). The bytes are the same as a cold build's.
"""

import hashlib
import io
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from pelican.contents import Content
from pelican.paginator import Paginator

from newsroom.errors import BuildStopped
from newsroom.finish import prepare_own_page, release_own_page
from newsroom.state import build_of
from newsroom.writer import NewsroomWriter

from .collector import frozen, return_free_memory
from .feeds import EntryCache, with_cached_entries
from .incremental import Fingerprint, PageRecords, UnstableError, context_digests, own_digest
from .rendering import PreparedBodies

logger = logging.getLogger(__name__)


@dataclass
class Write:
    """One queued write and what identifies its inputs."""

    write_id: str
    method: object
    args: tuple
    kwargs: dict
    context: dict  # the shared context, before any per-write changes
    parts: dict = field(default_factory=dict)  # what only this write shows
    key: str = None


class PendingFile(io.StringIO):
    """What Pelican writes a page or feed into; closing it hands the text to the FileWriter."""

    def __init__(self, files, path):
        super().__init__()
        self.files, self.path = files, path

    def close(self):
        if not self.closed:
            self.files.write(self.path, self.getvalue().encode("utf-8"))
        super().close()


class IncrementalWriter(NewsroomWriter):
    """The site's writer, every write deferred until flush()."""

    # The last build's article pages, by source path: live preview renders one
    # again the moment its source is saved (preview.py).
    article_pages: ClassVar[dict] = {}

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.queue = []
        self.produced = []  # every file this process wrote, in order
        self.own_digests = {}  # id(item) -> (item, digest): feeds repeat the same items
        self.files = None  # a FileWriter, while flush() runs
        self.feed_entries = EntryCache()
        self.engine = build_of(self.settings).engine
        self.engine.writer = self
        self.stage = self.engine.stage  # the build's staging folder, and what fills it
        self.site_inputs = self.stage.inputs  # incremental.site_inputs

    def own(self, item):
        """Return an item's own-page digest, computed once per build."""
        if id(item) not in self.own_digests:
            key = self.engine.bodies.key_of(item)
            self.own_digests[id(item)] = (item, own_digest(item, key, self.site_inputs))
        return self.own_digests[id(item)][1]

    def create_feed(self, feed_type, **attributes):
        """The site's feed, each entry serialised once per build (feeds.py)."""
        return with_cached_entries(super().create_feed(feed_type, **attributes), self.feed_entries)

    def feed_body(self, html, base):
        """A body's feed HTML, rewritten once per build (feeds.py)."""
        return self.feed_entries.body(html, base, super().feed_body)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        """Queue a feed."""
        domain = context.get("FEED_DOMAIN")
        shown = elements[: self.settings["FEED_MAX_ITEMS"]]
        parts = {"args": args, "kwargs": kwargs, "domain": domain, "items": shown}
        parts["bodies"] = [self.own(item) for item in shown]
        args = (elements, context, path, *args)
        self.queue.append(Write(f"feed:{path}", super().write_feed, args, kwargs, context, parts))

    def write_file(self, name, template, context, *args, **kwargs):
        """Queue a page (or a paginated series of pages)."""
        parts = {"template": template.name, "args": args, "kwargs": kwargs}
        for own in ("article", "page"):
            if own in kwargs:
                parts[own] = self.own(kwargs[own])
        args = (name, template, context, *args)
        self.queue.append(Write(f"file:{name}", super().write_file, args, kwargs, context, parts))

    def _open_w(self, filename, encoding, override=False):
        """Hand Pelican a file that is written in the background once closed.

        Pelican's rules for one file written twice hold: a second write fails
        unless it overrides, and a file once overridden is not written again.
        """
        if filename in self._overridden_files:
            if override:
                raise BuildStopped.because(f"{filename} would be overridden a second time")
            return io.StringIO()  # the override stands
        if filename in self._written_files and not override:
            raise BuildStopped.because(f"{filename} is written twice: two pages claim it")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        self.produced.append(filename)
        if self.files is None:  # outside flush(): at once
            if os.path.lexists(filename):
                os.unlink(filename)
            return open(filename, "w", encoding=encoding)
        return PendingFile(self.files, filename)

    def run(self, writes):
        """Perform some queued writes; return the files each produced.

        An item's body, and Pelican's copies of it with links resolved, are
        dropped after the last of these writes that shows it (its own page or a
        feed): on a large archive the bodies are most of what a build holds.
        """
        produced = {}
        resolved = getattr(Content.__dict__.get("get_content"), "cache", {})
        last_shown = {id(item): n for n, write in enumerate(writes) for item in bodies_of(write)}
        domain = self.settings.get("FEED_DOMAIN")
        for n, write in enumerate(writes):
            start = len(self.produced)
            article = write.kwargs.get("article")
            if article is not None:
                prepare_own_page(article, self.settings)
            write.method(*write.args, **write.kwargs)
            produced[write.write_id] = self.produced[start:]
            for item in bodies_of(write):
                if last_shown[id(item)] == n:
                    for site_url in (item.get_siteurl(), domain):
                        resolved.pop((item, site_url), None)
                    item._content = None
            if article is not None and self.site_inputs:
                release_own_page(article)
        return produced

    def assign_keys(self, writes, known=(None, None)):
        """Key every write by the site digest and what only it shows (None: always render);
        return the site digest. known: incremental.context_digests's shortcut."""
        describe = Fingerprint()
        contexts = [write.context for write in writes]
        sites = context_digests(contexts, self.settings, describe, known)
        for write in writes:
            site = sites[id(write.context)]
            try:
                own = describe.describe(write.parts)
            except UnstableError:
                own = None
            if site and own and None not in write.parts.get("bodies", ()):
                text = f"{site}\0{write.write_id}\0{own}"
                write.key = hashlib.sha256(text.encode()).hexdigest()
        counts = Counter(id(context) for context in contexts)
        return sites[counts.most_common(1)[0][0]] if counts else None

    def release_caches(self, writes):
        """Drop what only rendering needed, before the output checks need memory of their own:
        template fragments, serialised feed entries, Pelican's copies of bodies with
        their links resolved (Pelican keeps those, for every build, for the life of the
        process), and the bodies themselves, the largest thing a build holds: nothing
        after the writing reads one (live preview renders a copy with its new body)."""
        for write in writes:
            environment = getattr(write.args[1], "environment", None)
            if environment is not None and hasattr(environment, "newsroom_fragments"):
                environment.newsroom_fragments.clear()
            for name in ("article", "page"):
                if name in write.kwargs:
                    write.kwargs[name]._content = None
        self.engine.bodies = PreparedBodies()
        return_free_memory()
        self.feed_entries = EntryCache()
        self.own_digests.clear()
        for method in ("get_content", "get_summary"):
            memo = getattr(Content.__dict__.get(method), "cache", None)
            if isinstance(memo, dict):
                memo.clear()

    def folders_of(self, write):
        """Every folder a write's files go in (each page of a paginated series too)."""
        if write.write_id.startswith("feed:"):
            names = [write.args[2]]
        else:
            name, kwargs = write.args[0], write.kwargs
            names = [name]
            lists = [kwargs[k] for k in ("articles", "dates") if kwargs.get(k) is not None]
            template = kwargs.get("template_name")
            if lists and template in self.settings["PAGINATED_TEMPLATES"]:
                per_page = (
                    self.settings["PAGINATED_TEMPLATES"][template]
                    or self.settings["DEFAULT_PAGINATION"]
                )
                pages = Paginator(name, kwargs.get("url"), lists[0], self.settings, per_page)
                names = [pages.page(number).save_as for number in pages.page_range]
        return {os.path.dirname(os.path.join(self.output_path, name)) for name in names if name}

    def flush(self):
        """Reuse unchanged writes; render the rest, their files made in the background."""
        writes, self.queue = self.queue, []
        IncrementalWriter.article_pages = {
            w.kwargs["article"].source_path: w for w in writes if "article" in w.kwargs
        }
        stage = self.stage
        records = PageRecords(self.settings, stage)
        inputs = stage.inputs
        same = inputs is not None and records.previous.get("inputs") == inputs
        site = self.assign_keys(writes, (inputs, records.previous.get("site") if same else None))
        pending = [w for w in writes if not records.reuse(w.write_id, w.key)]
        self.files = stage.files
        # Everything the site is made of lives until the pages are written; frozen,
        # it is not walked again by every full collection while they render.
        try:
            with frozen():
                self.files.make_folders(set().union(*(self.folders_of(w) for w in pending)))
                produced = self.run(spread(pending))
                self.files.sync()
        finally:
            self.files = None
        for write in pending:
            records.add(write.write_id, write.key, produced[write.write_id])
        records.save(inputs=inputs, site=site)
        self.release_caches(writes)
        logger.info(
            "Rendered %d pages and feeds; %d unchanged since the last build",
            len(pending),
            len(writes) - len(pending),
        )


def bodies_of(write):
    """The items whose bodies a write shows: its own article or page, a feed's entries."""
    own = [write.kwargs[name] for name in ("article", "page") if name in write.kwargs]
    return own + list(write.parts.get("items", ()))


def spread(writes):
    """Order writes so that feeds (quick to render, large to write) fall evenly among pages
    (slow to render, small): the file helper then keeps pace instead of stalling the build."""
    feeds = [write for write in writes if write.write_id.startswith("feed:")]
    pages = [write for write in writes if not write.write_id.startswith("feed:")]
    if not feeds or not pages:
        return writes
    step = len(pages) / len(feeds)
    ordered, taken = [], 0
    for index, feed in enumerate(feeds):
        upto = round((index + 1) * step)
        ordered += pages[taken:upto]
        ordered.append(feed)
        taken = upto
    return ordered + pages[taken:]
