"""Hostile and broken input: a clear error naming the file, and the last good output intact.

Plain Pelican skips unreadable files with exit 0, follows symlinks, renders
duplicate headers as lists and writes explicit slugs as given; each case here
stops the build instead.
"""

import json
import os

import pytest

from conftest import ROOT, build, pelican_cli, snapshot

ARTICLE = "articles/alias-isis.md"
GOOD_HEADERS = (
    "Title: An Article Tagged With an Alias\n"
    "Date: 2020-01-02 10:00\n"
    "Authors: Ada Reyes\n"
    "Category: Analysis\n"
    "Tags: ISIS, Iraq\n"
    "Summary: Tagged with the ISIS alias only.\n"
    "Slug: alias-isis\n"
)


def replace_headers(content, headers, body="Body text.\n"):
    """Rewrite the fixture article with other headers."""
    (content / ARTICLE).write_text(headers + "\n" + body, encoding="utf-8")
    return str(content / ARTICLE)


def header_case(old, new):
    """Return the fixture headers with one line changed (or removed, or added)."""
    if old is None:
        return GOOD_HEADERS + new
    assert old in GOOD_HEADERS
    return GOOD_HEADERS.replace(old, new)


HEADER_CASES = {
    # id: (line to replace, replacement, field, line, words in the message)
    "missing-title": ("Title: An Article Tagged With an Alias\n", "", "Title", None, "missing"),
    "empty-title": ("Title: An Article Tagged With an Alias\n", "Title:\n", "Title", 1, "empty"),
    "missing-date": ("Date: 2020-01-02 10:00\n", "", "Date", None, "missing"),
    "bad-date": ("Date: 2020-01-02 10:00\n", "Date: 2020-13-45\n", "Date", 2, "not a real date"),
    "bad-zone": (
        "Date: 2020-01-02 10:00\n",
        "Date: 2020-01-02 10:00 +25:00\n",
        "Date",
        2,
        "offsets run",
    ),
    "words-date": ("Date: 2020-01-02 10:00\n", "Date: last Tuesday\n", "Date", 2, "YYYY-MM-DD"),
    "ancient-date": ("Date: 2020-01-02 10:00\n", "Date: 1850-01-02\n", "Date", 2, "outside"),
    "modified-before": (None, "Modified: 2019-01-01 10:00\n", "Modified", 8, "earlier than"),
    "unknown-status": (None, "Status: publshed\n", "Status", 8, "allowed: published, draft"),
    "misspelled-key": (
        "Category: Analysis\n",
        "Catgory: Analysis\n",
        "Catgory",
        4,
        "did you mean 'Category'",
    ),
    "author-and-authors": (None, "Author: Ada Reyes\n", "Author", 8, "keep one"),
    "twice-given": (None, "Title: A Second Title\n", "Title", 8, "given twice"),
    "slug-traversal": ("Slug: alias-isis\n", "Slug: ../../etc/passwd\n", "Slug", 7, "not a slug"),
    "slug-absolute": ("Slug: alias-isis\n", "Slug: /var/www/x\n", "Slug", 7, "not a slug"),
    "slug-markup": ("Slug: alias-isis\n", 'Slug: a"><script>x\n', "Slug", 7, "not a slug"),
    "save-as-escape": (None, "Save_as: ../../outside.html\n", "Save_As", 8, "no '..'"),
    "save-as-absolute": (None, "Save_as: /etc/cron.d/x.html\n", "Save_As", 8, "no leading"),
    "url-scheme": (None, "Url: javascript:alert(1)\n", "Url", 8, "no scheme"),
    "url-empty": (None, "Url:\n", "Url", 8, "not a safe relative path"),
    "template-escape": (
        None,
        "Template: ../../../etc/passwd\n",
        "Template",
        8,
        "not a theme template",
    ),
    "lang-markup": (None, 'Lang: en"><script>alert(1)</script>\n', "Lang", 8, "not a language tag"),
    "empty-tag-item": ("Tags: ISIS, Iraq\n", "Tags: ISIS, , Iraq\n", "Tags", 5, "empty item"),
    "unknown-category": (
        "Category: Analysis\n",
        "Category: Analysys\n",
        "Category",
        4,
        "not a section",
    ),
}


@pytest.mark.parametrize("case", sorted(HEADER_CASES))
def test_bad_header_is_named_with_file_line_and_fix(built, case):
    """Each header mistake stops the build with path, line, field and what is allowed."""
    content, rebuild_fails = built
    old, new, field, line, words = HEADER_CASES[case]
    path = replace_headers(content, header_case(old, new))
    problems = [p for p in rebuild_fails() if p.path == path and p.field == field]
    assert problems, f"nothing reported for {field} in {path}"
    problem = problems[0]
    assert problem.line == line, problem
    assert words in problem.message, problem


def test_yaml_front_matter_is_refused(built):
    """A YAML block is reported instead of being rendered as text."""
    content, rebuild_fails = built
    path = replace_headers(content, "---\ntitle: YAML\ndate: 2020-01-02\n---\n")
    (problem,) = [p for p in rebuild_fails() if p.path == path]
    assert problem.line == 1 and "YAML front matter" in problem.message


def test_two_items_writing_one_path_are_refused(built):
    """Two articles with the same slug in one month cannot overwrite each other."""
    content, rebuild_fails = built
    twin = content / "articles" / "twin.md"
    twin.write_text(GOOD_HEADERS.replace("Title: An", "Title: Another") + "\nTwin.\n")
    problems = rebuild_fails()
    assert sorted(p.field for p in problems) == ["Slug", "output"]
    output = next(p for p in problems if p.field == "output")
    assert "2020/01/alias-isis/index.html" in output.message


def test_page_cannot_take_a_listing_path(built):
    """A page whose slug would overwrite the topics index is refused."""
    content, rebuild_fails = built
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "topics.md").write_text("Title: Topics\nSlug: topics\n\nMine.\n")
    problems = rebuild_fails()
    assert any("topics/index.html" in p.message for p in problems)


def test_plain_tags_spelled_two_ways_are_reported(built):
    """`Iraq` in one article and `iraq` in another is reported, not silently merged."""
    content, rebuild_fails = built
    other = content / "articles" / "hostile-comment-target.md"
    other.write_text(other.read_text().replace("Tags: Testing", "Tags: Testing, IRAQ"))
    (problem,) = rebuild_fails()
    assert problem.field == "Tags" and "is spelled" in problem.message
    assert {"'IRAQ'", "'Iraq'"} <= set(problem.message.split())


def test_topic_names_resolve_whatever_the_case(fixture_content, tmp_path):
    """`isis` and `DAESH` differ only by case from aliases: they resolve to the topic."""
    article = fixture_content / ARTICLE
    article.write_text(article.read_text().replace("Tags: ISIS, Iraq", "Tags: isis, DAESH"))
    site = build(fixture_content, tmp_path / "out")
    tags = [a.get_text() for a in site.html("/2020/01/alias-isis/").select(".article-tags a")]
    assert tags == ["Islamic State"]


@pytest.mark.parametrize(
    ("headers", "field", "words"),
    [
        ("Date: 2020-03-05 10:00\n", "Name", "missing"),
        ("Name: X\n", "Date", "missing"),
        ("Name: X\nDate: yesterday\n", "Date", "YYYY-MM-DD"),
        (
            "Name: X\nDate: 2020-03-05 10:00\nAvatar: https://x.example/me.png\n",
            "Avatar",
            "not a comment field",
        ),
        ("Name: X\nDate: 2019-01-01 10:00\n", "Date", "before the article"),
    ],
)
def test_bad_comment_is_named(built, headers, field, words):
    """A comment without a valid name or date is reported with its file."""
    content, rebuild_fails = built
    path = content / "comments" / "hostile-comment-target" / "05-bad.md"
    path.write_text(headers + "\nA comment.\n")
    (problem,) = rebuild_fails()
    assert (problem.path, problem.field) == (str(path), field) and words in problem.message


def test_comment_without_body_is_named(built):
    """A comment with headers and no text is reported."""
    content, rebuild_fails = built
    path = content / "comments" / "hostile-comment-target" / "05-empty.md"
    path.write_text("Name: X\nDate: 2020-03-05 10:00\n")
    (problem,) = rebuild_fails()
    assert problem.path == str(path) and "empty" in problem.message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("![](chart.png)\n", "no alt text"),
        ('<img src="chart.png">\n', "no alt text"),
        ("[read](javascript:alert(1))\n", "would run code"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>\n', "would run code"),
        ('<a href="java&#x09;script:alert(1)">x</a>\n', "would run code"),
        ('<a href="javas\ncript:alert(1)">x</a>\n', "would run code"),  # browsers drop the newline
        ('<a href="data\t:text/html,x">x</a>\n', "would run code"),
        ("[x][ref]\n\n[ref]: javascript:alert(1)\n", "would run code"),
        ('<div onclick="alert(1)">x</div>\n', "would run code"),
        ("<script>alert(1)</script>\n", "scripts are not allowed"),
    ],
)
def test_author_html_must_not_run_code_or_lack_alt(built, body, words):
    """Images need alt text and author HTML may not carry javascript: URLs or scripts."""
    content, rebuild_fails = built
    path = replace_headers(content, GOOD_HEADERS, "Intro.\n\n" + body)
    (problem,) = rebuild_fails()
    assert problem.path == path and words in problem.message
    assert problem.line and problem.line >= 9


def test_trusted_embeds_stay(fixture_content, tmp_path):
    """Raw HTML from authors (an https iframe, a figure) is kept as written."""
    body = '<iframe src="https://maps.example/embed" title="Map"></iframe>\n'
    replace_headers(fixture_content, GOOD_HEADERS, body)
    site = build(fixture_content, tmp_path / "out")
    frame = site.html("/2020/01/alias-isis/").select_one(".article-body iframe")
    assert frame["src"] == "https://maps.example/embed"


def write_bytes(content, name, data):
    """Write raw bytes into the fixture's articles folder."""
    path = content / "articles" / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "line", "words"),
    [
        ("latin1.md", GOOD_HEADERS.replace("Alias", "Alïas").encode("latin-1"), 1, "not UTF-8"),
        ("bom-only.md", b"\xef\xbb\xbf\n", None, "is empty"),
        ("nul.md", GOOD_HEADERS.encode() + b"\nBody\x00text\n", 9, "U+0000"),
        ("bell.md", GOOD_HEADERS.encode() + b"\nBody\x07text\n", 9, "U+0007"),
        ("empty.md", b"", None, "is empty"),
        ("blank.md", b"\n\n  \n", None, "is empty"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, "UTF-8"),
        ("huge.md", GOOD_HEADERS.encode() + b"\n" + b"word " * 300_000, None, "the limit is"),
        ("deep-quote.md", GOOD_HEADERS.encode() + b"\n" + b">" * 5000 + b" x\n", 9, "too deep"),
        (
            "deep-list.md",
            GOOD_HEADERS.encode()
            + b"\n"
            + "\n".join("    " * i + "- x" for i in range(300)).encode(),
            25,  # `- x` under 16 indents (line 25) is the 17th level
            "too deep",
        ),
        ("brackets.md", GOOD_HEADERS.encode() + b"\n" + b"[" * 20000 + b"\n", 9, "'['"),
        ("links.md", GOOD_HEADERS.encode() + b"\n" + b"[a](" * 5000 + b"\n", 9, "'['"),
        (
            "emphasis.md",
            GOOD_HEADERS.encode() + b"\n" + b"*" * 2000 + b"a" + b"*" * 2000 + b"\n",
            9,
            "emphasis",
        ),
        ("long-line.md", GOOD_HEADERS.encode() + b"\n" + b"a" * 30000 + b"\n", 9, "characters"),
        ("SHOUT.MD", GOOD_HEADERS.encode(), None, "rename it to end in .md"),
        ("notes.txt", b"plain text", None, "only Markdown"),
    ],
)
def test_files_that_are_not_what_they_seem(built, name, data, line, words):
    """Encodings, binaries, huge or parser-hostile files get an error naming the file."""
    content, rebuild_fails = built
    path = write_bytes(content, name, data)
    problems = [p for p in rebuild_fails() if p.path == path]
    assert problems, f"nothing reported for {name}"
    assert problems[0].line == line and words in problems[0].message, problems[0]


@pytest.mark.parametrize("kind", ["inside", "outside", "dangling", "loop", "directory"])
def test_symlinks_are_refused(built, tmp_path, kind):
    """No symlink is followed: inside, outside, dangling, looping or to a folder."""
    content, rebuild_fails = built
    link = content / "articles" / "linked.md"
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD_HEADERS.replace("alias-isis", "secret") + "\nSECRET\n")
    if kind == "inside":
        link.symlink_to(content / "articles" / "alias-shabaab.md")
    elif kind == "outside":
        link.symlink_to(secret)
    elif kind == "dangling":
        link.symlink_to(tmp_path / "missing.md")
    elif kind == "loop":
        link.symlink_to(content / "articles" / "loop.md")
        (content / "articles" / "loop.md").symlink_to(link)
    else:
        link = content / "articles" / "elsewhere"
        link.symlink_to(tmp_path, target_is_directory=True)
    problems = rebuild_fails()
    assert str(link) in [p.path for p in problems]
    assert all("symlink" in p.message for p in problems)


def test_special_files_are_refused_without_hanging(fixture_content, tmp_path):
    """A named pipe named like an article is refused, never opened (no hang)."""
    os.mkfifo(fixture_content / "articles" / "pipe.md")
    result = pelican_cli(fixture_content, tmp_path / "out")
    assert result.returncode == 1
    assert "pipe.md: file: is a named pipe; only regular files are read" in result.stderr


def test_hidden_and_backup_files_are_ignored(fixture_content, tmp_path):
    """Dotfiles, editor backups and swap files are skipped by rule, not read."""
    articles = fixture_content / "articles"
    for name in (
        ".hidden.md",
        "alias-isis.md~",
        "#alias-isis.md#",
        ".alias-isis.md.swp",
        "old.md.bak",
    ):
        (articles / name).write_bytes(b"\x00 not content")
    (articles / ".drafts").mkdir()
    (articles / ".drafts" / "x.md").write_text("junk")
    site = build(fixture_content, tmp_path / "out")
    assert site.path("/2020/01/alias-isis/").is_file()
    assert not [p for p in site.output.rglob("*") if "hidden" in p.name or "old" in p.name]


MARKER = "ZZMARK"
HOSTILE = f'"><script>alert("{MARKER}")</script><img src=x onerror=alert("{MARKER}")>'


def test_metadata_is_inert_in_every_context(fixture_content, tmp_path):
    """Markup in titles, summaries, author and topic records, and quotes in tags, render
    as text."""
    article = fixture_content / ARTICLE
    article.write_text(
        article.read_text()
        .replace("Title: An Article Tagged With an Alias", f"Title: Title {HOSTILE}")
        .replace("Summary: Tagged with the ISIS alias only.", f"Summary: Summary {HOSTILE}")
        # Names become addresses: markup in them is refused (test_input_rules.py); quotes
        # and handlers in plain text are not, and must stay inert.
        .replace("Tags: ISIS, Iraq", f'Tags: ISIS, Tag "\' onfocus=alert("{MARKER}") x')
    )
    author = fixture_content / "authors" / "ada-reyes.md"
    author.write_text(author.read_text().replace("Role: Fixture Analyst", f"Role: {HOSTILE}"))
    topic = fixture_content / "topics" / "islamic-state.md"
    topic.write_text(topic.read_text().replace("A fixture topic with aliases.", HOSTILE))
    site = build(fixture_content, tmp_path / "out")
    checked = 0
    for path in site.output.rglob("*.html"):
        page = site.html("/" + path.relative_to(site.output).as_posix())
        for element in page.find_all(True):
            if element.name == "script" and element.get("type") == "application/ld+json":
                assert "<" not in element.string  # |tojson escapes markup as \u003c
                json.loads(element.string)
            elif element.name == "script":
                assert MARKER not in element.get_text(), path
            for attribute, value in element.attrs.items():
                values = value if isinstance(value, list) else [value]
                if attribute.startswith("on"):
                    assert not any(MARKER in v for v in values), (path, element)
                if attribute in ("href", "src"):
                    assert not any(v.lower().startswith("javascript") for v in values), path
        checked += MARKER in page.get_text()
    assert checked >= 3  # the marker is there, as text
    for feed in site.output.rglob("*.xml"):
        assert "<script>alert" not in feed.read_text()


def test_every_page_has_a_strict_content_security_policy(site):
    """Each page declares a CSP without unsafe-inline and carries no inline script or handler."""
    for path in site.output.rglob("*.html"):
        page = site.html("/" + path.relative_to(site.output).as_posix())
        policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        scripts = page.select("script:not([type='application/ld+json'])")
        assert all(script.get("src") for script in scripts), path
        for element in page.find_all(True):
            assert not [a for a in element.attrs if a.startswith("on")], (path, element)
            assert "style" not in element.attrs, (path, element)


def test_two_builds_are_byte_identical(tmp_path):
    """The same content builds to the same bytes, file for file (caches shared as in use)."""
    cache = tmp_path / "cache"
    first = build(ROOT / "content", tmp_path / "one", cache=cache).output
    second = build(ROOT / "content", tmp_path / "two", cache=cache).output
    assert snapshot(first) == snapshot(second)


def test_abandoned_staging_folders_are_removed(fixture_content, tmp_path):
    """A staging folder left by a dead build process is cleaned up by the next build."""
    abandoned = tmp_path / ".out.staging-999999999"
    abandoned.mkdir()
    (abandoned / "half-written.html").write_text("<p>partial")
    build(fixture_content, tmp_path / "out")
    assert not abandoned.exists()
    assert [p.name for p in tmp_path.iterdir() if ".staging" in p.name] == []


def test_an_edit_that_keeps_size_and_time_is_still_checked(built):
    """The scan memo knows a file by more than its size and time: a bad edit is always seen."""
    content, rebuild_fails = built
    path = sorted((content / "articles").rglob("*.md"))[0]
    text, before = path.read_text(encoding="utf-8"), path.stat()
    path.write_text(text.replace("e", "\x07", 1), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    problems = rebuild_fails()
    assert any("control character" in problem.message for problem in problems)
