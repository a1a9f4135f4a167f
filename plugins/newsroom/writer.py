"""The site's writer: absolute links in feeds, and pages rendered by worker processes.

Pelican renders and writes every page one after another. This writer queues
each write while the generators run and, once all are queued, replays them in
forked workers (each takes every n-th write; fork shares the finished context
without pickling). The bytes are the same as a serial build's.
"""

import os
import sys
import traceback

from pelican.writers import Writer

from .errors import BuildStopped

# Below this many writes, forking costs more than it saves.
PARALLEL_THRESHOLD = 64


class NewsroomWriter(Writer):
    """Write feeds against FEED_DOMAIN and defer every write until flush()."""

    # The writer of the run in progress: Pelican keeps it in a local variable.
    active = None

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.queue = []
        NewsroomWriter.active = self

    def write_feed(self, elements, context, *args, **kwargs):
        """Queue a feed; feed readers cannot resolve root-relative links, so use FEED_DOMAIN."""
        domain = context.get("FEED_DOMAIN")
        if domain:
            context = {**context, "SITEURL": domain}
        self.queue.append((super().write_feed, (elements, context, *args), kwargs))

    def write_file(self, *args, **kwargs):
        """Queue a page (or a paginated series of pages)."""
        self.queue.append((super().write_file, args, kwargs))

    def run(self, writes):
        """Perform some queued writes in this process."""
        for method, args, kwargs in writes:
            method(*args, **kwargs)

    def flush(self, workers):
        """Perform every queued write, spread over `workers` forked processes."""
        writes, self.queue = self.queue, []
        if workers <= 1 or len(writes) < PARALLEL_THRESHOLD:
            self.run(writes)
            return
        children = []
        for index in range(workers):
            pid = os.fork()
            if pid == 0:  # the worker: write its share, report by exit status
                status = 0
                try:
                    self.run(writes[index::workers])
                except BaseException:
                    traceback.print_exc()
                    status = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(status)
            children.append(pid)
        failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
        if failed:
            raise BuildStopped.because("rendering pages failed in a worker (see the error above)")


def newsroom_writer(pelican):
    """Tell Pelican to use NewsroomWriter."""
    return NewsroomWriter


def write_pages(pelican):
    """Render and write every queued page and feed, before anything reads the output."""
    workers = pelican.settings.get("NEWSROOM", {}).get("workers") or os.cpu_count() or 1
    NewsroomWriter.active.flush(workers)
