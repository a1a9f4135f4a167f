"""Metadata for machines on every kind of page: OpenGraph and Twitter cards, JSON-LD
(expanded with PyLD, offline), the favicon at the root."""

import json
import re

import pytest
from PIL import Image
from pyld import jsonld

from conftest import FIXTURES, ROOT, build
from newsroom.structured import og_locale
from sources import source_articles

ARTICLES = source_articles(ROOT / "content")
ARTICLE = next(a for a in ARTICLES if len(a.authors) > 1)
SITENAME = "Militancy Monitor"
SITE_DESCRIPTION_START = "Independent, evidence-based analysis"
SCHEMA = "http://schema.org/"
BASE = "http://localhost:8000"  # FEED_DOMAIN: local builds' absolute URLs
# One page of each kind, with the og:type it must have.
PAGES = {
    "home": ("/", "website"),
    "home, page 2": ("/page/2/", "website"),
    "article": (ARTICLE.url, "article"),
    "page": ("/about/", "website"),
    "topic hub": ("/topics/al-shabaab/", "website"),
    "plain tag": ("/topics/france/", "website"),
    "author": ("/authors/claire-dubois/", "profile"),
    "section": ("/category/analysis/", "website"),
    "archives": ("/archives/", "website"),
    "year archive": ("/archives/2018/", "website"),
    "topics index": ("/topics/", "website"),
    "authors index": ("/authors/", "website"),
    "sections index": ("/category/", "website"),
    "search": ("/search/", "website"),
    "not found": ("/404.html", "website"),
}
KINDS = list(PAGES)
SCHEMA_CONTEXT = json.loads((FIXTURES / "jsonld" / "schema.org.jsonld").read_text())


def offline_loader(url, options=None):
    """Answer schema.org context requests from the local context file; refuse the rest,
    so the tests never reach the network."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": SCHEMA_CONTEXT,
            "contentType": "application/ld+json",
        }
    raise RuntimeError(f"the JSON-LD tests load no document from the network: {url}")


def expand(data):
    """Expand one JSON-LD document with the offline loader."""
    return jsonld.expand(data, {"documentLoader": offline_loader})


def meta_tags(page):
    """Return {property or name: content} of a page's meta tags."""
    return {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}


def ld_scripts(page):
    """Return the parsed JSON-LD documents of a page."""
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def nodes(expanded):
    """Yield every node object of an expanded document, nested ones included."""
    if isinstance(expanded, list):
        for value in expanded:
            yield from nodes(value)
    elif isinstance(expanded, dict) and "@value" not in expanded:  # not a typed literal
        if "@type" in expanded:
            yield expanded
        for key, value in expanded.items():
            if not key.startswith("@") or key == "@graph":
                yield from nodes(value)


def of_type(expanded, name):
    """Return the nodes of one schema.org type."""
    return [node for node in nodes(expanded) if SCHEMA + name in node["@type"]]


def values(node, name):
    """Return the values (literals, IRIs or nodes) of one schema.org property of a node."""
    found = []
    for value in node.get(SCHEMA + name, []):
        if isinstance(value, dict) and "@value" in value:
            found.append(value["@value"])
        elif isinstance(value, dict) and set(value) == {"@id"}:
            found.append(value["@id"])
        else:
            found.append(value)
    return found


@pytest.fixture(scope="module")
def expanded_pages(site):
    """{kind: expanded JSON-LD of every script on that kind's page}."""
    return {
        kind: [expand(data) for data in ld_scripts(site.html(url))]
        for kind, (url, _) in PAGES.items()
    }


@pytest.fixture(scope="module")
def home_graph(expanded_pages):
    """The expanded JSON-LD of the home page, as one list of nodes."""
    return [node for document in expanded_pages["home"] for node in document]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_page_has_its_own_card(site, kind):
    """og:title is the page's <title> without the site's name (or its h1), og:url its
    canonical URL, og:description its meta description, og:locale ll_CC; og:type and
    og:site_name, twitter:card are there too."""
    url, og_type = PAGES[kind]
    page = site.html(url)
    meta = meta_tags(page)
    title = page.title.get_text()
    h1 = page.h1.get_text(" ", strip=True) if page.h1 else None
    assert meta["og:title"] in (title.removesuffix(f" · {SITENAME}"), h1)
    assert meta["og:title"] != SITENAME
    assert meta["og:url"] == page.select_one('link[rel="canonical"]')["href"]
    assert meta["og:url"].startswith(f"{BASE}/")
    assert meta["og:description"] == meta["description"] != ""
    if kind not in ("home", "home, page 2"):
        assert not meta["og:description"].startswith(SITE_DESCRIPTION_START)
    assert re.fullmatch(r"[a-z]{2}_[A-Z]{2}", meta["og:locale"])
    assert meta["og:locale"] == "en_US" and page.html["lang"] == "en"
    assert meta["og:type"] == og_type
    assert meta["og:site_name"] == SITENAME
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"].startswith(f"{BASE}/")


def test_cards_name_the_page_they_are_on(site):
    """A topic, an author and a section carry their own names, not the site's card."""
    for url, name in [
        ("/topics/al-shabaab/", "Al Shabaab"),
        ("/authors/claire-dubois/", "Claire Dubois"),
        ("/category/analysis/", "Analysis"),
    ]:
        meta = meta_tags(site.html(url))
        assert meta["og:title"] == name
        assert meta["og:url"] == f"{BASE}{url}"


def written_pages(site):
    """Yield (path, parsed page) for every HTML page of the build but the redirect stubs
    of moved articles (their canonical and og:url are the article's own)."""
    for path in sorted(site.output.rglob("*.html")):
        page = site.html(str(path.relative_to(site.output)))
        if not page.select_one('meta[http-equiv="refresh"]'):
            yield path.relative_to(site.output).as_posix(), page


def test_og_urls_are_unique_across_the_site(site):
    """Every page has an og:url equal to its canonical URL, and no two pages share one."""
    seen = {}
    for path, page in written_pages(site):
        og_url = meta_tags(page)["og:url"]
        assert og_url == page.select_one('link[rel="canonical"]')["href"], path
        assert og_url not in seen, f"{path} and {seen.get(og_url)} share {og_url}"
        seen[og_url] = path
    assert len(seen) > 50


def test_year_archives_have_their_own_canonical_url(site):
    """Each year's archive names itself, not the home page."""
    meta = meta_tags(site.html("/archives/2018/"))
    assert meta["og:url"] == f"{BASE}/archives/2018/"


def test_a_page_in_french_has_a_french_locale(fixture_content, tmp_path):
    """og:locale follows the page's Lang through OG_LOCALES: fr gives fr_FR."""
    about = fixture_content / "pages" / "about.md"
    about.write_text("Lang: fr\n" + about.read_text(encoding="utf-8"), encoding="utf-8")
    french = build(fixture_content, tmp_path / "out")
    # Wherever Pelican files a page in another language (PAGE_LANG_SAVE_AS).
    (path,) = [p for p in french.output.rglob("*.html") if '<html lang="fr">' in p.read_text()]
    page = french.html(str(path.relative_to(french.output)))
    assert meta_tags(page)["og:locale"] == "fr_FR"
    (data,) = ld_scripts(page)
    assert data["inLanguage"] == "fr"
    assert meta_tags(french.html("/"))["og:locale"] == "en_US"


@pytest.mark.parametrize(
    ("lang", "locale"),
    [
        ("en", "en_US"),
        ("fr", "fr_FR"),
        ("fr-CA", "fr_CA"),
        ("pt-br", "pt_BR"),
        ("sr-Latn-RS", "sr_RS"),
        ("de", "de_DE"),
        ("en-GB", "en_GB"),
    ],
)
def test_og_locale_of_a_language_tag(lang, locale):
    assert og_locale(lang, {"en": "en_US", "fr": "fr_FR"}) == locale


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_page_has_json_ld_that_expands(expanded_pages, kind):
    """Every page carries JSON-LD that expands to schema.org nodes, linked to the site."""
    documents = expanded_pages[kind]
    assert documents, f"no JSON-LD on the {kind} page"
    for expanded in documents:
        found = list(nodes(expanded))
        assert found
        assert all(t.startswith(SCHEMA) for node in found for t in node["@type"])
    linked = [
        ref
        for expanded in documents
        for node in nodes(expanded)
        for name in ("isPartOf", "publisher")
        for ref in values(node, name)
    ]
    assert linked, f"the {kind} page's graph links to neither the site nor its publisher"


def test_the_home_page_describes_a_searchable_site_and_its_newsroom(site, home_graph):
    """WebSite with a SearchAction to the search page's ?q=, and a NewsMediaOrganization."""
    (website,) = of_type(home_graph, "WebSite")
    assert values(website, "name") == [SITENAME]
    assert values(website, "url") == [f"{BASE}/"]
    (action,) = values(website, "potentialAction")
    assert SCHEMA + "SearchAction" in action["@type"]
    (target,) = values(action, "target")
    (template,) = values(target, "urlTemplate")
    assert template == f"{BASE}/search/?q={{search_term_string}}"
    assert values(action, "query-input") == ["required name=search_term_string"]
    # The parameter is the one the search page reads.
    assert site.html("/search/").select_one('form.search-form input[name="q"]')
    assert 'params.get("q")' in (ROOT / "theme" / "static" / "js" / "search.js").read_text()

    (organization,) = of_type(home_graph, "NewsMediaOrganization")
    assert values(organization, "name") == [SITENAME]
    assert values(organization, "url") == [f"{BASE}/"]
    (logo,) = values(organization, "logo")
    (logo_url,) = values(logo, "url")
    assert site.path(logo_url.removeprefix(BASE)).is_file()
    assert values(website, "publisher") == [organization["@id"]]


def test_articles_link_to_the_same_newsroom_as_the_home_page(expanded_pages, home_graph):
    """The NewsArticle names its authors as Persons; its publisher and site are the @ids
    the home page defines, so the graphs join up."""
    (organization,) = of_type(home_graph, "NewsMediaOrganization")
    (website,) = of_type(home_graph, "WebSite")
    (news,) = of_type(expanded_pages["article"], "NewsArticle")
    authors = values(news, "author")
    assert [values(person, "name")[0] for person in authors] == ARTICLE.authors
    assert all(SCHEMA + "Person" in person["@type"] for person in authors)
    assert values(news, "headline") and values(news, "datePublished")
    assert values(news, "url") == [f"{BASE}{ARTICLE.url}"]
    (publisher,) = values(news, "publisher")
    assert publisher["@id"] == organization["@id"]
    assert values(news, "isPartOf") == [website["@id"]]
    (crumbs,) = of_type(expanded_pages["article"], "BreadcrumbList")
    assert len(values(crumbs, "itemListElement")) == 3


def test_listings_and_pages_describe_themselves(expanded_pages, home_graph):
    """Author pages are ProfilePages, topic hubs CollectionPages, and every other page a
    WebPage at its canonical URL, all part of the home page's WebSite."""
    (website,) = of_type(home_graph, "WebSite")
    (profile,) = of_type(expanded_pages["author"], "ProfilePage")
    (person,) = values(profile, "mainEntity")
    assert values(person, "name") == ["Claire Dubois"]
    (hub,) = of_type(expanded_pages["topic hub"], "CollectionPage")
    assert values(hub, "name") == ["Al Shabaab"]
    for node in (profile, hub):
        assert values(node, "isPartOf") == [website["@id"]]
    for kind in ("page", "plain tag", "section", "archives", "topics index", "search"):
        (web_page,) = of_type(expanded_pages[kind], "WebPage")
        url = PAGES[kind][0]
        assert values(web_page, "url") == [f"{BASE}{url}"], kind
        assert values(web_page, "isPartOf") == [website["@id"]], kind


def test_the_loader_never_reaches_the_network():
    """Any context but schema.org's is refused, not fetched."""
    with pytest.raises(jsonld.JsonLdError) as refused:
        expand({"@context": "https://example.org/context.jsonld", "name": "x"})
    assert "load no document from the network" in str(refused.value.__cause__)


def test_favicon_ico_is_at_the_root(site):
    """/favicon.ico is a real ICO file (16 and 32 pixels), linked from every page's head."""
    favicon = site.path("/favicon.ico")
    data = favicon.read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00"
    with Image.open(favicon) as image:
        assert image.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(image.info["sizes"])
    for url in ("/", ARTICLE.url, "/404.html"):
        icons = {link["href"] for link in site.html(url).select('link[rel="icon"]')}
        assert "/favicon.ico" in icons and "/theme/images/favicon.svg" in icons
