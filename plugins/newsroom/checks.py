"""Checks on the finished site: links, anchors, head metadata, feeds.

Run on the staging folder before it replaces the output, and by `invoke check`.
Every page and feed is read; the speed layer's memo (newsroom_speed/check_memo.py)
can stand in for files it knows unchanged.
"""

import os
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from .errors import Problem
from .page_facts import html_facts, xml_error


class PageFacts(NamedTuple):
    """What one HTML page defines and points to.

    Strings and tuples (a memo of thousands of pages loads far quicker that
    way), the ids split only when a check needs them; the memo keeps no links
    (a page checked again is read again).
    """

    id_text: str
    urls: tuple  # None once the page's links are checked
    title: str
    head: frozenset

    @property
    def ids(self):
        return set(self.id_text.split("\n")) if self.id_text else set()


def scan_page(path):
    """Return the facts of one HTML file."""
    return scan_html(path.read_bytes())


def scan_html(data):
    """Return the facts of one HTML page's bytes."""
    return PageFacts(*html_facts(data))


class SiteFiles:
    """Every file and folder of a built site, to resolve links without touching the disk."""

    def __init__(self, output):
        self.files, self.folders = set(), {""}
        root = str(output)
        for folder, dirs, names in os.walk(output):
            relative = folder[len(root) + 1 :].replace(os.sep, "/")  # os.walk joins onto root
            self.folders.update(f"{relative}/{d}".lstrip("/") for d in dirs)
            self.files.update(f"{relative}/{n}".lstrip("/") for n in names)
        self._targets = {}

    def ending(self, suffix):
        """Every file whose name ends with suffix, sorted."""
        return sorted(name for name in self.files if name.endswith(suffix))

    def target(self, url_path):
        """Map a site path to the file a static server would send, or None."""
        if url_path not in self._targets:
            relative = unquote(url_path).strip("/")
            if url_path.endswith("/") or relative in self.folders:
                relative = f"{relative}/index.html".lstrip("/")
            self._targets[url_path] = relative if relative in self.files else None
        return self._targets[url_path]


class LinkResolver:
    """Resolve links to files in the output, once per distinct link.

    Most links (navigation, tags, authors) repeat on every page; a link that
    does not depend on the page it is on is resolved once.
    """

    def __init__(self, files, site):
        self.files, self.site, self.known = files, site, {}

    def resolve(self, url, where):
        """Return (file or None, fragment), or None for a link not ours to check."""
        if url.startswith("#"):  # an anchor on the page itself: nothing to look up or keep
            return (where if where in self.files.files else None), url[1:]
        independent = url.startswith("/") and not url.startswith("//")
        independent |= "://" in url
        key = url if independent else (where, url)
        if key not in self.known:
            self.known[key] = self._resolve(url, where)
        return self.known[key]

    def _resolve(self, url, where):
        parts, site = urlsplit(url), self.site
        if parts.scheme in ("mailto", "data", "tel"):
            return None
        if parts.netloc and not (site and parts.netloc == site.netloc):
            return None  # another site: not ours to check offline
        path = parts.path or "/" + where
        if not path.startswith("/"):
            path = urljoin("/" + where, path)
        if site and parts.netloc:
            path = path.removeprefix(site.path.rstrip("/")) or "/"
        return self.files.target(path), parts.fragment


class PageLinks(NamedTuple):
    """The link check of one page: its problems and the pages its #anchors point into."""

    problems: tuple
    anchored: frozenset


def page_links(where, facts, resolver, pages, output, targets):
    """Check one page's links and #anchors; return PageLinks. Every file a link leads to
    is added to `targets`."""
    problems, anchored = [], set()
    for url in facts.urls:
        resolved = resolver.resolve(url, where)
        if resolved is None:
            continue
        target, fragment = resolved
        targets.add(target)
        if target is None:
            problems.append(Problem(where, None, "link", f"{url!r} leads to no file in the output"))
        elif fragment and target.endswith(".html"):
            anchored.add(target)
            ids = pages[target].ids if target in pages else scan_page(output / target).ids
            if unquote(fragment) not in ids:
                problems.append(
                    Problem(where, None, "link", f"{url!r}: that page has no id {fragment!r}")
                )
    return PageLinks(tuple(problems), frozenset(anchored))


def link_problems(output, pages, site, files=None, memo=None):
    """Yield a problem for each internal link or #anchor that leads nowhere.

    memo: the speed layer's record of the last check (check_memo.FileMemo), or
    None. With one, a page read from it keeps last time's result (if that found
    nothing) while no file any link led to last time has gone and the pages
    its anchors point into have not changed.
    """
    files = files or SiteFiles(output)
    resolver = LinkResolver(files, site)
    gone = memo.gone(files) if memo is not None else None  # None: no earlier listing
    reuse = gone is not None and gone.isdisjoint(memo.old_targets)
    targets = set(memo.old_targets) if memo is not None else set()
    for where, facts in pages.items():
        known = memo.links(where) if reuse else None
        if known is None or known.problems or known.anchored & memo.changed:
            if facts.urls is None:  # from the memo, which keeps no links
                facts = scan_page(output / where)
            known = page_links(where, facts, resolver, pages, output, targets)
        if facts.urls is not None:  # done with this page's links: free them
            pages[where] = facts._replace(urls=None)
            if memo is not None:
                memo.update(where, pages[where])
        if memo is not None:
            memo.keep_links(where, known)
        yield from known.problems
    if memo is not None:  # every file a link leads to (a superset: pages change)
        memo.targets = {sys.intern(target) for target in targets if target in files.files}


def head_problems(output, pages):
    """Yield a problem for each page without a title, description or canonical link."""
    for where, facts in pages.items():
        if not facts.title.strip():
            yield Problem(where, None, "head", "has no <title>")
        for needed in sorted({"description", "canonical"} - facts.head):
            yield Problem(where, None, "head", f"has no {needed}")


def check_output(output_dir, site_url=""):
    """Return every problem found in a built site."""
    output = Path(output_dir).resolve()
    files = SiteFiles(output)
    pages = {name: scan_page(output / name) for name in files.ending(".html")}
    xml = {name: xml_error((output / name).read_bytes()) for name in files.ending(".xml")}
    return site_problems(output, pages, xml, site_url, files)


def site_problems(output, pages, xml, site_url, files, memo=None):
    """Return the problems of a site's pages ({name: PageFacts}) and feeds ({name: XML
    error or None}); memo: see link_problems."""
    site = urlsplit(site_url) if site_url else None
    return [
        *link_problems(output, pages, site, files, memo),
        *head_problems(output, pages),
        *(Problem(name, None, "xml", error) for name, error in xml.items() if error),
    ]
