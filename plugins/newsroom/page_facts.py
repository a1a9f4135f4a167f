"""What the output checks read from each page and feed: its links, ids and head; whether
it parses.

Standard library only: the file helper (file_helper.py) imports this as a
module of its own and takes the facts of each page as it writes it, on the
second core while the build renders, handing them on through a file
(save_facts, load_facts); checks.py reads them from the files the helper did
not write.
"""

import html
import os
import pickle
import re
import sys
from xml.etree import ElementTree

# The pages are our own templates' output: attributes are always double-quoted,
# so regular expressions read them correctly and far faster than a parser.
_ATTRIBUTE = re.compile(r'\s(id|href|src)="([^"]*)"')
_TITLE = re.compile(r"<title>([^<]*)</title>")
_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]+"')
_CANONICAL = re.compile(r'<link rel="canonical" href="[^"]+"')


def html_facts(data):
    """Return (ids, urls, title, head) of one HTML page's bytes: its ids, newline-joined;
    the URLs it links to, a tuple; its title; the head entries it has ("description",
    "canonical").

    The URLs are interned: a site's pages share most of their links (navigation,
    tags, authors), so the facts of every page, held at once by the checks, keep
    one copy of each (a tenth as many distinct URLs as links on our sites).
    """
    text = data.decode("utf-8")
    ids, urls = [], []
    for name, value in _ATTRIBUTE.findall(text):
        if not value:
            continue
        if name == "id":
            ids.append(html.unescape(value))
        else:
            urls.append(sys.intern(html.unescape(value) if "&" in value else value))
    title = _TITLE.search(text)
    head = {"description"} if _DESCRIPTION.search(text) else set()
    if _CANONICAL.search(text):
        head.add("canonical")
    title = html.unescape(title[1]) if title else ""
    return "\n".join(ids), tuple(urls), title, frozenset(head)


def xml_error(data):
    """Return why an XML document does not parse, or None."""
    try:
        ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return str(error)
    return None


# The facts the checks take of each kind of file, by the end of its name.
READERS = {".html": html_facts, ".xml": xml_error}


def facts_of(path, data):
    """Return (True, facts) for a file the checks read, (False, None) for any other."""
    read = READERS.get(os.path.splitext(path)[1])
    return (True, read(data)) if read else (False, None)


def save_facts(stream, path, signature, facts):
    """Append one file's facts to a binary stream, for load_facts."""
    pickle.dump((path, signature, facts), stream, protocol=pickle.HIGHEST_PROTOCOL)


def load_facts(stream):
    """Return {path: (signature, facts)} of everything save_facts appended to a stream.

    Each record was pickled alone, so a page's URLs are interned again here,
    one copy of each for the whole site (see html_facts).
    """
    found = {}
    while True:
        try:
            path, signature, facts = pickle.load(stream)
        except EOFError:
            return found
        if path.endswith(".html"):
            facts = (facts[0], tuple(map(sys.intern, facts[1])), *facts[2:])
        found[path] = (signature, facts)
