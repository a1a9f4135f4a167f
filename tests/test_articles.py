"""Article pages: byline, dates, bios, canonical tags, typography and drafts."""

import re

import pytest

from conftest import ROOT
from sources import HUB_NAMES, source_articles

ARTICLES = source_articles(ROOT / "content")
CANONICAL = {
    "islamic-state": "Islamic State",
    "al-shabaab": "Al Shabaab",
    "boko-haram": "Boko Haram",
}


def test_sample_content_is_broad_enough():
    """The sample content covers years, groups, authors and shared bylines."""
    assert len(ARTICLES) >= 12
    assert len({a.date.year for a in ARTICLES}) >= 5
    assert len({name for a in ARTICLES for name in a.authors}) >= 3
    assert any(len(a.authors) > 1 for a in ARTICLES)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_byline_links_every_author_in_order(site, article):
    """Each article's byline names all its authors, in order, linked to their pages."""
    page = site.html(article.url)
    links = page.select(".article-header .byline a[rel=author]")
    assert [a.get_text() for a in links] == article.authors
    for link in links:
        assert site.path(link["href"]).is_file()


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_article_ends_with_every_authors_bio(site, article):
    """Each article ends with a bio section for each of its authors."""
    page = site.html(article.url)
    bios = page.select(".article-authors .author-bio")
    assert [b.select_one(".author-bio-name").get_text(strip=True) for b in bios] == article.authors
    assert all(len(b.select_one(".author-bio-body").get_text(strip=True)) > 40 for b in bios)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_tags_line_shows_canonical_topic_names(site, article):
    """Aliases never show in the tags line: they are replaced by the topic's name."""
    shown = [a.get_text() for a in site.html(article.url).select(".article-tags a[rel=tag]")]
    expected = []
    for tag in article.tags:
        hub = next((h for h, names in HUB_NAMES.items() if tag.lower() in names), None)
        name = CANONICAL[hub] if hub else tag
        if name.lower() not in [e.lower() for e in expected]:
            expected.append(name)
    # Other registered topics (ISWAP, JNIM...) may rename their aliases too,
    # so compare the three tracked groups exactly and the rest by count.
    assert [n for n in shown if n in CANONICAL.values()] == [
        n for n in expected if n in CANONICAL.values()
    ]
    assert len(shown) <= len(expected)
    assert not {n.lower() for n in shown} & (HUB_NAMES["islamic-state"] - {"islamic state"})


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_article_head_is_plain_text(site, article):
    """<title> and the meta description are plain text, free of typogrify markup."""
    raw = site.path(article.url).read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", raw, re.S)[1]
    assert "<span" not in title and "&#82" not in title and "&nbsp;" not in title
    page = site.html(article.url)
    heading = page.select_one("h1").get_text().replace("\xa0", " ")
    assert page.title.get_text().split(" · ")[0] == heading
    description = page.select_one("meta[name=description]")["content"]
    assert description and "<" not in description


def test_typogrify_shapes_body_but_not_title(site):
    """Typogrify adds caps spans and curly quotes to headings and body, never to <title>."""
    article = next(a for a in ARTICLES if re.search(r"\b[A-Z]{4,}\b", a.title))
    page = site.html(article.url)
    assert page.select_one("h1.article-title span.caps")
    assert page.select(".article-body span.caps") or page.select(".article-body .dquo")
    assert not page.title.find_all(True)
    body = site.path(article.url).read_text(encoding="utf-8")
    assert "&#8217;" in body or "’" in body


def test_quotes_are_curled_in_titles_and_summaries(site):
    """Straight quotes in titles and summaries come out curled, in headings and listings."""
    article = next(a for a in ARTICLES if "'" in a.title)
    page = site.html(article.url)
    heading = page.select_one("h1").get_text()
    assert "’" in heading and "'" not in heading
    assert "'" not in page.select_one(".standfirst").get_text()
    assert "'" not in page.title.get_text()
    cards = site.html("/archives/").select(".archive-list a")
    assert not [a.get_text() for a in cards if "'" in a.get_text() or '"' in a.get_text()]


def test_dates_are_machine_readable(site):
    """Every article shows its publication date in a <time datetime> element."""
    for article in ARTICLES:
        time = site.html(article.url).select_one(".dateline time")
        assert time["datetime"].startswith(article.date.strftime("%Y-%m-%dT%H:%M"))


def test_drafts_never_reach_the_output(site):
    """A Status: draft article is absent from every page, feed and folder."""
    drafts = [
        a for a in source_articles(ROOT / "content", include_drafts=True) if a.status == "draft"
    ]
    assert drafts, "the sample content should hold a draft"
    for draft in drafts:
        assert not site.path(draft.url).exists()
        for path, text in site.text_files():
            assert draft.slug not in text, f"{draft.slug} leaked into {path}"
            assert draft.title not in text, f"{draft.title} leaked into {path}"


def test_trebes_article_has_byline_bio_tags_and_comment(site):
    """The Trèbes article carries everything a reader expects of an article."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    assert "Trèbes" in page.select_one("h1").get_text()
    assert page.select(".byline a[rel=author]")
    assert page.select(".author-bio")
    assert "Islamic State" in [a.get_text() for a in page.select(".article-tags a")]
    assert page.select(".comment")
    assert page.select("figure img[alt] + figcaption")
    assert page.select(".article-body table")
    assert page.select(".article-body .footnote")


def test_markdown_extensions_render(site):
    """Footnotes with back-links, tables, heading anchors and block quotes render."""
    bodies = [site.html(a.url).select_one(".article-body") for a in ARTICLES]
    assert any(b.select("sup a.footnote-ref") and b.select("a.footnote-backref") for b in bodies)
    assert any(b.select("table thead th") for b in bodies)
    for table in (t for b in bodies for t in b.select("table")):
        region = table.parent
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region["aria-label"].startswith("Table: ")
    assert any(b.select("blockquote") for b in bodies)
    anchors = [h for b in bodies for h in b.select("h2[id] a.headerlink")]
    assert anchors and all(a["href"] == "#" + a.parent["id"] for a in anchors)


def test_topic_summaries_are_typeset_wherever_they_show(site):
    """A topic's summary curls its apostrophes on its hub, in related-topic cards and on
    the all-topics page, like every other text the site sets; descriptions stay plain."""
    hub = site.html("/topics/al-shabaab/")
    assert "Somalia\u2019s al-Qaeda" in hub.select_one(".standfirst").get_text()
    assert "Somalia's" in hub.find("meta", attrs={"name": "description"})["content"]
    cards = [
        span.get_text()
        for page in ("/topics/", "/topics/islamic-state/", "/topics/al-qaeda/")
        for span in site.html(page).select(".topic-summary")
    ]
    assert any("Somalia\u2019s" in text for text in cards)
    assert not any("'" in text for text in cards)


def test_year_ranges_take_an_en_dash(site):
    """A span of years written with a hyphen is set with an en dash in text, while
    addresses, dates and code keep their hyphens."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    caption = next(
        figure.get_text() for figure in page.select("figcaption") if "Figure 1" in figure.get_text()
    )
    assert "2014\u20132019" in caption and "2014-2019" not in caption
    jnim = site.html("/2023/12/jnim-sahel-expansion-2017-2023/")
    assert jnim.find("link", rel="canonical")["href"].endswith("/jnim-sahel-expansion-2017-2023/")
    for time in page.select("time[datetime]"):
        assert re.match(r"\d{4}-\d{2}-\d{2}", time["datetime"])
