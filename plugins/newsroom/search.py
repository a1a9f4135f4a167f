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

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

from .files import FileWriter
from .incremental import SEARCH_RECORDS_FILE, PageRecords
from .rendering import prepared_body
from .stage import stage_of
from .words import STOP_WORDS, body_words, terms

BUNDLE = "search-index"
MANIFEST = "index.json"
FORMAT = 2  # bump when what the files hold changes
# How much a word in each part of an article counts, against once in the body.
FIELD_WEIGHTS = {"title": 6, "summary": 3, "names": 3}
K1, B, ARTICLE_WORDS = 1.2, 0.75, 800  # BM25, with a fixed typical article length
# Terms are grouped by their first letters; a group larger than this is split
# by one more letter, so a query never downloads a large file for one word.
BUCKET_LETTERS = 2
SPLIT_BYTES = 12_000
DOCS_PER_TABLE = 50


def saturated(weight, length):
    """BM25's term weight for a weighted count in an article of `length` words, times 10."""
    norm = K1 * (1 - B + B * length / ARTICLE_WORDS)
    return max(1, round(10 * weight * (K1 + 1) / (weight + norm)))


def article_weights(article):
    """Return {term: weight} for one article: its body's counts and its headers' words."""
    prepared = prepared_body(article)
    length, counted = prepared.words if prepared else body_words(article._content)
    pairs = counted.split()
    weights = Counter(dict(zip(pairs[::2], map(int, pairs[1::2]), strict=True)))
    topics = [tag.topic for tag in article.tags if getattr(tag, "topic", None)]
    names = [author.name for author in article.authors]
    names += [tag.name for tag in article.tags]
    names += [alias for topic in topics for alias in topic.aliases]
    fields = {"title": article.plain_title, "summary": article.description, "names": names}
    for field, weight in FIELD_WEIGHTS.items():
        text = fields[field] if isinstance(fields[field], str) else " ".join(fields[field])
        for term in terms(text):
            weights[term] += weight
    return {term: saturated(weight, length) for term, weight in weights.items()}


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
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
        if len(dumps(group)) <= SPLIT_BYTES or len(prefix) < letters:
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


def index_files(articles, site_url):
    """Return {relative path: text} of the whole index; the manifest is index.json."""
    articles = sorted(articles, key=lambda article: (article.date, article.url))
    postings = {}
    filters = {"topic": {}, "author": {}, "section": {}}
    for number, article in enumerate(articles):
        for term, weight in sorted(article_weights(article).items()):
            postings.setdefault(term, []).extend((number, weight))
        for tag in article.tags:
            if getattr(tag, "topic", None):
                filters["topic"].setdefault(tag.topic.name, []).append(number)
        for author in article.authors:
            filters["author"].setdefault(author.name, []).append(number)
        filters["section"].setdefault(article.category.name, []).append(number)
    files = {}
    manifest = {"version": FORMAT, "docs": len(articles), "stop": sorted(STOP_WORDS)}
    manifest["buckets"] = {}
    for prefix, group in sorted(split_buckets(postings).items()):
        text = dumps(group)
        manifest["buckets"][prefix] = name = named("t", bucket_file(prefix), text)
        files[name] = text
    manifest["per_table"], manifest["tables"] = DOCS_PER_TABLE, []
    for start in range(0, len(articles), DOCS_PER_TABLE):
        rows = [article_row(a, site_url) for a in articles[start : start + DOCS_PER_TABLE]]
        text = dumps(rows)
        manifest["tables"].append(name := named("d", str(start // DOCS_PER_TABLE), text))
        files[name] = text
    manifest["filters"] = {}
    for kind, values in filters.items():
        members = {value: sorted(set(numbers)) for value, numbers in values.items()}
        text = dumps(members)
        file = named("filter", kind, text)
        counts = {value: len(numbers) for value, numbers in members.items()}
        manifest["filters"][kind] = {"file": file, "counts": counts}
        files[file] = text
    files[MANIFEST] = dumps(manifest)
    return files


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
        for relative, text in index_files(articles, settings["SITEURL"]).items():
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
