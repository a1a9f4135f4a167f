"""Read `Key: value` headers, the same format Pelican's Markdown reader uses.

Authors, topics and comments are records rather than Pelican content, so they
are read here; keeping line numbers lets every error point at the right line.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problem, display_path

_HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s?(?P<value>.*)$")


@dataclass
class Record:
    """A record file: its headers (lower-case keys), their lines, and its body."""

    path: str
    meta: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    body: str = ""

    def line_of(self, key):
        """Return the line a header was given on, or 1 when it is absent."""
        return self.lines.get(key, 1)

    def require(self, key):
        """Return a header's value, or raise naming the missing field."""
        value = self.meta.get(key, "").strip()
        if not value:
            raise ContentError(
                Problem(self.path, self.line_of(key), key.title(), "is missing or empty")
            )
        return value


def parse_record(text, path):
    """Split a record into headers and Markdown body."""
    record = Record(path=path)
    lines = text.splitlines()
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        match = _HEADER.match(line)
        if not match:
            if number == 1:
                raise ContentError(
                    Problem(path, 1, "header", "expected `Key: value` lines at the top")
                )
            break
        key = match["key"].lower()
        if key in record.meta:
            raise ContentError(Problem(path, number, match["key"], "is given twice; keep one line"))
        record.meta[key] = match["value"].strip()
        record.lines[key] = number
    else:
        number += 1
    record.body = "\n".join(lines[number:]).strip()
    return record


def read_record(path):
    """Read and parse one record file."""
    return parse_record(Path(path).read_text(encoding="utf-8"), display_path(str(path)))


def split_list(value, separator=","):
    """Split a comma (or other) separated header into trimmed, non-empty items."""
    return [item.strip() for item in value.split(separator) if item.strip()]


def source_line(path, key):
    """Find the header line of `key` in a Pelican source file, for error messages."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            return None
        match = _HEADER.match(line)
        if match and match["key"].lower() == key:
            return number
    return None
