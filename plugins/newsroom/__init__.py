"""The newsroom's own Pelican plugin, the site layer: the content model, its checks, what
readers see, and the staged, checked output. Only Pelican's public API.

One receiver per signal, each running the site's steps in the order written
here. The heavy steps go through the build's Engine (engine.py), which the
optional speed layer (newsroom_speed) may replace with a faster one.
Every receiver that runs while a run's staging folder is open discards that
folder if it fails (output.discard_staging): a stopped build leaves nothing
beside the output.
"""

import functools

from pelican import signals

from .assets import fingerprint_assets, remove_unhashed_copies
from .authors import note_missing_bios
from .config import plugin_settings
from .engine import Engine
from .enrich import (
    articles_generator,
    check_before_writing,
    configure,
    count_topic_articles,
    every_item,
    prepare_articles,
    scan_sources,
)
from .feeds import date_empty_feed
from .finish import prepare_for_readers, write_machine_files
from .image_rules import image_settings
from .images import prepare_images, withhold_originals, write_images
from .output import check_staged_output, discard_staging, publish_output, stage_output
from .podcast import attach_episodes, podcast_settings, write_podcast_feed
from .precompress import precompress
from .reader import quiet_refusals
from .redirect_map import resolve_redirect_map
from .redirects import render_redirects, write_redirects
from .rules import map_section
from .slugs import shorten_derived_slug
from .state import BUILD_KEY, build_of, start_build
from .strict import stop_on_warnings, watch_warnings


def settings_of(sender):
    """Return the settings a signal's sender carries: a Pelican object or a generator
    (.settings), the list of generators, or a generator's context (a copy of them)."""
    if isinstance(sender, list):
        sender = sender[0]
    return sender if isinstance(sender, dict) else sender.settings


def discards_on_failure(receiver):
    """Make a receiver discard the run's staging folder when it fails, then fail."""

    @functools.wraps(receiver)
    def guarded(sender, *args, **kwargs):
        try:
            return receiver(sender, *args, **kwargs)
        except BaseException:
            discard_staging(settings_of(sender).get(BUILD_KEY))
            raise

    return guarded


def start(pelican):
    """A run begins: check the settings, give the run its Build."""
    configure(pelican.settings)
    podcast_settings(pelican.settings)  # refuse a wrong SITE_PODCAST before any work
    image_settings(pelican.settings)  # and a wrong SITE_IMAGES
    quiet_refusals()
    start_build(pelican.settings, Engine())


def name_item(generator, metadata):
    """An article or page is read, not yet made: settle its slug and its section."""
    shorten_derived_slug(metadata, generator.settings)
    map_section(metadata, generator.settings, plugin_settings(generator.settings))


def use_site_reader(readers):
    """Read Markdown with the build's reader (reader.py, or the speed layer's)."""
    reader = build_of(readers.settings).engine.reader_class
    for extension in reader.file_extensions:
        readers.reader_classes[extension] = reader


@discards_on_failure
def open_output(pelican):
    """Write into a staging folder; collect warnings when they are fatal."""
    stage_output(pelican)
    watch_warnings(pelican)


@discards_on_failure
def prepare_site(generators):
    """Everything is read: check it all, derive what readers see, then write the files
    that pages refer to (social cards among them), before any page is rendered."""
    articles = articles_generator(generators)
    build = build_of(articles.settings)
    build.articles = articles.articles
    build.engine.settle(generators)
    attach_episodes(articles, list(every_item(articles)))  # podcast.py
    resolve_redirect_map(generators)  # before the images: a target may want a rendition
    prepare_images(generators)  # featured images and photos attached, every image decoded
    prepare_for_readers(generators)
    note_missing_bios(generators)  # printed once the build has succeeded
    check_before_writing(generators)  # stops here on any problem, nothing written
    write_images(generators)  # every rendition the pages show (images.py)
    write_machine_files(generators)
    fingerprint_assets(generators)
    build.engine.write_cards(build, build.cards, articles.settings)
    build.engine.start_search_index(build, articles.articles, articles.settings)


# Pelican's own steps, guarded like the site layer's.
check_sources = discards_on_failure(scan_sources)
settle_articles = discards_on_failure(prepare_articles)
count_topics = discards_on_failure(count_topic_articles)
date_feed = discards_on_failure(date_empty_feed)
withhold_uploads = discards_on_failure(withhold_originals)  # images.py


@discards_on_failure
def articles_written(generator, writer):
    """Pelican has handed every article page and feed to the writer: render the redirect
    pages (written last) and write the podcast feed (podcast.py)."""
    render_redirects(generator, writer)
    write_podcast_feed(generator, writer)


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
        discard_staging(build)  # stops what still writes into it, then deletes it
        raise
    publish_output(pelican)
    for note in build.notes:  # for the author, not a warning (production makes those fatal)
        print(note)


def register():
    """Connect the site layer's receivers: the only place its signals are wired."""
    signals.initialized.connect(start)
    signals.readers_init.connect(use_site_reader)
    signals.get_generators.connect(open_output)
    signals.article_generator_init.connect(check_sources)
    signals.article_generator_context.connect(name_item)
    signals.page_generator_context.connect(name_item)
    signals.article_generator_pretaxonomy.connect(settle_articles)
    signals.article_generator_finalized.connect(count_topics)
    signals.static_generator_finalized.connect(withhold_uploads)
    signals.all_generators_finalized.connect(prepare_site)
    signals.article_writer_finalized.connect(articles_written)
    signals.get_writer.connect(site_writer)
    signals.feed_generated.connect(date_feed)
    signals.finalized.connect(finish_site)
