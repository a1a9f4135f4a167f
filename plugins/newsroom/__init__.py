"""The newsroom's own Pelican plugin: authors, topics, comments and checks."""

from pelican import signals

from .assets import bundle_stylesheet
from .enrich import (
    check_before_writing,
    configure,
    count_topic_articles,
    prepare_articles,
    scan_sources,
)
from .feeds import absolute_feed_writer
from .finish import prepare_for_readers, write_machine_files
from .output import publish_output, stage_output
from .search import build_search_index


def register():
    """Connect every receiver; the only place signals are wired."""
    signals.initialized.connect(configure)
    signals.get_generators.connect(stage_output)
    signals.article_generator_init.connect(scan_sources)
    signals.article_generator_pretaxonomy.connect(prepare_articles)
    signals.article_generator_finalized.connect(count_topic_articles)
    signals.all_generators_finalized.connect(prepare_for_readers)
    signals.all_generators_finalized.connect(check_before_writing)
    signals.all_generators_finalized.connect(write_machine_files)
    signals.get_writer.connect(absolute_feed_writer)
    signals.finalized.connect(bundle_stylesheet)
    signals.finalized.connect(build_search_index)
    signals.finalized.connect(publish_output)  # after every other finalizer
