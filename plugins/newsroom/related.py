"""Related analysis and previous/next within a topic, computed once per build."""

import heapq
import itertools
import math
from collections import defaultdict

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


def attach_related(articles):
    """Rank every article's related articles and find its neighbours in its main topic.

    Tags and sections are one object each across the site (enrich.py interns
    them), so they are told apart by identity.
    """
    if not articles:
        return
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
