"""The search index: our own static files, written from the articles, in shards of years.

Readers search in the browser (theme/static/js/search.js) from static files:

    search-index/index.json                the shards, newest first, and the stop words
    search-index/<shard>/meta.json         one shard: its buckets, each article's length,
                                           and the articles under each filter value
    search-index/<shard>/t/<bucket>.json   every term starting with the bucket's letters:
                                           {term: [article, weight, article, weight, ...]}
    search-index/<shard>/f/<article>.json  one article: address, title, section, date,
                                           summary and plain text, for its result and excerpt

The index is built from the articles Pelican has read, not from the written
pages, so it can be written while the pages are (in a forked process). It
takes a few megabytes of memory, and the same articles always give the same
bytes.

Articles are grouped by year, oldest first, into shards that close once they
hold NEWSROOM["search_shard_pages"] articles. A shard's folder is named by a
hash of everything in it, so its files never change and may be cached for
good; an edit writes one new shard, and the others are linked from the last
build. A search fetches one bucket per word from each shard that has it: the
postings are split between shards, not repeated, so more shards mean more
small requests, not more bytes.
"""

import hashlib
import html
import json
import os
import re
import signal
import sys
import traceback
import unicodedata
from collections import Counter
from pathlib import Path

from .config import plugin_settings
from .errors import BuildStopped
from .incremental import PageRecords

BUNDLE = "search-index"
MANIFEST = "index.json"
FORMAT = 1  # bump when what the files hold changes: every shard gets a new name
RECORDS_FILE = "newsroom-search.json"  # in CACHE_PATH: the shards the last build wrote
# How much a term found in each part of an article counts, against once in the body.
FIELD_WEIGHTS = {"title": 6, "summary": 3, "names": 3, "body": 1}
# Terms are bucketed by their first letters; a bucket larger than this is split
# by one more letter, so a query never downloads a huge file.
BUCKET_LETTERS = 2
SPLIT_BYTES = 16_000
# Words too common to tell articles apart; the browser drops them from queries.
STOP_WORDS = frozenset(
    """
    a about after all also an and any are as at be been before but by can could did do
    does for from had has have he her his how i if in into is it its may more most no not
    of on once one or other our out over she so some such than that the their them then
    there these they this those to under up was we were what when where which while who
    will with would you
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
EXCERPT_CHARS = 20_000  # of an article's text kept for excerpts

_WORD = re.compile(r"[^\W_]+")
# Parts of a rendered body that are apparatus, not prose: footnote numbers and
# back-links, heading permalinks.
_APPARATUS = re.compile(
    r'<sup id="fnref[^"]*">.*?</sup>|<a class="(?:footnote-backref|headerlink)"[^>]*>.*?</a>',
    re.S,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|caption|blockquote|div"
    r"|figure|figcaption|pre|hr|br|section|aside)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def fold(text):
    """Fold text for matching: no accents, lower case. search.js folds queries the same way."""
    text = unicodedata.normalize("NFKD", text)
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    return text.lower()


def terms(text):
    """Return the indexed words of some text, in order: folded, no stop words, two letters up."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


def plain_body(body_html):
    """Return an article body as plain text, without footnote marks and permalinks."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", _APPARATUS.sub("", body_html)))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def search_doc(article, site_url):
    """Describe one article as the index needs it (plain values only)."""
    topics = [tag.topic for tag in article.tags if getattr(tag, "topic", None)]
    names = [author.name for author in article.authors]
    names += [tag.name for tag in article.tags]
    names += [alias for topic in topics for alias in topic.aliases]
    return {
        "url": f"{site_url}/{article.url}",
        "title": article.plain_title,
        "summary": article.description,
        "section": article.category.name,
        "date": article.date.isoformat(),
        "date_text": article.locale_date,
        "topics": sorted({topic.name for topic in topics}),
        "authors": [author.name for author in article.authors],
        "names": " ".join(names),
        "text": plain_body(article._content),
    }


def group_shards(docs, size):
    """Group docs by year, oldest first, into shards that close once they hold `size`."""
    years = {}
    for doc in sorted(docs, key=lambda doc: (doc["date"], doc["url"])):
        years.setdefault(doc["date"][:4], []).append(doc)
    shards, current = [], []
    for year in sorted(years):
        current.extend(years[year])
        if len(current) >= size:
            shards.append(current)
            current = []
    if current:
        shards.append(current)
    return shards


def shard_name(docs):
    """Name a shard by a hash of the format and every doc in it: its whole input."""
    digest = hashlib.sha256(f"{FORMAT}\0{sorted(STOP_WORDS)}\0{FIELD_WEIGHTS}".encode())
    for doc in docs:
        digest.update(json.dumps(doc, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def bucket_file(prefix):
    """The file name of a bucket: its letters, or their code points when not plain ASCII.

    search.js names files the same way.
    """
    if re.fullmatch(r"[a-z0-9]+", prefix):
        return prefix
    return "u" + "-".join(f"{ord(c):x}" for c in prefix)


def dumps(value):
    """Compact JSON with sorted keys: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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


def shard_files(docs):
    """Return {relative path: text} of one shard; docs are numbered newest first."""
    docs = sorted(docs, key=lambda doc: (doc["date"], doc["url"]), reverse=True)
    postings, lengths = {}, []
    filters = {"topic": {}, "author": {}, "section": {}}
    files = {}
    for number, doc in enumerate(docs):
        weights = Counter()
        body = terms(doc["text"])
        for field, weight in FIELD_WEIGHTS.items():
            for term in body if field == "body" else terms(doc[field]):
                weights[term] += weight
        for term in sorted(weights):
            postings.setdefault(term, []).extend((number, weights[term]))
        lengths.append(len(body))
        for value in doc["topics"]:
            filters["topic"].setdefault(value, []).append(number)
        for value in doc["authors"]:
            filters["author"].setdefault(value, []).append(number)
        filters["section"].setdefault(doc["section"], []).append(number)
        fragment = {key: doc[key] for key in ("url", "title", "summary", "section", "date_text")}
        fragment["text"] = doc["text"][:EXCERPT_CHARS]
        files[f"f/{number}.json"] = dumps(fragment)
    buckets = split_buckets(postings)
    for prefix, group in buckets.items():
        files[f"t/{bucket_file(prefix)}.json"] = dumps(group)
    meta = {"docs": len(docs), "lengths": lengths, "filters": filters, "buckets": sorted(buckets)}
    files["meta.json"] = dumps(meta)
    return files


def write_shard(folder, docs):
    """Write one shard's files below folder; return their paths."""
    written = []
    for relative, text in shard_files(docs).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(str(path))
    return written


def write_index(articles, staging, settings):
    """Write the whole index into the staged site, reusing unchanged shards of the live output."""
    size = plugin_settings(settings)["search_shard_pages"]
    docs = [search_doc(article, settings["SITEURL"]) for article in articles]
    shards = group_shards(docs, size)
    bundle = Path(staging) / BUNDLE
    records = PageRecords(settings, RECORDS_FILE)
    names = []
    for docs in shards:
        name = shard_name(docs)
        names.append(name)
        if not records.reuse(name, name, staging):
            records.add(name, name, staging, write_shard(bundle / name, docs))
    records.save()
    manifest = {"version": FORMAT, "shards": names[::-1], "stop": sorted(STOP_WORDS)}
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / MANIFEST).write_text(dumps(manifest), encoding="utf-8")


class Indexing:
    """The index written by a forked child while the parent writes pages."""

    def __init__(self, articles, staging, settings):
        self.pid = os.fork()
        if self.pid == 0:
            status = 0
            try:
                write_index(articles, staging, settings)
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)

    def finish(self):
        """Wait for the child; stop the build if it failed."""
        pid, self.pid = self.pid, None
        if pid and os.waitpid(pid, 0)[1] != 0:
            raise BuildStopped.because("writing the search index failed (see the error above)")

    def stop(self):
        """Kill the child if it still runs: the build stopped before waiting for it."""
        pid, self.pid = self.pid, None
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass

    __del__ = stop


# The indexing of each build in progress, by its staging folder.
_RUNNING = {}


def start_search_index(generators):
    """Start writing the index once every article is final, beside the page writing."""
    articles = next(g for g in generators if hasattr(g, "newsroom"))
    staging = str(articles.output_path)
    abandoned = _RUNNING.pop(staging, None)  # a stopped build's indexing, if still running
    if abandoned is not None:
        abandoned.stop()
    _RUNNING[staging] = Indexing(articles.articles, staging, articles.settings)


def finish_search_index(pelican):
    """Wait for the index; the build stops here if writing it failed."""
    indexing = _RUNNING.pop(str(pelican.output_path), None)
    if indexing is not None:
        indexing.finish()
