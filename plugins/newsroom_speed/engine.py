"""The speed layer's Engine: the site layer's steps, done faster, with the same output.

Each method stands in for the one of the same name in newsroom/engine.py:
sources known from the last scan (scan_memo.py), bodies rendered in worker
processes and cached (rendering.py), addresses and taxonomy lookups worked out
once (addresses.py, lookups.py), related analysis and the search index reused
where their inputs are unchanged (related_cache.py, search_update.py), social
cards drawn once and kept (card_store.py), image renditions encoded once, in
parallel, and kept (image_store.py), pages
reused from the last build and files written by a helper process beside the
rendering (writer.py, incremental.py, files.py), the staging folder started
from the spare (spare.py) and the output checks reading only changed files
(check_memo.py).
"""

import os
import shutil

from pelican.generators import ArticlesGenerator

from newsroom.engine import Engine
from newsroom.markup import SLUG_SETTINGS
from newsroom.scan import any_unreadable, scan_content

from .addresses import freeze_addresses
from .card_store import CardStore
from .check_memo import check_output_memo
from .comment_memo import comment_html_memo
from .image_store import ImageStore
from .incremental import plugins_digest, recorded_files, site_inputs
from .lookups import index_taxonomies, quick_taxonomy_pages
from .redirect_pages import record_pages, recorded_pages, same_pages
from .related_cache import attach_related_cached
from .rendering import PreparedBodies, PreparedMarkdownReader, prepare_bodies
from .scan_memo import ScanMemo
from .search_update import Indexing
from .spare import claim_spare, drop_stale, keep_as_spare
from .stage import close_stage, open_stage
from .writer import IncrementalWriter

SCAN_MEMO = "newsroom-sources.pickle"  # in CACHE_PATH: what the file checks found
CHECKS_MEMO = "newsroom-checks.pickle"  # in CACHE_PATH: what each output file held


class SpeedEngine(Engine):
    """The build's heavy steps with workers, caches and pages reused."""

    reader_class = PreparedMarkdownReader
    writer_class = IncrementalWriter

    def __init__(self, workers=None):
        self.workers = workers or os.cpu_count() or 1
        self.memo = None  # scan_memo.ScanMemo, once the scan starts
        self.stage = None  # stage.Stage: the staging folder and what fills it, once open
        self.bodies = PreparedBodies()  # every body, rendered ahead of Pelican
        self.writer = None  # the IncrementalWriter of this build, once Pelican makes it
        self.indexing = None  # search_update.Indexing, while it runs
        self.linked, self.fresh = set(), {}  # what the checks learn from the stage
        self.cards = None  # card_store.CardStore, once the cards are known
        self.images = None  # image_store.ImageStore, once the images are known
        self.redirects_in_place = set()  # redirect pages the spare held as rendered

    def open_staging(self, build, settings):
        """Start from the spare, or from an empty folder whose subfolders the file helper
        makes in the background (the last build's, so that linking the unchanged
        pages later finds them made)."""
        stage = self.stage = open_stage(build.staging)  # ends this process's stopped run
        shutil.rmtree(build.staging, ignore_errors=True)
        recorded = recorded_files(settings) | recorded_pages(settings)
        kept = claim_spare(build.output, build.staging, recorded)
        if kept is None:
            os.makedirs(build.staging)
            folders = {os.path.dirname(os.path.join(build.staging, name)) for name in recorded}
            stage.files.make_folders(folders - {build.staging})
        stage.kept = kept or set()

    def scan_files(self, path, settings, options, templates):
        """Check the files, unchanged ones known from the memo without reading them."""
        rules = [
            options["categories"],
            sorted(options["section_map"].items()),
            sorted(templates),
            settings.get("TIMEZONE"),
            [settings.get(name) for name in SLUG_SETTINGS],
        ]
        memo_path = os.path.join(settings["CACHE_PATH"], SCAN_MEMO)
        self.memo = ScanMemo(memo_path, repr(rules), plugins_digest())
        return scan_content(path, settings, options, self.memo)

    def check_headers(self, source, settings, options, templates):
        """The site layer's header check, or what it found in the same text last time."""
        plain = super().check_headers
        return self.memo.header_problems(source, lambda s: plain(s, settings, options, templates))

    def scan_sources(self, build, generator, options):
        """Check the sources as the site layer does; then render every body ahead."""
        settings = generator.settings
        sources, problems = super().scan_sources(build, generator, options)
        self.memo.save()
        if any_unreadable(sources, problems):
            return sources, problems  # the build stops: nothing to render
        self.stage.inputs = site_inputs(settings, self.memo.listing)
        refused = {problem.path for problem in problems}  # Pelican will not read them
        bodies = [
            source
            for source in sources
            if source.kind in ("article", "page") and source.path not in refused
        ]
        self.bodies = prepare_bodies(bodies, settings, self.workers)
        for source in bodies:  # rendered: only an error message would need the text again
            source.forget_text()
        return sources, problems

    def comment_html(self, bodies, settings):
        """The comments' HTML, each made once and then kept (comment_memo.py)."""
        return comment_html_memo(bodies, settings)

    def settle(self, generators):
        """Record every address, and make taxonomy lists quick to search and to list."""
        freeze_addresses(generators)
        index_taxonomies(generators)
        for generator in generators:
            if isinstance(generator, ArticlesGenerator):
                quick_taxonomy_pages(generator)

    def attach_related(self, articles, settings):
        attach_related_cached(articles, settings["CACHE_PATH"])

    def prepare_own_pages(self, articles, settings, prepare):
        """Leave share links and structured data to the writer, for the pages it renders,
        where pages are keyed by the site's inputs (incremental.own_digest)."""
        if self.stage.inputs is None:
            super().prepare_own_pages(articles, settings, prepare)

    def write_cards(self, build, cards, settings):
        """Place the cards drawn before from the store; draw the rest beside the rendering."""
        self.cards = CardStore(settings, self.workers)
        self.cards.start(cards, build.staging)

    def check_images(self, build, sources, renditions, settings):
        """Encode the renditions the store lacks, in worker processes: a source is decoded
        only when something of it is missing (image_store.py)."""
        self.images = ImageStore(settings["CACHE_PATH"], self.workers)
        return self.images.make(renditions)

    def write_images(self, build, renditions, settings):
        """Link the renditions from the store into the staging folder."""
        return self.images.place(renditions, build.staging)

    def start_search_index(self, build, articles, settings):
        self.indexing = Indexing(articles, self.stage, settings, self.bodies)
        self.bodies.release_read_parts(articles)

    def finish_search_index(self, build, articles, settings):
        self.indexing.finish()

    def write_pages(self, pelican):
        self.writer.flush()

    def close_staging(self, build):
        """Wait for the last files; delete the pages kept from the spare that no write of
        this build produced or reused."""
        stage = close_stage(build.staging)
        stale = stage.kept - stage.touched
        self.redirects_in_place = same_pages(build.staging, build.redirect_pages, stale)
        drop_stale(build.staging, stale - self.redirects_in_place)
        if self.cards is not None:
            self.cards.finish()
        self.linked = stage.linked
        written = stage.files.facts
        self.fresh = {os.path.relpath(p, build.staging): f for p, f in written.items()}

    def redirect_pages_in_place(self, build, settings):
        """The redirect pages kept from the spare as they are (redirect_pages.py); the
        next build keeps this build's."""
        record_pages(settings, build.redirect_pages)
        return self.redirects_in_place

    def check_output(self, build, settings):
        memo = os.path.join(settings["CACHE_PATH"], CHECKS_MEMO)
        return check_output_memo(build.staging, settings["SITEURL"], memo, self.linked, self.fresh)

    def retire_output(self, build, replaced):
        keep_as_spare(replaced, build.output)

    def abandon(self, build):
        if self.cards is not None:
            self.cards.stop()
        if self.stage is not None:
            self.stage.abandon()
