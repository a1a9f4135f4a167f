"""The newsroom's own Pelican plugin: authors, topics, comments and checks."""

from pelican import signals

from .addresses import freeze_addresses, install
from .assets import fingerprint_assets, remove_unhashed_copies
from .enrich import (
    check_before_writing,
    configure,
    count_topic_articles,
    prepare_articles,
    scan_sources,
)
from .finish import prepare_for_readers, write_machine_files
from .lookups import index_taxonomies
from .output import check_staged_output, drop_stale_files, publish_output, stage_output
from .precompress import precompress
from .redirects import render_redirects, write_redirects
from .rendering import release_read_parts, use_prepared_reader
from .search import finish_search_index, start_search_index
from .strict import stop_on_warnings, watch_warnings
from .writer import newsroom_writer, write_pages


def register():
    """Connect every receiver; the only place signals are wired."""
    install()  # Pelican's address getters read the addresses freeze_addresses records
    signals.initialized.connect(configure)
    signals.readers_init.connect(use_prepared_reader)
    signals.get_generators.connect(stage_output)
    signals.get_generators.connect(watch_warnings)
    signals.article_generator_init.connect(scan_sources)
    signals.article_generator_pretaxonomy.connect(prepare_articles)
    signals.article_generator_finalized.connect(count_topic_articles)
    signals.all_generators_finalized.connect(freeze_addresses)  # first: the rest reads them
    signals.all_generators_finalized.connect(index_taxonomies)
    signals.all_generators_finalized.connect(prepare_for_readers)
    signals.all_generators_finalized.connect(check_before_writing)
    signals.all_generators_finalized.connect(write_machine_files)
    signals.all_generators_finalized.connect(fingerprint_assets)  # before pages render
    signals.all_generators_finalized.connect(start_search_index)  # beside the page writing
    signals.all_generators_finalized.connect(release_read_parts)  # after the index has them
    signals.article_writer_finalized.connect(render_redirects)
    signals.get_writer.connect(newsroom_writer)
    signals.finalized.connect(write_pages)  # first: everything after reads the pages
    signals.finalized.connect(finish_search_index)  # written while the pages were
    signals.finalized.connect(drop_stale_files)  # pages kept from the spare and not rebuilt
    signals.finalized.connect(write_redirects)  # once every other page is in place
    signals.finalized.connect(remove_unhashed_copies)
    signals.finalized.connect(stop_on_warnings)
    signals.finalized.connect(check_staged_output)
    signals.finalized.connect(precompress)  # after everything that writes files
    signals.finalized.connect(publish_output)  # after every other finalizer
