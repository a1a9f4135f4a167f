"""Find internal links and #anchors in the built site that lead nowhere."""

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

_LINK_ATTRIBUTES = {"href", "src"}


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A link on a page whose target file or anchor does not exist."""

    page: str
    url: str
    reason: str

    def __str__(self):
        return f"{self.page}: {self.url}: {self.reason}"


class _PageScanner(HTMLParser):
    """Collect the ids a page defines and the URLs it points to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in _LINK_ATTRIBUTES:
                self.urls.append(value)


def scan(path):
    """Return (ids, urls) of one HTML file."""
    scanner = _PageScanner()
    scanner.feed(path.read_text(encoding="utf-8"))
    return scanner.ids, scanner.urls


def target_file(output, url_path):
    """Map a site path to the file a static server would send, or None."""
    relative = unquote(url_path).lstrip("/")
    candidate = output / relative
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def find_broken_links(output_dir, site_url=""):
    """Check every href and src in every HTML page below output_dir."""
    output = Path(output_dir).resolve()
    site = urlsplit(site_url) if site_url else None
    pages = {page: scan(page) for page in sorted(output.rglob("*.html"))}
    broken = []
    for page, (_, urls) in pages.items():
        page_url = "/" + page.relative_to(output).as_posix()
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data", "tel"):
                continue
            if parts.netloc and not (site and parts.netloc == site.netloc):
                continue  # another site: not ours to check offline
            path, _ = urldefrag(urljoin(page_url, parts.path or page_url))
            if site and parts.netloc:
                path = path.removeprefix(site.path.rstrip("/")) or "/"
            target = target_file(output, path)
            where = page.relative_to(output).as_posix()
            if target is None:
                broken.append(BrokenLink(where, url, "no such file in the output"))
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target.resolve()][0] if target.resolve() in pages else scan(target)[0]
                if unquote(parts.fragment) not in ids:
                    broken.append(BrokenLink(where, url, f"no id {parts.fragment!r} on that page"))
    return broken
