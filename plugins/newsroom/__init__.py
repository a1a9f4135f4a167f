"""The newsroom's own Pelican plugin: authors, topics, comments and checks."""

from pelican import signals

from .assets import bundle_stylesheet
from .enrich import (
    add_markdown_extensions,
    add_plain_fields,
    count_topic_articles,
    prepare_articles,
)
from .feeds import absolute_feed_writer


def register():
    """Connect every receiver; the only place signals are wired."""
    signals.initialized.connect(add_markdown_extensions)
    signals.article_generator_pretaxonomy.connect(prepare_articles)
    signals.article_generator_finalized.connect(count_topic_articles)
    signals.all_generators_finalized.connect(add_plain_fields)
    signals.get_writer.connect(absolute_feed_writer)
    signals.finalized.connect(bundle_stylesheet)
