"""The site's feeds: what each one is for, the Atom and RSS documents that carry every
author of an entry, and dates that the same sources always write the same way.

Built on feedgenerator's public classes and their extension hooks
(add_root_elements, add_item_elements, root_attributes...): an entry's authors
travel in the item as `authors`, a tuple of (name, page URL or None) in byline
order, and each becomes its own Atom <author> or RSS <dc:creator>.
"""

import datetime
from dataclasses import dataclass

from feedgenerator import Atom1Feed, Rss201rev2Feed, rfc2822_date, rfc3339_date
from pelican.utils import set_date_tzinfo

# The date of a feed on a site with no articles at all.
NO_ARTICLES = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def date_empty_feed(context, feed):
    """Date a feed with no entries (a tracked topic before its first article) by the
    site's newest article, where feedgenerator would take the clock: the same sources
    then give the same bytes, and a feed reader sees no change where there is none."""
    if feed.items:
        return
    newest = max((article.date for article in context.get("articles", [])), default=None)
    stamp = set_date_tzinfo(newest, context.get("TIMEZONE")) if newest else NO_ARTICLES
    feed.latest_post_date = lambda: stamp


def entry_updated(item):
    """An entry's last change: its modified date, else its publication date."""
    return item["updateddate"] or item["pubdate"] or NO_ARTICLES


@dataclass(frozen=True)
class FeedImage:
    """An entry's featured image as feeds carry it: its social JPEG (images.Featured)."""

    url: str  # absolute
    length: int  # bytes
    type: str


def feed_image(featured, absolute):
    """Return the FeedImage of an entry's featured image (item.featured, or None), its
    site-relative URL made absolute by absolute(url); None without one."""
    url = getattr(featured, "social_url", None)
    length = getattr(featured, "social_length", 0)
    if not url or not length:
        return None
    return FeedImage(absolute(url), length, getattr(featured, "social_type", "image/jpeg"))


class NewsroomAtomFeed(Atom1Feed):
    """Atom (RFC 4287) with one <author> per author of an entry, in byline order."""

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        image = item.get("image")
        if image is not None:  # feedparser: entry.enclosures
            attributes = {"rel": "enclosure", "href": image.url, "type": image.type}
            handler.addQuickElement("link", "", {**attributes, "length": str(image.length)})
        if item["pubdate"] is not None:
            handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        handler.addQuickElement("updated", rfc3339_date(entry_updated(item)))
        for name, uri in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        handler.addQuickElement("id", item["unique_id"])
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "html"})
        if item["content"] is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        for category in item["categories"]:
            handler.addQuickElement("category", "", {"term": category})


class NewsroomRssFeed(Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author of an item, in byline order, and a guid
    that says whether it is the item's address."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", item["link"])
        if item["description"] is not None:
            handler.addQuickElement("description", item["description"])
        for name, _uri in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        if item["pubdate"] is not None:
            handler.addQuickElement("pubDate", rfc2822_date(item["pubdate"]))
        permalink = bool(item["unique_id_is_permalink"])
        handler.addQuickElement(
            "guid", item["unique_id"], {"isPermaLink": "true" if permalink else "false"}
        )
        for category in item["categories"]:
            handler.addQuickElement("category", category)
        image = item.get("image")
        if image is not None and not item.get("enclosures"):  # RSS: one enclosure an item;
            # an episode's is its audio (podcast_feed.py)
            attributes = {"url": image.url, "length": str(image.length), "type": image.type}
            handler.addQuickElement("enclosure", "", attributes)


FEED_CLASSES = {"atom": NewsroomAtomFeed, "rss": NewsroomRssFeed}


@dataclass(frozen=True)
class FeedSubject:
    """What a feed follows: its kind (site, section, author, topic), the listing page a
    reader would visit (root-relative URL), and a line that describes it."""

    kind: str
    url: str
    description: str


# Pelican's feed settings for one listing each, the context key that lists those
# listings, and the kind of listing.
LISTING_FEEDS = (
    ("CATEGORY_FEED", "categories", "section"),
    ("AUTHOR_FEED", "authors", "author"),
    ("TAG_FEED", "tags", "topic"),
)


def listings(context, key):
    """The listings (a Category, Author or Tag each) a context holds under key."""
    value = context.get(key) or ()
    if isinstance(value, dict):
        return list(value)
    return [entry[0] if isinstance(entry, tuple) else entry for entry in value]


def slug_in(path, pattern):
    """Return the slug a feed path takes in a `.../{slug}/...` pattern, or None."""
    before, marker, after = str(pattern).partition("{slug}")
    if not marker or not path.startswith(before) or not path.endswith(after):
        return None
    slug = path[len(before) : len(path) - len(after)]
    return slug or None


def describe(kind, listing, context):
    """The description of a listing page, as the page's own meta description gives it."""
    site = context.get("SITENAME", "")
    if kind == "topic":
        topic = getattr(listing, "topic", None)
        return topic.summary if topic else f"Analysis tagged {listing.name} at {site}"
    if kind == "author":
        record = getattr(listing, "record", None)
        role = getattr(record, "role", "")
        return f"{listing.name}{', ' + role if role else ''}: analysis at {site}"
    return f"{listing.name}: the latest from {site}"


def feed_subject(path, context):
    """Return what the feed written at path follows: a section, an author or a topic
    whose feed setting gives that path, else the whole site."""
    for setting, key, kind in LISTING_FEEDS:
        for flavour in ("ATOM", "RSS"):
            slug = slug_in(path, context.get(f"{setting}_{flavour}") or "")
            if slug is None:
                continue
            for listing in listings(context, key):
                if listing.slug == slug and listing.save_as:  # a page to point to
                    return FeedSubject(kind, listing.url, describe(kind, listing, context))
    description = (
        context.get("SITE_DESCRIPTION")
        or context.get("SITESUBTITLE")
        or context.get("SITENAME", "")
    )
    return FeedSubject("site", context.get("INDEX_URL", ""), description)
