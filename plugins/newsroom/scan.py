"""Look at every file below the content folder before Pelican opens any of them.

Rules (README, "Files the build refuses"): hidden and editor backup files are
ignored; symlinks, pipes and other special files are refused; text sources must
be small, UTF-8 (a byte-order mark is dropped), free of control bytes, named `.md`,
and shaped so the Markdown parser stays fast; redirect maps are `.txt` text.
"""

import fnmatch
import hashlib
import os
import re
import stat
from pathlib import Path

from .errors import Problem, display_path

MAX_SOURCE_BYTES = 1024 * 1024
MAX_STATIC_BYTES = 20 * 1024 * 1024
# Podcast audio (podcast.py) is larger: allowed below content/audio/ only.
AUDIO_FOLDER = "audio"
AUDIO_SUFFIXES = (".mp3", ".m4a")
# Redirect maps (redirect_map.py): text read by the build, not Markdown, never published.
REDIRECT_KIND = "redirect"
MAX_AUDIO_BYTES = 200 * 1024 * 1024
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


class SourceFile:
    """A Markdown source that passed the file checks.

    Its text is read when first asked for: a warm build knows an unchanged
    file by its digest and need not read it at all.
    """

    def __init__(self, path, kind, text=None, full=None, digest=None, header_digest=None):
        self.path = path  # as shown to authors
        self.kind = kind  # article, page, author, topic, comment or redirect (a map)
        self.full = full or path
        self._text = text
        self.digest = digest or text_digest(text)
        self.header_digest = header_digest or text_digest(header_of(text))

    @property
    def text(self):
        if self._text is None:
            with open(self.full, "rb") as handle:
                self._text = handle.read().decode("utf-8-sig")
        return self._text

    def forget_text(self):
        """Drop the text from memory; it is read again if asked for."""
        self._text = None


def text_digest(text):
    """Identify a source's text."""
    return hashlib.sha256(text.encode()).hexdigest()


def header_of(text):
    """Return a source's headers: the lines before the first blank one."""
    lines = []
    for line in text.splitlines():
        if not line.strip():
            break
        lines.append(line)
    return "\n".join(lines)


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
    kinds[options["redirects_path"]] = "redirect"
    return kinds


def kind_of(relative, kinds):
    """Return the kind of source a path below PATH is, or None for static files."""
    for folder, kind in kinds.items():
        if relative == folder or relative.startswith(folder.rstrip("/") + "/"):
            return kind
    return None


# What Python-Markdown nests into, one call deeper each time, as a line opens:
# a quote marker, a list marker (`-`, `*`, `+`, `1.`; `1)` too, to be safe)
# followed by a space, and four columns of indent (a nested list or code
# block). Tabs count as Python-Markdown expands them, to the next multiple of 4.
_OPENER = re.compile(r"( *)(>|(?:[*+-]|\d+[.)])(?= ))")
_TAB_LENGTH = 4
# Raw HTML blocks nest by these tags (Python-Markdown's block-level ones that
# need an end tag); tags with optional end tags (p, li, td) never pile up.
_HTML_CONTAINERS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "main",
        "nav",
        "ol",
        "section",
        "table",
        "ul",
    }
)
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_CODE_SPAN = re.compile(r"`[^`]*`")  # what `<div>` shows is no tag


def is_rule(text):
    """Whether text is a horizontal rule as Python-Markdown reads one (`- - -`, `***`):
    three or more of one marker, at most two spaces apart, nothing else."""
    body = text.strip(" ")
    if len(body) < 3 or body[0] not in "-*_" or set(body) - {body[0], " "}:
        return False
    return body.count(body[0]) >= 3 and "   " not in body and len(text) - len(text.lstrip(" ")) < 4


def nesting_of(line):
    """Return (levels, columns): how deep Python-Markdown nests a line's content, and
    the columns of its leading indent.

    Every quote marker, list marker and four columns of indent before the text is
    one level, wherever it stands: `- > 1. x` is three, `        - x` is three.
    Spaces after a list marker belong to it; a quote marker takes one with it.
    """
    line = line.expandtabs(_TAB_LENGTH) if "\t" in line else line
    columns = len(line) - len(line.lstrip(" "))
    levels, position, takes = 0, 0, 0  # takes: spaces the last marker keeps
    rule_from = len(line.rstrip("-*_ "))  # a rule runs to the end of the line
    while True:
        if position >= rule_from and is_rule(line[position:]):
            return levels, columns  # `- - -` alone is a rule, not three lists
        match = _OPENER.match(line, position)
        if not match:
            break
        levels += max(len(match[1]) - takes, 0) // _TAB_LENGTH + 1
        position = match.end()
        if match[2] == ">":
            takes = 1
        else:  # a list item's text starts after all the spaces
            takes, position = 0, len(line) - len(line[position:].lstrip(" "))
    rest = line[position:]
    if rest.strip():
        levels += max(len(rest) - len(rest.lstrip(" ")) - takes, 0) // _TAB_LENGTH
    return levels, columns


def html_depth_change(line, depth):
    """Return (depth after the line, deepest point within it) of raw HTML block tags."""
    deepest = depth
    for closing, name, self_closing in _HTML_TAG.findall(_CODE_SPAN.sub("", line)):
        if name.lower() not in _HTML_CONTAINERS or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return depth, deepest


def body_lines(text):
    """Yield (line number, line, whether it is inside a fenced code block)."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        yield number, line, fenced


def deepest_line(text):
    """Return (line number, levels) of the most deeply nested line (nesting_of), or (None, 0)."""
    found = (None, 0)
    for number, line, fenced in body_lines(text):
        if not fenced and line.strip():
            levels = nesting_of(line)[0]
            if levels > found[1]:
                found = (number, levels)
    return found


def too_deep(path, number, what):
    """The problem of a line nested deeper than the Markdown parser is allowed to go."""
    return Problem(
        path,
        number,
        "body",
        f"nesting is too deep ({what}); at most {MAX_NESTING} levels of quotes, lists, "
        f"indented blocks or HTML blocks and {MAX_INDENT} columns of indent: flatten it",
    )


def check_markdown_shape(text, path):
    """Refuse Markdown shaped to exhaust the parser: huge lines, deep nesting, link storms."""
    problems = []
    block_links = block_start = html_depth = 0
    for number, line, fenced in body_lines(text):
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
        levels, columns = nesting_of(line)
        if levels > MAX_NESTING:
            problems.append(too_deep(path, number, f"{levels} levels"))
        elif columns > MAX_INDENT:
            problems.append(too_deep(path, number, f"{columns} columns of indent"))
        if "<" in line:
            was_within = html_depth <= MAX_NESTING
            html_depth, deepest = html_depth_change(line, html_depth)
            if deepest > MAX_NESTING and was_within:  # report where it goes too deep
                problems.append(too_deep(path, number, f"{deepest} levels of HTML blocks"))
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
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return None, Problem(path, None, "file", "is empty; write headers and a body")
    try:
        # utf-8-sig: a byte-order mark, which Windows editors add unseen, is dropped
        # (Pelican's own reader drops it too).
        text = data.decode("utf-8-sig")
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


def static_limit(relative):
    """The size limit of a static file: podcast audio below audio/ may be larger."""
    if relative.startswith(AUDIO_FOLDER + "/") and relative.lower().endswith(AUDIO_SUFFIXES):
        return MAX_AUDIO_BYTES
    return MAX_STATIC_BYTES


def check_entry(full, relative, kind, info=None):
    """Check one directory entry without following it; return (problem, is_text)."""
    info = info or os.lstat(full)
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
    limit = static_limit(relative) if kind is None else MAX_SOURCE_BYTES
    if info.st_size > limit:
        return Problem(
            path, None, "file", f"is {info.st_size:,} bytes; the limit is {limit:,}"
        ), False
    if kind is None:
        return None, False
    suffix = Path(relative).suffix
    if kind == REDIRECT_KIND:
        if suffix == ".txt":
            return None, True
        return Problem(
            path,
            None,
            "file",
            f"has the extension {suffix!r}; only redirect maps (.txt) belong in the "
            "redirects folder",
        ), False
    if suffix != ".md":
        hint = (
            "rename it to end in .md"
            if suffix.lower() in {".md", ".markdown", ".mdown"}
            else f"only Markdown (.md) files belong in the {kind}s folder"
        )
        return Problem(path, None, "file", f"has the extension {suffix!r}; {hint}"), False
    return None, True


def scan_content(content_path, settings, options, memo=None):
    """Walk the content folder; return readable sources and every problem found.

    memo: what knows unchanged files without reading them (the speed layer's
    ScanMemo: get, put and listing), or None to read every file.
    """
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
            info = os.lstat(full)
            problem, is_text = check_entry(full, relative, kind, info)
            if problem:
                problems.append(problem)
            if not is_text:
                if memo:
                    memo.listing.append((relative, None, info.st_size, info.st_mtime_ns))
                continue
            known = memo.get(relative, info) if memo else None
            if known:
                digest, header_digest, found = known
                text = None
            else:
                text, found, digest = read_and_check(full, markdown=kind != REDIRECT_KIND)
                header_digest = text_digest(header_of(text)) if text is not None else None
                if memo:
                    memo.put(relative, info, digest, header_digest, found)
            if memo:
                memo.listing.append((relative, kind, digest, header_digest))
            problems.extend(found)
            if not found:
                source = SourceFile(display_path(full), kind, text, full, digest, header_digest)
                sources.append(source)
    return sources, problems


def read_and_check(full, markdown=True):
    """Read a text source and check its bytes and, for Markdown, its shape; return (text,
    problems, digest)."""
    with open(full, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    text, problem = decode(data, display_path(full))
    if problem:
        return None, [problem], digest
    return text, check_markdown_shape(text, display_path(full)) if markdown else [], digest


def any_unreadable(sources, problems):
    """Tell whether a problem is in a file that did not pass as a source: one Pelican
    must not open. Problems only in the headers of readable sources are not."""
    readable = {source.path for source in sources}
    return any(problem.path not in readable for problem in problems)
