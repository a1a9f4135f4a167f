"""Checks on the HTML that authors wrote: alt text and executable URLs.

Author Markdown may carry raw HTML (embeds, maps) and that is trusted; a
`javascript:` URL, though, is never what an analysis page needs.
"""

import re
from html.parser import HTMLParser

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href"}
# Browsers drop ASCII whitespace and control characters inside a scheme.
_NOISE = re.compile(r"[\x00-\x20]+")
_EXECUTABLE = ("javascript:", "vbscript:", "data:text/html")


def is_executable_url(value):
    """Return True for javascript:, vbscript: and data:text/html URLs, however disguised."""
    return _NOISE.sub("", value).lower().startswith(_EXECUTABLE)


class _BodyScanner(HTMLParser):
    """Collect images without alt text and executable URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.missing_alt = []
        self.executable = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            self.executable.append(("script", values.get("src") or "<script>"))
        if tag == "img" and not (values.get("alt") or "").strip():
            self.missing_alt.append(values.get("src") or "")
        for name, value in attrs:
            if (
                value
                and (name in _URL_ATTRIBUTES or name.startswith("on"))
                and (name.startswith("on") or is_executable_url(value))
            ):
                self.executable.append((name, value))


# Only a body containing one of these can hold what the scanner looks for;
# the rest (most articles) skip the parser. An entity inside an attribute
# value may spell any letter of a scheme, so those are parsed too.
_WORTH_PARSING = re.compile(
    r"""<img|<script|script:|data:|\son[a-z]+\s*=|=\s*["']?[^"'>\s]*&""", re.I
)


def scan_body(html):
    """Return (image sources without alt, (attribute, value) pairs that execute)."""
    if not _WORTH_PARSING.search(html or ""):
        return [], []
    scanner = _BodyScanner()
    scanner.feed(html or "")
    scanner.close()
    return scanner.missing_alt, scanner.executable
