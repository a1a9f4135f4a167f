"""Paragraphs for classic-editor content, made as WordPress's wpautop makes them.

The classic editor stores no <p>: WordPress makes paragraphs from blank lines each
time it shows a post. The block editor stores its paragraphs, and marks its blocks
with `<!-- wp:... -->` comments; content already wrapped in blocks (pasted HTML, an
earlier conversion) has its own too. wants_paragraphs tells the two apart; wpautop
does what WordPress would.
"""

import re
from itertools import pairwise

from bs4 import NavigableString, Tag

from .elements import element_names
from .shortcodes import MARKER

# The elements WordPress's wpautop never wraps in a paragraph, and the shortcode marker.
_AUTOP_BLOCKS = element_names(
    "table thead tfoot caption col colgroup tbody tr td th div dl dd dt ul ol li pre "
    "form map area blockquote address style p h1 h2 h3 h4 h5 h6 hr fieldset legend "
    "section article aside hgroup header footer nav figure figcaption details menu "
    "summary math"
) | {MARKER}
# Content whose newlines are its own: kept out of the paragraph making.
_VERBATIM_ELEMENT = re.compile(
    r"<(pre|script|style|textarea|svg|math|noscript|template|select)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_TAG_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>", re.DOTALL)
_BR_PAIR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ENDS_WITH_BR = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)
# What stands for a verbatim element while paragraphs are made: a block, and
# holding a NUL, which no input holds (convert.py _normalise), so it is never the author's.
_KEPT = '<pre data-kept="\x00{}"></pre>'


def wants_paragraphs(text, soup):
    """Whether content is the classic editor's, which gets its paragraphs from wpautop.

    Not the block editor's, whose `<!-- wp:` comments mark the blocks it stored,
    nor content whose top level is all blocks already (see _has_loose_content).
    """
    return "<!-- wp:" not in text and _has_loose_content(soup)


def wpautop(text):
    """Make paragraphs as WordPress's wpautop does when it shows classic-editor content.

    Blank lines separate paragraphs, single newlines are line breaks (<br>), and
    block elements are never wrapped. Text directly inside a block element with
    no blank line in it is left unwrapped (a list item, a table cell); with blank
    lines, each part is a paragraph. <pre> keeps every newline.
    """
    if not text.strip():
        return ""
    kept = []

    def keep(match):
        kept.append(match[0])
        return _KEPT.format(len(kept) - 1)

    text = _VERBATIM_ELEMENT.sub(keep, text)
    text = _BR_PAIR.sub("\n\n", text)
    pieces, run, depth = [], [], 0
    position = 0
    for token in _TAG_TOKEN.finditer(text):
        run.append(text[position : token.start()])
        position = token.end()
        name = (token[2] or "").lower()
        if name not in _AUTOP_BLOCKS:
            # A tag's or comment's own newlines are no line breaks.
            run.append(token[0].replace("\n", " "))
            continue
        pieces.append(_paragraphs("".join(run), inside=depth > 0))
        run = []
        pieces.append(token[0].replace("\n", " "))
        if token[1]:
            depth = max(depth - 1, 0)
        elif name != "hr" and not token[0].endswith("/>"):
            depth += 1
    run.append(text[position:])
    pieces.append(_paragraphs("".join(run), inside=depth > 0))
    text = "".join(pieces)
    for index, original in enumerate(kept):
        text = text.replace(_KEPT.format(index), original, 1)
    return text


def _paragraphs(text, inside):
    """Return a run of inline content as paragraphs (see wpautop)."""
    if not text.strip():
        return "\n" if "\n" in text else text
    parts = [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]
    if inside and len(parts) == 1:
        return _line_breaks(parts[0])
    return "".join(f"\n<p>{_line_breaks(part)}</p>\n" for part in parts)


def _line_breaks(text):
    """Return text with each newline a <br>, unless its line already ends with one."""
    lines = text.split("\n")
    out = [lines[0]]
    for previous, line in pairwise(lines):
        out.append("\n" if _ENDS_WITH_BR.search(previous) else "<br />\n")
        out.append(line)
    return "".join(out)


def _has_loose_content(soup):
    """Whether any text or inline element stands outside block elements: classic content.

    Content already wrapped in blocks (pasted HTML, an earlier conversion) keeps
    its own newlines, which are then only source formatting.
    """
    for child in soup.contents:
        if isinstance(child, Tag):
            if child.name not in _AUTOP_BLOCKS:
                return True
        elif type(child) is NavigableString and child.strip():
            return True
    return False
