"""The newsroom's own Pelican plugin, the site layer: the content model, its checks, what
readers see, and the staged, checked output. Only Pelican's public API.

One receiver per signal, each running the site's steps in the order written
here. The heavy steps go through the build's Engine (engine.py), which the
optional speed layer (newsroom_speed) may replace with a faster one.
"""

from pelican import signals

from .assets import fingerprint_assets, remove_unhashed_copies
from .engine import Engine
from .enrich import (
    articles_generator,
    check_before_writing,
    configure,
    count_topic_articles,
    prepare_articles,
    scan_sources,
)
from .feeds import date_empty_feed
from .finish import prepare_for_readers, write_machine_files
from .output import check_staged_output, publish_output, stage_output
from .precompress import precompress
from .redirects import render_redirects, write_redirects
from .state import build_of, start_build
from .strict import stop_on_warnings, watch_warnings


def start(pelican):
    """A run begins: check the settings, give the run its Build."""
    configure(pelican.settings)
    start_build(pelican.settings, Engine())


def use_site_reader(readers):
    """Read Markdown with the build's reader (reader.py, or the speed layer's)."""
    reader = build_of(readers.settings).engine.reader_class
    for extension in reader.file_extensions:
        readers.reader_classes[extension] = reader


def open_output(pelican):
    """Write into a staging folder; collect warnings when they are fatal."""
    stage_output(pelican)
    watch_warnings(pelican)


def prepare_site(generators):
    """Everything is read: check it all, derive what readers see, then write the files
    that pages refer to, before any page is rendered."""
    articles = articles_generator(generators)
    build = build_of(articles.settings)
    build.articles = articles.articles
    build.engine.settle(generators)
    prepare_for_readers(generators)
    check_before_writing(generators)  # stops here on any problem, nothing written
    write_machine_files(generators)
    fingerprint_assets(generators)
    build.engine.start_search_index(build, articles.articles, articles.settings)


def site_writer(pelican):
    """Write with the build's writer (writer.py, or the speed layer's)."""
    return build_of(pelican.settings).engine.writer_class


def finish_site(pelican):
    """Every page is written: add the search index and redirects, check, swap in."""
    build = build_of(pelican.settings)
    engine = build.engine
    try:
        engine.write_pages(pelican)
        engine.finish_search_index(build, build.articles, pelican.settings)
        engine.close_staging(build)
        write_redirects(pelican)  # once every other page is in place
        remove_unhashed_copies(pelican)
        stop_on_warnings(pelican)
        check_staged_output(pelican)
        precompress(pelican)  # after everything that writes files
    except BaseException:
        engine.abandon(build)
        raise
    publish_output(pelican)


def register():
    """Connect the site layer's receivers: the only place its signals are wired."""
    signals.initialized.connect(start)
    signals.readers_init.connect(use_site_reader)
    signals.get_generators.connect(open_output)
    signals.article_generator_init.connect(scan_sources)
    signals.article_generator_pretaxonomy.connect(prepare_articles)
    signals.article_generator_finalized.connect(count_topic_articles)
    signals.all_generators_finalized.connect(prepare_site)
    signals.article_writer_finalized.connect(render_redirects)
    signals.get_writer.connect(site_writer)
    signals.feed_generated.connect(date_empty_feed)
    signals.finalized.connect(finish_site)
