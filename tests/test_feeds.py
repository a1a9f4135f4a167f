"""Feeds as real clients read them: feedparser on every feed of the built site, and Debian's
jing checking every Atom feed against a schema written from RFC 4287 (fixtures/atom.rnc).
Entries credit every author, feeds have their own ids and pages, links in entries work
away from the site."""

import datetime
import shutil
import subprocess
from collections import Counter
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import FIXTURES, ROOT
from sources import headers, source_articles

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = f"{{{ATOM_NS}}}"
SCHEMA = FIXTURES / "atom.rnc"
ARTICLES = source_articles(ROOT / "content")
COAUTHORED = [article for article in ARTICLES if len(article.authors) > 1]
# Attributes of entry HTML that hold addresses.
ADDRESSES = ("href", "src", "srcset", "poster", "cite", "action", "data")
JING_TIMEOUT = 180


class Feed:
    """One feed of the built site, as feedparser reads it and as its XML stands."""

    def __init__(self, site, path):
        self.path = path.relative_to(site.output).as_posix()
        data = path.read_bytes()
        self.file = path
        self.parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
        self.root = etree.fromstring(data)
        self.atom = self.root.tag == f"{ATOM}feed"
        self.url = f"{site.settings['FEED_DOMAIN']}/{self.path}"

    def items(self):
        """The raw entries (Atom) or items (RSS)."""
        return self.root.findall(f"{ATOM}entry") if self.atom else self.root.findall("channel/item")

    def bodies(self):
        """Yield (entry link, HTML) for every body an entry carries."""
        for item in self.items():
            if self.atom:
                link = item.find(f"{ATOM}link[@rel='alternate']").get("href")
                for tag in ("content", "summary"):
                    html = item.findtext(f"{ATOM}{tag}")
                    if html is not None:
                        yield link, html
            else:
                yield item.findtext("link"), item.findtext("description")


@pytest.fixture(scope="module")
def feeds(site):
    """Every Atom and RSS feed of the real site, by path."""
    found = {}
    for path in sorted(site.output.rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        if root.tag in (f"{ATOM}feed", "rss"):
            found[path.relative_to(site.output).as_posix()] = Feed(site, path)
    assert len(found) > 40, sorted(found)
    assert {"feeds/atom.xml", "feeds/rss.xml"} <= set(found)
    return found


def local(site, url):
    """Return the root-relative path of an absolute URL on the feed domain."""
    domain = site.settings["FEED_DOMAIN"]
    assert url.startswith(domain + "/"), url
    return url[len(domain) :]


def author_pages(site):
    """{author name: root-relative URL of their page}, from the authors index."""
    page = site.html("/authors/")
    return {a.get_text(): a["href"] for a in page.select(".person-name a")}


def own_feed(site, page):
    """The path of the Atom feed a listing page names in its head, besides the site's."""
    heads = site.html(page).select('head link[rel=alternate][type="application/atom+xml"]')
    paths = {urlsplit(link["href"]).path.lstrip("/") for link in heads}
    (path,) = paths - {site.settings["FEED_ATOM"]}
    return path


def article_of(site, link):
    by_url = {article.url: article for article in ARTICLES}
    return by_url[local(site, link)]


def test_every_feed_is_read_cleanly(feeds):
    """feedparser reads every feed as Atom 1.0 or RSS 2.0 with no complaint."""
    for path, feed in feeds.items():
        parsed = feed.parsed
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("atom10" if feed.atom else "rss20"), path
        assert parsed.feed.title, path


def test_every_entry_credits_every_author_in_byline_order(feeds, site):
    """Each entry names all its authors as the article's Authors header lists them: one
    Atom <author> each, with the author's page; one RSS <dc:creator> each."""
    pages = author_pages(site)
    domain = site.settings["FEED_DOMAIN"]
    checked = Counter()
    for path, feed in feeds.items():
        for entry in feed.parsed.entries:
            article = article_of(site, entry.link)
            assert [author.name for author in entry.authors] == article.authors, (path, entry.link)
            if feed.atom:
                hrefs = [author.get("href") for author in entry.authors]
                assert hrefs == [domain + pages[name] for name in article.authors], path
                for href in hrefs:
                    assert site.path(local(site, href)).is_file(), href
            checked[len(article.authors) > 1] += 1
    assert checked[True] and checked[False], checked


def test_every_co_author_has_the_article_in_their_feed(feeds, site):
    """An article written together is in each co-author's own feed (the one their page
    links to, wherever AUTHOR_FEED_ATOM puts it), crediting all of them."""
    assert COAUTHORED, "content/ should hold an article with several authors"
    limit = site.settings["FEED_MAX_ITEMS"]
    pages = author_pages(site)
    for article in COAUTHORED:
        for name in article.authors:
            feed = feeds[own_feed(site, pages[name])]
            theirs = [a.url for a in ARTICLES if name in a.authors][:limit]
            entries = {local(site, entry.link): entry for entry in feed.parsed.entries}
            assert list(entries) == theirs, name
            if article.url in theirs:
                credited = [author.name for author in entries[article.url].authors]
                assert credited == article.authors, (name, article.url)


def test_entry_html_links_are_absolute_and_carry_no_permalink_glyphs(feeds, site):
    """Every address in an entry's HTML is absolute (a footnote link leads to the
    article's own footnote, not to the feed's address), and the headings have no "#"
    permalink anchors."""
    toc = site.settings["MARKDOWN"]["extension_configs"]["markdown.extensions.toc"]
    glyph_class = toc.get("permalink_class", "headerlink")
    glyph = toc.get("permalink")
    footnotes = 0
    for path, feed in feeds.items():
        for link, html in feed.bodies():
            soup = BeautifulSoup(html, "lxml")
            for element in soup.find_all(True):
                for name in ADDRESSES:
                    value = element.get(name)
                    if value is None:
                        continue
                    for address in value.split(",") if name == "srcset" else [value]:
                        address = address.strip().split(" ")[0]
                        assert not address.startswith(("#", "/")), (path, link, address)
                        assert urlsplit(address).scheme, (path, link, address)
            assert not soup.select(f".{glyph_class}"), (path, link)
            for heading in soup.select("h1, h2, h3, h4, h5, h6"):
                assert not (glyph and heading.get_text().rstrip().endswith(glyph)), (path, link)
            for anchor in soup.select("a.footnote-ref, a.footnote-backref"):
                assert anchor["href"].startswith(link + "#"), (path, anchor["href"])
                footnotes += 1
    assert footnotes, "some article in content/ should have footnotes"


def test_feeds_and_entries_are_dated(feeds, site):
    """Every feed has a date; every entry its publication date (the article's Date
    header) and, in Atom, its last update."""
    for path, feed in feeds.items():
        assert feed.parsed.feed.get("updated_parsed"), path
        for entry in feed.parsed.entries:
            published = entry.get("published_parsed")
            assert published, (path, entry.link)
            assert datetime.datetime(*published[:6]) == article_of(site, entry.link).date
            if feed.atom:
                assert entry.get("updated_parsed"), (path, entry.link)


def test_ids_are_unique_within_each_feed_and_feed_ids_across_feeds(feeds):
    """Entry ids never repeat in a feed; each Atom feed has its own id, made from its own
    address (so it stays as long as the feed does)."""
    for path, feed in feeds.items():
        ids = [entry.id for entry in feed.parsed.entries]
        assert all(ids) and len(ids) == len(set(ids)), path
    atom_ids = {path: feed.parsed.feed.id for path, feed in feeds.items() if feed.atom}
    assert len(set(atom_ids.values())) == len(atom_ids), Counter(atom_ids.values()).most_common(3)
    for path, feed_id in atom_ids.items():
        assert feed_id == feeds[path].url, path


def test_each_feed_links_to_its_own_page_and_to_itself(feeds, site):
    """A feed's alternate link is the page it follows (home for the site's feeds, else the
    topic hub, author page or section page whose folder holds it), that page exists and
    names the feed in its head; its self link is its own address."""
    site_feeds = {site.settings["FEED_ATOM"], site.settings["FEED_RSS"]}
    for path, feed in feeds.items():
        links = feed.parsed.feed.links
        alternates = [link.href for link in links if link.rel == "alternate"]
        selves = [link.href for link in links if link.rel == "self"]
        assert selves == [feed.url], path
        assert len(alternates) == 1, (path, alternates)
        page = local(site, alternates[0])
        folder = path.rsplit("/", 1)[0]
        assert page == ("/" if path in site_feeds else f"/{folder}/"), path
        assert site.path(page).is_file(), page
        heads = site.html(page).select("head link[rel=alternate]")
        assert f"/{path}" in {urlsplit(link["href"]).path for link in heads}, (path, page)


def test_feeds_describe_what_they_follow(feeds, site):
    """The RSS channel description and each Atom subtitle describe the feed: the site's
    description for the site's feeds, a tracked topic's summary for its hub's feed."""
    description = site.settings["SITE_DESCRIPTION"]
    assert feeds["feeds/rss.xml"].root.findtext("channel/description") == description
    assert feeds["feeds/atom.xml"].parsed.feed.subtitle == description
    for path, feed in feeds.items():
        if feed.atom:
            assert feed.root.findtext(f"{ATOM}subtitle").strip(), path
        else:
            assert feed.root.findtext("channel/description").strip(), path
    topic_feed = site.settings["TAG_FEED_ATOM"]
    topics = sorted((site.content / "topics").glob("*.md"))
    assert topics
    for source in topics:
        topic = headers(source)
        feed = feeds[topic_feed.format(slug=topic.get("slug") or source.stem)]
        assert feed.parsed.feed.subtitle == topic["summary"], source.name


def test_rss_guids_say_whether_they_are_the_items_address(feeds):
    """Every RSS guid carries isPermaLink, true only where the guid is the item's link."""
    items = [item for feed in feeds.values() if not feed.atom for item in feed.items()]
    assert items
    for item in items:
        guid = item.find("guid")
        permalink = guid.get("isPermaLink")
        assert permalink in ("true", "false"), guid.text
        is_address = urlsplit(guid.text).scheme in ("http", "https")
        assert (permalink == "true") == is_address, guid.text
        if permalink == "true":
            assert guid.text == item.findtext("link")


def jing(*paths):
    """Run Debian's jing on the Atom schema and some files; a missing jing fails the test
    (CI installs it: .ci/run)."""
    command = shutil.which("jing")
    assert command, "jing is not installed: apt-get install jing (the feed tests need it)"
    return subprocess.run(
        [command, "-c", str(SCHEMA), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=JING_TIMEOUT,
        check=False,
    )


def test_every_atom_feed_is_valid_rfc4287(feeds):
    """Every Atom feed passes the RFC 4287 schema, and the rules no grammar states: one
    self link, at most one alternate link per type and language, an author for every
    entry (the entry's own or the feed's), content or an alternate link in each entry."""
    atom = [feed for feed in feeds.values() if feed.atom]
    result = jing(*(feed.file for feed in atom))
    assert result.returncode == 0, result.stdout + result.stderr
    for feed in atom:
        feed_links = feed.root.findall(f"{ATOM}link")
        assert [link.get("rel") for link in feed_links].count("self") == 1, feed.path
        feed_author = feed.root.find(f"{ATOM}author") is not None
        for owner, links in [(feed.root, feed_links)] + [
            (entry, entry.findall(f"{ATOM}link")) for entry in feed.items()
        ]:
            alternates = [
                (link.get("type"), link.get("hreflang"))
                for link in links
                if link.get("rel", "alternate") == "alternate"
            ]
            assert len(alternates) == len(set(alternates)), feed.path
            if owner is not feed.root:
                assert feed_author or owner.find(f"{ATOM}author") is not None, feed.path
                assert alternates or owner.find(f"{ATOM}content") is not None, feed.path


GOOD = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="{ATOM_NS}"><title>T</title><id>https://example.org/feed.xml</id>
<updated>2024-05-14T10:00:00Z</updated><link rel="self" href="https://example.org/feed.xml"/>
<entry><title>E</title><id>tag:example.org,2024-05-14:/e/</id>
<updated>2024-05-14T10:00:00+02:00</updated><author><name>A</name></author>
<link href="https://example.org/e/"/><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>
</feed>"""
BROKEN = {
    "no-id": ("<id>https://example.org/feed.xml</id>", ""),
    "relative-id": ("<id>https://example.org/feed.xml</id>", "<id>feed.xml</id>"),
    "date-without-zone": ("2024-05-14T10:00:00Z", "2024-05-14T10:00:00"),
    "date-with-space": ("2024-05-14T10:00:00Z", "2024-05-14 10:00:00Z"),
    "two-titles": ("<title>E</title>", "<title>E</title><title>F</title>"),
    "author-without-name": ("<name>A</name>", "<uri>https://example.org/a/</uri>"),
    "link-without-href": ('<link href="https://example.org/e/"/>', "<link/>"),
    "unknown-atom-element": ("<title>E</title>", "<title>E</title><headline>E</headline>"),
    "bad-text-type": ('type="html"', 'type="markdown"'),
}


def test_the_atom_schema_refuses_what_rfc4287_forbids(tmp_path):
    """The schema is no formality: a correct feed passes, each broken one is refused."""
    good = tmp_path / "good.xml"
    good.write_text(GOOD, encoding="utf-8")
    assert jing(good).returncode == 0, jing(good).stdout
    broken = []
    for name, (old, new) in BROKEN.items():
        assert old in GOOD, name
        path = tmp_path / f"{name}.xml"
        path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
        broken.append(path)
    result = jing(*broken)
    assert result.returncode != 0
    refused = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert refused == {str(path) for path in broken}, result.stdout


def test_entry_html_rewriting_resolves_every_kind_of_address():
    """Fragment, root-relative, relative and srcset addresses resolve against the article's
    address, as on its page; absolute ones, mailto: and the rest of the HTML stay as
    written; the permalink anchors go, whatever class the toc extension gives them."""
    from newsroom.feed_html import feed_html, permalink_class

    base = "https://example.org/2024/05/piece/"
    written = (
        '<h2 id="a">A &amp; B<a class="anchor" href="#a" title="Link">#</a></h2>'
        '<p>See<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup> '
        "<a href='/topics/x/'>x</a> <a href=../other/?a=1&amp;b=2>o</a> "
        '<a href="https://elsewhere.example/">e</a> <a href="mailto:desk@example.org">m</a>'
        '<!-- <a href="/kept/"> --></p>'
        '<img alt="Map &quot;A&quot;" src="map.svg" srcset="map.svg 1x, /big/map.svg 2x">'
    )
    settings = {"MARKDOWN": {"extension_configs": {"toc": {"permalink_class": "anchor"}}}}
    assert feed_html(written, base, permalink_class(settings)) == (
        '<h2 id="a">A &amp; B</h2>'
        '<p>See<sup id="fnref:1"><a class="footnote-ref" href="'
        f'{base}#fn:1">1</a></sup> '
        '<a href="https://example.org/topics/x/">x</a> '
        '<a href="https://example.org/2024/05/other/?a=1&amp;b=2">o</a> '
        '<a href="https://elsewhere.example/">e</a> <a href="mailto:desk@example.org">m</a>'
        '<!-- <a href="/kept/"> --></p>'
        f'<img alt="Map &quot;A&quot;" src="{base}map.svg" '
        f'srcset="{base}map.svg 1x, https://example.org/big/map.svg 2x">'
    )
    assert permalink_class({}) == "headerlink"
