"""WordPress shortcodes in post content: found, parsed, and stood in for by marker elements.

WordPress expands shortcodes (`[caption]`, `[gallery]`, `[embed]`...) only when it
shows a post; an export holds them as written, inside the post's HTML. The
converter (convert.py) works on an HTML tree, so each shortcode it knows is
replaced here by a marker element, `<wpsc-shortcode data-index="N">`, that
stands for the Shortcode at position N of the list returned beside the text.
A caption's content stays inside its marker as HTML (the image and the caption
text are elements the converter reads); the others keep their content as text.

Shortcodes inside tags, comments, <pre> and <code> are left alone, as the text an
author meant to show; `[[caption]]` is WordPress's way of writing a literal
`[caption]`, anywhere. Shortcodes this module does not know are kept as text and
their names reported, so the editor learns what a plugin used to draw there.
"""

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

MARKER = "wpsc-shortcode"
# The shortcodes WordPress core registers, with the Jetpack video ones that
# wordpress.com sites export; the converter has a rendering for each.
KNOWN = frozenset(
    {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist", "youtube", "vimeo"}
)
# Whose content is HTML for the converter to read as elements.
ELEMENT_CONTENT = frozenset({"caption", "wp_caption"})

# `[name attributes]` or `[name attributes /]`. As in WordPress, attributes hold
# no brackets; they hold no tags either, so that "[see <a href=x>here</a>]" in
# prose is not taken for a shortcode with an attribute.
_OPENING = re.compile(r"\[([A-Za-z][A-Za-z0-9_-]*)([^\[\]<>]*?)(/?)\]")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
# Where shortcodes are not looked for: comments, elements shown verbatim, and tags.
_PROTECTED = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(pre|code|script|style|textarea)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<[A-Za-z/!?][^<>]*>",
    re.IGNORECASE | re.DOTALL,
)
# Bare URL lines are looked for outside links too: a URL that is a link's text
# is already a link.
_PROTECTED_WITH_LINKS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(pre|code|script|style|textarea|a)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<[A-Za-z/!?][^<>]*>",
    re.IGNORECASE | re.DOTALL,
)
_VERBATIM_ESCAPE = re.compile(r"\[(\[/?[A-Za-z][A-Za-z0-9_-]*[^\[\]<>]*\])\]")
# WordPress turns a URL alone on its line into an embed (oEmbed).
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE | re.IGNORECASE)
# A user's own <wpsc-...> tags must not pass for markers.
_FAKE_MARKER = re.compile(r"<(/?)(?=wpsc-)", re.IGNORECASE)
# Nested captions deeper than this are left as text: no real post has them.
_MAX_OPEN = 8


@dataclass(frozen=True)
class Shortcode:
    """One shortcode as written: its name, attributes and content."""

    name: str
    attributes: dict = field(default_factory=dict)  # named, keys lowercased, values unescaped
    positional: tuple = ()  # values without a name, in order
    raw_attributes: str = ""  # the text between the name and the closing bracket
    content: str = ""  # between the opening and closing tags ("" without a closing tag)


@dataclass
class Expanded:
    """Post HTML with markers for the known shortcodes, and what was found."""

    text: str
    shortcodes: list = field(default_factory=list)  # Shortcode, indexed by the markers
    unknown: list = field(default_factory=list)  # names of unknown shortcodes, each once


def parse_attributes(text):
    """Return (named, positional) attributes of a shortcode, as WordPress reads them."""
    named, positional = {}, []
    # WordPress reads no-break and zero-width spaces as spaces between attributes.
    text = text.replace("\xa0", " ").replace("\u200b", " ")
    for match in _ATTRIBUTE.finditer(text):
        if match[1]:
            named[match[1].lower()] = html.unescape(match[2])
        elif match[3]:
            named[match[3].lower()] = html.unescape(match[4])
        elif match[5]:
            named[match[5].lower()] = html.unescape(match[6])
        else:
            value = next(group for group in match.groups()[6:] if group is not None)
            positional.append(html.unescape(value))
    return named, tuple(positional)


def marker(index, content=None):
    """The element that stands for shortcode number `index`: open only when it holds content."""
    opening = f'<{MARKER} data-index="{index}">'
    return opening if content else f"{opening}</{MARKER}>"


class _Spans:
    """The protected spans of a text, for asking whether a position lies inside one."""

    def __init__(self, text, pattern):
        self.spans = [(m.start(), m.end(), bool(m[1])) for m in pattern.finditer(text)]
        self.starts = [start for start, _, _ in self.spans]

    def around(self, position):
        """Return (start, end, verbatim) of the span holding position, or None."""
        index = bisect_right(self.starts, position) - 1
        if index >= 0 and self.spans[index][0] <= position < self.spans[index][1]:
            return self.spans[index]
        return None


def _looks_like_shortcode(name, attributes, closed_later):
    """Whether an unknown `[name ...]` is a plugin's shortcode rather than prose in brackets.

    "[sic]" and "[Editor's note: ...]" are prose; attributes, a closing tag or a
    plugin-style name (su_button, contact-form-7) make a shortcode.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        return False
    return "=" in attributes or closed_later or "_" in name or "-" in name


def _closing(text, name, start, limit, spans):
    """Return (start, end) of the first `[/name]` after start outside protected spans."""
    tag = f"[/{name}]"
    position = text.find(tag, start, limit)
    while position >= 0 and spans.around(position):
        position = text.find(tag, position + 1, limit)
    return (position, position + len(tag)) if position >= 0 else None


def expand(text):
    """Replace the known shortcodes in post HTML by marker elements; see the module doc."""
    text = _FAKE_MARKER.sub(lambda m: "&lt;" + m[1], text)
    spans = _Spans(text, _PROTECTED)
    found = Expanded("")
    out = []
    pending = []  # (start, end) of the closing tags of the captions open around the cursor
    emitted = cursor = 0
    while True:
        limit = pending[-1][0] if pending else len(text)
        start = text.find("[", cursor, limit)
        if start < 0:
            out.append(text[emitted:limit])
            if not pending:
                break
            out.append(f"</{MARKER}>")
            emitted = cursor = pending.pop()[1]
            continue
        span = spans.around(start)
        if span:
            span_start, span_end, verbatim = span
            span_start = max(span_start, emitted)
            out.append(text[emitted:span_start])
            piece = text[span_start:span_end]
            # Inside <pre> and <code> only the `[[...]]` escape means anything.
            out.append(_VERBATIM_ESCAPE.sub(r"\1", piece) if verbatim else piece)
            emitted = cursor = span_end
            continue
        opening = _OPENING.match(text, start, limit)
        name_ends = opening and (not opening[2] or opening[2][0] in " \t\n=/")
        if not name_ends:
            cursor = start + 1
            continue
        name, attributes, self_closed = opening[1], opening[2], bool(opening[3])
        close = None if self_closed else _closing(text, name, opening.end(), limit, spans)
        end = close[1] if close else opening.end()
        known = name in KNOWN
        shortcode_like = known or _looks_like_shortcode(name, attributes, close is not None)
        if not shortcode_like:
            cursor = start + 1
            continue
        if start > emitted and text[start - 1] == "[" and text[end : end + 1] == "]":
            # [[name]] is the literal text [name]: shown as written, never expanded.
            out.append(text[emitted : start - 1])
            out.append(text[start:end])
            emitted = cursor = end + 1
            continue
        if not known:
            if name not in found.unknown:
                found.unknown.append(name)
            cursor = opening.end()  # its content is the post's, and read as such
            continue
        named, positional = parse_attributes(attributes)
        content = text[opening.end() : close[0]] if close else ""
        holds_elements = name in ELEMENT_CONTENT and close and len(pending) < _MAX_OPEN
        found.shortcodes.append(
            Shortcode(name, named, positional, attributes, "" if holds_elements else content)
        )
        out.append(text[emitted:start])
        out.append(marker(len(found.shortcodes) - 1, content=holds_elements))
        if holds_elements:
            pending.append(close)
            emitted = cursor = opening.end()
        else:
            emitted = cursor = end
    found.text = "".join(out)
    return found


def mark_bare_urls(found):
    """Replace each URL alone on its line (WordPress's oEmbed) by an [embed] marker.

    Only for classic-editor content, before its paragraphs are made: the block
    editor stores an embed as a block of its own.
    """
    spans = _Spans(found.text, _PROTECTED_WITH_LINKS)

    def embed(match):
        if spans.around(match.start(1)):
            return match[0]
        found.shortcodes.append(Shortcode("embed", content=match[1], raw_attributes="bare"))
        return marker(len(found.shortcodes) - 1)

    found.text = _BARE_URL_LINE.sub(embed, found.text)
    return found
