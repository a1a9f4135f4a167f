"""Related analysis and previous/next within a topic, computed once per build."""

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

    freshness: {article: recency(article, newest)}, worked out once per build.
    """
    scores = defaultdict(float)
    for tag in article.tags:
        weight = TOPIC_WEIGHT if getattr(tag, "topic", None) else TAG_WEIGHT
        for other in by_tag[tag][:CANDIDATES_PER_TAG]:
            if other is not article:
                scores[other] += weight
    ranked = sorted(
        scores,
        key=lambda other: (-scores[other] * (0.5 + freshness[other]), other.source_path),
    )
    return ranked[:RELATED_MAX]


def attach_related(articles):
    """Give each article 3 to 5 related articles and its neighbours in its main topic."""
    if not articles:
        return
    newest = max(article.date for article in articles)
    # Pelican computes .url on every access; source_path is a plain, unique tie-breaker.
    by_date = sorted(articles, key=lambda a: (a.date, a.source_path), reverse=True)
    by_tag = defaultdict(list)
    for article in by_date:
        for tag in article.tags:
            by_tag[tag].append(article)
    freshness = {article: recency(article, newest) for article in articles}
    for article in articles:
        related = rank_related(article, by_tag, freshness)
        if len(related) < RELATED_MIN:
            # Too few shared tags: fill with the newest of the same section, then any.
            fillers = sorted(by_date, key=lambda other: other.category != article.category)
            related += [
                other for other in fillers if other is not article and other not in related
            ][: RELATED_MIN - len(related)]
        article.related = related
        topic = main_topic(article)
        article.main_topic = topic
        siblings = by_tag[topic] if topic else []
        index = siblings.index(article) if topic else -1
        article.topic_newer = siblings[index - 1] if index > 0 else None
        article.topic_older = siblings[index + 1] if 0 <= index < len(siblings) - 1 else None
