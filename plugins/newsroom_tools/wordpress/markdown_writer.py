"""The cleaned tree written as Markdown, escaped for this site's Python-Markdown, and tidied.

markdownify writes the Markdown (MarkdownWriter), with text escaped for
Python-Markdown as this site configures it (pelicanconf.py MARKDOWN): tables make
`|` special, attr_list makes `{...}` special (it could add any attribute, handlers
too), footnotes and toc make `[^1]` and `[TOC]` special. tidy then leaves one blank
line between blocks, no trailing spaces but the two of a hard break, and one
newline at the end.
"""

import re

from bs4 import NavigableString, Tag
from markdownify import ATX, MarkdownConverter, chomp

from .elements import HEADINGS, RAW_MARKER, element_names

# -- Writing ----------------------------------------------------------------------------

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
    element_names("br p div ul ol li blockquote pre table thead tbody tfoot tr td th caption hr")
    | HEADINGS
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


class MarkdownWriter(MarkdownConverter):
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


def tidy(markdown):
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
