"""What a first visit to one page downloads before it can render, from the built files.

Counted, in the order a browser meets them:

- the HTML itself;
- stylesheets linked in <head> (rel=stylesheet, not disabled, media not `print`),
  and every stylesheet they pull in with @import, recursively;
- render-blocking scripts: <script src> in <head> without async, defer or
  type=module;
- fonts named in @font-face rules of those stylesheets (the first url() of each
  src, the one a browser tries first). A font counts as a request before first
  render unless its rule says font-display: swap, fallback or optional.

Not counted: images, icons, feeds, and scripts that are async, deferred, modules
or in <body> (listed separately as deferred JS). Sizes are the files' bytes, and
gzip at level 6 (a common server setting) of each file on its own. URLs are
resolved against the output folder; a resource on another host counts as a
request of unknown size.

Images are weighed apart, in a browser (lead_images): Chromium, through
Playwright, opens article pages as a phone 390 px wide at a device pixel ratio
of 2 (PHONE), from a local HTTP server on the output folder, and adds up the
bytes of every image response of each page's lead image (a file named after its
upload): the rendition the browser chose from the page's <picture>, srcset and
sizes, and anything else of that image it fetched.
"""

import functools
import gzip
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

GZIP_LEVEL = 6
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)["']?\s*\)?[^;]*;""")
_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.IGNORECASE)
_SRC_URL = re.compile(r"""src\s*:[^;]*?url\(\s*["']?([^"')]+)["']?\s*\)""", re.IGNORECASE)
_DISPLAY = re.compile(r"font-display\s*:\s*(\w+)", re.IGNORECASE)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
NON_BLOCKING_DISPLAY = {"swap", "fallback", "optional"}
SEARCH_INDEX_CANDIDATES = ("search-index", "pagefind", "search.json", "search_index.json")
# The phone of the lead image budget, and the browser that plays it.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]


@dataclass
class Resource:
    kind: str  # html, css, js, font
    url: str
    raw: int | None  # None: on another host, size unknown
    gzip: int | None
    blocking: bool


@dataclass
class PageWeight:
    page: str
    resources: list = field(default_factory=list)
    deferred_js: list = field(default_factory=list)

    @property
    def requests_before_render(self):
        return sum(1 for r in self.resources if r.blocking)

    def total(self, attribute, kinds=None):
        return sum(
            getattr(r, attribute) or 0 for r in self.resources if kinds is None or r.kind in kinds
        )

    @property
    def blocking_js(self):
        return [r for r in self.resources if r.kind == "js" and r.blocking]


class _HeadScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_head = True
        self.stylesheets, self.blocking_scripts, self.other_scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        values = {name: (value or "") for name, value in attrs}
        if tag == "body":
            self.in_head = False
        elif tag == "link" and self.in_head:
            rels = values.get("rel", "").lower().split()
            media = values.get("media", "all").lower()
            if (
                "stylesheet" in rels
                and "alternate" not in rels
                and "disabled" not in values
                and media.strip() != "print"
                and values.get("href")
            ):
                self.stylesheets.append(values["href"])
        elif tag == "script" and values.get("src"):
            deferred = (
                "async" in values
                or "defer" in values
                or values.get("type", "").lower() == "module"
                or not self.in_head
            )
            (self.other_scripts if deferred else self.blocking_scripts).append(values["src"])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def local_file(output, base_url, url):
    """Return the output file a URL leads to, or None if it is on another host."""
    parts = urlsplit(urljoin(base_url, url))
    if parts.scheme not in ("", "file") or parts.netloc:
        return None
    target = Path(output) / unquote(parts.path).lstrip("/")
    return target / "index.html" if parts.path.endswith("/") else target


def measure(path):
    if path is None or not path.is_file():
        return None, None
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, GZIP_LEVEL, mtime=0))


def page_weight(output, page):
    """Measure the first visit to one built page (a path inside the output folder)."""
    output, page = Path(output), Path(page)
    page_url = "/" + page.relative_to(output).as_posix()
    weight = PageWeight(page_url)
    raw, packed = measure(page)
    weight.resources.append(Resource("html", page_url, raw, packed, True))
    scanner = _HeadScanner()
    scanner.feed(page.read_text(encoding="utf-8"))
    seen = set()

    def add_css(url, base):
        absolute = urljoin(base, url)
        if absolute in seen:
            return
        seen.add(absolute)
        file = local_file(output, base, url)
        raw, packed = measure(file)
        weight.resources.append(Resource("css", absolute, raw, packed, True))
        if raw is None:
            return
        css = _COMMENT.sub("", file.read_text(encoding="utf-8", errors="replace"))
        for imported in _IMPORT.findall(css):
            add_css(imported, absolute)
        for rule in _FONT_FACE.findall(css):
            match = _SRC_URL.search(rule)
            if not match:
                continue
            font_url = urljoin(absolute, match[1])
            if font_url in seen:
                continue
            seen.add(font_url)
            display = _DISPLAY.search(rule)
            blocking = not (display and display[1].lower() in NON_BLOCKING_DISPLAY)
            raw, packed = measure(local_file(output, absolute, match[1]))
            weight.resources.append(Resource("font", font_url, raw, packed, blocking))

    for href in scanner.stylesheets:
        add_css(href, page_url)
    for src in scanner.blocking_scripts:
        raw, packed = measure(local_file(output, page_url, src))
        weight.resources.append(Resource("js", urljoin(page_url, src), raw, packed, True))
    for src in scanner.other_scripts:
        raw, packed = measure(local_file(output, page_url, src))
        weight.deferred_js.append(Resource("js", urljoin(page_url, src), raw, packed, False))
    return weight


def search_index(output):
    """Return (name, bytes, files) of the site's search index, or None if it has none."""
    for name in SEARCH_INDEX_CANDIDATES:
        path = Path(output) / name
        if path.is_dir():
            files = [f for f in path.rglob("*") if f.is_file()]
            return name, sum(f.stat().st_size for f in files), len(files)
        if path.is_file():
            return name, path.stat().st_size, 1
    return None


@dataclass
class LeadImage:
    """What a phone downloaded of one page's lead image."""

    page: str  # the page's path on the site
    shown: str  # the rendition the image element shows (its currentSrc), "" if none
    downloads: list = field(default_factory=list)  # [URL path, bytes] of each response

    @property
    def bytes(self):
        return sum(size for _, size in self.downloads)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve the output folder as a static host does (index.html for a folder)."""

    def log_message(self, *args):
        """Say nothing: the benchmark prints its own progress."""


def lead_images(output, pages, chromium=CHROMIUM):
    """Open each page as PHONE in Chromium and weigh its lead image.

    pages: (path of the page's file in the output, stem of its featured image's upload,
    such as `report-x` for images/photos/report-x.jpg). Renditions are named after the
    upload (images/photos/report-x-720.<hash>.avif), so every image response whose file
    name starts with the stem and a hyphen is the lead image's. Returns a LeadImage per
    page; raises RuntimeError when Playwright or Chromium is missing.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as missing:
        raise RuntimeError(f"Playwright is not installed ({missing})") from None
    if not Path(chromium).is_file():
        raise RuntimeError(f"no Chromium at {chromium}")
    output = Path(output)
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    found = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                for file, stem in pages:
                    found.append(_weigh_lead(browser, base, output, Path(file), stem))
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return found


def _weigh_lead(browser, base, output, file, stem):
    """One page in a fresh browser context (an empty cache): its lead image's bytes."""
    relative = file.relative_to(output).as_posix()
    path = "/" + (relative[: -len("index.html")] if file.name == "index.html" else relative)
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(base + path, wait_until="load")  # the lead image is eager: loaded by then
        shown = page.evaluate(
            """stem => {
                const mine = [...document.images].find(
                    img => img.currentSrc.split("/").pop().startsWith(stem + "-"));
                return mine ? mine.currentSrc : "";
            }""",
            stem,
        )
        downloads = []
        for response in responses:
            name = urlsplit(response.url).path
            if response.request.resource_type == "image" and name.rsplit("/", 1)[-1].startswith(
                stem + "-"
            ):
                downloads.append([name, len(response.body())])
        shown_path = urlsplit(shown).path if shown else ""
        return LeadImage(path, shown_path, downloads)
    finally:
        context.close()
