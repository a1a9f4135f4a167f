"""Pelican's Markdown reader, typeset as the site wants, noting what each body gives.

The reader is the one place a body passes through whole, so what every later
step needs of it is worked out here, once: the words the search index counts,
the images without alt text and executable links the checks refuse, the
length for the reading time, the contents list, and the headline as headings
show it. They travel with the headers, as the `body_facts` metadata field, so
each article and page carries its own (and Pelican's content cache keeps them).
Raster images in the body become <picture> elements here (images.py), once the
facts are taken; the images a body names travel as the `body_images` field.
"""

import logging
import sys
from typing import NamedTuple

from pelican.readers import MarkdownReader

from .bodies import scan_body
from .errors import display_path
from .images import show_body_images
from .markup import plain_text, typographic, typogrify_html
from .reading import table_of_contents, word_count
from .scan import deepest_line, too_deep
from .state import build_of
from .words import body_words


class BodyFacts(NamedTuple):
    """What the pages of an article or page derive from its typeset body and title."""

    words: tuple  # the search index's count of the body (words.body_words)
    unsafe: tuple  # images without alt text, executable URLs (bodies.scan_body)
    word_count: int  # for the reading time
    toc: list  # the contents list (reading.table_of_contents)
    title_html: str  # the title as headings show it, or None without a title


def body_facts(html, title, settings, typeset=typographic):
    """Work out the BodyFacts of a typeset body and its typeset title (or None)."""
    title_html = typeset(plain_text(title), settings) if title else None
    return BodyFacts(
        body_words(html), scan_body(html), word_count(html), table_of_contents(html), title_html
    )


def facts_of(item):
    """Return the BodyFacts of an article or page, or None if it was not read by NewsroomReader."""
    return getattr(item, "body_facts", None)


def typeset_headers(metadata, settings, typogrify=typogrify_html):
    """Typeset the title and the formatted fields (Summary) as Pelican's TYPOGRIFY would."""
    for name in ("title", *settings["FORMATTED_FIELDS"]):
        if name in metadata:
            metadata[name] = typogrify(metadata[name], settings)
    return metadata


class RefusedSourceError(Exception):
    """A source whose headers were refused: the build's problems already say why."""


class ParserOverflowError(RefusedSourceError):
    """A source nested deeper than the Markdown parser can go: the build's problems say where."""


def parser_overflow(source_path):
    """The problem of a source Python-Markdown recursed too deep into.

    The scan (scan.check_markdown_shape) refuses every shape known to do that;
    should one pass, this names its most deeply nested line instead of a traceback.
    """
    with open(source_path, encoding="utf-8-sig") as handle:
        line, levels = deepest_line(handle.read())
    what = f"the Markdown parser ran out of stack; the deepest line has {levels} levels"
    return too_deep(display_path(source_path), line, what)


class QuietRefusals(logging.Filter):
    """Drop Pelican's "Could not process" message for a RefusedSourceError source: its
    problems are reported with the rest, and Pelican's line would only repeat them."""

    def filter(self, record):
        return not isinstance(sys.exc_info()[1], RefusedSourceError)


def quiet_refusals():
    """Install QuietRefusals on the logger of Pelican's generators, once per process."""
    logger = logging.getLogger("pelican.generators")
    if not any(isinstance(f, QuietRefusals) for f in logger.filters):
        logger.addFilter(QuietRefusals())


class NewsroomReader(MarkdownReader):
    """Read a Markdown source, typogrify it (NEWSROOM["typogrify"]) and note its BodyFacts."""

    def read(self, source_path):
        if display_path(source_path) in build_of(self.settings).refused:
            raise RefusedSourceError(source_path)  # Pelican notes it as failed and goes on
        try:
            content, metadata = super().read(source_path)
        except RecursionError:
            # Pelican would log it and skip the file; as a problem of the build's,
            # it stops the build before anything is written, with the rest.
            build_of(self.settings).problems.append(parser_overflow(source_path))
            raise ParserOverflowError(source_path) from None
        content = typogrify_html(content, self.settings)
        typeset_headers(metadata, self.settings)
        metadata["body_facts"] = body_facts(content, metadata.get("title"), self.settings)
        # Raster images as <picture> (images.py); what they are, for the build to make.
        content, metadata["body_images"] = show_body_images(content, source_path, self.settings)
        return content, metadata
