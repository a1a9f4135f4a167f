"""The search index: Pagefind, run over the finished pages before they go live.

Pagefind writes its filter indexes in hash-map order, so two runs over the
same pages can differ in those files (upstream issue Pagefind#638). The index
is therefore cached by a hash of every page: unchanged pages reuse the
previous index byte for byte, and a warm rebuild skips the indexer.
"""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import BuildStopped

BUNDLE = "pagefind"
KEEP_CACHED = 3


def pages_digest(site):
    """Hash the path and bytes of every HTML page: the indexer's whole input."""
    digest = hashlib.sha256()
    for page in sorted(site.rglob("*.html")):
        digest.update(page.relative_to(site).as_posix().encode() + b"\0")
        digest.update(page.read_bytes())
    return digest.hexdigest()[:32]


def run_pagefind(site):
    """Index a site folder with Pagefind's bundled binary; a failure stops the build."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BuildStopped.because(f"the search index failed: {detail[0]}")


def prune(cache):
    """Keep only the most recently used cached indexes."""
    entries = sorted(cache.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in entries[KEEP_CACHED:]:
        shutil.rmtree(stale, ignore_errors=True)


def build_search_index(pelican):
    """Give the staged site its search index, from the cache when the pages are unchanged."""
    site = Path(pelican.output_path)
    cache = Path(pelican.settings["CACHE_PATH"]) / BUNDLE
    cached = cache / pages_digest(site)
    if cached.is_dir():
        shutil.copytree(cached, site / BUNDLE)
        cached.touch()
        return
    run_pagefind(site)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(site / BUNDLE, partial)
    partial.rename(cached)
    prune(cache)
