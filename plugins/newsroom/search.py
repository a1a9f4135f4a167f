"""The search index: Pagefind, run over the finished pages before they go live.

Pagefind writes its filter indexes in hash-map order, so two runs over the
same pages can differ in those files (upstream issue Pagefind#638). The index
is therefore cached by a hash of every page: unchanged pages reuse the
previous index byte for byte, and a warm rebuild skips the indexer.

The indexer is a separate process that writes into the cache. It starts as
soon as the pages are written and runs while the output checks do (the two
use different cores); finish_search_index waits for it and links the bundle
into the staging folder.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

from .errors import BuildStopped

BUNDLE = "pagefind"
KEEP_CACHED = 3
TIMEOUT = 600  # seconds: the indexer takes a few seconds per thousand pages


def pages_digest(site):
    """Hash the path and bytes of every HTML page: the indexer's whole input."""
    digest = hashlib.sha256()
    for page in sorted(site.rglob("*.html")):
        digest.update(page.relative_to(site).as_posix().encode() + b"\0")
        digest.update(page.read_bytes())
    return digest.hexdigest()[:32]


def prune(cache):
    """Keep only the most recently used cached indexes."""
    entries = sorted(cache.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in entries[KEEP_CACHED:]:
        shutil.rmtree(stale, ignore_errors=True)


class Indexing:
    """One run of the indexer into the cache, in the background."""

    def __init__(self, site, cached):
        self.site, self.cached = site, cached
        self.partial = cached.with_suffix(".partial")
        shutil.rmtree(self.partial, ignore_errors=True)
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
        self.process = subprocess.Popen(
            [*command, "--output-path", str(self.partial)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # A build stopped by a later check drops this object: stop the indexer with it.
        weakref.finalize(self, self.process.kill)

    def finish(self):
        """Wait for the indexer; move its bundle into place in the cache, or stop the build."""
        try:
            output, _ = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise BuildStopped.because(f"the search index took over {TIMEOUT} s") from None
        if self.process.returncode != 0:
            detail = output.strip().splitlines()[-1:] or ["no output"]
            raise BuildStopped.because(f"the search index failed: {detail[0]}")
        self.partial.rename(self.cached)
        prune(self.cached.parent)


def link_bundle(cached, site):
    """Give the staged site the cached bundle, as hard links (the cache is never edited)."""
    shutil.copytree(cached, site / BUNDLE, copy_function=os.link)
    cached.touch()  # most recently used


def start_search_index(pelican):
    """Start indexing the staged pages, unless the cache has an index of exactly these pages."""
    site = Path(pelican.output_path)
    cached = Path(pelican.settings["CACHE_PATH"]) / BUNDLE / pages_digest(site)
    pelican.newsroom_indexing = None if cached.is_dir() else Indexing(site, cached)
    pelican.newsroom_search_bundle = cached


def finish_search_index(pelican):
    """Wait for the indexer if it runs, then link the index into the staged site."""
    indexing, pelican.newsroom_indexing = pelican.newsroom_indexing, None
    if indexing is not None:
        indexing.finish()
    link_bundle(pelican.newsroom_search_bundle, Path(pelican.output_path))
