"""Related analysis and previous/next within a topic, computed once per build, or taken
from the last build while no article's date, section or tags have changed."""

import hashlib
import heapq
import itertools
import math
import os
from collections import defaultdict
from pathlib import Path

from .caches import read_cache, write_cache

RELATED_CACHE = "newsroom-related.pickle"  # in CACHE_PATH
# The cache's version: the ranking is this module's code, so a change to it is
# a change of the results.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

RELATED_MIN, RELATED_MAX = 3, 5
# Only the most recent articles of a tag are candidates; keeps big archives
# linear, and recent work is what readers should be pointed to.
CANDIDATES_PER_TAG = 60
TOPIC_WEIGHT, TAG_WEIGHT = 3.0, 1.0
HALF_LIFE_DAYS = 730


def recency(article, newest):
    """Return a weight in (0, 1]: 1 for the newest article, halving every two years."""
    age = (newest - article.date).days
    return math.pow(0.5, age / HALF_LIFE_DAYS)


def main_topic(article):
    """Return the first tracked-topic tag of an article, or None."""
    return next((tag for tag in article.tags if getattr(tag, "topic", None)), None)


def rank_related(article, by_tag, freshness):
    """Score other articles by shared tags (topics count more), weighted by recency.

    by_tag: {id(tag): articles, newest first}; freshness: {article:
    recency(article, newest)}, worked out once per build.
    """
    scores = defaultdict(float)
    for tag in article.tags:
        weight = TOPIC_WEIGHT if getattr(tag, "topic", None) else TAG_WEIGHT
        for other in by_tag[id(tag)][:CANDIDATES_PER_TAG]:
            if other is not article:
                scores[other] += weight
    return heapq.nsmallest(
        RELATED_MAX,
        scores,
        key=lambda other: (-scores[other] * (0.5 + freshness[other]), other.source_path),
    )


def ranking_inputs(articles):
    """Return a digest of everything the ranking reads: each article's source, date,
    section and tags, in order, with which of them are tracked topics."""
    entries = sorted(
        (
            a.source_path,
            a.date.isoformat(),
            str(a.category),
            tuple((t.name, bool(getattr(t, "topic", None))) for t in a.tags),
        )
        for a in articles
    )
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def attach_related(articles, cache_folder=None):
    """Give each article 3 to 5 related articles and its neighbours in its main topic.

    With a cache folder, the last build's results are taken while the ranking's
    inputs are the same (an edit to a body changes none of them), and kept for
    the next build otherwise.
    """
    if not articles:
        return
    path = os.path.join(cache_folder, RELATED_CACHE) if cache_folder else None
    inputs = ranking_inputs(articles)
    saved = read_cache(path, _CODE) if path else None
    if saved and saved["inputs"] == inputs:
        restore_related(articles, saved["results"])
        return
    rank_all(articles)
    if path:
        write_cache(path, _CODE, inputs=inputs, results=related_results(articles))


def related_results(articles):
    """Each article's ranking results, by source path, for restore_related."""

    def source(article):
        return article.source_path if article is not None else None

    def topic_index(article):  # by identity: Pelican's tags compare equal to their names
        return next((n for n, tag in enumerate(article.tags) if tag is article.main_topic), None)

    return {
        a.source_path: (
            tuple(r.source_path for r in a.related),
            topic_index(a),
            source(a.topic_newer),
            source(a.topic_older),
        )
        for a in articles
    }


def restore_related(articles, results):
    """Attach what related_results recorded to the same articles of this build."""
    by_source = {a.source_path: a for a in articles}
    by_source[None] = None
    for article in articles:
        related, topic, newer, older = results[article.source_path]
        article.related = [by_source[r] for r in related]
        article.main_topic = article.tags[topic] if topic is not None else None
        article.topic_newer, article.topic_older = by_source[newer], by_source[older]


def rank_all(articles):
    """Rank every article's related articles and find its neighbours in its main topic.

    Tags and sections are one object each across the site (enrich.py interns
    them), so they are told apart by identity.
    """
    newest = max(article.date for article in articles)
    # Pelican computes .url on every access; source_path is a plain, unique tie-breaker.
    by_date = sorted(articles, key=lambda a: (a.date, a.source_path), reverse=True)
    by_tag, by_section = defaultdict(list), defaultdict(list)
    for article in by_date:
        for tag in article.tags:
            by_tag[id(tag)].append(article)
        by_section[id(article.category)].append(article)
    positions = {key: {id(a): n for n, a in enumerate(group)} for key, group in by_tag.items()}
    freshness = {article: recency(article, newest) for article in articles}
    for article in articles:
        related = rank_related(article, by_tag, freshness)
        if len(related) < RELATED_MIN:
            # Too few shared tags: fill with the newest of the same section, then any.
            others = (a for a in by_date if a.category is not article.category)
            fillers = itertools.chain(by_section[id(article.category)], others)
            fillers = (other for other in fillers if other is not article and other not in related)
            related += itertools.islice(fillers, RELATED_MIN - len(related))
        article.related = related
        topic = main_topic(article)
        article.main_topic = topic
        siblings = by_tag[id(topic)] if topic else []
        index = positions[id(topic)][id(article)] if topic else -1
        article.topic_newer = siblings[index - 1] if index > 0 else None
        article.topic_older = siblings[index + 1] if 0 <= index < len(siblings) - 1 else None
