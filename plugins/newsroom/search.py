"""The search index: our own static files, written from the articles.

Readers search in the browser (theme/static/js/search.js) from these files:

    search-index/index.json           the manifest: how many articles, the stop
                                      words, and the name of every file below
    search-index/t/<letters>.<h>.json the terms that start with those letters:
                                      {term: [article, weight, article, weight, ...]}
    search-index/d/<n>.<h>.json       articles n*50 to n*50+49: address, title,
                                      section, date and summary, for the results
    search-index/filter/<kind>.<h>.json  {topic, author or section: [article, ...]}

Articles are numbered oldest first, so a new article takes the next number and
the others keep theirs. <h> is a hash of the file's contents: a file never
changes under its name (servers may cache it for good), an unchanged file is
linked from the last build, and only the manifest is new every time. A query
fetches the manifest, one small file per word and one article table per page
of results; the same articles always give the same bytes.

The words of each body are counted where the body is rendered (rendering.py,
in parallel and cached with it); here they are joined with the words of the
title, the standfirst and the names (authors, topics and their aliases).
Weights are BM25's saturated term frequency (k1 1.2, b 0.75, against a fixed
article length, so one article's edit never changes another's weights) times
10, rounded; the browser multiplies them by each word's rarity.
"""

import bisect
import hashlib
import json
import os
import re
from array import array
from collections import Counter
from pathlib import Path

from .caches import read_cache, write_cache
from .files import FileWriter
from .incremental import SEARCH_RECORDS_FILE, PageRecords
from .rendering import body_key, prepared_body
from .stage import stage_of
from .words import STOP_WORDS, body_words, terms

BUNDLE = "search-index"
MANIFEST = "index.json"
FORMAT = 3  # bump when what the files hold changes
# How much a word in each part of an article counts, against once in the body.
FIELD_WEIGHTS = {"title": 6, "summary": 3, "names": 3}
K1, B, ARTICLE_WORDS = 1.2, 0.75, 800  # BM25, with a fixed typical article length
# Terms are grouped by their first letters; a group holding more numbers than
# this (about 12 KB of JSON) is split by one more letter, so a query never
# downloads a large file for one word.
BUCKET_LETTERS = 2
SPLIT_NUMBERS = 4_000
DOCS_PER_TABLE = 50


def weight_text(article):
    """One article's terms and weights, as "term weight term weight ...", terms sorted.

    Weights are BM25's saturated frequency of the term's weighted count (see
    the module doc), times 10 and rounded.
    """
    prepared = prepared_body(article)
    length, counted = prepared.words if prepared else body_words(article._content)
    pairs = counted.split()
    weights = Counter(dict(zip(pairs[::2], map(int, pairs[1::2]), strict=True)))
    for field, weight in FIELD_WEIGHTS.items():
        for term in terms(header_text(article, field)):
            weights[term] += weight
    norm = K1 * (1 - B + B * length / ARTICLE_WORDS)
    saturated = {}
    for weight in set(weights.values()):
        saturated[weight] = max(1, round(10 * weight * (K1 + 1) / (weight + norm)))
    return " ".join(f"{term} {saturated[weights[term]]}" for term in sorted(weights))


def header_text(article, field):
    """The text of an article's title, summary or names (authors, tags, topic aliases)."""
    if field == "title":
        return article.plain_title
    if field == "summary":
        return article.description
    topics = [tag.topic for tag in article.tags if getattr(tag, "topic", None)]
    names = [author.name for author in article.authors]
    names += [tag.name for tag in article.tags]
    names += [alias for topic in topics for alias in topic.aliases]
    return " ".join(names)


def inputs_digest(article):
    """Hash everything weight_text() reads of an article (a prepared body by its cache key)."""
    body = body_key(article) or repr(body_words(article._content))
    parts = [str(FORMAT), body, *(header_text(article, f) for f in FIELD_WEIGHTS)]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()


def pairs_of(text):
    """Yield (term, weight) from a weight_text()."""
    items = iter(text.split())
    for term, weight in zip(items, items, strict=True):
        yield term, int(weight)


def article_row(article, site_url):
    """What a result shows of an article."""
    return {
        "url": f"{site_url}/{article.url}",
        "title": article.plain_title,
        "summary": article.description,
        "section": article.category.name,
        "date": article.locale_date,
    }


def dumps(value):
    """Compact JSON with sorted keys: the same value always gives the same bytes."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=array.tolist
    )


def bucket_file(prefix):
    """The file name of a bucket: its letters, or their code points when not plain ASCII.

    search.js names files the same way.
    """
    if re.fullmatch(r"[a-z0-9]+", prefix):
        return prefix
    return "u" + "-".join(f"{ord(c):x}" for c in prefix)


def split_buckets(postings, letters=BUCKET_LETTERS):
    """Group {term: postings} into buckets by first letters, splitting the large ones.

    A split bucket keeps only the terms exactly as long as its prefix; longer
    terms move to buckets one letter longer.
    """
    groups = {}
    for term in postings:
        groups.setdefault(term[:letters], {})[term] = postings[term]
    buckets = {}
    for prefix, group in groups.items():
        if sum(map(len, group.values())) <= SPLIT_NUMBERS or len(prefix) < letters:
            buckets[prefix] = group
            continue
        exact = {term: value for term, value in group.items() if len(term) == letters}
        if exact:
            buckets[prefix] = exact
        longer = {term: value for term, value in group.items() if len(term) > letters}
        buckets.update(split_buckets(longer, letters + 1))
    return buckets


def named(folder, stem, text):
    """Name a file by its contents: folder/stem.<hash>.json."""
    return f"{folder}/{stem}.{hashlib.sha256(text.encode()).hexdigest()[:10]}.json"


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


def all_postings(weights):
    """{term: [article, weight, ...]} from every article's weight_text(), by number.

    Gathered in compact arrays (a large archive holds millions of numbers).
    """
    arrays = {}
    for number, text in enumerate(weights):
        for term, weight in pairs_of(text):
            found = arrays.get(term)
            if found is None:
                found = arrays[term] = array("I")
            found.append(number)
            found.append(weight)
    return arrays


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


def index_files(articles, settings, live_index=None):
    """Return {relative path: text} of the whole index (the manifest is index.json).

    live_index: the last build's index folder, whose unchanged buckets are
    kept (their names listed, their files reused) when the state in the cache
    describes it.
    """
    articles = sorted(articles, key=lambda article: (article.date, article.url))
    previous = IndexState.load(settings)
    state = IndexState(urls=[article.url for article in articles])
    known = dict(zip(previous.digests, previous.weights, strict=True))
    for article in articles:
        digest = inputs_digest(article)
        state.digests.append(digest)
        state.weights.append(known.get(digest) or weight_text(article))
    update = updated_buckets(previous, state, live_index) if live_index else None
    rebuilt, kept = update or (split_buckets(all_postings(state.weights)), {})
    files = {}
    manifest = {"version": FORMAT, "docs": len(articles), "stop": sorted(STOP_WORDS)}
    state.buckets = dict(kept)
    for prefix, group in rebuilt.items():
        text = dumps(group)
        state.buckets[prefix] = name = named("t", bucket_file(prefix), text)
        files[name] = text
    manifest["buckets"] = dict(sorted(state.buckets.items()))
    manifest["per_table"], manifest["tables"] = DOCS_PER_TABLE, []
    site_url = settings["SITEURL"]
    for start in range(0, len(articles), DOCS_PER_TABLE):
        rows = [article_row(a, site_url) for a in articles[start : start + DOCS_PER_TABLE]]
        text = dumps(rows)
        manifest["tables"].append(name := named("d", str(start // DOCS_PER_TABLE), text))
        files[name] = text
    manifest["filters"] = {}
    for kind, members in filter_members(articles).items():
        text = dumps(members)
        file = named("filter", kind, text)
        counts = {value: len(numbers) for value, numbers in members.items()}
        manifest["filters"][kind] = {"file": file, "counts": counts}
        files[file] = text
    files[MANIFEST] = dumps(manifest)
    state.save(settings)
    return files, set(kept.values())


def filter_members(articles):
    """{topic, author, section: {value: [article numbers]}}."""
    filters = {"topic": {}, "author": {}, "section": {}}
    for number, article in enumerate(articles):
        for tag in article.tags:
            if getattr(tag, "topic", None):
                filters["topic"].setdefault(tag.topic.name, set()).add(number)
        for author in article.authors:
            filters["author"].setdefault(author.name, set()).add(number)
        filters["section"].setdefault(article.category.name, set()).add(number)
    return {kind: {v: sorted(n) for v, n in values.items()} for kind, values in filters.items()}


class Indexing:
    """One build's index: unchanged files linked from the live output at once, the others
    handed to the build's file helper, written while the pages are rendered."""

    def __init__(self, articles, staging, settings):
        self.staging = staging
        stage = stage_of(staging)
        self.files = stage.files if stage else FileWriter()
        self.owned = stage is None  # outside a build: close it when done
        self.records = PageRecords(settings, SEARCH_RECORDS_FILE)
        self.written = []
        bundle = Path(staging) / BUNDLE
        live = Path(settings["OUTPUT_PATH"]) / BUNDLE
        files, kept = index_files(articles, settings, live)
        reused = (
            self.records.reuse(f"{BUNDLE}/{name}", f"{BUNDLE}/{name}", staging) for name in kept
        )
        if not all(reused):  # the last build's files are not all there: build it all
            files, _ = index_files(articles, settings)
        for relative, text in files.items():
            name = f"{BUNDLE}/{relative}"
            if relative == MANIFEST or not self.records.reuse(name, name, staging):
                self.files.write(str(bundle / relative), text.encode("utf-8"))
                self.written.append(name)

    def finish(self):
        """Wait for the files; remember them for the next build."""
        if self.owned:
            self.files.close()
        else:
            self.files.sync()
        for name in self.written:
            if not name.endswith(f"/{MANIFEST}"):
                path = os.path.join(self.staging, name)
                self.records.add(name, name, self.staging, [path])
        self.records.save()


# The indexing of each build in progress, by its staging folder.
_RUNNING = {}


def start_search_index(generators):
    """Start writing the index once every article is final, beside the page writing."""
    articles = next(g for g in generators if hasattr(g, "newsroom"))
    staging = str(articles.output_path)
    _RUNNING[staging] = Indexing(articles.articles, staging, articles.settings)


def finish_search_index(pelican):
    """Wait for the index files; the build stops here if writing one failed."""
    indexing = _RUNNING.pop(str(pelican.output_path), None)
    if indexing is not None:
        indexing.finish()
