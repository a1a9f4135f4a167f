"""The output checks' memo: what each file of the last checked site held.

A build reads few files itself: the facts of the pages and feeds its file
helper wrote were taken as they were written (page_facts.py), and the memo
keeps those of the rest: a file that is the same file as last time (same
inode, size, modification and change times) has the same facts and, while the
site has the same files and no page its anchors point into has changed, the
same link results. The checks themselves are the site layer's (checks.py).
"""

import os
from pathlib import Path

from newsroom.checks import PageFacts, SiteFiles, scan_html, site_problems
from newsroom.page_facts import xml_error

from .caches import read_cache, write_cache


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


def check_output_memo(output_dir, site_url, memo_file, linked=(), fresh=None):
    """The site layer's check_output, reading only the files the memo does not know.

    memo_file: where to keep file facts between checks; linked: the files a
    build linked unchanged from the output the memo's last check saw; fresh:
    the facts the build's file helper took of the files it wrote, by path
    relative to the output, {path: ((inode, size, mtime), facts)}.
    """
    output = Path(output_dir).resolve()
    files, memo = SiteFiles(output), FileMemo(memo_file, linked)
    fresh = {
        name: (signature, PageFacts(*facts) if name.endswith(".html") else facts)
        for name, (signature, facts) in (fresh or {}).items()
    }
    pages = {name: memo.get(output, name, scan_html, fresh) for name in files.ending(".html")}
    xml = {name: memo.get(output, name, xml_error, fresh) for name in files.ending(".xml")}
    problems = site_problems(output, pages, xml, site_url, files, memo)
    memo.save()
    return problems
