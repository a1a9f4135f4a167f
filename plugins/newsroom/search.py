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
changes under its name (servers may cache it for good), and only the manifest
is new every time. A query
fetches the manifest, one small file per word and one article table per page
of results; the same articles always give the same bytes.

The words of each body are counted where the body is read (reader.py); here
they are joined with the words of the title, the standfirst and the names
(authors, topics and their aliases).
Weights are BM25's saturated term frequency (k1 1.2, b 0.75, against a fixed
article length, so one article's edit never changes another's weights) times
10, rounded; the browser multiplies them by each word's rarity.
"""

import hashlib
import json
import re
from array import array
from collections import Counter

from .reader import facts_of
from .words import STOP_WORDS, terms

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


def weight_text(article, words):
    """One article's terms and weights, as "term weight term weight ...", terms sorted.

    words: the body's count (words.body_words, noted by the reader). Weights are
    BM25's saturated frequency of the term's weighted count (see the module
    doc), times 10 and rounded.
    """
    length, counted = words
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


def ordered(articles):
    """Articles in index order: oldest first, so a new article takes the next number."""
    return sorted(articles, key=lambda article: (article.date, article.url))


def index_files(articles, settings):
    """Return {relative path: text} of the whole index (the manifest is index.json)."""
    articles = ordered(articles)
    weights = [weight_text(article, facts_of(article).words) for article in articles]
    return index_texts(articles, split_buckets(all_postings(weights)), {}, settings)


def index_texts(articles, rebuilt, kept, settings):
    """Return {relative path: text} of the index of articles (in index order).

    rebuilt: {prefix: postings} of the term groups to write; kept: {prefix:
    file name} of groups already written under those names.
    """
    files = {}
    manifest = {"version": FORMAT, "docs": len(articles), "stop": sorted(STOP_WORDS)}
    buckets = dict(kept)
    for prefix, group in rebuilt.items():
        text = dumps(group)
        buckets[prefix] = name = named("t", bucket_file(prefix), text)
        files[name] = text
    manifest["buckets"] = dict(sorted(buckets.items()))
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
    return files


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
