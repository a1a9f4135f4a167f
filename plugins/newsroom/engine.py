"""How a build does its heavy steps. Each method is the plain way, on Pelican's public API.

The speed layer (the optional newsroom_speed plugin) hands a build a subclass
that does the same steps faster: worker processes, caches, pages reused from
the last build. Whatever it does, the site it writes is the same, byte for
byte (tests/test_layers.py builds with and without it and compares). The
site layer calls these methods in the order written in __init__.py.
"""

import os
import shutil
from pathlib import Path

from .cards import CardPainter, font_files
from .checks import check_output
from .comments import comment_html_of
from .images import decode_faults, write_renditions
from .reader import NewsroomReader
from .related import attach_related
from .rules import check_source, theme_templates
from .scan import scan_content
from .search import BUNDLE, index_files
from .writer import NewsroomWriter


class Engine:
    """The plain build: read every source, render every page, check every file."""

    reader_class = NewsroomReader
    writer_class = NewsroomWriter

    def open_staging(self, build, settings):
        """Make the empty folder this build writes into (build.staging)."""
        shutil.rmtree(build.staging, ignore_errors=True)
        os.makedirs(build.staging)

    def scan_sources(self, build, generator, options):
        """Return (sources, problems): every file below PATH checked, and every header."""
        settings = generator.settings
        templates = theme_templates(settings)
        sources, problems = self.scan_files(generator.path, settings, options, templates)
        for source in sources:
            if source.kind in ("article", "page"):
                problems += self.check_headers(source, settings, options, templates)
        return sources, problems

    def scan_files(self, path, settings, options, templates):
        """Check every file below path (scan.py); return (readable sources, problems)."""
        return scan_content(path, settings, options)

    def check_headers(self, source, settings, options, templates):
        """Return the problems of an article's or page's headers (rules.py)."""
        return check_source(source, settings, options, templates)

    def comment_html(self, bodies, settings):
        """Return the HTML of reader comments' Markdown bodies, in order (comments.py)."""
        render = comment_html_of(settings)
        return [render(body) for body in bodies]

    def redirect_pages_in_place(self, build, settings):
        """Return the redirect pages already in the staging folder as rendered: the plain
        build has none, and writes every one (redirects.py)."""
        return set()

    def settle(self, generators):
        """Everything is read and final: the plain build needs nothing done here."""

    def attach_related(self, articles, settings):
        """Rank every article's related analysis (related.py)."""
        attach_related(articles)

    def prepare_own_pages(self, articles, settings, prepare):
        """Attach what only an article's own page shows (prepare(article, settings))."""
        for article in articles:
            prepare(article, settings)

    def write_cards(self, build, cards, settings):
        """Draw every page's social card into the staging folder (cards.py)."""
        painter = CardPainter(font_files(settings))
        for card in cards:
            path = Path(build.staging, card.path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(painter.png(card.spec))

    def check_images(self, build, sources, renditions, settings):
        """Decode every source image the written pages show (images.py); return
        {its path below PATH: what is wrong} for those that cannot be decoded.
        renditions: what write_images will make of them."""
        return decode_faults(sources)

    def write_images(self, build, renditions, settings):
        """Encode every rendition into the staging folder, each source decoded once
        (images.py); return {path in the output: bytes}."""
        return write_renditions(renditions, build.staging)

    def start_search_index(self, build, articles, settings):
        """Begin the search index, once every article is final."""

    def finish_search_index(self, build, articles, settings):
        """Write the search index into the staging folder."""
        bundle = Path(build.staging, BUNDLE)
        for relative, text in index_files(articles, settings).items():
            path = bundle / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def write_pages(self, pelican):
        """Pelican's writer has written every page and feed as it went: nothing is left."""

    def close_staging(self, build):
        """Every file of this build is in the staging folder."""

    def check_output(self, build, settings):
        """Return the problems of the staged site (checks.py)."""
        return check_output(build.staging, settings["SITEURL"])

    def abandon(self, build):
        """The build stopped: nothing runs beside it that needs stopping."""

    def retire_output(self, build, replaced):
        """The checked site replaced the output: delete the one it replaced (at replaced)."""
        shutil.rmtree(replaced)
