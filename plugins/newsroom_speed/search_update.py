"""The search index updated in place: only the term groups an edit touches are rebuilt.

The site layer's search.py writes the whole index from every article. Here
each article's weights are kept in CACHE_PATH with a digest of what they were
made from, the last build's term groups are reused where no article's weights
in them changed, unchanged files are linked from the live output, and the rest
are handed to the build's file helper, written while the pages are rendered.
The files are the same, byte for byte.
"""

import bisect
import hashlib
import json
import os
from pathlib import Path

from newsroom.reader import facts_of
from newsroom.search import (
    BUCKET_LETTERS,
    BUNDLE,
    FIELD_WEIGHTS,
    FORMAT,
    MANIFEST,
    all_postings,
    header_text,
    index_texts,
    ordered,
    pairs_of,
    split_buckets,
    weight_text,
)

from .caches import read_cache, write_cache
from .incremental import SEARCH_RECORDS_FILE, PageRecords


class IndexState:
    """What the last build's index was made of (kept in CACHE_PATH), so the next can update it.

    urls, digests and weights: each article's address, inputs_digest() and
    weight_text(), by number; buckets: {prefix: file name}.
    """

    FILE = "newsroom-search-state.pickle"

    def __init__(self, urls=(), digests=(), weights=(), buckets=None):
        self.urls, self.digests, self.weights = list(urls), list(digests), list(weights)
        self.buckets = buckets or {}

    @classmethod
    def load(cls, settings):
        saved = read_cache(Path(settings["CACHE_PATH"]) / cls.FILE, FORMAT)
        if saved:
            return cls(saved["urls"], saved["digests"], saved["weights"], saved["buckets"])
        return cls()

    def save(self, settings):
        write_cache(
            Path(settings["CACHE_PATH"]) / self.FILE,
            FORMAT,
            urls=self.urls,
            digests=self.digests,
            weights=self.weights,
            buckets=self.buckets,
        )


def update_postings(postings, number, gone, added):
    """Replace one article's entries: drop its (term, weight) pairs `gone`, add `added`."""
    for term, _ in gone:
        entries = postings.get(term)
        if entries is not None:
            at = entries[::2].index(number)
            del entries[2 * at : 2 * at + 2]
            if not entries:
                del postings[term]
    for term, weight in added:
        entries = postings.setdefault(term, [])
        at = bisect.bisect(entries[::2], number)
        entries[2 * at : 2 * at] = [number, weight]


def updated_buckets(previous, state, live_index):
    """Update the last build's buckets for the articles whose weights changed.

    Returns {prefix: postings} for the groups the change touches and, for the
    others, {prefix: file name} to keep; or None when the articles were
    renumbered (one removed, or dated before another) or a file is missing.
    """
    if previous.urls != state.urls[: len(previous.urls)] or not previous.buckets:
        return None
    changed = [
        n
        for n, digest in enumerate(state.digests)
        if n >= len(previous.digests) or previous.digests[n] != digest
    ]
    # Per changed article, only the pairs that differ: an edit leaves most of
    # its terms at the same weight.
    edits = {}  # group -> [(article, pairs gone, pairs added)]
    for n in changed:
        old = set(pairs_of(previous.weights[n])) if n < len(previous.weights) else set()
        new = set(pairs_of(state.weights[n]))
        by_group = {}
        for side, pairs in ((0, old - new), (1, new - old)):
            for pair in pairs:
                by_group.setdefault(pair[0][:BUCKET_LETTERS], ([], []))[side].append(pair)
        for group, (gone, added) in by_group.items():
            edits.setdefault(group, []).append((n, gone, added))
    kept = {p: name for p, name in previous.buckets.items() if p[:BUCKET_LETTERS] not in edits}
    rebuilt = {}
    for group in sorted(edits):
        postings = {}
        for prefix, name in previous.buckets.items():
            if prefix[:BUCKET_LETTERS] == group:
                try:
                    postings.update(json.loads((live_index / name).read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    return None
        for n, gone, added in edits[group]:
            update_postings(postings, n, gone, added)
        rebuilt.update(split_buckets(postings))
    return rebuilt, kept


def inputs_digest(article, words, key):
    """Hash everything weight_text() reads of an article (a prepared body by its cache key)."""
    body = key or repr(words)
    parts = [str(FORMAT), body, *(header_text(article, f) for f in FIELD_WEIGHTS)]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()


def index_files(articles, settings, bodies, live_index=None):
    """Return ({relative path: text} of the whole index, names of files kept as they were).

    The same files as the site layer's search.index_files. live_index: the last
    build's index folder, whose unchanged buckets are kept (their names listed,
    their files reused) when the state in the cache describes it.
    """
    articles = ordered(articles)
    previous = IndexState.load(settings)
    state = IndexState(urls=[article.url for article in articles])
    known = dict(zip(previous.digests, previous.weights, strict=True))
    for article in articles:
        words = facts_of(article).words
        digest = inputs_digest(article, words, bodies.key_of(article))
        state.digests.append(digest)
        state.weights.append(known.get(digest) or weight_text(article, words))
    update = updated_buckets(previous, state, live_index) if live_index else None
    rebuilt, kept = update or (split_buckets(all_postings(state.weights)), {})
    files = index_texts(articles, rebuilt, kept, settings)
    state.buckets = json.loads(files[MANIFEST])["buckets"]
    state.save(settings)
    return files, set(kept.values())


class Indexing:
    """One build's index: unchanged files linked from the live output at once, the others
    handed to the build's file helper, written while the pages are rendered."""

    def __init__(self, articles, stage, settings, bodies):
        self.staging = staging = stage.path
        self.files = stage.files
        self.records = PageRecords(settings, stage, SEARCH_RECORDS_FILE)
        self.written = []
        bundle = Path(staging) / BUNDLE
        live = Path(settings["OUTPUT_PATH"]) / BUNDLE
        files, kept = index_files(articles, settings, bodies, live)
        reused = (self.records.reuse(f"{BUNDLE}/{name}", f"{BUNDLE}/{name}") for name in kept)
        if not all(reused):  # the last build's files are not all there: build it all
            files, _ = index_files(articles, settings, bodies)
        for relative, text in files.items():
            name = f"{BUNDLE}/{relative}"
            if relative == MANIFEST or not self.records.reuse(name, name):
                self.files.write(str(bundle / relative), text.encode("utf-8"))
                self.written.append(name)

    def finish(self):
        """Wait for the files; remember them for the next build."""
        self.files.sync()
        for name in self.written:
            if not name.endswith(f"/{MANIFEST}"):
                path = os.path.join(self.staging, name)
                self.records.add(name, name, [path])
        self.records.save()
