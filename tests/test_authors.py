"""Author pages, the authors index and author feeds."""

import contextlib
import io
import json
import shutil

import pytest

from conftest import FIXTURES, ROOT, build
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


# Authors without a bio: an import knows a name, not always a bio.

VOID = {"img", "source", "br", "meta", "link", "input"}


@pytest.fixture(scope="module")
def bioless(tmp_path_factory):
    """The tiny site where Ben Cole's record has no body and a third author, Cy Dane, only a
    name and a slug; returns (site, what the build printed)."""
    content = tmp_path_factory.mktemp("bioless") / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    (content / "authors" / "ben-cole.md").write_text("Name: Ben Cole\nRole: Fixture Editor\n")
    (content / "authors" / "cy-dane.md").write_text("Name: Cy Dane\nSlug: cy-dane\n")
    article = content / "articles" / "alias-shabaab.md"
    article.write_text(
        article.read_text().replace("Authors: Ada Reyes, Ben Cole", "Authors: Ada Reyes, Cy Dane")
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        site = build(content, tmp_path_factory.mktemp("bioless-out"), "publishconf.py")
    return site, printed.getvalue()


def empty_elements(element):
    """Every element below element with neither text nor children (void elements aside)."""
    return [
        found
        for found in element.find_all(True)
        if found.name not in VOID and not found.get_text(strip=True) and not found.find(True)
    ]


@pytest.mark.parametrize(
    ("slug", "name", "role"),
    [("ben-cole", "Ben Cole", "Fixture Editor"), ("cy-dane", "Cy Dane", None)],
)
def test_an_author_page_without_a_bio_shows_name_and_role(bioless, slug, name, role):
    """No bio section, no empty element: the name, the role if any, initials, articles."""
    site, _ = bioless
    page = site.html(f"/authors/{slug}/")
    header = page.select_one(".listing-header")
    assert header.select_one("h1").get_text() == name
    assert [p.get_text() for p in header.select(".author-role")] == ([role] if role else [])
    assert header.select_one(".avatar-initials").get_text(strip=True)
    assert not page.select(".author-bio-body")
    assert empty_elements(header) == []
    assert page.select(".listing .card-title a")


def test_an_article_shows_a_bioless_author_without_a_bio(bioless):
    """The author box keeps the name and role; only the bio is left out, and only for
    the author without one."""
    site, _ = bioless
    boxes = site.html("/2020/02/alias-shabaab/").select(".article-authors .author-bio")
    assert [box.select_one(".author-bio-name").get_text(strip=True) for box in boxes] == [
        "Ada Reyes",
        "Cy Dane",
    ]
    ada, cy = boxes
    assert ada.select_one(".author-bio-body").get_text(strip=True)
    assert not cy.select(".author-bio-body") and not cy.select(".author-role")
    assert empty_elements(cy) == []
    ben = site.html("/2020/03/hostile-comment-target/").select_one(".article-authors .author-bio")
    assert ben.select_one(".author-role").get_text() == "Fixture Editor"
    assert not ben.select(".author-bio-body") and empty_elements(ben) == []


def test_structured_data_leaves_out_a_missing_bio(bioless):
    """A ProfilePage's Person has a description only when the author has a bio."""
    site, _ = bioless

    def person(slug):
        script = site.html(f"/authors/{slug}/").select_one('script[type="application/ld+json"]')
        graph = json.loads(script.string)["@graph"]
        return next(node for node in graph if node["@type"] == "ProfilePage")["mainEntity"]

    assert "description" not in person("ben-cole")
    assert "description" not in person("cy-dane")
    assert person("ada-reyes")["description"].startswith("Ada Reyes is a fixture author")


def test_a_build_lists_authors_without_a_bio_in_one_note(bioless):
    """One note line names them, after the build succeeded: no warning, no error."""
    _, printed = bioless
    notes = [line for line in printed.splitlines() if "no bio" in line]
    assert len(notes) == 1, printed
    (note,) = notes
    assert note.startswith("Note: 2 authors have no bio")
    assert "Ben Cole (" in note and "Cy Dane (" in note and "Ada Reyes" not in note
    assert "WARNING" not in printed and "ERROR" not in printed
