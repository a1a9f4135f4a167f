"""Deeply nested Markdown: refused with the line that nests too deep, never a RecursionError.

Python-Markdown recurses once or more for every level a line opens (a quote,
a list item, four columns of indent); at a few hundred levels it exceeds
Python's recursion limit. The scan (newsroom.scan.check_markdown_shape) must
refuse every such shape before the parser sees it, and keep every shape real
articles use.
"""

import logging
import sys
from contextlib import contextmanager

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings

from conftest import ROOT, build
from newsroom.enrich import configure
from newsroom.errors import BuildStopped
from newsroom.scan import MAX_INDENT, MAX_LINE_CHARS, MAX_NESTING, check_markdown_shape, nesting_of

# The site's Markdown settings, with the extensions its plugin adds (ProseExtension).
SITE_SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
configure(SITE_SETTINGS)
DEFAULT_RECURSION_LIMIT = 1000  # Python's
# Frames a build may already use when it reaches the parser, beyond the test's
# own: a real build uses a few dozen (Pelican, the reader, the CLI or invoke).
CALLER_FRAMES = 200

# One level each: what a shape is built from.
LEVELS = {
    "quote": "> ",
    "tight quote": ">",
    "dash": "- ",
    "star": "* ",
    "plus": "+ ",
    "ordered": "1. ",
    "ordered paren": "2) ",
    "indent": "    ",
    "tab": "\t",
    "html": "<div>",
}
NESTING = "nesting is too deep"

GOOD_HEADERS = (
    "Title: A Deeply Nested Article\n"
    "Date: 2020-01-03 10:00\n"
    "Authors: Ada Reyes\n"
    "Category: Analysis\n"
    "Tags: ISIS, Iraq\n"
    "Summary: Nests its lists far too deep.\n"
    "Slug: deeply-nested\n"
)


def render(text):
    """Render a body as Pelican's Markdown reader does, with the site's settings."""
    return markdown.Markdown(**SITE_SETTINGS["MARKDOWN"]).convert(text)


@contextmanager
def default_recursion_limit():
    """Run with Python's default recursion limit, as a build does (nothing in Pelican,
    Markdown or the plugins changes it); Hypothesis raises it while a test runs."""
    raised = sys.getrecursionlimit()
    sys.setrecursionlimit(DEFAULT_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(raised)


def render_from_depth(text, frames=CALLER_FRAMES):
    """Render with the default recursion limit after using `frames` stack frames, as a
    build calls the parser from deeper down than a test."""

    def descend(frames):
        return descend(frames - 1) if frames else render(text)

    with default_recursion_limit():
        return descend(frames)


def nesting_problems(problems):
    """Check every problem is about nesting (the shapes are built to hit no other rule)."""
    assert all(NESTING in p.message for p in problems), problems
    return problems


@st.composite
def shapes(draw):
    """A body nested by a repeated pattern of levels; return (text, levels built into it).

    one line:  the pattern repeated before the text (`> - > - x`);
    stairs:    one line per level, each indented four columns more (`    - x`);
    growing:   line k opens the pattern k times (`>`, `> >`, `> > >`).
    """
    pattern = draw(st.lists(st.sampled_from(sorted(LEVELS)), min_size=1, max_size=4))
    unit = "".join(LEVELS[name] for name in pattern)
    layout = draw(st.sampled_from(["one line", "stairs", "growing"]))
    loose = draw(st.booleans())  # blank lines between the lines: loose lists
    # Around the limit, past it, and far past the parser's own (a few hundred levels).
    count = draw(
        st.one_of(st.integers(1, 2 * MAX_NESTING), st.integers(1, 400), st.integers(400, 3000))
    )
    if layout == "one line":
        count = min(count, (MAX_LINE_CHARS - 10) // len(unit))
        return unit * count + "x\n", count * len(pattern)
    if layout == "stairs":
        count = min(count, 400)
        lines = ["    " * k + LEVELS[pattern[k % len(pattern)]] + "x" for k in range(count)]
        levels = count  # `<div>`s never closed add up over the lines: one a line
    else:
        count = min(count, 120, (MAX_LINE_CHARS - 10) // len(unit))
        lines = [unit * k + "x" for k in range(1, count + 1)]
        opened = pattern.count("html") * count * (count + 1) // 2  # never closed either
        levels = max(count * len(pattern), opened)
    return ("\n\n" if loose else "\n").join(lines) + "\n", levels


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shapes())
@example(("- " * 600 + "x\n", 600))  # shapes that reached the parser's limit before
@example(("* + - 1. " * 200 + "x\n", 800))
@example(("> " * 240 + "- " * 200 + "x\n", 440))
@example(("\n".join("    " * k + "- x" for k in range(300)) + "\n", 300))
def test_a_shape_is_refused_for_nesting_or_renders(shape):
    """Whatever the shape: refused with a nesting problem, or rendered without a RecursionError,
    even called from CALLER_FRAMES deeper than this test; shapes no deeper than the limit
    are never refused."""
    text, built_levels = shape
    problems = nesting_problems(check_markdown_shape(text, "shape.md"))
    if built_levels <= MAX_NESTING:
        assert not problems, (built_levels, problems[:1])
    if problems:
        lines = text.splitlines()
        assert all(p.path == "shape.md" and 1 <= p.line <= len(lines) for p in problems)
        assert all(f"at most {MAX_NESTING} levels" in p.message for p in problems)
        return
    try:
        render_from_depth(text)
    except RecursionError:  # pragma: no cover - what the test is here to catch
        pytest.fail(f"the scan let through a shape the parser cannot read: {text[:120]!r}")


@pytest.mark.parametrize(
    "line",
    [
        "- " * 600 + "x",  # the shapes that reached the parser's limit before
        "* + - " * 200 + "x",
        "1. " * 600 + "x",
        "2) " * 600 + "x",
        "> - " * 300 + "x",
        "- > " * 300 + "x",
        "> " * 240 + "- " * 200 + "x",  # quotes stop near the limit; lists did not
        "<div>" * 500 + "x",
        "- " * (MAX_NESTING + 1) + "x",  # one level too many
        ">" * (MAX_NESTING + 1) + " x",
        "    " * MAX_NESTING + "- x",
        "\t" * MAX_NESTING + "> x",
    ],
)
def test_deep_lines_are_refused(line):
    """Each way of nesting a line too deep is refused, naming the line."""
    (problem,) = nesting_problems(check_markdown_shape("Intro.\n\n" + line + "\n", "a.md"))
    assert problem.line == 3 and problem.field == "body"


def test_deep_stairs_and_html_blocks_name_the_first_line_too_deep():
    """Nesting built over many lines is reported where it passes the limit."""
    stairs = "\n".join("    " * k + "- x" for k in range(40))
    problems = nesting_problems(check_markdown_shape(stairs, "a.md"))
    assert problems[0].line == MAX_NESTING + 1  # `- x` under 16 indents is level 17
    html = "\n".join(["<div>"] * 40 + ["x"] + ["</div>"] * 40)
    (problem,) = nesting_problems(check_markdown_shape(html, "a.md"))
    assert problem.line == MAX_NESTING + 1 and "HTML blocks" in problem.message


@pytest.mark.parametrize(
    "body",
    [
        "- one\n    - two\n        - three\n            - four\n                - five\n",
        "1. one\n    1. two\n        1. three\n",
        "* a\n\t* b\n\t\t* c\n\t\t\t* d\n",
        "> A quote with a list:\n>\n> - one\n>     - two\n>\n> > A quote in a quote.\n",
        "- An item with code:\n\n        print('x')\n\n- Another.\n",
        "- - - - - - - - - - - - - - - - - - - - - - -\n",  # a rule, not 23 lists
        "* * *\n\n_ _ _ _\n",
        "```\n" + "- " * 100 + "x\n" + "> " * 100 + "\n```\n",  # code, not nesting
        "Use `<div>` " * 40 + "in prose.\n",
        '<figure>\n<div class="map">\n<iframe src="https://maps.example/x" title="Map">'
        "</iframe>\n</div>\n<figcaption>A map.</figcaption>\n</figure>\n",
        "- " * MAX_NESTING + "x\n",  # at the limit
        "    " * (MAX_INDENT // 4 - 1) + "- x\n",
    ],
)
def test_real_shapes_are_kept_and_render(body):
    """Lists nested a few deep, quotes with lists, code in lists, rules and embeds pass."""
    assert check_markdown_shape(body, "a.md") == []
    render_from_depth(body)


def test_nesting_levels_follow_the_parser():
    """Markers, a list marker's spaces and a quote's one space count as Markdown reads them."""
    assert nesting_of("- - - x") == (3, 0)
    assert nesting_of("> > - 1. x") == (4, 0)
    assert nesting_of("        - x") == (3, 8)
    assert nesting_of("\t\t- x") == (3, 8)
    assert nesting_of(">    - x") == (2, 0)  # `> ` then three spaces: still one list
    assert nesting_of("-       - x") == (2, 0)  # spaces after a marker belong to it
    assert nesting_of("- - - -") == (0, 0)  # a horizontal rule
    assert nesting_of("-   -   -   -") == (3, 0)  # too far apart for a rule: lists
    assert nesting_of("x - y") == (0, 0)
    assert nesting_of("-x") == (0, 0)


def article(content, body):
    """Write a new article with good headers; return its path and the line the body starts on."""
    path = content / "articles" / "deeply-nested.md"
    path.write_text(GOOD_HEADERS + "\nIntro.\n\n" + body, encoding="utf-8")
    return path, GOOD_HEADERS.count("\n") + 4


def no_traceback(capsys, caplog):
    """Check the build printed and logged no traceback and no RecursionError."""
    out, err = capsys.readouterr()
    shown = out + err + caplog.text
    assert "Traceback" not in shown and "RecursionError" not in shown, shown[-2000:]
    assert not any(record.exc_info for record in caplog.records)


def test_a_deep_article_stops_the_build_with_its_file_and_line(built, capsys, caplog):
    """A deep shape in an article stops the build: a problem names the file and line, and
    the last good output stays."""
    content, rebuild_fails = built
    path, line = article(content, "- > 1. " * 400 + "x\n")
    caplog.set_level(logging.INFO)
    problems = [p for p in rebuild_fails() if p.path == str(path)]
    assert [(p.line, p.field) for p in problems] == [(line, "body")], problems
    assert NESTING in problems[0].message and f"at most {MAX_NESTING} levels" in problems[0].message
    no_traceback(capsys, caplog)


def test_a_parser_overflow_is_a_problem_not_a_traceback(
    fixture_content, tmp_path, monkeypatch, capsys, caplog
):
    """Should a shape pass the scan and still exhaust the parser, the reader reports it as a
    problem naming the file and its deepest line, and the build stops cleanly."""
    monkeypatch.setattr("newsroom.scan.check_markdown_shape", lambda text, path: [])
    path, line = article(fixture_content, "Fine.\n\n" + "- " * 2000 + "x\n")
    caplog.set_level(logging.INFO)
    assert sys.getrecursionlimit() == DEFAULT_RECURSION_LIMIT  # the build runs with it
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "out", PLUGINS=["newsroom"])
    (problem,) = [p for p in stopped.value.problems if p.path == str(path)]
    assert problem.line == line + 2 and NESTING in problem.message
    assert "ran out of stack" in problem.message
    no_traceback(capsys, caplog)
