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


# Only a body holding one of these can hold what the scanner looks for; the
# rest (most articles) skip the parser. The body is lowered first, as the
# parser lowers tag and attribute names and is_executable_url lowers values.
_PARSED_TAGS = ("<img", "<script")
# An event handler, or an entity inside an attribute value (it may spell any
# letter of a scheme).
_HANDLER_OR_ENTITY = re.compile(r"""\son[a-z]+\s*=|=\s*["']?[^"'>\s]*&""")
# Where the schemes may be: is_executable_url drops noise anywhere in a value
# ("javas\ncript:" runs), so look for them with the spaces taken out, and parse
# any body holding other control characters.
_SCHEME_HINTS = ("script:", "data:")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b]")


def worth_parsing(html):
    """Whether html may hold an image, a script, a handler or an executable URL."""
    lowered = html.lower()
    if any(tag in lowered for tag in _PARSED_TAGS) or _HANDLER_OR_ENTITY.search(lowered):
        return True
    spaceless = "".join(lowered.split())  # every space, tab, newline... str.split knows
    return any(hint in spaceless for hint in _SCHEME_HINTS) or bool(_CONTROL.search(lowered))


def scan_body(html):
    """Return (image sources without alt, (attribute, value) pairs that execute)."""
    if not html or not worth_parsing(html):
        return [], []
    scanner = _BodyScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.missing_alt, scanner.executable
