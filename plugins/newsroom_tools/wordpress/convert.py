"""The body of a WordPress post (post_content in a WXR export) as this site's Markdown.

The importer calls to_markdown once per post with a Site: what the old site's
addresses and uploads became here. This module is the converter's public face and
its order of work; each step lives in a module of its own. The body goes through
five steps:

1. Shortcodes the converter knows become marker elements (shortcodes.py); in
   classic-editor content a URL alone on its line (WordPress's oEmbed) too.
2. Classic-editor content gets its paragraphs as WordPress's wpautop would give
   them: it stores none, and makes them from blank lines when it shows a post
   (paragraphs.py).
3. The HTML is parsed and cleaned: each element becomes one Markdown can say, or
   is dropped, and everything not converted cleanly is noted for the editor
   (clean.py, with links.py, figures.py and tables.py; addresses are judged by
   urls.py). The export is untrusted, so nothing executable survives: no scripts,
   frames, handlers or javascript: URLs, and no HTML except complex tables, which
   nh3 sanitizes to table markup.
4. markdownify writes the Markdown, with text escaped for Python-Markdown as
   this site configures it (pelicanconf.py MARKDOWN): tables make `|` special,
   attr_list makes `{...}` special (it could add any attribute, handlers too),
   footnotes and toc make `[^1]` and `[TOC]` special (markdown_writer.py).
5. Whitespace is tidied: one blank line between blocks, no trailing spaces but
   the two of a hard break, one newline at the end (markdown_writer.py).

Figures follow prose.py: an image alone in its paragraph with a title is a figure
with that title as its caption (figures.py).
"""

import re
import warnings
from dataclasses import dataclass, field
from html import escape as escape_html
from typing import Protocol

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.exceptions import ParserRejectedMarkup

from . import shortcodes
from .clean import MAX_TREE_DEPTH, Cleaner, flatten_deep_tree
from .figures import PLACEHOLDER_ALT
from .markdown_writer import MarkdownWriter, tidy
from .paragraphs import wants_paragraphs, wpautop

# PLACEHOLDER_ALT lives beside the images that get it (figures.py); it is part of the
# converter's interface all the same, and the tests import it from here.
__all__ = ["PLACEHOLDER_ALT", "Converted", "Media", "Site", "to_markdown"]


@dataclass(frozen=True)
class Media:
    """An upload the importer copied below content/."""

    static: str  # its path below content/, e.g. "images/wordpress/2019/03/market.jpg"
    kind: str  # "image" | "audio" | "video" | "file"
    alt: str  # the attachment's alt text, "" if none
    title: str  # the attachment's title, "" if none
    caption: str  # the attachment's caption as plain text, "" if none


class Site(Protocol):
    """What the importer knows of the old site."""

    def link(self, url: str) -> str | None:
        """The new href of one of the old site's addresses, or None to keep the URL."""

    def media(self, url: str | None, attachment_id: int | None) -> Media | None:
        """An imported upload by URL or attachment id, or None if it was not imported."""


@dataclass
class Converted:
    """A post body as Markdown, and what the editor should look at."""

    markdown: str
    notes: list[str] = field(default_factory=list)


def to_markdown(html: str, site: Site, *, autop: bool | None = None) -> Converted:
    """Convert a post's stored HTML into Markdown; see the module doc.

    autop: make paragraphs from blank lines (WordPress's wpautop). None decides
    by the content: not for block-editor content nor content already in blocks.
    """
    notes = _Notes()
    text = _normalise(html or "")
    found = shortcodes.expand(text)
    for name in found.unknown:
        notes.add(f"unknown shortcode [{name}] kept as text")
    soup = _parse(found.text, notes)
    if autop is None:
        autop = wants_paragraphs(text, soup)
    if autop:
        found = shortcodes.mark_bare_urls(found)
        soup = _parse(wpautop(found.text), notes)
    if flatten_deep_tree(soup):
        notes.add(f"HTML nested more than {MAX_TREE_DEPTH} levels deep was flattened")
    cleaner = Cleaner(site, found.shortcodes, notes, soup)
    cleaner.run()
    markdown = MarkdownWriter(cleaner.raw_blocks).convert_soup(soup)
    return Converted(tidy(markdown), notes.items)


class _Notes:
    """The editor's notes on one post: in the order met, each said once."""

    def __init__(self):
        self.items = []

    def add(self, sentence):
        if sentence not in self.items:
            self.items.append(sentence)


# -- Input ------------------------------------------------------------------------------

# The build refuses sources holding control characters (newsroom/scan.py).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
# C1 characters in UTF-8 text are Windows-1252 bytes decoded as Latin-1 (curly
# quotes and dashes pasted from Word): shown as the characters they were.
_C1 = re.compile(r"[\x80-\x9f]")


def _normalise(text):
    """Return text with Unix newlines and no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _C1.sub(lambda m: bytes([ord(m[0])]).decode("cp1252", errors="ignore"), text)
    return _CONTROL.sub("", text)


def _soup(text):
    """Parse HTML as markdownify does (html.parser)."""
    with warnings.catch_warnings():
        # A post that is only a URL is still a post, not a mistaken file name.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(text, "html.parser")


def _parse(text, notes):
    """Parse post HTML; HTML the parser gives up on is read as text."""
    try:
        return _soup(text)
    except ParserRejectedMarkup:  # html.parser gives up on some broken declarations
        notes.add("the post's HTML could not be parsed: kept it as text")
        return _soup(escape_html(text, quote=False))
