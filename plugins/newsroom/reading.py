"""Reading aids computed from an article's HTML: reading time and table of contents."""

import math
import re
from dataclasses import dataclass

from markupsafe import Markup

WORDS_PER_MINUTE = 220
# A contents list helps once an article has this many sections.
TOC_MIN_SECTIONS = 4
_TAGS = re.compile(r"<[^>]+>")
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


@dataclass(frozen=True)
class TocEntry:
    """One heading in an article's table of contents."""

    level: int
    anchor: str
    title: Markup


def word_count(html):
    """Count the words of an HTML fragment."""
    return len(_TAGS.sub(" ", html or "").split())


def reading_minutes(html):
    """Return whole minutes to read an HTML fragment, at least one."""
    return minutes_for(word_count(html))


def minutes_for(words):
    """Return whole minutes to read so many words, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def table_of_contents(html):
    """Return the h2/h3 headings of a fragment, or [] when it is too short to need one."""
    entries = [
        TocEntry(int(level), anchor, Markup(_PERMALINK.sub("", inner).strip()))
        for level, anchor, inner in _HEADING.findall(html or "")
    ]
    sections = sum(1 for entry in entries if entry.level == 2)
    return entries if sections >= TOC_MIN_SECTIONS else []
