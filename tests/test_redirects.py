"""Legacy addresses (Redirect_from): redirect pages, server rules, and the ways to err."""

import pytest

from conftest import build
from newsroom.redirects import REDIRECT_MAP, check_old_path, redirect_file

TREBES = "/2018/03/islamic-state-claims-trebes-attack/"
TREBES_OLD = "/archives/2018/03/islamic-state-claims-soldier.php"
MOSUL = "/2014/07/caliphate-declaration-fall-of-mosul/"
ARTICLE = "articles/alias-isis.md"


def add_header(content, name, line):
    """Append a header line to the headers of one fixture article."""
    path = content / "articles" / name
    headers, body = path.read_text(encoding="utf-8").split("\n\n", 1)
    path.write_text(f"{headers}\n{line}\n\n{body}", encoding="utf-8")
    return str(path), headers.count("\n") + 2


def test_legacy_php_address_is_a_redirect_page(site):
    """The Trèbes article's old .php address holds an HTML page leading to the article."""
    page = site.html(TREBES_OLD)
    assert page.select_one("link[rel=canonical]")["href"] == site.settings["SITE_BASE"] + TREBES
    refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh == f"0; url={TREBES}"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.select_one("main h1").get_text() == "This article has moved"
    assert [a["href"] for a in page.select("main a")] == [TREBES]


def test_legacy_html_address_is_a_full_page(site):
    """An old .html address is a page like any other: title, description, site chrome."""
    page = site.html("/analysis/mosul-caliphate.html")
    assert "Caliphate" in page.title.get_text()
    assert page.select_one("link[rel=canonical]")["href"].endswith(MOSUL)
    assert page.select(".topic-list a")


def test_server_rules_list_every_legacy_address(site):
    """The map nginx reads has one `old new;` line per legacy address, sorted."""
    lines = [
        line
        for line in site.path("/" + REDIRECT_MAP).read_text().splitlines()
        if not line.startswith("#")
    ]
    assert lines == [
        f"/analysis/mosul-caliphate.html {MOSUL};",
        f"/archives/2014/07/isis-declares-caliphate.php {MOSUL};",
        f"{TREBES_OLD} {TREBES};",
    ]


def test_production_redirects_use_the_absolute_address(tmp_path, fixture_content):
    """With publishconf.py the canonical link and refresh name the full production URL."""
    add_header(fixture_content, "alias-isis.md", "Redirect_from: /old/isis.php")
    site = build(fixture_content, tmp_path / "out", "publishconf.py")
    page = site.html("/old/isis.php")
    url = "https://militancymonitor.example/2020/01/alias-isis/"
    assert page.select_one("link[rel=canonical]")["href"] == url
    assert page.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={url}"


@pytest.mark.parametrize(
    ("old", "file"),
    [
        ("/old/story.php", "old/story.php"),
        ("/old/story.html", "old/story.html"),
        ("/old/story/", "old/story/index.html"),
        ("/old/story", "old/story/index.html"),
        ("/index.asp", "index.asp"),
    ],
)
def test_each_old_address_becomes_one_file(old, file):
    """A path with an extension is written as that file; a folder-like one gets index.html."""
    assert redirect_file(old) == file


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("https://old.example/story.php", "scheme or host"),
        ("old/story.php", "not root-relative"),
        ("//old.example/story.php", "not root-relative"),
        ("/story.php?id=4", "query or fragment"),
        ("/story.php#top", "query or fragment"),
        ("/old/../../etc/passwd", "'..'"),
        ("/old/./story.php", "'..'"),
        ("/.git/config", "hidden"),
        ("/old story.php", "characters other than"),
        ("/old%2Fstory.php", "characters other than"),
        ("/old;rm.php", "characters other than"),
        ("/", "home page"),
        ("/old//story.php", "empty segment"),
        ("/" + "a" * 250, "longer than"),
    ],
)
def test_unsafe_old_addresses_are_refused(value, words):
    """Old addresses are plain root-relative paths that servers can match safely."""
    reason = check_old_path(value)
    assert reason and words in reason, reason


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("Redirect_from: /old.php, , /older.php", "empty item"),
        ("Redirect_from:", "empty item"),
        ("Redirect_from: /old.php, /old.php", "listed twice"),
        ("Redirect_from: http://x.example/old.php", "scheme or host"),
    ],
)
def test_bad_redirect_header_is_named_with_its_line(built, line, words):
    """A bad Redirect_from stops the build at its file and line, saying what is allowed."""
    content, rebuild_fails = built
    path, number = add_header(content, "alias-isis.md", line)
    (problem,) = rebuild_fails()
    assert (problem.path, problem.line, problem.field) == (path, number, "Redirect_From")
    assert words in problem.message


def test_two_articles_cannot_claim_one_old_address(built):
    """The second article claiming an address is reported, naming the first."""
    content, rebuild_fails = built
    first, _ = add_header(content, "alias-isis.md", "Redirect_from: /old/story.php")
    second, line = add_header(content, "alias-shabaab.md", "Redirect_from: /old/story.php")
    (problem,) = rebuild_fails()
    assert (problem.path, problem.line) == (second, line)
    assert "already claimed by" in problem.message and first in problem.message


def test_two_spellings_of_one_folder_are_one_address(built):
    """`/old/story` and `/old/story/` would write the same file: a second claim is refused."""
    content, rebuild_fails = built
    add_header(content, "alias-isis.md", "Redirect_from: /old/story")
    add_header(content, "alias-shabaab.md", "Redirect_from: /old/story/")
    (problem,) = rebuild_fails()
    assert "already claimed" in problem.message and "'/old/story'" in problem.message


@pytest.mark.parametrize(
    ("old", "words"),
    [
        ("/2020/02/alias-shabaab/", "2020/02/alias-shabaab/index.html"),
        ("/topics/index.html", "topics/index.html"),
        ("/2020/02/alias-shabaab/index.html/x.php", "2020/02/alias-shabaab/index.html"),
        ("/2020/02/alias-shabaab", "2020/02/alias-shabaab/index.html"),
        ("/theme/css/old.css", "/theme/"),
        ("/feeds/atom.xml", "feeds/atom.xml"),
        ("/feeds/atom.xml/old.php", "feeds/atom.xml"),
        ("/search/", "search/index.html"),
        ("/sitemap.xml", "sitemap.xml"),
        ("/search-index/index.json", "/search-index/"),
    ],
)
def test_old_address_cannot_be_a_live_one(built, old, words):
    """An old address where the new site writes a page, a feed or a folder is refused."""
    content, rebuild_fails = built
    path, line = add_header(content, "alias-isis.md", f"Redirect_from: {old}")
    problems = rebuild_fails()
    assert [(p.path, p.line, p.field) for p in problems] == [(path, line, "Redirect_From")]
    assert words in problems[0].message


def test_drafts_claim_but_never_redirect(fixture_content, tmp_path):
    """A draft's old address is reserved for it but no redirect to it is written."""
    article = fixture_content / ARTICLE
    article.write_text(
        article.read_text().replace("Slug: alias-isis", "Slug: alias-isis\nStatus: draft")
    )
    add_header(fixture_content, "alias-isis.md", "Redirect_from: /old/draft.php")
    site = build(fixture_content, tmp_path / "out")
    assert not site.path("/old/draft.php").exists()
    assert "/old/draft.php" not in site.path("/" + REDIRECT_MAP).read_text()
