"""The body of a WordPress post (post_content in a WXR export) as this site's Markdown.

The importer calls to_markdown once per post with a Site: what the old site's
addresses and uploads became here. The body goes through five steps:

1. Shortcodes the converter knows become marker elements (shortcodes.py); in
   classic-editor content a URL alone on its line (WordPress's oEmbed) too.
2. Classic-editor content gets its paragraphs as WordPress's wpautop would give
   them: it stores none, and makes them from blank lines when it shows a post.
3. The HTML is parsed and cleaned: each element becomes one Markdown can say, or
   is dropped, and everything not converted cleanly is noted for the editor.
   The export is untrusted, so nothing executable survives: no scripts, frames,
   handlers or javascript: URLs, and no HTML except complex tables, which nh3
   sanitizes to table markup.
4. markdownify writes the Markdown, with text escaped for Python-Markdown as
   this site configures it (pelicanconf.py MARKDOWN): tables make `|` special,
   attr_list makes `{...}` special (it could add any attribute, handlers too),
   footnotes and toc make `[^1]` and `[TOC]` special.
5. Whitespace is tidied: one blank line between blocks, no trailing spaces but
   the two of a hard break, one newline at the end.

Figures follow prose.py: an image alone in its paragraph with a title is a figure
with that title as its caption.
"""

import re
import warnings
from dataclasses import dataclass, field
from html import escape as escape_html
from itertools import pairwise
from typing import ClassVar, Protocol
from urllib.parse import parse_qs, urlsplit

import nh3
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4.exceptions import ParserRejectedMarkup
from markdownify import ATX, MarkdownConverter, chomp

from . import shortcodes
from .shortcodes import MARKER

PLACEHOLDER_ALT = "Image from the archive"
STATIC = "{static}/"


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
        autop = "<!-- wp:" not in text and _has_loose_content(soup)
    if autop:
        found = shortcodes.mark_bare_urls(found)
        soup = _parse(_autop(found.text), notes)
    if _flatten_deep_tree(soup):
        notes.add(f"HTML nested more than {MAX_TREE_DEPTH} levels deep was flattened")
    cleaner = _Cleaner(site, found.shortcodes, notes, soup)
    cleaner.run()
    markdown = _MarkdownWriter(cleaner.raw_blocks).convert_soup(soup)
    return Converted(_tidy(markdown), notes.items)


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


def _names(text):
    """Element names written as words."""
    return frozenset(text.split())


# -- Paragraphs (wpautop) ---------------------------------------------------------------

# The elements WordPress's wpautop never wraps in a paragraph, and the shortcode marker.
_AUTOP_BLOCKS = _names(
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
# holding a NUL, which no input holds (_normalise), so it is never the author's.
_KEPT = '<pre data-kept="\x00{}"></pre>'


def _autop(text):
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
    """Return a run of inline content as paragraphs (see _autop)."""
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


# -- Addresses --------------------------------------------------------------------------

# Browsers drop ASCII whitespace and control characters at a URL's ends and tabs
# and newlines anywhere in it.
_URL_NOISE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
# The image files the site publishes only as renditions (newsroom/images.py), never as such.
_RASTER = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)$", re.IGNORECASE)


def _squeeze_url(value):
    """Return an attribute's URL as a browser reads it: trimmed, without tabs and newlines."""
    return _URL_NOISE.sub("", str(value or "")).strip(" \t\n\r\x0c")


def _scheme(url):
    """Return a URL's scheme, lowercased, however disguised with spaces; None if relative."""
    match = _SCHEME.match(re.sub(r"[\x00-\x20]+", "", url))
    return match[1].lower() if match else None


def _web_url(value):
    """Return value as an absolute http(s) URL (protocol-relative ones get https), or None."""
    url = _squeeze_url(value)
    if url.startswith("//"):
        url = "https:" + url
    if _scheme(url) in ("http", "https") and _host(url):
        return url
    return None


def _fetchable(url):
    """Whether url may name an upload: an http(s) or relative address (not data:, javascript:)."""
    return bool(url) and _scheme(url) in (None, "http", "https")


def _host(url):
    """Return a URL's host name, lowercased, or ""."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _label(url):
    """A link's text for an address with no better one: its host, without www."""
    host = _host(url)
    return host.removeprefix("www.") or url


def _is_upload(url):
    """Whether a URL points into WordPress's uploads folder."""
    return "wp-content/uploads/" in _path_of(url)


def _path_of(url):
    """Return the path of a URL, or "" if it cannot be parsed."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _describe(url):
    """Name an address in a note: from wp-content/ on when it has one, and never too long."""
    if url.lower().startswith("data:"):
        return "(a data: URL)"
    start = url.find("wp-content/")
    shown = url[start:] if start >= 0 else url
    return shown if len(shown) <= 120 else shown[:117] + "..."


def _neutral_href(url):
    """Return an address kept from the post, unable to pass for a Pelican placeholder.

    `{filename}`, `{static}` or `|filename|` at the start of an href is Pelican's
    link syntax; in a post's own href it could reach any file of the site.
    """
    return url.replace("{", "%7B").replace("}", "%7D").replace("|", "%7C")


def _embed_target(url):
    """Return the page an embedded player's address stands for (a YouTube embed: the
    watch page), or the address itself."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    if host in ("youtube.com", "youtube-nocookie.com"):
        video = re.match(r"/embed/([\w-]{6,})", parts.path)
        if video and video[1] != "videoseries":
            return f"https://www.youtube.com/watch?v={video[1]}"
        if parts.path.startswith("/embed/videoseries") and "list" in query:
            return f"https://www.youtube.com/playlist?list={query['list'][0]}"
    if host == "player.vimeo.com":
        video = re.match(r"/video/(\d+)", parts.path)
        if video:
            return f"https://vimeo.com/{video[1]}"
    if host == "open.spotify.com" and parts.path.startswith("/embed/"):
        return "https://open.spotify.com/" + parts.path.removeprefix("/embed/")
    # Players that carry the page they show as a parameter.
    for player, parameter in (("w.soundcloud.com", "url"), ("facebook.com", "href")):
        if host == player and parameter in query and _web_url(query[parameter][0]):
            return _web_url(query[parameter][0])
    return url


def _link_around(node, container):
    """Return the <a> holding node below container, or None."""
    for parent in node.parents:
        if parent is container:
            return None
        if parent.name == "a":
            return parent
    return None


def _player_source(player):
    """Return the address an <audio> or <video> plays: its src or its first <source>'s."""
    sources = [player, *player.find_all("source")]
    return next((_squeeze_url(s.get("src")) for s in sources if s.get("src")), "")


def _file_name(path):
    """Return the last part of a path or URL, for a link's text."""
    name = _path_of(path).rstrip("/").rsplit("/", 1)[-1]
    return name or path


# -- Images -----------------------------------------------------------------------------

_IMAGE_SOURCES = ("src", "data-src", "data-lazy-src", "data-orig-file", "data-original")
_ATTACHMENT_CLASS = re.compile(r"wp-image-(\d{1,12})$")
# Titles WordPress gives an upload from its file name: a camera's or a screenshot's.
_CAMERA_TITLE = re.compile(
    r"(?:img|dsc|dscn|dscf|dcim|pic|photo|image|screenshot|screen shot|whatsapp image|pxl|mvimg)"
    r"[\W_]*\d",
    re.IGNORECASE,
)


def _image_source(img):
    """Return the address an <img> shows: its src, or a lazy loader's data-src."""
    for name in _IMAGE_SOURCES:
        value = _squeeze_url(img.get(name))
        if value and not value.lower().startswith("data:"):
            return value
    return _squeeze_url(img.get("src"))


def _attachment_id(img):
    """Return the attachment id an <img> names (class wp-image-N, data-id), or None."""
    for name in img.get("class") or []:
        match = _ATTACHMENT_CLASS.match(name)
        if match:
            return int(match[1])
    for name in ("data-id", "data-attachment-id"):
        value = str(img.get(name) or "")
        if re.fullmatch(r"\d{1,12}", value):
            return int(value)
    return None


def _is_smiley(img, src):
    """Whether an <img> is one of WordPress's smilies or emoji: its alt text is the character."""
    classes = img.get("class") or []
    return (
        "wp-smiley" in classes
        or "emoji" in classes
        or "/smilies/" in src
        or "/images/core/emoji/" in src
    )


def _meaningful_title(title):
    """Whether an attachment's title describes it (not "IMG_1234", "Screenshot 2019-...")."""
    title = title.strip()
    return bool(title) and not _CAMERA_TITLE.match(title) and bool(re.search(r"[^\W\d_]", title))


def _squash(text):
    """Return text on one line with runs of whitespace as one space."""
    return " ".join(str(text or "").split())


# -- Cleaning the tree ------------------------------------------------------------------

MAX_TREE_DEPTH = 40
# Lists and quotes deeper than this are flattened: the build refuses Markdown
# nested past 16 levels (newsroom/scan.py), and a reader cannot follow 8.
MAX_BLOCK_NESTING = 8
RAW_MARKER = "wpsc-markdown"

# Dropped with their content and nothing said: invisible, or a duplicate of what is kept.
_DROPPED = _names(
    "style noscript template head title meta link base param source track canvas map "
    "area wbr col colgroup rp"
)
_FORM_CONTROLS = _names(
    "input button select textarea option optgroup datalist output progress meter keygen"
)
# Containers: become <div>, whose content is blocks of its own.
_CONTAINERS = _names(
    "div section article header footer aside main nav details summary address center "
    "fieldset legend hgroup figcaption caption dialog search body html"
)
_CODE_TAGS = _names("code kbd samp tt var")
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
# In a table cell, what makes the table complex (kept as HTML).
_CELL_BLOCKS = _names("ul ol pre blockquote table hr dl figure") | _HEADINGS
# In a complex table cell, what is turned into lines (the kept HTML is inline only).
_CELL_FLATTENED = _CELL_BLOCKS | {"p", "div", "li", "dt", "dd"} | _CONTAINERS
_TABLE_TAGS = _names("table thead tbody tfoot tr th td caption")
_TABLE_INLINE = _names("a b strong i em code br sub sup small abbr del ins s q cite")
_TABLE_ATTRIBUTES = {
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "a": {"href"},
}
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_FOOTNOTE_MARK = re.compile(r"\[?(\d{1,3}|[*†‡§])\]?")
_AUDIO_ATTRIBUTES = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
_VIDEO_ATTRIBUTES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")
_BARE_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


# Block elements: what cannot stand inside emphasis or a link's text in Markdown.
_INLINE_BREAKING = _names("p div ul ol li blockquote pre table hr") | _HEADINGS


def _tags_in(tag, names):
    """Return the elements below tag with one of the names, in document order.

    Walking the descendants is much faster than find_all for the small elements
    this is asked of, once per link and emphasis.
    """
    return [node for node in tag.descendants if isinstance(node, Tag) and node.name in names]


def _inside(tag, names):
    """Whether an ancestor of tag has one of the names."""
    return any(parent.name in names for parent in tag.parents)


def _holds_blocks(tag):
    """Whether an inline element holds block elements (after cleaning)."""
    return bool(_tags_in(tag, _INLINE_BREAKING))


def _flatten_deep_tree(soup):
    """Unwrap elements nested deeper than MAX_TREE_DEPTH, keeping their text.

    Cleaning and markdownify recurse once or more per level: a hostile post
    nested thousands deep would exhaust Python's stack.
    """
    depth = {id(soup): 0}
    too_deep = []
    for node in soup.descendants:
        if isinstance(node, Tag):
            level = depth[id(node.parent)] + 1
            depth[id(node)] = level
            if level > MAX_TREE_DEPTH:
                too_deep.append(node)
    for tag in reversed(too_deep):
        tag.unwrap()
    return bool(too_deep)


def _span(cell, name):
    """Return a cell's colspan or rowspan as a number (1 when absent or unreadable)."""
    value = str(cell.get(name) or "1").strip()
    return int(value) if value.isdigit() and len(value) < 5 else 1


def _table_is_complex(table):
    """Whether a table needs HTML: merged cells, nested tables, blocks in cells, several
    header rows, or rows wider than the first (a pipe table would drop their cells)."""
    if table.find("table"):
        return True
    rows = table.find_all("tr")
    if sum(1 for row in rows if row.parent.name == "thead") > 1:
        return True
    width = None
    for row in rows:
        cells = row.find_all(["td", "th"], recursive=False)
        for cell in cells:
            if _span(cell, "colspan") > 1 or _span(cell, "rowspan") > 1:
                return True
            if cell.find(_CELL_BLOCKS) or len(cell.find_all(["p", "div"])) > 1:
                return True
        if width is None:
            width = len(cells)
        elif len(cells) > width:
            return True
    return False


class _Cleaner:
    """Rewrite a parsed post, in place, into elements the Markdown writer can say.

    What stays: p, br, hr, h2-h6, ul/ol/li, blockquote, pre, code, em, strong, del,
    q, div (a container), tables, a with an href this site can use, img with
    a `{static}` source, and RAW_MARKER elements standing for Markdown written here
    (complex tables). Everything else is converted, unwrapped or dropped.
    """

    def __init__(self, site, codes, notes, soup):
        self.site = site
        self.codes = codes
        self.notes = notes
        self.soup = soup
        self.raw_blocks = []
        # The page's <h1> is its title: a body's h1 becomes h2, and the rest follow it.
        self.shift = 1 if soup.find("h1") else 0
        self.in_table = 0
        self.image_media = {}  # id() of a cleaned <img>: its Media
        self.last_link = None  # the href of the link cleaned last

    def run(self):
        self.clean(self.soup)
        self.flatten_deep_blocks()
        self.lift_raw_blocks()
        # Text on both sides of a dropped element is one run of text again, its
        # spaces collapsed as one.
        self.soup.smooth()

    # Building blocks

    def new(self, name, text=None, **attributes):
        tag = self.soup.new_tag(name, attrs=attributes)
        if text:
            tag.append(NavigableString(text))
        return tag

    def paragraph(self, text):
        return self.new("p", text)

    def link_paragraph(self, href, label):
        paragraph = self.new("p")
        paragraph.append(self.new("a", label, href=href))
        return paragraph

    def site_link(self, url):
        """Return the href for an address: the site's new one, or the address made harmless."""
        try:
            new = self.site.link(url)
        except ValueError:  # an address too broken to parse (urlsplit) is no old address
            new = None
        if new and _scheme(new) in (None, *_SAFE_SCHEMES):
            return new
        return _neutral_href(url)

    def media(self, url, attachment_id):
        if not url and attachment_id is None:
            return None
        try:
            return self.site.media(url or None, attachment_id)
        except ValueError:  # an address too broken to parse (urlsplit) is no upload
            return None

    # The walk

    def clean(self, parent):
        for child in list(parent.children):
            if isinstance(child, Tag):
                self.element(child)
            elif type(child) is not NavigableString:
                child.extract()  # comments, doctypes, CDATA, processing instructions

    def element(self, tag):
        name = tag.name
        handler = self._HANDLERS.get(name)
        if handler:
            handler(self, tag)
        elif name in _DROPPED:
            tag.decompose()
        elif name in _FORM_CONTROLS:
            self.notes.add("a form control was dropped")
            tag.decompose()
        elif name in _HEADINGS:
            self.heading(tag)
        elif name in _CODE_TAGS:
            self.code(tag)
        elif name in _CONTAINERS and not (self.in_table and name == "caption"):
            self.keep(tag, "div")
        else:
            self.clean(tag)
            tag.unwrap()

    def keep(self, tag, name=None, **attributes):
        """Keep an element (renamed) with no attributes but those given; clean its content."""
        tag.attrs = attributes
        if name:
            tag.name = name
        self.clean(tag)

    def drop(self, tag, note=None):
        if note:
            self.notes.add(note)
        tag.decompose()

    # Executable and embedded content

    def script(self, tag):
        host = _host(_web_url(tag.get("src")) or "")
        self.drop(tag, f"a script from {host} was dropped" if host else "a script was dropped")

    def iframe(self, tag):
        url = _web_url(tag.get("src") or tag.get("data-src"))
        if not url:
            self.drop(tag, "an iframe without a web address was dropped")
            return
        self.notes.add(f"an iframe from {_host(url)} became a link")
        target = _embed_target(url)
        tag.replace_with(
            self.link_paragraph(self.site_link(target), _squash(tag.get("title")) or _label(target))
        )

    def embedded_object(self, tag):
        if "wp-block-file__embed" in (tag.get("class") or []):
            tag.decompose()  # a PDF viewer beside the file block's own link
            return
        url = _web_url(tag.get("data") or tag.get("src"))
        for param in tag.find_all("param"):
            if not url and str(param.get("name") or "").lower() in ("movie", "src", "url"):
                url = _web_url(param.get("value"))
        if not url:
            self.drop(tag, "an embedded object was dropped")
            return
        self.notes.add(f"an embedded object from {_host(url)} became a link")
        tag.replace_with(self.link_paragraph(self.site_link(url), _label(url)))

    def form(self, tag):
        self.drop(tag, "a form was dropped")

    def svg(self, tag):
        self.drop(tag, "an inline SVG image was dropped")

    def math(self, tag):
        self.drop(tag, "a formula (MathML) was dropped")

    def embed_paragraph(self, url, label=""):
        """An embedded page as a link paragraph to it."""
        target = _embed_target(url)
        self.notes.add(f"an embed from {_host(url)} became a link")
        return self.link_paragraph(self.site_link(target), label or _label(target))

    # Audio and video

    def media_paragraph(self, kind, url, attachment_id=None, title=""):
        """A link to an audio or video file: the imported one, else its old address."""
        url = url if _fetchable(url) else None
        found = self.media(url, attachment_id)
        if found:
            kind = found.kind if found.kind in ("audio", "video") else kind
            href = STATIC + found.static
            name = found.title or title or _file_name(found.static)
        elif url:
            self.notes.add(f"{kind} {_describe(url)} was not imported: linked to its old address")
            href, name = self.site_link(url), title or _file_name(url)
        elif attachment_id is not None:
            self.notes.add(f"{kind} attachment {attachment_id} was not imported: dropped")
            return None
        else:
            self.notes.add(f"{kind} without a file was dropped")
            return None
        verb = {"audio": "Listen", "video": "Watch"}.get(kind, "Download")
        return self.link_paragraph(href, f"{verb}: {name}")

    def audio_video(self, tag):
        paragraph = self.media_paragraph(tag.name, _player_source(tag))
        if paragraph:
            tag.replace_with(paragraph)
        else:
            tag.decompose()

    # Images

    def resolve_image(self, img, caption="", attachment_id=None):
        """Return a clean <img> for an imported image, or None (noted) for one that was not."""
        src = _image_source(img)
        ident = attachment_id if attachment_id is not None else _attachment_id(img)
        alt = _squash(img.get("alt"))
        found = self.media(src if _fetchable(src) else None, ident)
        if found is None:
            if not _is_smiley(img, src):
                where = _describe(src) if src else f"attachment {ident}"
                kept = (
                    "kept its caption" if caption else "kept its alt text" if alt else "dropped it"
                )
                self.notes.add(f"image {where} was not imported: {kept}")
            return None
        return self.clean_image(found, alt, caption)

    def clean_image(self, found, alt="", caption=""):
        """The <img> of an imported image: its alt text the given one, else the attachment's,
        the caption, the attachment's caption or title; failing all, a placeholder the
        editor is told of. A caption is its title, which makes it a figure (prose.py)."""
        alt = (
            alt
            or _squash(found.alt)
            or caption
            or _squash(found.caption)
            or (_squash(found.title) if _meaningful_title(found.title) else "")
        )
        if not alt:
            alt = PLACEHOLDER_ALT
            self.notes.add(f"placeholder alt text for {found.static}")
        clean = self.new("img", src=STATIC + found.static, alt=alt)
        if caption:
            clean["title"] = caption
        self.image_media[id(clean)] = found
        return clean

    def image(self, img):
        clean = self.resolve_image(img)
        if clean is not None:
            img.replace_with(clean)
            return
        alt = _squash(img.get("alt"))
        if alt:
            img.replace_with(NavigableString(alt))  # inline, as a smiley's is
        else:
            img.decompose()

    def figure_nodes(self, img, caption, container, attachment_id=None):
        """Return the nodes for an image with a caption: our figure (an image alone in its
        paragraph, the caption as its title), and the link around it within the container,
        if it goes elsewhere."""
        link = _link_around(img, container)
        clean = self.resolve_image(img, caption, attachment_id)
        if clean is None:
            text = caption or _squash(img.get("alt"))
            return [self.paragraph(text)] if text else []
        nodes = [self.new("p")]
        nodes[0].append(clean)
        if link is not None:
            target = self.resolve_href(link.get("href"))
            if target and not self.opens_image(link, target, [clean]):
                self.notes.add(
                    f"the link around image {self.image_media[id(clean)].static} "
                    "now follows its figure"
                )
                nodes.append(
                    self.link_paragraph(
                        target,
                        _squash(link.get("title"))
                        or (_label(target) if _host(target) else "Related page"),
                    )
                )
        return nodes

    def gallery_media(self, found):
        """A gallery's attachment as a figure paragraph: its caption is the attachment's."""
        paragraph = self.new("p")
        paragraph.append(self.clean_image(found, caption=_squash(found.caption)))
        return paragraph

    # Links

    def resolve_href(self, value):
        """Return the href a link keeps, or None to keep only its text (noted when unsafe)."""
        url = _squeeze_url(value)
        if not url or url.startswith("#"):
            return None  # the post's anchors are gone: its ids are not kept
        scheme = _scheme(url)
        if scheme is not None and scheme not in _SAFE_SCHEMES:
            self.notes.add(f"a link to a {scheme}: address was dropped: kept its text")
            return None
        if _is_upload(url):
            found = self.media(url, None)
            if found:
                return STATIC + found.static
            new = self.site_link(url)
            if new == _neutral_href(url):
                self.notes.add(
                    f"upload {_describe(url)} was not imported: the link keeps its old address"
                )
            return new
        return self.site_link(url)

    def opens_image(self, link, target, images):
        """Whether a link around images opens the image itself: its file (any size) or its
        attachment page. Such a link is dropped; the image stays."""
        rel = link.get("rel") or []
        if isinstance(rel, str):
            rel = rel.split()
        if "attachment" in rel or any(value.startswith("wp-att-") for value in rel):
            return True
        href = _squeeze_url(link.get("href"))
        path = _path_of(href)
        if "attachment_id=" in href or "/attachment/" in path or _RASTER.search(path):
            return True
        shown = {
            STATIC + self.image_media[id(i)].static for i in images if id(i) in self.image_media
        }
        return target in shown

    def link(self, a):
        if _inside(a, ("a",)):
            self.clean(a)  # a link inside a link: the outer one is kept
            a.unwrap()
            return
        href = a.get("href")
        classes = a.get("class") or []
        self.clean(a)
        images = _tags_in(a, ("img",))
        if not (images or a.get_text().strip()):
            a.decompose()
            return
        target = self.resolve_href(href)
        if target is None or (images and self.opens_image(a, target, images)):
            a.unwrap()
            return
        if not images and target.startswith(STATIC) and _RASTER.search(target):
            # Original raster images are never published (only renditions of the
            # images a page shows), so a link to one would break the build.
            self.notes.add(
                f"a link to image {target.removeprefix(STATIC)} was dropped: kept its text"
            )
            a.unwrap()
            return
        if "wp-block-file__button" in classes and target == self.last_link:
            a.decompose()  # the file block's download button repeats its link
            return
        a.attrs = {"href": target}
        self.last_link = target
        # A link's text is inline: blocks inside it (a card's heading and summary)
        # become its words, one space apart.
        for block in reversed(_tags_in(a, _INLINE_BREAKING)):
            block.insert_after(NavigableString(" "))
            block.unwrap()

    # Figures and shortcodes

    def figure(self, fig):
        classes = fig.get("class") or []
        wrapper = fig.find(class_="wp-block-embed__wrapper")
        captions = fig.find_all("figcaption", recursive=False)
        caption = " ".join(_squash(c.get_text(" ")) for c in captions).strip()
        for figcaption in captions:
            figcaption.extract()
        images = fig.find_all("img")
        if "wp-block-embed" in classes or wrapper is not None:
            self.embed_figure(fig, wrapper or fig, caption)
        elif len(fig.find_all(["audio", "video"])) == 1 and not images and not fig.find("table"):
            self.player_figure(fig, fig.find(["audio", "video"]), caption)
        elif fig.find("table") or fig.find(["audio", "video"]) or not images:
            # A table, a player, a pull quote: its content, then its caption.
            self.keep(fig, "div")
            if caption:
                fig.append(self.paragraph(caption))
        elif len(images) == 1 and "wp-block-gallery" not in classes:
            self.replace(fig, self.figure_nodes(images[0], caption, fig))
        else:
            # A gallery: each image its own figure, with its own caption.
            nodes = []
            for img in images:
                own = img.find_parent("figure")
                text = ""
                if own is not None and own is not fig:
                    text = " ".join(_squash(c.get_text(" ")) for c in own.find_all("figcaption"))
                nodes.extend(self.figure_nodes(img, text.strip(), fig))
            if caption:
                nodes.append(self.paragraph(caption))
            self.replace(fig, nodes)

    def player_figure(self, fig, player, caption):
        """The block editor's audio or video: a link, named by its caption if it has one."""
        paragraph = self.media_paragraph(player.name, _player_source(player), None, caption)
        nodes = [paragraph] if paragraph else []
        if caption and (paragraph is None or not paragraph.get_text().endswith(": " + caption)):
            nodes.append(self.paragraph(caption))
        self.replace(fig, nodes)

    def replace(self, tag, nodes):
        if nodes:
            tag.replace_with(*nodes)
        else:
            tag.decompose()

    def embed_figure(self, fig, wrapper, caption):
        url = None
        if not wrapper.find(lambda t: t.name != "br"):
            match = _BARE_URL.search(wrapper.get_text())
            url = _web_url(match[0]) if match else None
        if url:
            self.replace(fig, [self.embed_paragraph(url, caption)])
            return
        self.keep(fig, "div")  # an embed stored as HTML (a tweet's blockquote, an iframe)
        if caption:
            fig.append(self.paragraph(caption))

    def shortcode(self, tag):
        index = str(tag.get("data-index") or "")
        if not index.isdigit() or int(index) >= len(self.codes):
            self.clean(tag)
            tag.unwrap()
            return
        code = self.codes[int(index)]
        name = "caption" if code.name == "wp_caption" else code.name
        getattr(self, "shortcode_" + name)(tag, code)

    def shortcode_caption(self, tag, code):
        ident = re.fullmatch(r"attachment_(\d{1,12})", code.attributes.get("id", "").strip())
        images = tag.find_all("img")
        caption = _squash(code.attributes.get("caption", ""))
        if not images:
            self.replace(tag, [self.paragraph(caption)] if caption else [])
            return
        img = images[0]
        if not caption:
            # The caption is the shortcode's text beside the image (and the link around it).
            holder = _link_around(img, tag) or img
            holder.extract()
            caption = _squash(tag.get_text(" "))
            tag.clear()
            tag.append(holder)
        attachment = int(ident[1]) if ident else None
        self.replace(tag, self.figure_nodes(img, caption, tag, attachment))

    def shortcode_gallery(self, tag, code):
        ids = re.findall(
            r"\d{1,12}", code.attributes.get("ids") or code.attributes.get("include") or ""
        )
        if not ids:
            self.drop(tag, "a [gallery] without ids was dropped: its images are not known")
            return
        nodes = []
        for ident in ids[:500]:
            found = self.media(None, int(ident))
            if found is None:
                self.notes.add(f"gallery image {ident} was not imported")
            else:
                nodes.append(self.gallery_media(found))
        self.replace(tag, nodes)

    def shortcode_embed(self, tag, code):
        url = _web_url(code.content.strip()) or _web_url(code.attributes.get("src"))
        if url:
            self.replace(tag, [self.embed_paragraph(url)])
        else:
            self.drop(tag, "an [embed] without a web address was dropped")

    def shortcode_youtube(self, tag, code):
        # Jetpack's [youtube URL] and [youtube=URL&w=640]; [vimeo 123] or [vimeo URL].
        words = code.raw_attributes.strip().lstrip("=").split() or [code.content.strip()]
        value = words[0] if words else ""
        if code.name == "vimeo" and value.isdigit():
            value = f"https://vimeo.com/{value}"
        url = _web_url(value)
        if url:
            self.replace(tag, [self.embed_paragraph(url)])
        else:
            self.drop(tag, f"a [{code.name}] without a web address was dropped")

    shortcode_vimeo = shortcode_youtube

    def shortcode_audio(self, tag, code):
        keys = _AUDIO_ATTRIBUTES if code.name == "audio" else _VIDEO_ATTRIBUTES
        url = next((code.attributes[k] for k in keys if code.attributes.get(k)), "")
        paragraph = self.media_paragraph(code.name, _squeeze_url(url))
        self.replace(tag, [paragraph] if paragraph else [])

    shortcode_video = shortcode_audio

    def shortcode_playlist(self, tag, code):
        ids = re.findall(
            r"\d{1,12}", code.attributes.get("ids") or code.attributes.get("include") or ""
        )
        if not ids:
            self.drop(tag, "a [playlist] without ids was dropped: its tracks are not known")
            return
        kind = "video" if code.attributes.get("type") == "video" else "audio"
        nodes = [self.media_paragraph(kind, None, int(ident)) for ident in ids[:500]]
        self.replace(tag, [node for node in nodes if node is not None])

    # Text blocks

    def heading(self, tag):
        self.keep(tag, f"h{min(int(tag.name[1]) + self.shift, 6)}")

    def paragraph_element(self, tag):
        self.keep(tag, "p")
        words = list(tag.children)
        if len(words) == 1 and type(words[0]) is NavigableString:
            url = _web_url(words[0].strip()) if _BARE_URL.fullmatch(words[0].strip()) else None
            if url:  # a URL alone in a paragraph: a link to it
                tag.clear()
                tag.append(self.new("a", _label(url), href=self.site_link(url)))

    def blockquote(self, tag):
        self.keep(tag, "blockquote")

    def cite(self, tag):
        if tag.parent is not None and tag.parent.name in ("blockquote", "figure"):
            # A quote's source (the block editor's <cite>) on a line of its own.
            self.keep(tag, "p")
            tag.insert(0, NavigableString("— "))
        else:
            self.clean(tag)
            tag.unwrap()

    def pre(self, tag):
        for br in tag.find_all("br"):
            br.replace_with(NavigableString("\n"))
        text = tag.get_text()
        language = ""
        for holder in (tag, tag.find("code")):
            for value in (holder.get("class") or []) if holder else []:
                match = re.fullmatch(r"(?:language|lang)-([\w+-]{1,30})", value)
                language = language or (match[1] if match else "")
        tag.clear()
        tag.attrs = {"data-language": language} if language else {}
        tag.name = "pre"
        if text.strip():
            tag.append(NavigableString(text))
        else:
            tag.decompose()

    def code(self, tag):
        text = tag.get_text()
        tag.clear()
        tag.attrs = {}
        tag.name = "code"
        tag.append(NavigableString(text))

    def emphasis(self, tag):
        name = {"i": "em", "b": "strong"}.get(tag.name, tag.name)
        same = {"em": ("em", "i"), "strong": ("strong", "b")}[name]
        self.clean(tag)
        if _inside(tag, same) or _holds_blocks(tag):
            tag.unwrap()  # *a *b* c* would end early; *<p>a</p>* cannot be written
        else:
            tag.attrs = {}
            tag.name = name

    def strikethrough(self, tag):
        self.keep(tag, "del")
        if _holds_blocks(tag):
            tag.unwrap()

    def superscript(self, tag):
        """<sup>/<sub> as text: footnote marks as [1], other digits as Unicode ones (m², CO₂)."""
        linked = bool(_tags_in(tag, ("a",)))  # a footnote's link, gone once cleaned
        self.clean(tag)
        text = tag.get_text()
        mark = _FOOTNOTE_MARK.fullmatch(text.strip())
        if tag.name == "sup" and mark and (linked or text.strip().startswith("[")):
            tag.replace_with(NavigableString(f"[{mark[1]}]"))
            return
        table = _SUPERSCRIPT if tag.name == "sup" else _SUBSCRIPT
        if text and all(c in "0123456789+-=()" or (tag.name == "sup" and c in "ni") for c in text):
            tag.replace_with(NavigableString(text.translate(table)))
        elif mark and tag.name == "sup":
            tag.replace_with(NavigableString(f"[{mark[1]}]"))
        else:
            tag.unwrap()

    def definition_list(self, tag):
        self.keep(tag, "div")

    def term(self, tag):
        self.clean(tag)
        strong = self.new("strong")
        for child in list(tag.children):
            strong.append(child.extract())
        tag.attrs = {}
        tag.name = "p"
        tag.append(strong)

    def definition(self, tag):
        self.keep(tag, "p")

    def list_element(self, tag):
        start = str(tag.get("start") or "")
        name = "ol" if tag.name == "ol" else "ul"
        if name == "ol" and start.isdigit() and len(start) < 7:
            self.keep(tag, name, start=start)
        else:
            self.keep(tag, name)

    def list_item(self, tag):
        inside_list = tag.parent is not None and tag.parent.name in ("ul", "ol", "menu", "dir")
        self.keep(tag, "li" if inside_list else "p")

    def bare(self, tag):
        tag.attrs = {}
        tag.clear()

    def quotation(self, tag):
        self.keep(tag, "q")
        if _holds_blocks(tag):
            tag.unwrap()

    def picture(self, tag):
        self.clean(tag)  # its <source>s are dropped; its <img> stays
        tag.unwrap()

    # Tables

    def table(self, tag):
        if self.in_table:
            self.keep(tag, "table")  # nested: part of its complex parent's HTML
            return
        complex_table = _table_is_complex(tag)
        self.in_table += 1
        try:
            self.clean(tag)
        finally:
            self.in_table -= 1
        tag.attrs = {}
        images = tag.find_all("img")
        for img in images:
            img.replace_with(NavigableString(img.get("alt") or ""))
        if images:
            self.notes.add("images in a table became their alt text")
        if complex_table:
            self.notes.add("a complex table kept as HTML")
            tag.replace_with(self.raw_block(_table_html(tag)))

    def cell(self, tag):
        attributes = {}
        for name in ("colspan", "rowspan"):
            if _span(tag, name) > 1:
                attributes[name] = str(_span(tag, name))
        scope = str(tag.get("scope") or "").lower()
        if tag.name == "th" and scope in ("row", "col", "rowgroup", "colgroup"):
            attributes["scope"] = scope
        self.keep(tag, tag.name, **attributes)

    def table_part(self, tag):
        if self.in_table:
            self.keep(tag, tag.name)
        else:
            self.clean(tag)  # a row or cell outside a table: its content only
            tag.unwrap()

    def raw_block(self, markdown):
        self.raw_blocks.append(markdown)
        return self.new(RAW_MARKER, **{"data-index": str(len(self.raw_blocks) - 1)})

    # After the walk

    def flatten_deep_blocks(self):
        """Make lists and quotes nested more than MAX_BLOCK_NESTING deep into paragraphs."""
        nesting = ("ul", "ol", "blockquote")
        flattened = False
        for tag in self.soup.find_all(nesting):
            if tag.name not in nesting:
                continue  # already flattened with an ancestor
            level = sum(1 for parent in tag.parents if parent.name in nesting)
            if level < MAX_BLOCK_NESTING:
                continue
            flattened = True
            for item in tag.find_all("li", recursive=False):
                item.name = "p"
            tag.attrs = {}
            tag.name = "div"
        if flattened:
            self.notes.add(
                f"lists and quotes nested more than {MAX_BLOCK_NESTING} deep were flattened"
            )

    def lift_raw_blocks(self):
        """Move kept HTML out of lists, quotes and paragraphs: Python-Markdown reads raw HTML
        blocks only at the top level."""
        after = {}
        for block in self.soup.find_all(RAW_MARKER):
            ancestors = [p for p in block.parents if p is not self.soup and p.name != "[document]"]
            if all(p.name == "div" for p in ancestors):
                continue
            top = ancestors[-1]
            anchor = after.get(id(top), top)
            anchor.insert_after(block.extract())
            after[id(top)] = block

    _HANDLERS: ClassVar[dict] = {
        "script": script,
        "iframe": iframe,
        "frame": iframe,
        "object": embedded_object,
        "embed": embedded_object,
        "applet": embedded_object,
        "form": form,
        "svg": svg,
        "math": math,
        "audio": audio_video,
        "video": audio_video,
        "img": image,
        "image": image,
        "picture": picture,
        "a": link,
        "figure": figure,
        "table": table,
        "thead": table_part,
        "tbody": table_part,
        "tfoot": table_part,
        "tr": table_part,
        "caption": table_part,
        "td": cell,
        "th": cell,
        MARKER: shortcode,
        "p": paragraph_element,
        "blockquote": blockquote,
        "cite": cite,
        "pre": pre,
        "listing": pre,
        "xmp": pre,
        "plaintext": pre,
        "em": emphasis,
        "i": emphasis,
        "strong": emphasis,
        "b": emphasis,
        "del": strikethrough,
        "s": strikethrough,
        "strike": strikethrough,
        "sup": superscript,
        "sub": superscript,
        "dl": definition_list,
        "dt": term,
        "dd": definition,
        "ul": list_element,
        "ol": list_element,
        "menu": list_element,
        "dir": list_element,
        "li": list_item,
        "br": bare,
        "hr": bare,
        "q": quotation,
    }


def _table_html(table):
    """A complex table as HTML for a raw block: sanitized by nh3 to table markup and inline
    text, one row a line, in the region prose.py gives every table (it scrolls when wide)."""
    for cell in table.find_all(["td", "th", "caption"]):
        blocks = cell.find_all(_CELL_FLATTENED)
        for block in reversed(blocks):
            if block.name == "li":
                block.insert(0, NavigableString("• "))
            if block.name == "table":
                continue  # nested tables stay tables
            if block.next_sibling is not None and block.name != "hr":
                block.insert_after(Tag(name="br", can_be_empty_element=True))
            if block.name == "hr":
                block.decompose()
            else:
                block.unwrap()
    markup = nh3.clean(
        str(table),
        tags=set(_TABLE_TAGS | _TABLE_INLINE),
        attributes=_TABLE_ATTRIBUTES,
        url_schemes=set(_SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # One line per row, and no blank line: a raw HTML block ends at a blank line.
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r"\s*(</(?:tr|thead|tbody|tfoot|caption)>|<table>)\s*", r"\1\n", markup)
    headings = [_squash(th.get_text(" ")) for th in table.find_all("th")]
    label = "Table: " + ", ".join(h for h in headings if h) if any(headings) else "Table"
    return (
        f'<div class="table-wrap" role="region" tabindex="0" '
        f'aria-label="{escape_html(label, quote=True)}">\n{markup.strip()}\n</div>'
    )


# -- Writing Markdown -------------------------------------------------------------------

# Python-Markdown (with this site's tables, attr_list, footnotes and toc) reads
# these anywhere in text; each is written backslash-escaped.
_SPECIAL = re.compile(r"[\\`*_{}\[\]|]")
# A `<` that could open a tag, comment or autolink, and an `&` that would spell an entity.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What makes a line a heading, quote, list item, rule, setext underline or fence.
_LINE_START = re.compile(r"^( *)(?:([#>+-])|(\d+)\.(?= |$)|(=+ *$)|(~~~))")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
# What starts a new line in the Markdown: before these, text is at a line's start.
_LINE_BREAKERS = (
    _names("br p div ul ol li blockquote pre table thead tbody tfoot tr td th caption hr")
    | _HEADINGS
    | {RAW_MARKER, "[document]"}
)
# Python-Markdown's limit is the build's: lines over 20,000 characters are refused.
_FOLD_AT = 2000
# Stands for the no-break space that opens a list item holding only code, until the
# Markdown is tidied (which would strip it as trailing space). No input holds a NUL.
_CODE_ITEM = "\x00"


def _escape_line_start(match):
    lead = match[1]
    if match[2]:
        return f"{lead}\\{match[2]}"
    if match[3]:
        return f"{lead}{match[3]}\\."
    if match[4]:
        return f"{lead}&#61;{match[4][1:]}"
    return f"{lead}&#126;~~"


def escape_text(text, line_start=False, inline=False):
    """Escape text so that Python-Markdown shows it as written."""
    text = _SPECIAL.sub(r"\\\g<0>", text)
    text = _ENTITY.sub("&amp;", text)  # before `<` becomes the entity &lt;
    text = _TAG_OPEN.sub("&lt;", text)
    if inline:
        text = text.replace("#", "\\#")  # a heading's closing hashes would be dropped
    elif line_start:
        text = _LINE_START.sub(_escape_line_start, text, count=1)
    if text.endswith("!"):
        text = text[:-1] + "\\!"  # "!" before a link would make it an image
    return text


def _escape_title(text):
    """A link or image title: Python-Markdown reads escapes and code spans inside."""
    return _ENTITY.sub("&amp;", text.replace("\\", "\\\\").replace("`", "\\`"))


def _markdown_url(url):
    """An address as a Markdown link destination."""
    url = url.replace("\\", "%5C").replace("`", "%60").replace('"', "%22").replace("|", "%7C")
    url = url.replace("[", "%5B").replace("]", "%5D")
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _starts_line(node):
    """Whether a text node begins a line of the Markdown."""
    while True:
        previous = node.previous_sibling
        while isinstance(previous, NavigableString) and not previous.strip(" \t\n\r\f"):
            previous = previous.previous_sibling
        if previous is not None:
            return isinstance(previous, Tag) and previous.name in _LINE_BREAKERS
        parent = node.parent
        if parent is None or parent.name in _LINE_BREAKERS:
            return True
        node = parent


def _block_edge(node, direction):
    """Whether the neighbour of node in a direction ends or starts a line."""
    sibling = node.previous_sibling if direction < 0 else node.next_sibling
    if sibling is None:
        return node.parent is not None and node.parent.name in _LINE_BREAKERS
    return isinstance(sibling, Tag) and sibling.name in _LINE_BREAKERS


def _fold(text):
    """Break lines longer than _FOLD_AT at spaces between words: a soft line break in a
    paragraph, and the build refuses very long lines."""
    lines = []
    for line in text.split("\n"):
        while len(line) > _FOLD_AT:
            # Never inside a <...> link destination, which may hold spaces.
            guarded = [m.span() for m in re.finditer(r"\]\(<[^>\n]*>", line)]
            cut = None
            for match in re.finditer(r"(?<=[^\W\d_.,;:]) (?=[^\W\d_])", line[:_FOLD_AT]):
                if not any(start < match.start() < end for start, end in guarded):
                    cut = match.start()
            if not cut:
                break
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines)


class _MarkdownWriter(MarkdownConverter):
    """markdownify, writing for Python-Markdown as this site configures it."""

    def __init__(self, raw_blocks):
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            autolinks=False,
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
            table_infer_header=True,
            sub_symbol="",
            sup_symbol="",
        )
        self.raw_blocks = raw_blocks

    def process_text(self, el, parent_tags=None):
        parent_tags = parent_tags or set()
        text = str(el)
        if "pre" in parent_tags:
            return text
        text = _WHITESPACE.sub(" ", text)
        if _block_edge(el, -1):
            text = text.lstrip(" ")
        if _block_edge(el, 1):
            text = text.rstrip(" ")
        if "_noformat" in parent_tags or not text:
            return text
        return escape_text(text, line_start=_starts_line(el), inline="_inline" in parent_tags)

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        href = el.get("href")
        if not text:
            return ""
        if not href:
            return prefix + text + suffix
        return f"{prefix}[{text}]({_markdown_url(href)}){suffix}"

    def convert_img(self, el, text, parent_tags):
        alt = escape_text(el.get("alt") or "")
        if "_inline" in parent_tags:
            return alt
        title = el.get("title")
        title_part = f' "{_escape_title(title)}"' if title else ""
        return f"![{alt}]({_markdown_url(el.get('src') or '')}{title_part})"

    def convert_hN(self, n, el, text, parent_tags):  # noqa: N802 - markdownify's name
        if "_inline" in parent_tags:
            return text
        text = _WHITESPACE.sub(" ", text).strip()
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n" if text else ""

    def convert_p(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " " + text.strip(" \t\r\n") + " "
        text = text.strip(" \t\r\n")
        return f"\n\n{_fold(text)}\n\n" if text.strip() else ""  # not a lone &nbsp;

    def convert_li(self, el, text, parent_tags):
        # Only newlines are stripped: an item may open with a code block's indent.
        text = (text or "").strip("\n").rstrip()
        if not text.strip():
            return ""
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = int(start) if start.isdigit() else 1
            bullet = f"{number + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        lines = text.split("\n")
        if lines[0].startswith("    "):
            # An item that opens with code needs a first line: Python-Markdown reads
            # "- " alone as text. A no-break space is one that renders as nothing.
            lines[:0] = [_CODE_ITEM, ""]
        lines[0] = lines[0].lstrip()
        # Python-Markdown reads a list item's later lines (and nested lists) by four
        # columns of indent, whatever the marker's width; after code, the next item
        # needs a blank line or it is read into the code.
        rest = "".join("\n" + ("    " + line if line.strip() else "") for line in lines[1:])
        after = "\n" if len(lines) > 1 and lines[-1].startswith("    ") else ""
        return f"{bullet} {lines[0]}{rest}\n{after}"

    def convert_blockquote(self, el, text, parent_tags):
        # As for list items, only newlines are stripped: code may open the quote.
        text = (text or "").strip("\n").rstrip()
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        if not text.strip():
            return "\n"
        quoted = "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))
        return f"\n{quoted}\n\n"

    def convert_pre(self, el, text, parent_tags):
        code = el.get_text().strip("\n")
        if not code.strip():
            return ""
        if "_inline" in parent_tags:
            return " " + escape_text(_WHITESPACE.sub(" ", code).strip()) + " "
        if "li" in parent_tags or "blockquote" in parent_tags:
            # Fences work only at the top level: indented code inside lists and quotes.
            lines = code.split("\n")
            return (
                "\n\n" + "\n".join("    " + line if line.strip() else "" for line in lines) + "\n\n"
            )
        runs = re.findall(r"^`+", code, re.MULTILINE)
        fence = "`" * max(3, max((len(run) + 1 for run in runs), default=3))
        return f"\n\n{fence}{el.get('data-language') or ''}\n{code}\n{fence}\n\n"

    def convert_del(self, el, text, parent_tags):
        prefix, suffix, text = chomp(text)
        return f"{prefix}<del>{text}</del>{suffix}" if text else ""

    def convert_wpsc_markdown(self, el, text, parent_tags):
        index = str(el.get("data-index") or "")
        if not index.isdigit() or int(index) >= len(self.raw_blocks):
            return ""
        return "\n\n" + self.raw_blocks[int(index)] + "\n\n"


# -- Tidying ----------------------------------------------------------------------------

_FENCE = re.compile(r"^(`{3,})[\w+-]*$")
_QUOTE_MARKS = re.compile(r"^[> \t]*")
_TOP_LEVEL_KINDS = (
    ("quote", re.compile(r">")),
    ("ul", re.compile(r"- ")),
    ("ol", re.compile(r"\d+\. ")),
)
# Python-Markdown runs a quote straight after another into one, and a list after a
# list of the other kind into it: an empty comment between keeps them apart.
_SEPARATOR = "<!-- -->"


def _kind(line):
    """What a top-level line starts: a quote, a bulleted or numbered list, or other."""
    if line[:1] in (" ", ""):
        return None  # a list item's later lines, or a blank
    return next((kind for kind, start in _TOP_LEVEL_KINDS if start.match(line)), "other")


def _runs_into(kind, previous):
    return kind == previous == "quote" or {kind, previous} == {"ul", "ol"}


def _tidy(markdown):
    """One blank line between blocks, no trailing spaces but a hard break's two, no blank
    line at either end, one newline at the end; quotes and lists kept apart. Fenced code
    keeps its lines as they are, but for trailing spaces."""
    lines = markdown.split("\n")
    out = []
    fence = None
    previous_kind = None
    for index, line in enumerate(lines):
        if fence is not None:
            out.append(line.rstrip())
            if line.rstrip() == fence:
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening[1]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        stripped = line.rstrip()
        if line.endswith("  ") and stripped and _QUOTE_MARKS.sub("", following):
            stripped += "  "  # a hard break, with more of the paragraph after it
        if not stripped.strip():
            if out and out[-1]:
                out.append("")  # one blank line, however many there were
            continue
        kind = _kind(stripped)
        if kind is not None:
            if out and not out[-1] and _runs_into(kind, previous_kind):
                out.extend([_SEPARATOR, ""])
            previous_kind = kind
        out.append(stripped)
    text = "\n".join(out).strip("\n").replace(_CODE_ITEM, "\xa0")
    return text + "\n" if text else ""
