"""Read `Key: value` headers, the same format Pelican's Markdown reader uses.

Authors, topics and comments are records rather than Pelican content, so they
are read here; keeping line numbers lets every error point at the right line.
"""

import difflib
import re
from dataclasses import dataclass, field

from .errors import ContentError, Problem

_HEADER = re.compile(r"^ {0,3}(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s?(?P<value>.*)$")
_CONTINUATION = re.compile(r"^ {4,}\S")


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
    """Split a record into headers and Markdown body.

    Follows Python-Markdown's meta extension, which Pelican uses: `Key: value`
    lines up to the first blank line, and lines indented by four or more spaces
    continue the previous value.
    """
    record = Record(path=path)
    lines = text.splitlines()
    if lines and re.match(r"^-{3,}\s*$", lines[0]):
        raise ContentError(
            Problem(
                path,
                1,
                "header",
                "YAML front matter (---) is not read; "
                "write `Key: value` lines without the --- fences",
            )
        )
    number, key = 0, None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        if key and _CONTINUATION.match(line):
            record.meta[key] += " " + line.strip()
            continue
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


def unknown_keys(record, allowed, kind):
    """Return a problem for each header a record kind does not know, suggesting a close one."""
    problems = []
    for key in record.meta:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0].title()!r}? " if close else ""
        names = ", ".join(sorted(name.title() for name in allowed))
        problems.append(
            Problem(
                record.path,
                record.line_of(key),
                key.title(),
                f"is not {kind} field; {hint}allowed: {names}",
            )
        )
    return problems


def check_keys(record, allowed, kind):
    """Raise for the first unknown header of a record (authors, topics, comments)."""
    problems = unknown_keys(record, allowed, kind)
    if problems:
        raise ContentError(problems[0])


def split_list(value, separator=","):
    """Split a comma (or other) separated header into trimmed, non-empty items."""
    return [item.strip() for item in value.split(separator) if item.strip()]


def header_line(text, key):
    """Find the line of header `key` in a source text, for error messages."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            return None
        match = _HEADER.match(line)
        if match and match["key"].lower() == key:
            return number
    return None


def text_line(text, needle):
    """Return the first line containing `needle`, or None."""
    index = text.find(needle)
    return text[:index].count("\n") + 1 if index >= 0 else None
