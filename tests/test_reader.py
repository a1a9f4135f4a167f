"""Reader aids and machine metadata: related analysis, contents, sharing, JSON-LD, sitemap."""

import json
from xml.etree import ElementTree

import pytest

from conftest import ROOT, build
from sources import HUB_NAMES, hub_articles, source_articles

ARTICLES = source_articles(ROOT / "content")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(page):
    """Return the parsed JSON-LD graph of a page, keyed by @type."""
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    return {node["@type"]: node for node in data["@graph"]}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_related_analysis(site, article):
    """Each article lists 3 to 5 related articles, never itself, sharing a tag first."""
    page = site.html(article.url)
    links = [a["href"] for a in page.select(".related-list a")]
    assert 3 <= len(links) <= 5
    assert article.url not in links and len(set(links)) == len(links)
    first = next(a for a in ARTICLES if a.url == links[0])
    assert {t.lower() for t in first.tags} & {t.lower() for t in article.tags} or any(
        {t.lower() for t in first.tags} & names and {t.lower() for t in article.tags} & names
        for names in HUB_NAMES.values()
    )
    assert all(site.path(link).is_file() for link in links)
    assert all(
        a.get_text().startswith("Read the analysis: ") for a in page.select(".related-list a")
    )


def test_previous_and_next_follow_the_main_topic(site):
    """Previous/next links walk the article's main topic in date order."""
    hub = [a.url for a in hub_articles(ROOT / "content", "islamic-state")]
    trebes = "/2018/03/islamic-state-claims-trebes-attack/"
    page = site.html(trebes)
    index = hub.index(trebes)
    assert page.select_one(".topic-newer")["href"] == hub[index - 1]
    assert page.select_one(".topic-older")["href"] == hub[index + 1]
    assert "Islamic State" in page.select_one(".topic-neighbours")["aria-label"]


def test_reading_time_and_contents(site):
    """Articles show a reading time; long ones get a contents list of their sections."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    assert "min read" in page.select_one(".dateline").get_text()
    toc = [a["href"] for a in page.select(".toc a")]
    sections = ["#" + h["id"] for h in page.select(".article-body h2[id], .article-body h3[id]")]
    assert len(toc) >= 4 and toc == sections
    assert "#" not in page.select_one(".toc a").get_text()


def test_share_links_are_plain_links(site):
    """The share block holds plain links carrying the article URL, and no script."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    links = page.select(".share-list a")
    assert {"Email", "Bluesky", "LinkedIn"} <= {a.contents[0] for a in links}
    assert all("islamic-state-claims-trebes-attack" in a["href"] for a in links)
    assert not page.select(".share script")


def test_call_to_action_is_configurable(site, fixture_content, tmp_path):
    """The CTA shows after articles when set and disappears when SITE_CTA is None."""
    cta = site.html("/2018/03/islamic-state-claims-trebes-attack/").select_one(".cta")
    assert cta.select_one("a")["href"] == "https://example.org/support"
    quiet = build(fixture_content, tmp_path / "out", SITE_CTA=None)
    assert not quiet.html("/2020/01/alias-isis/").select(".cta")


def test_article_structured_data(site):
    """Articles carry a NewsArticle with every author as a Person, and breadcrumbs."""
    article = next(a for a in ARTICLES if len(a.authors) > 1)
    graph = json_ld(site.html(article.url))
    news = graph["NewsArticle"]
    assert news["headline"] and news["datePublished"].startswith(f"{article.date:%Y-%m-%d}")
    assert [p["name"] for p in news["author"]] == article.authors
    assert all(p["@type"] == "Person" and "/authors/" in p["url"] for p in news["author"])
    crumbs = graph["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]


def test_author_and_hub_structured_data(site):
    """Author pages are ProfilePages; topic hubs are CollectionPages of their articles."""
    profile = json_ld(site.html("/authors/claire-dubois/"))["ProfilePage"]
    assert profile["mainEntity"]["name"] == "Claire Dubois"
    hub = json_ld(site.html("/topics/al-shabaab/"))["CollectionPage"]
    assert "al-Shabaab" in hub["about"]["alternateName"]
    assert hub["mainEntity"]["itemListElement"]


def test_social_cards(site):
    """Articles have OpenGraph and Twitter tags in plain text, with an image that exists."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
    assert meta["og:title"] == page.title.get_text().split(" · ")[0]
    assert meta["og:type"] == "article" and meta["twitter:card"] == "summary_large_image"
    image = meta["og:image"].split("localhost:8000", 1)[1]
    assert site.path(image).is_file()


def test_sitemap_robots_and_manifest(site):
    """The sitemap lists every article with lastmod; robots.txt points to it; manifest parses."""
    root = ElementTree.parse(site.path("/sitemap.xml")).getroot()
    locs = {u.find(f"{SITEMAP}loc").text.split("localhost:8000", 1)[1]: u for u in root}
    for article in ARTICLES:
        assert locs[article.url].find(f"{SITEMAP}lastmod").text.startswith(f"{article.date:%Y}")
    assert "/topics/islamic-state/" in locs and "/404.html" not in locs
    robots = site.path("/robots.txt").read_text()
    assert "Sitemap: http://localhost:8000/sitemap.xml" in robots
    manifest = json.loads(site.path("/manifest.webmanifest").read_text())
    assert manifest["name"] == "Militancy Monitor"
    assert all(site.path(icon["src"]).is_file() for icon in manifest["icons"])


def test_search_page_and_every_page_offer_search(site):
    """A labelled search form on the search page, with filters; a search box on every page."""
    search = site.html("/search/")
    assert search.select_one('form[role="search"] label[for="search-input"]')
    assert {s["data-filter"] for s in search.select("select[data-filter]")} == {
        "topic",
        "author",
        "section",
    }
    assert search.select('.search-note a[href="/topics/"]')  # works without JavaScript
    home = site.html("/")
    assert home.select_one('.site-search label[for="site-search-input"]')
