"""The site's writer: absolute links in feeds, unchanged pages reused, the rest rendered
by worker processes.

Pelican renders and writes every page one after another. This writer queues
each write while the generators run and, once all are queued, links the files
of writes whose inputs are unchanged from the live output (incremental.py)
and replays the others in forked workers (each takes every n-th write; fork
shares the finished context without pickling). The bytes are the same as a
serial, cold build's.
"""

import hashlib
import json
import logging
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import ClassVar

from pelican.writers import Writer

from .errors import BuildStopped
from .incremental import Fingerprint, PageRecords, UnstableError, context_digests, own_digest

logger = logging.getLogger(__name__)

# Below this many writes, forking costs more than it saves.
PARALLEL_THRESHOLD = 64


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


class NewsroomWriter(Writer):
    """Write feeds against FEED_DOMAIN and defer every write until flush()."""

    # The writer of the run in progress: Pelican keeps it in a local variable.
    active = None
    # The last build's article pages, by source path: live preview renders one
    # again the moment its source is saved (preview.py).
    article_pages: ClassVar[dict] = {}

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.queue = []
        self.produced = []  # every file this process wrote, in order
        self.own_digests = {}  # id(item) -> (item, digest): feeds repeat the same items
        NewsroomWriter.active = self

    def own(self, item):
        """Return an item's own-page digest, computed once per build."""
        if id(item) not in self.own_digests:
            self.own_digests[id(item)] = (item, own_digest(item))
        return self.own_digests[id(item)][1]

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        """Queue a feed; feed readers cannot resolve root-relative links, so use FEED_DOMAIN."""
        domain = context.get("FEED_DOMAIN")
        shown = elements[: self.settings["FEED_MAX_ITEMS"]]
        parts = {"args": args, "kwargs": kwargs, "domain": domain, "items": shown}
        parts["bodies"] = [self.own(item) for item in shown]
        feed_context = {**context, "SITEURL": domain} if domain else context
        args = (elements, feed_context, path, *args)
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
        """Open a file for writing, never through a hard link to the live output."""
        if os.path.lexists(filename) and filename not in self._written_files:
            os.unlink(filename)
        self.produced.append(filename)
        return super()._open_w(filename, encoding, override)

    def run(self, writes):
        """Perform some queued writes in this process; return the files each produced."""
        produced = {}
        for write in writes:
            start = len(self.produced)
            write.method(*write.args, **write.kwargs)
            produced[write.write_id] = self.produced[start:]
        return produced

    def assign_keys(self, writes):
        """Key every write by the site digest and what only it shows (None: always render)."""
        describe = Fingerprint()
        sites = context_digests([write.context for write in writes], self.settings, describe)
        for write in writes:
            site = sites[id(write.context)]
            try:
                own = describe.describe(write.parts)
            except UnstableError:
                own = None
            if site and own and None not in write.parts.get("bodies", ()):
                text = f"{site}\0{write.write_id}\0{own}"
                write.key = hashlib.sha256(text.encode()).hexdigest()

    def flush(self, workers):
        """Reuse unchanged writes; perform the rest, spread over `workers` forked processes."""
        writes, self.queue = self.queue, []
        NewsroomWriter.article_pages = {
            w.kwargs["article"].source_path: w for w in writes if "article" in w.kwargs
        }
        records = PageRecords(self.settings)
        self.assign_keys(writes)
        pending = [w for w in writes if not records.reuse(w.write_id, w.key, self.output_path)]
        keys = {write.write_id: write.key for write in pending}
        for write_id, files in self.render(pending, workers).items():
            records.add(write_id, keys[write_id], self.output_path, files)
        records.save()
        logger.info(
            "Rendered %d pages and feeds; %d unchanged since the last build",
            len(pending),
            len(writes) - len(pending),
        )

    def render(self, writes, workers):
        """Perform writes, in forked workers when there are enough; return their files."""
        if workers <= 1 or len(writes) < PARALLEL_THRESHOLD:
            return self.run(writes)
        children = []
        for index in range(workers):
            report = os.path.join(self.output_path, f".newsroom-writes-{index}.json")
            pid = os.fork()
            if pid == 0:  # the worker: write its share, report by exit status and file
                status = 0
                try:
                    with open(report, "w", encoding="utf-8") as handle:
                        json.dump(self.run(writes[index::workers]), handle)
                except BaseException:
                    traceback.print_exc()
                    status = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(status)
            children.append((pid, report))
        produced, failed = {}, False
        for pid, report in children:
            failed |= os.waitpid(pid, 0)[1] != 0
            if os.path.exists(report):
                with open(report, encoding="utf-8") as handle:
                    produced.update(json.load(handle))
                os.unlink(report)
        if failed:
            raise BuildStopped.because("rendering pages failed in a worker (see the error above)")
        return produced


def newsroom_writer(pelican):
    """Tell Pelican to use NewsroomWriter."""
    return NewsroomWriter


def write_pages(pelican):
    """Render and write every queued page and feed, before anything reads the output."""
    workers = pelican.settings.get("NEWSROOM", {}).get("workers") or os.cpu_count() or 1
    NewsroomWriter.active.flush(workers)
