"""Author pages, the authors index and author feeds."""

import pytest

from conftest import ROOT
from sources import source_articles

ARTICLES = source_articles(ROOT / "content")
AUTHORS = sorted({name for a in ARTICLES for name in a.authors})
ATOM = "{http://www.w3.org/2005/Atom}"


def author_url(site, name):
    """Find an author's page from the authors index."""
    page = site.html("/authors/")
    return next(a["href"] for a in page.select(".person-name a") if a.get_text() == name)


@pytest.mark.parametrize("name", AUTHORS)
def test_author_page_shows_bio_then_their_articles(site, name):
    """An author page shows role and bio, then exactly that author's articles."""
    url = author_url(site, name)
    page = site.html(url)
    assert page.select_one("h1").get_text() == name
    assert len(page.select_one(".listing-header .author-bio-body").get_text(strip=True)) > 40
    urls, next_url = [], url
    while next_url:
        listing = site.html(next_url)
        urls += [a["href"] for a in listing.select(".listing .card-title a")]
        following = listing.select_one(".pagination a[rel=next]")
        next_url = following["href"] if following else None
    assert urls == [a.url for a in ARTICLES if name in a.authors]


@pytest.mark.parametrize("name", AUTHORS)
def test_author_feed_holds_their_articles(site, name):
    """Each author has an Atom feed at a path of its own, holding their articles."""
    url = author_url(site, name)
    feed = site.xml(url + "atom.xml").getroot()
    links = [
        e.find(f"{ATOM}link").get("href").split("localhost:8000")[1]
        for e in feed.iter(f"{ATOM}entry")
    ]
    assert links == [a.url for a in ARTICLES if name in a.authors][:20]


def test_authors_index_lists_everyone_with_a_role(site):
    """The authors index lists every author who has published, with a role line."""
    page = site.html("/authors/")
    assert sorted(a.get_text() for a in page.select(".person-name a")) == AUTHORS
    assert len(page.select(".person .author-role")) == len(AUTHORS)
