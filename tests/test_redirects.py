"""Legacy addresses (Redirect_from): redirect pages, server rules, and the ways to err."""

import pytest

from conftest import build
from newsroom.frontmatter import parse_record
from newsroom.redirects import (
    REDIRECT_MAP,
    Redirect,
    Target,
    check_old_path,
    check_redirect_from,
    claim_key,
    nginx_map,
    read_map,
    redirect_file,
)

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
        ("/old%2Fstory.php", "encoded '/'"),
        ("/old%2fstory.php", "encoded '/'"),
        ("/old%00.php", "encoded NUL"),
        ("/caf\u00e9/", "characters other than"),
        ("/old%zzstory.php", "starts no %-escape"),
        ("/old%C3story.php", "UTF-8"),
        ("/old%FF.php", "UTF-8"),
        ("/old%0Astory.php", "control character U+000A"),
        ("/old%C2%85.php", "control character U+0085"),
        ("/old/%2E%2E/etc/passwd", "'..'"),
        ("/old/%2e/story.php", "'..'"),
        ("/%2Egit/config", "hidden"),
        ("/old//%20/x", "empty segment"),
        ("/" + "%C3%A9" * 100, "longer than"),
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


@pytest.mark.parametrize(
    "value",
    [
        "/2019/03/caf%C3%A9-attack/",
        "/2019/03/caf%c3%a9-attack/",
        "/%D8%AF%D8%A7%D8%B9%D8%B4/",
        "/old%20story.php",
        "/old%3Bstory.php",
        "/%E2%80%9Cquoted%E2%80%9D/",
    ],
)
def test_percent_encoded_old_addresses_are_accepted(value):
    """WordPress permalinks come %-encoded: valid escapes of UTF-8 text are fine."""
    assert check_old_path(value) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/caf%C3%A9/", "/caf%c3%a9/"),
        ("/caf%65/", "/cafe/"),
        ("/Old/Story.php", "/old/story.php"),
    ],
)
def test_two_spellings_of_one_address_are_one_claim(first, second):
    """Servers match the decoded path, and nginx's map ignores case: one claim."""
    assert claim_key(first) == claim_key(second)
    assert check_redirect_from(parse_record(f"Redirect_from: {first}, {second}\n", "x.md"))


def test_an_encoded_old_address_is_written_decoded(fixture_content, tmp_path):
    """The redirect page lives at the decoded path (what a static host looks for) and the
    server rule holds it decoded (what nginx's $uri is), quoted."""
    add_header(
        fixture_content,
        "alias-isis.md",
        "Redirect_from: /2019/03/caf%C3%A9-attack/, /%D8%AF%D8%A7%D8%B9%D8%B4/, /a%22b%5Cc.php",
    )
    site = build(fixture_content, tmp_path / "out")
    new = "/2020/01/alias-isis/"
    for old in ("/2019/03/café-attack/", "/داعش/", '/a"b\\c.php'):
        page = site.html(old)
        assert page.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={new}"
        assert read_map(site.output)[old] == new
    lines = site.path("/" + REDIRECT_MAP).read_text(encoding="utf-8").splitlines()
    assert '"/2019/03/café-attack/" /2020/01/alias-isis/;' in lines
    assert '"/a\\"b\\\\c.php" /2020/01/alias-isis/;' in lines
    assert not list(site.output.rglob("*%*"))


def test_two_spellings_in_two_articles_are_refused(built):
    """Encoded and decoded spellings, or two cases of the hex, are one address."""
    content, rebuild_fails = built
    add_header(content, "alias-isis.md", "Redirect_from: /caf%C3%A9/")
    path, line = add_header(content, "alias-shabaab.md", "Redirect_from: /CAF%c3%a9/")
    (problem,) = rebuild_fails()
    assert (problem.path, problem.line) == (path, line)
    assert "already claimed by" in problem.message and "'/caf%C3%A9/'" in problem.message


def test_an_old_address_cannot_differ_from_a_live_one_by_case(built):
    """nginx would redirect the live page too: refused, saying why."""
    content, rebuild_fails = built
    add_header(content, "alias-isis.md", "Redirect_from: /2020/02/Alias-Shabaab/")
    (problem,) = rebuild_fails()
    assert "2020/02/alias-shabaab/index.html" in problem.message
    assert "ignores the case of letters" in problem.message


def test_an_article_cannot_redirect_its_own_address(built):
    """An old address equal to where it leads would loop: the problem says so."""
    content, rebuild_fails = built
    path, line = add_header(content, "alias-isis.md", "Redirect_from: /2020/01/alias-isis")
    (problem,) = rebuild_fails()
    assert (problem.path, problem.line) == (path, line)
    assert "leads to itself" in problem.message


def test_pages_have_old_addresses_too(fixture_content, tmp_path):
    """A page's Redirect_from leads its old addresses to it, like an article's."""
    page = fixture_content / "pages" / "about.md"
    page.write_text(
        page.read_text().replace("Slug: about", "Slug: about\nRedirect_from: /about-us/, /p/q/")
    )
    site = build(fixture_content, tmp_path / "out")
    for old in ("/about-us/", "/p/q/"):
        moved = site.html(old)
        assert moved.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=/about/"
        assert moved.select_one("h1").get_text() == "This page has moved"
        assert moved.select_one("main a").get_text() == "About the Fixture\xa0Site"
        assert read_map(site.output)[old] == "/about/"


def test_a_bad_page_header_is_named_with_its_line(built):
    """A page's Redirect_from is checked as an article's is."""
    content, rebuild_fails = built
    page = content / "pages" / "about.md"
    page.write_text(page.read_text().replace("Slug: about", "Slug: about\nRedirect_from: x.php"))
    (problem,) = rebuild_fails()
    assert (problem.path, problem.line, problem.field) == (str(page), 3, "Redirect_From")
    assert "not root-relative" in problem.message


def test_server_rules_read_back_as_written(tmp_path):
    """What nginx_map quotes, read_map unquotes: odd characters survive the round trip."""
    target = Target("/2020/01/x/")
    olds = ["/plain/x.php", "/a b/", '/q"x/', "/back\\slash/", "/داعش/", "/semi;colon{}/"]
    text = nginx_map([Redirect(old, None, target, "", "x", 1) for old in olds])
    (tmp_path / REDIRECT_MAP).write_text(text, encoding="utf-8")
    assert read_map(tmp_path) == dict.fromkeys(olds, "/2020/01/x/")
    assert "/plain/x.php /2020/01/x/;" in text.splitlines()
