"""Checks on the finished site: links, anchors, head metadata, feeds.

Run on the staging folder before it replaces the output, and by `invoke check`.
"""

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from .errors import Problem


@dataclass
class PageFacts:
    """What one HTML page defines and points to."""

    ids: set = field(default_factory=set)
    urls: list = field(default_factory=list)
    title: str = ""
    head: set = field(default_factory=set)


# The pages are our own templates' output: attributes are always double-quoted,
# so regular expressions read them correctly and far faster than a parser.
_ATTRIBUTE = re.compile(r'\s(id|href|src)="([^"]*)"')
_TITLE = re.compile(r"<title>([^<]*)</title>")
_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]+"')
_CANONICAL = re.compile(r'<link rel="canonical" href="[^"]+"')


def scan_page(path):
    """Return the facts of one HTML file."""
    text = path.read_text(encoding="utf-8")
    facts = PageFacts()
    for name, value in _ATTRIBUTE.findall(text):
        if not value:
            continue
        value = html.unescape(value)
        if name == "id":
            facts.ids.add(value)
        else:
            facts.urls.append(value)
    title = _TITLE.search(text)
    facts.title = html.unescape(title[1]) if title else ""
    if _DESCRIPTION.search(text):
        facts.head.add("description")
    if _CANONICAL.search(text):
        facts.head.add("canonical")
    return facts


class SiteFiles:
    """Every file and folder of a built site, to resolve links without touching the disk."""

    def __init__(self, output):
        self.files, self.folders = set(), {""}
        for folder, dirs, names in os.walk(output):
            relative = os.path.relpath(folder, output).replace(os.sep, "/")
            relative = "" if relative == "." else relative
            self.folders.update(f"{relative}/{d}".lstrip("/") for d in dirs)
            self.files.update(f"{relative}/{n}".lstrip("/") for n in names)
        self._targets = {}

    def target(self, url_path):
        """Map a site path to the file a static server would send, or None."""
        if url_path not in self._targets:
            relative = unquote(url_path).strip("/")
            if url_path.endswith("/") or relative in self.folders:
                relative = f"{relative}/index.html".lstrip("/")
            self._targets[url_path] = relative if relative in self.files else None
        return self._targets[url_path]


def link_problems(output, pages, site):
    """Yield a problem for each internal link or #anchor that leads nowhere."""
    files = SiteFiles(output)
    for where, facts in pages.items():
        for url in facts.urls:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data", "tel"):
                continue
            if parts.netloc and not (site and parts.netloc == site.netloc):
                continue  # another site: not ours to check offline
            path = parts.path or "/" + where
            if not path.startswith("/"):
                path = urljoin("/" + where, path)
            if site and parts.netloc:
                path = path.removeprefix(site.path.rstrip("/")) or "/"
            target = files.target(path)
            if target is None:
                yield Problem(where, None, "link", f"{url!r} leads to no file in the output")
            elif parts.fragment and target.endswith(".html"):
                ids = pages[target].ids if target in pages else scan_page(output / target).ids
                if unquote(parts.fragment) not in ids:
                    yield Problem(
                        where, None, "link", f"{url!r}: that page has no id {parts.fragment!r}"
                    )


def head_problems(output, pages):
    """Yield a problem for each page without a title, description or canonical link."""
    for where, facts in pages.items():
        if not facts.title.strip():
            yield Problem(where, None, "head", "has no <title>")
        for needed in sorted({"description", "canonical"} - facts.head):
            yield Problem(where, None, "head", f"has no {needed}")


def xml_problems(output):
    """Yield a problem for each feed or sitemap that does not parse."""
    for path in sorted(output.rglob("*.xml")):
        try:
            ElementTree.parse(path)
        except ElementTree.ParseError as error:
            yield Problem(path.relative_to(output).as_posix(), None, "xml", str(error))


def check_output(output_dir, site_url=""):
    """Return every problem found in a built site."""
    output = Path(output_dir).resolve()
    site = urlsplit(site_url) if site_url else None
    pages = {
        page.relative_to(output).as_posix(): scan_page(page)
        for page in sorted(output.rglob("*.html"))
    }
    return [
        *link_problems(output, pages, site),
        *head_problems(output, pages),
        *xml_problems(output),
    ]
