"""The search index: Pagefind, in shards of whole years, run over the finished pages.

Pagefind has no incremental mode, and its memory grows with every page it
indexes (about 0.4 MB a page). So the indexed pages (those with
data-pagefind-body: the articles, which live under their year) are split by
their top folder into shards of consecutive folders, oldest first, each closed
once it holds NEWSROOM["search_shard_pages"] pages. Each shard is its own
Pagefind index, cached by a hash of its pages: an edit re-indexes one shard,
older shards keep their pages, and new articles land in the newest shard.

The newest shard is the primary bundle at pagefind/; the others' data sits in
pagefind/shards/<first folder>/, listed in pagefind/shards.json. The search
page merges them into the primary (Pagefind's mergeIndex, which shares the
primary's WebAssembly), so each extra shard costs a search about one index
chunk (~25 KB) per word.

Pagefind writes its filter indexes in hash-map order, so two runs over the
same pages can differ in those files (upstream issue Pagefind#638); the cache
keeps a warm build's unchanged shards byte for byte.

The indexers run in the background, writing into the cache, while the output
checks run; finish_search_index waits for them and links the bundles into the
staging folder.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import weakref
from importlib.metadata import version
from pathlib import Path

from .config import plugin_settings
from .errors import BuildStopped

BUNDLE = "pagefind"
MERGED = "shards"  # below BUNDLE: every shard but the newest
MANIFEST = "shards.json"  # below BUNDLE: what the search page merges
MARKER = b"data-pagefind-body"
# What a merged shard needs; the primary bundle carries the code and WebAssembly.
SHARD_DATA = ("pagefind-entry.json", "index", "fragment", "filter")
TIMEOUT = 600  # seconds per shard: the indexer takes about 0.3 s per hundred pages


def indexed_pages(site):
    """Return {top folder: {relative path: bytes}} for every page the index covers."""
    folders = {}
    for page in sorted(site.rglob("*.html")):
        data = page.read_bytes()
        if MARKER in data:
            relative = page.relative_to(site)
            folder = relative.parts[0] if len(relative.parts) > 1 else ""
            folders.setdefault(folder, {})[relative.as_posix()] = data
    return folders


def group_shards(folders, size):
    """Group folders, oldest first, into shards that close once they hold `size` pages."""
    shards, current = [], {}
    for folder in sorted(folders):
        current.update(folders[folder])
        if len(current) >= size:
            shards.append(current)
            current = {}
    if current:
        shards.append(current)
    return shards


def shard_name(pages):
    """Name a shard by its first top folder (the year it starts with)."""
    first = min(pages).split("/", 1)
    return first[0] if len(first) > 1 else "site"


def shard_digest(pages):
    """Hash the indexer's version and every page's path and bytes: its whole input."""
    digest = hashlib.sha256(f"pagefind {version('pagefind')}\0".encode())
    for relative, data in sorted(pages.items()):
        digest.update(relative.encode() + b"\0" + data)
    return digest.hexdigest()[:32]


def prune(cache, keep):
    """Remove cached indexes this build did not use, except as many again of the newest.

    The spares let a switch back to another branch reuse its shards.
    """
    entries = sorted(cache.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
    unused = [entry for entry in entries if entry.name not in keep]
    for stale in unused[len(keep) :]:
        shutil.rmtree(stale, ignore_errors=True)


def indexer_command():
    """The Pagefind executable, found as `python -m pagefind` finds it (without a Python)."""
    try:  # a private helper of the pinned wrapper: if it changes, go through Python
        from pagefind.service import _must_get_executable

        return [str(_must_get_executable())]
    except Exception:
        return [sys.executable, "-m", "pagefind"]


class Indexers:
    """Index shards into the cache on background threads, a few at a time.

    Shared by the worker threads; the Indexing handle stops it if the build
    drops the handle without waiting (a later check stopped the build).
    """

    def __init__(self, site, jobs):
        self.site, self.jobs = site, list(jobs)
        self.lock, self.stopped = threading.Lock(), threading.Event()
        self.running, self.failures = set(), []

    def work(self):
        while not self.stopped.is_set():
            with self.lock:
                if not self.jobs:
                    return
                pages, cached = self.jobs.pop()
            failure = self.index(pages, cached)
            if failure:
                with self.lock:
                    self.failures.append(failure)

    def index(self, pages, cached):
        """Index one shard's pages (hard-linked into a folder of their own) into the cache."""
        partial, source = cached.with_suffix(".partial"), cached.with_suffix(".input")
        for folder in (partial, source):
            shutil.rmtree(folder, ignore_errors=True)
        for relative in pages:
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            os.link(self.site / relative, source / relative)
        command = [*indexer_command(), "--site", str(source), "--silent"]
        process = subprocess.Popen(
            [*command, "--output-path", str(partial)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        with self.lock:
            self.running.add(process)
        try:
            output, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            return f"the search index took over {TIMEOUT} s for {shard_name(pages)}"
        finally:
            with self.lock:
                self.running.discard(process)
            shutil.rmtree(source, ignore_errors=True)
        if process.returncode != 0:
            if self.stopped.is_set():
                return None
            detail = (output.strip().splitlines() or ["no output"])[-1]
            return f"the search index failed for {shard_name(pages)}: {detail}"
        partial.rename(cached)
        return None

    def stop(self):
        """Start no more shards and kill the running indexers."""
        self.stopped.set()
        with self.lock:
            for process in self.running:
                process.kill()


class Indexing:
    """The handle of one build's background indexing."""

    def __init__(self, site, jobs, concurrency):
        self.indexers = Indexers(site, jobs)
        count = max(1, min(concurrency, len(self.indexers.jobs)))
        self.threads = [
            threading.Thread(target=self.indexers.work, daemon=True) for _ in range(count)
        ]
        for thread in self.threads:
            thread.start()
        weakref.finalize(self, self.indexers.stop)

    def finish(self):
        """Wait for every shard; stop the build if one failed."""
        for thread in self.threads:
            thread.join()
        if self.indexers.failures:
            raise BuildStopped.because(self.indexers.failures[0])


def link_tree(source, target, names=None):
    """Hard-link a cached folder (or only the given entries of it) into the staged site."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if names is None or entry.name in names or entry.suffix == ".pf_meta":
            if entry.is_dir():
                shutil.copytree(entry, target / entry.name, copy_function=os.link)
            else:
                os.link(entry, target / entry.name)


def start_search_index(pelican):
    """Split the staged pages into shards and index, in the background, those not cached."""
    site = Path(pelican.output_path)
    cache = Path(pelican.settings["CACHE_PATH"]) / BUNDLE
    options = plugin_settings(pelican.settings)
    shards = group_shards(indexed_pages(site), options["search_shard_pages"])
    planned = [(shard_name(pages), cache / shard_digest(pages)) for pages in shards]
    jobs = [(pages, cached) for pages, (_, cached) in zip(shards, planned, strict=True)]
    jobs = [(pages, cached) for pages, cached in jobs if not cached.is_dir()]
    cache.mkdir(parents=True, exist_ok=True)
    workers = options["workers"] or os.cpu_count() or 1
    pelican.newsroom_indexing = Indexing(site, jobs, workers) if jobs else None
    pelican.newsroom_search_shards = planned


def finish_search_index(pelican):
    """Wait for the indexers, then link the shards and their list into the staged site."""
    indexing, pelican.newsroom_indexing = pelican.newsroom_indexing, None
    if indexing is not None:
        indexing.finish()
    planned = pelican.newsroom_search_shards
    if not planned:
        return
    bundle = Path(pelican.output_path) / BUNDLE
    *older, (_, newest) = planned
    link_tree(newest, bundle)
    for name, cached in older:
        link_tree(cached, bundle / MERGED / name, SHARD_DATA)
    manifest = {"merge": [f"{MERGED}/{name}/" for name, _ in reversed(older)]}
    (bundle / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for _, cached in planned:
        cached.touch()  # most recently used
    prune(cache=newest.parent, keep={cached.name for _, cached in planned})
