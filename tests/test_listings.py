"""Home, pagination, sections, archives, feeds, 404 and links across the whole output."""

import os

from conftest import ROOT, build
from newsroom.checks import check_output
from newsroom_speed.check_memo import check_output_memo
from sources import source_articles

ARTICLES = source_articles(ROOT / "content")
ATOM = "{http://www.w3.org/2005/Atom}"


def test_home_is_paginated_newest_first(site):
    """The home page shows the newest ten, and page 2 continues where it stops."""
    first = site.html("/")
    urls = [a["href"] for a in first.select(".card-title a")]
    assert urls == [a.url for a in ARTICLES[:10]]
    following = first.select_one(".pagination a[rel=next]")
    assert following["href"] == "/page/2/"
    second = site.html("/page/2/")
    assert [a["href"] for a in second.select(".card-title a")] == [a.url for a in ARTICLES[10:20]]
    assert second.select_one(".pagination a[rel=prev]")["href"] == "/"
    assert "page 2" in second.title.get_text()
    assert second.select_one("link[rel=canonical]")["href"] == "http://localhost:8000/page/2/"


def test_sections_list_their_articles(site):
    """Each category page lists exactly that category's articles and has a feed."""
    for category in {a.category for a in ARTICLES}:
        slug = category.lower().replace(" ", "-")
        page = site.html(f"/category/{slug}/")
        expected = [a.url for a in ARTICLES if a.category == category][:10]
        assert [a["href"] for a in page.select(".listing .card-title a")] == expected
        assert site.xml(f"/category/{slug}/atom.xml").getroot().tag == f"{ATOM}feed"


def test_archives_by_year(site):
    """The archive lists every article by year, and each year has its own page."""
    page = site.html("/archives/")
    assert len(page.select(".archive-list li")) == len(ARTICLES)
    for year in {a.date.year for a in ARTICLES}:
        year_page = site.html(f"/archives/{year}/")
        expected = [a.url for a in ARTICLES if a.date.year == year]
        assert [a["href"] for a in year_page.select(".card-title a")] == expected


def test_site_feeds_are_distinct_and_valid(site):
    """Site-wide Atom and RSS exist, and topic, author and section feeds do not collide."""
    atom = site.xml("/feeds/atom.xml").getroot()
    assert atom.tag == f"{ATOM}feed"
    assert len(list(atom.iter(f"{ATOM}entry"))) == min(20, len(ARTICLES))
    rss = site.xml("/feeds/rss.xml").getroot()
    assert rss.tag == "rss" and rss.find("channel/item/title").text
    feeds = {p.relative_to(site.output).as_posix() for p in site.output.rglob("atom.xml")}
    assert {"topics/islamic-state/atom.xml", "category/analysis/atom.xml"} <= feeds
    assert any(f.startswith("authors/") for f in feeds)
    home = site.html("/")
    types = {link["type"] for link in home.select("link[rel=alternate]")}
    assert types == {"application/atom+xml", "application/rss+xml"}


def test_feed_titles_are_plain_text(site):
    """Feed entry titles carry no typogrify markup."""
    for title in site.xml("/feeds/atom.xml").getroot().iter(f"{ATOM}title"):
        assert "<" not in title.text and "&#" not in title.text


def test_not_found_page(site):
    """A 404 page exists, is not indexed, and leads readers back into the site."""
    page = site.html("/404.html")
    assert page.select_one("h1").get_text() == "Page not found"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.select(".not-found-links a")


def test_every_page_has_title_description_and_canonical(site):
    """Each HTML page has a non-empty title, description and canonical link."""
    for path in site.output.rglob("*.html"):
        page = site.html("/" + path.relative_to(site.output).as_posix())
        assert page.title.get_text(strip=True), path
        assert page.select_one("meta[name=description]")["content"].strip(), path
        assert page.select_one("link[rel=canonical]")["href"], path
        assert len(page.select("h1")) == 1, path


def test_output_checks_pass(site):
    """Every internal href, src and #anchor resolves; heads and feeds are complete."""
    assert check_output(site.output) == []


def test_output_checks_find_broken_links_and_heads(tmp_path):
    """The output check reports a missing page, a missing anchor and a bare head."""
    head = '<title>t</title><meta name="description" content="d"><link rel="canonical" href="/">'
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(head + '<p id="here">x</p>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        head + '<a href="/a/">ok</a><a href="/a/#here">ok</a><a href="/a/#gone">x</a>'
        '<a href="/missing/">x</a><a href="https://example.org/">external</a>',
        encoding="utf-8",
    )
    (tmp_path / "bare.html").write_text("<p>no head</p>", encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<feed><entry></feed>", encoding="utf-8")
    found = [(p.path, p.field, p.message) for p in check_output(tmp_path)]
    assert ("index.html", "link", "'/a/#gone': that page has no id 'gone'") in found
    assert ("index.html", "link", "'/missing/' leads to no file in the output") in found
    bare = {
        ("bare.html", "head", m)
        for m in ("has no <title>", "has no canonical", "has no description")
    }
    assert bare <= set(found)
    assert [f[1] for f in found if f[0] == "feed.xml"] == ["xml"]
    assert len(found) == 6


def test_output_checks_read_again_every_file_that_changed(tmp_path):
    """With a memo, a file whose bytes changed is read again, even at the same size and time.

    A warm build takes the facts of unchanged pages from the memo; it must
    never hide a new problem.
    """
    site, memo = tmp_path / "site", tmp_path / "cache" / "checks.pickle"
    site.mkdir()
    head = '<title>t</title><meta name="description" content="d"><link rel="canonical" href="/">'
    page = site / "index.html"
    page.write_text(head + '<a href="/index.html#top">x</a><p id="top">y</p>', encoding="utf-8")
    (site / "feed.xml").write_text("<feed></feed>", encoding="utf-8")
    assert check_output_memo(site, "", memo) == []
    assert memo.is_file()
    assert check_output_memo(site, "", memo) == []  # every fact from the memo

    stat = page.stat()
    page.unlink()  # a new file at the same size and time
    page.write_text(head + '<a href="/index.html#tap">x</a><p id="tip">y</p>', encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    feed = site / "feed.xml"
    feed.unlink()
    feed.write_text("<feed><feed>", encoding="utf-8")
    found = [(p.path, p.field, p.message) for p in check_output_memo(site, "", memo)]
    assert found == [
        ("index.html", "link", "'/index.html#tap': that page has no id 'tap'"),
        ("feed.xml", "xml", "no element found: line 1, column 12"),
    ]


def test_output_checks_take_the_file_helpers_facts_only_for_its_own_files(tmp_path):
    """The file helper takes the facts of each page and feed as it writes it; the checks use
    them for the files as written, and read any file changed since."""
    from newsroom_speed.files import FileWriter

    site = tmp_path / "site"
    head = '<title>t</title><meta name="description" content="d"><link rel="canonical" href="/">'
    files = FileWriter()
    files.write(str(site / "index.html"), (head + '<a href="/b.html#x">x</a>').encode())
    files.write(str(site / "b.html"), (head + '<p id="x">y</p>').encode())
    files.write(str(site / "feed.xml"), b"<feed>")
    files.write(str(site / "search.json"), b"{}")
    files.close()
    fresh = {os.path.relpath(path, site): facts for path, facts in files.facts.items()}
    assert sorted(fresh) == ["b.html", "feed.xml", "index.html"]
    assert fresh["b.html"][1] == ("x", ("/",), "t", frozenset({"description", "canonical"}))
    found = [(p.path, p.field) for p in check_output_memo(site, "", None, fresh=fresh)]
    assert found == [("feed.xml", "xml")]

    (site / "b.html").write_text(head + '<p id="z">y</p>', encoding="utf-8")  # not the helper's
    found = [(p.path, p.message) for p in check_output_memo(site, "", None, fresh=fresh)]
    assert ("index.html", "'/b.html#x': that page has no id 'x'") in found


def test_output_checks_follow_a_changed_anchor_into_an_unchanged_page(tmp_path):
    """A page kept from the memo is checked again when a page its #anchors point into changes,
    and whenever the site's files change."""
    site, memo = tmp_path / "site", tmp_path / "cache" / "checks.pickle"
    site.mkdir()
    head = '<title>t</title><meta name="description" content="d"><link rel="canonical" href="/">'
    (site / "index.html").write_text(head + '<a href="/b.html#part">x</a>', encoding="utf-8")
    target = site / "b.html"
    target.write_text(head + '<h2 id="part">y</h2><a href="/c.html">z</a>', encoding="utf-8")
    (site / "c.html").write_text(head, encoding="utf-8")
    assert check_output_memo(site, "", memo) == []

    target.unlink()
    target.write_text(head + '<h2 id="renamed">y</h2><a href="/c.html">z</a>', encoding="utf-8")
    found = [(p.path, p.message) for p in check_output_memo(site, "", memo)]
    assert found == [("index.html", "'/b.html#part': that page has no id 'part'")]

    target.unlink()
    target.write_text(head + '<h2 id="part">y</h2><a href="/c.html">z</a>', encoding="utf-8")
    assert check_output_memo(site, "", memo) == []
    (site / "c.html").unlink()  # b.html is unchanged, but what it links to is gone
    found = [(p.path, p.message) for p in check_output_memo(site, "", memo)]
    assert found == [("b.html", "'/c.html' leads to no file in the output")]


def test_feeds_are_feedgenerators_own_bytes(tiny_site, tmp_path, monkeypatch):
    """Entries serialised once and reused (newsroom/feeds.py) give the very bytes
    feedgenerator writes when it serialises every entry of every feed itself."""
    from newsroom_speed import feeds

    monkeypatch.setattr(feeds, "with_cached_entries", lambda feed, cache: feed)
    monkeypatch.setattr("newsroom_speed.feeds.with_cached_entries", lambda feed, cache: feed)
    plain = build(tiny_site.content, tmp_path / "uncached")
    written = sorted(path.relative_to(tiny_site.output) for path in tiny_site.output.rglob("*.xml"))
    assert len(written) > 5
    for relative in written:
        if relative.name != "sitemap.xml":
            assert (plain.output / relative).read_bytes() == (
                tiny_site.output / relative
            ).read_bytes()
