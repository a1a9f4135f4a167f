"""Checks on the finished site: links, anchors, head metadata, feeds.

Run on the staging folder before it replaces the output, and by `invoke check`.
A build reads few files itself: the facts of the pages and feeds its file
helper wrote were taken as they were written (page_facts.py), and a memo file
keeps those of the rest: a file that is the same file as last time (same
inode, size, modification and change times) has the same facts and, while the
site has the same files and no page its anchors point into has changed, the
same link results.
"""

import os
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from .caches import read_cache, write_cache
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
        for folder, dirs, names in os.walk(output):
            relative = os.path.relpath(folder, output).replace(os.sep, "/")
            relative = "" if relative == "." else relative
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

    With a memo, a page read from it keeps last time's result (if that found
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


class FileMemo:
    """What was read from each file, reused while it is the same file (see the module doc)."""

    FORMAT = 8

    def __init__(self, path=None, linked=()):
        self.path, self.previous, self.current = path, {}, {}
        self.linked = linked  # files the build linked from the checked live output
        self.previous_files, self.files_key = None, ""
        self.changed = set()  # files read again this time
        self.old_links, self.new_links = {}, {}
        self.old_targets, self.targets = frozenset(), set()  # files some link led to
        saved = read_cache(path, self.FORMAT) if path else None
        if saved:
            self.previous, self.old_links = saved["files"], saved["links"]
            self.previous_files, self.old_targets = saved["site"], saved["targets"]

    def get(self, output, name, read, fresh):
        """Return read(bytes) for a file: what the file helper found as it wrote the file
        (fresh), or what read() returned for the same file last time, or read() now."""
        stat = os.stat(output / name)
        signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        written = fresh.get(name)
        if written and written[0] == signature[:3]:
            self.changed.add(name)
            self.current[name] = (signature, written[1])
            return written[1]
        known = self.previous.get(name)
        # Linking a file changes its inode's change time; a file the build linked
        # from the output this memo describes is that very file.
        same = (
            known
            and known[0][:3] == signature[:3]
            and (known[0] == signature or name in self.linked)
        )
        if same:
            value = known[1]
        else:
            value = read((output / name).read_bytes())
            self.changed.add(name)
        self.current[name] = (signature, value)
        return value

    def update(self, name, value):
        """Keep another value for a file read this time (its facts, slimmed)."""
        self.current[name] = (self.current[name][0], value)

    def gone(self, files):
        """Return the files of the site at the last check that are missing now (None: there
        was no last check)."""
        self.files_key = "\0".join(sorted(files.files))
        if self.previous_files is None:
            return None
        return set(self.previous_files.split("\0")) - files.files

    def links(self, page):
        """Last time's link result of an unchanged page, or None."""
        return None if page in self.changed else self.old_links.get(page)

    def keep_links(self, page, links):
        self.new_links[page] = links

    def save(self):
        """Keep this check's facts for the next one, if there is a memo file."""
        if self.path:
            write_cache(
                self.path,
                self.FORMAT,
                files=self.current,
                links=self.new_links,
                site=self.files_key,
                targets=frozenset(self.targets),
            )


def check_output(output_dir, site_url="", memo_file=None, linked=(), fresh=None):
    """Return every problem found in a built site.

    memo_file: where to keep file facts between checks; linked: the files a
    build linked unchanged from the output the memo's last check saw; fresh:
    the facts the build's file helper took of the files it wrote, by path
    relative to the output, {path: ((inode, size, mtime), facts)}.
    """
    output = Path(output_dir).resolve()
    site = urlsplit(site_url) if site_url else None
    files, memo = SiteFiles(output), FileMemo(memo_file, linked)
    fresh = {
        name: (signature, PageFacts(*facts) if name.endswith(".html") else facts)
        for name, (signature, facts) in (fresh or {}).items()
    }
    pages = {name: memo.get(output, name, scan_html, fresh) for name in files.ending(".html")}
    xml = {name: memo.get(output, name, xml_error, fresh) for name in files.ending(".xml")}
    problems = [
        *link_problems(output, pages, site, files, memo),
        *head_problems(output, pages),
        *(Problem(name, None, "xml", error) for name, error in xml.items() if error),
    ]
    memo.save()
    return problems
