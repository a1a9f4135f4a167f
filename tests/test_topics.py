"""Topic hubs: profiles, exactly their articles (aliases included), feeds, the topic list."""

import pytest

from conftest import ROOT
from sources import HUB_NAMES, hub_articles, source_articles

ATOM = "{http://www.w3.org/2005/Atom}"


def listed_urls(site, first_page):
    """Follow a listing's pagination and return every article URL it lists."""
    urls, page_url = [], first_page
    while page_url:
        page = site.html(page_url)
        urls += [a["href"] for a in page.select(".listing .card-title a")]
        lead = page.select(".lead-story .card-title a")
        urls = [a["href"] for a in lead] + urls if lead else urls
        following = page.select_one(".pagination a[rel=next]")
        page_url = following["href"] if following else None
    return urls


@pytest.mark.parametrize("hub", sorted(HUB_NAMES))
def test_hub_lists_exactly_its_articles(site, hub):
    """Each hub lists every article tagged with its name or an alias, and nothing else."""
    expected = [a.url for a in hub_articles(ROOT / "content", hub)]
    assert expected, f"no sample article is tagged for {hub}"
    assert listed_urls(site, f"/topics/{hub}/") == expected


@pytest.mark.parametrize("hub", sorted(HUB_NAMES))
def test_hub_shows_profile_facts_and_related_topics(site, hub):
    """A hub opens with the group's profile and links its related topics."""
    page = site.html(f"/topics/{hub}/")
    assert page.select_one("h1").get_text() in {"Islamic State", "Al Shabaab", "Boko Haram"}
    assert len(page.select_one(".profile").get_text(strip=True)) > 200
    assert page.select(".facts dt")
    related = page.select(".related-topics a")
    assert related and all(site.path(a["href"]).is_file() for a in related)


@pytest.mark.parametrize("hub", sorted(HUB_NAMES))
def test_hub_feed_is_atom_with_its_articles(site, hub):
    """Each hub has its own Atom feed, linked from its head, holding its articles."""
    page = site.html(f"/topics/{hub}/")
    feed_link = page.select_one(f'link[rel=alternate][href$="/topics/{hub}/atom.xml"]')
    assert feed_link["type"] == "application/atom+xml"
    feed = site.xml(f"/topics/{hub}/atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text and feed.find(f"{ATOM}id").text
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    expected = [a.url for a in hub_articles(ROOT / "content", hub)][:20]
    assert [link.split("localhost:8000", 1)[1] for link in links] == expected
    for entry in feed.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}author/{ATOM}name").text


def test_alias_tags_land_on_the_canonical_hub(tiny_site):
    """Articles tagged ISIS, Daesh or al Shabab land on the canonical topic pages."""
    islamic_state = listed_urls(tiny_site, "/topics/islamic-state/")
    assert islamic_state == ["/2020/02/alias-shabaab/", "/2020/01/alias-isis/"]
    assert listed_urls(tiny_site, "/topics/al-shabaab/") == ["/2020/02/alias-shabaab/"]
    for alias in ("isis", "daesh", "al-shabab"):
        assert not tiny_site.path(f"/topics/{alias}/").exists()
    tags = [
        a.get_text() for a in tiny_site.html("/2020/02/alias-shabaab/").select(".article-tags a")
    ]
    assert tags == ["Al Shabaab", "Islamic State", "Somalia"]


def test_topic_list_appears_on_every_page(site):
    """The tracked-groups list, led by the three hubs, is on every HTML page."""
    for path in site.output.rglob("*.html"):
        page = site.html("/" + path.relative_to(site.output).as_posix())
        names = [a.get_text() for a in page.select(".topic-list li a")]
        assert {"Islamic State", "Al Shabaab", "Boko Haram"} <= set(names), path


def test_all_topics_page_lists_groups_then_tags(site):
    """The topics index lists every registered group with a summary, then plain tags."""
    page = site.html("/topics/")
    groups = [a.get_text() for a in page.select(".topic-cards a")]
    assert {"Islamic State", "Al Shabaab", "Boko Haram"} <= set(groups)
    plain = [a["href"] for a in page.select(".tag-list a")]
    assert "/topics/france/" in plain
    assert not set(plain) & {"/topics/islamic-state/", "/topics/al-shabaab/"}


def test_plain_tags_still_work(site):
    """A tag outside the registry gets an ordinary listing page."""
    france = [a.url for a in source_articles(ROOT / "content") if "France" in a.tags]
    assert listed_urls(site, "/topics/france/") == france
