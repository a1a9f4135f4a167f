"""Look at every file below the content folder before Pelican opens any of them.

Rules (README, "Files the build refuses"): hidden and editor backup files are
ignored; symlinks, pipes and other special files are refused; text sources must
be small, UTF-8 without a byte-order mark, free of control bytes, named `.md`,
and shaped so the Markdown parser stays fast.
"""

import fnmatch
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, display_path

MAX_SOURCE_BYTES = 1024 * 1024
MAX_STATIC_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_LINKS_PER_BLOCK = 500
MAX_EMPHASIS_RUN = 64
MAX_NESTING = 16
MAX_INDENT = 64
IGNORED = (".*", "*~", "#*#", "*.swp", "*.swo", "*.bak", "*.tmp", "*.orig")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPECIAL_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass
class SourceFile:
    """A Markdown source that passed the file checks, with its decoded text."""

    path: str
    kind: str  # article, page, author, topic or comment
    text: str


def is_ignored(name):
    """Hidden files and editor leftovers are never content."""
    return any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED)


def source_kinds(settings, options):
    """Map each content subfolder to the kind of Markdown it holds."""
    kinds = {path: "article" for path in settings["ARTICLE_PATHS"]}
    kinds.update({path: "page" for path in settings["PAGE_PATHS"]})
    kinds[options["authors_path"]] = "author"
    kinds[options["topics_path"]] = "topic"
    kinds[options["comments_path"]] = "comment"
    return kinds


def kind_of(relative, kinds):
    """Return the kind of source a path below PATH is, or None for static files."""
    for folder, kind in kinds.items():
        if relative == folder or relative.startswith(folder.rstrip("/") + "/"):
            return kind
    return None


def check_markdown_shape(text, path):
    """Refuse Markdown shaped to exhaust the parser: huge lines, deep nesting, link storms."""
    problems = []
    fenced = False
    block_links = block_start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip():
            block_links, block_start = 0, number + 1
        if len(line) > MAX_LINE_CHARS:
            problems.append(
                Problem(
                    path,
                    number,
                    "body",
                    f"line is {len(line):,} characters; the limit is "
                    f"{MAX_LINE_CHARS:,}: break it into paragraphs",
                )
            )
            continue
        if fenced:
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        quotes = len(re.match(r"^[\s>]*", line)[0].replace(" ", "").replace("\t", ""))
        if quotes > MAX_NESTING or indent > MAX_INDENT:
            problems.append(
                Problem(
                    path,
                    number,
                    "body",
                    f"nesting is too deep; at most {MAX_NESTING} levels of "
                    f"quotes or lists and {MAX_INDENT} columns of indent",
                )
            )
        runs = re.findall(rf"[*_]{{{MAX_EMPHASIS_RUN + 1},}}", line)
        if runs and line.strip() not in runs:
            problems.append(
                Problem(
                    path,
                    number,
                    "body",
                    f"a run of {len(runs[0])} emphasis markers; at most {MAX_EMPHASIS_RUN}",
                )
            )
        block_links += line.count("[")
        if block_links > MAX_LINKS_PER_BLOCK:
            problems.append(
                Problem(
                    path,
                    block_start or number,
                    "body",
                    f"a paragraph holds more than {MAX_LINKS_PER_BLOCK} '['; split it",
                )
            )
            block_links = -(10**9)  # report each paragraph once
    return problems


def decode(data, path):
    """Return the text of a source file, or the problem that stops it being read."""
    if not data.strip():
        return None, Problem(path, None, "file", "is empty; write headers and a body")
    if data.startswith(b"\xef\xbb\xbf"):
        return None, Problem(
            path, 1, "file", "starts with a byte-order mark; save it as UTF-8 without BOM"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, Problem(
            path,
            line,
            "file",
            f"is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8",
        )
    match = _CONTROL.search(text)
    if match:
        line = text[: match.start()].count("\n") + 1
        return None, Problem(
            path,
            line,
            "file",
            f"contains the control character U+{ord(match[0]):04X}; "
            "binary files do not belong here",
        )
    return text, None


def check_entry(full, relative, kind):
    """Check one directory entry without following it; return (problem, is_text)."""
    info = os.lstat(full)
    path = display_path(full)
    if stat.S_ISLNK(info.st_mode):
        target = os.readlink(full)
        return Problem(
            path,
            None,
            "file",
            f"is a symlink (to {target!r}); symlinks are not followed: copy the file in instead",
        ), False
    if not stat.S_ISREG(info.st_mode):
        what = _SPECIAL_KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        return Problem(path, None, "file", f"is {what}; only regular files are read"), False
    limit = MAX_STATIC_BYTES if kind is None else MAX_SOURCE_BYTES
    if info.st_size > limit:
        return Problem(
            path, None, "file", f"is {info.st_size:,} bytes; the limit is {limit:,}"
        ), False
    if kind is None:
        return None, False
    suffix = Path(relative).suffix
    if suffix != ".md":
        hint = (
            "rename it to end in .md"
            if suffix.lower() in {".md", ".markdown", ".mdown"}
            else f"only Markdown (.md) files belong in the {kind}s folder"
        )
        return Problem(path, None, "file", f"has the extension {suffix!r}; {hint}"), False
    return None, True


def scan_content(content_path, settings, options):
    """Walk the content folder; return readable sources and every problem found."""
    kinds = source_kinds(settings, options)
    sources, problems = [], []
    for folder, dirs, files in os.walk(content_path, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(dirs + files):
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, content_path).replace(os.sep, "/")
            if name in dirs and not os.path.islink(full):
                continue
            if is_ignored(name):
                continue
            kind = kind_of(relative, kinds)
            problem, is_text = check_entry(full, relative, kind)
            if problem:
                problems.append(problem)
            if not is_text:
                continue
            with open(full, "rb") as handle:
                text, problem = decode(handle.read(), display_path(full))
            if problem:
                problems.append(problem)
                continue
            shape = check_markdown_shape(text, display_path(full))
            problems.extend(shape)
            if not shape:
                sources.append(SourceFile(display_path(full), kind, text))
    return sources, problems
