"""Related analysis taken from the last build while no article's date, section or tags
have changed (the ranking itself is the site layer's related.py)."""

import hashlib
import os
from pathlib import Path

from newsroom import related
from newsroom.related import attach_related

from .caches import read_cache, write_cache

RELATED_CACHE = "newsroom-related.pickle"  # in CACHE_PATH
# The cache's version: the ranking is related.py's code, so a change to it is
# a change of the results.
_CODE = hashlib.sha256(Path(related.__file__).read_bytes()).hexdigest()


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


def attach_related_cached(articles, cache_folder):
    """The site layer's attach_related, or the last build's results while the ranking's
    inputs are the same (an edit to a body changes none of them)."""
    if not articles:
        return
    path = os.path.join(cache_folder, RELATED_CACHE)
    inputs = ranking_inputs(articles)
    saved = read_cache(path, _CODE)
    if saved and saved["inputs"] == inputs:
        restore_related(articles, saved["results"])
        return
    attach_related(articles)
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
