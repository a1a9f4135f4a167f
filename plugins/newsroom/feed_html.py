"""An article's HTML as a feed carries it: every link absolute, no permalink glyphs.

A feed reader resolves a relative link against the feed's address, not the
article's, so a footnote's "#fn:1" or an author's "/images/map.svg" leads
nowhere there; and the "#" each heading carries on the page (the toc
extension's permalink) is noise in a reader. Everything else is passed on byte
for byte: only the attribute values that hold a relative address are
rewritten, and the permalink anchors left out. The HTML is read tag by tag with
regular expressions (Markdown's output, and author HTML the build's checks have
let through), which is many times quicker than a parser in Python: a feed
rewrites every body it carries.
"""

import html as entities
import re
from urllib.parse import urljoin, urlsplit

# Attributes that hold one address.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "poster", "cite", "action", "formaction", "data", "longdesc", "xlink:href"}
)
# Attributes that hold a list of "address [descriptor]" candidates.
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# Elements whose content is text, not markup, up to their end tag.
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp"})
# The class Python-Markdown's toc extension gives a heading's permalink unless told otherwise.
DEFAULT_PERMALINK_CLASS = "headerlink"
TOC_EXTENSIONS = ("markdown.extensions.toc", "toc")

# A comment, a declaration or processing instruction, or a tag (group 1: "/" for an end
# tag, 2: its name, 3: its attributes, where a quoted value may hold ">").
MARKUP = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)
# One attribute: its name, then its value double-quoted, single-quoted or bare (a bare
# value may hold "=", as browsers read it: href=/search/?q=x).
ATTRIBUTE = re.compile(r"([^\s\"'<>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>`]+)))?")


def permalink_class(settings):
    """Return the class of the headings' permalink anchors under the site's MARKDOWN
    settings."""
    configs = (settings.get("MARKDOWN") or {}).get("extension_configs") or {}
    for name in TOC_EXTENSIONS:
        if name in configs:
            return (configs[name] or {}).get("permalink_class") or DEFAULT_PERMALINK_CLASS
    return DEFAULT_PERMALINK_CLASS


def absolute(value, base):
    """Return an address resolved against base, as a browser on the page would; an
    address with a scheme (https:, mailto:) or one that does not parse stays as it is."""
    address = value.strip()
    try:
        if urlsplit(address).scheme:
            return value
        return urljoin(base, address)
    except ValueError:
        return value


def absolute_srcset(value, base):
    """Return a srcset with each candidate's address resolved against base."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = absolute(parts[0], base)
        candidates.append(" ".join(parts))
    return ", ".join(candidates)


def attributes(text):
    """Yield (lower-case name, value as written or None, (start, end) of the value
    with its quotes) for each attribute of a tag's attribute text."""
    for match in ATTRIBUTE.finditer(text):
        for group in (2, 3, 4):
            if match.group(group) is not None:
                yield match.group(1).lower(), match.group(group), match.span(group)
                break
        else:
            yield match.group(1).lower(), None, None


def rewrite_attributes(text, base):
    """Return a tag's attribute text with every relative address made absolute."""
    changes = []
    for name, written, span in attributes(text):
        if written is None or (name not in URL_ATTRIBUTES and name not in SRCSET_ATTRIBUTES):
            continue
        value = entities.unescape(written)
        new = absolute(value, base) if name in URL_ATTRIBUTES else absolute_srcset(value, base)
        if new != value:
            changes.append((span, entities.escape(new, quote=True)))
    for (start, end), new in reversed(changes):
        quoted = text[start - 1 : start] in ("'", '"')
        start, end = (start - 1, end + 1) if quoted else (start, end)
        text = f'{text[:start]}"{new}"{text[end:]}'
    return text


def is_permalink(text, glyph_class):
    """Whether an <a> tag's attribute text gives it the permalink class."""
    for name, written, _span in attributes(text):
        if name == "class" and written is not None:
            return glyph_class in entities.unescape(written).split()
    return False


def feed_html(html, base, glyph_class=DEFAULT_PERMALINK_CLASS):
    """Return an article's HTML for a feed: addresses resolved against base (the
    article's absolute URL), permalink anchors (glyph_class) left out."""
    if not html:
        return html
    parts, position, skipped = [], 0, 0  # skipped: depth inside a permalink anchor
    while True:
        match = MARKUP.search(html, position)
        if match is None:
            if not skipped:
                parts.append(html[position:])
            break
        if not skipped:
            parts.append(html[position : match.start()])
        position = match.end()
        closing, name, text = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if not name:  # a comment or declaration
            if not skipped:
                parts.append(match.group(0))
            continue
        self_closed = not closing and text.rstrip().endswith("/")
        if skipped:
            if name == "a" and not self_closed:
                skipped += -1 if closing else 1
            continue
        if closing:
            parts.append(match.group(0))
            continue
        if name == "a" and is_permalink(text, glyph_class):
            skipped = 0 if self_closed else 1
            continue
        rewritten = rewrite_attributes(text, base)
        parts.append(match.group(0) if rewritten == text else f"<{match.group(2)}{rewritten}>")
        if name in RAW_TEXT and not self_closed:  # its text up to the end tag, as it is
            end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, position)
            stop = end.start() if end else len(html)
            parts.append(html[position:stop])
            position = stop
    return "".join(parts)
