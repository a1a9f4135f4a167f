"""Feeds with each entry serialised once per build.

The site writes hundreds of feeds (one per topic, tag, section and author, and
the site's own), and an article's entry, its whole body escaped as XML, is the
same in every feed that carries it. feedgenerator serialises every entry of
every feed anew; here the first serialisation of an entry is kept and written
again wherever the same entry appears. The bytes are the site layer's feed
classes' own (newsroom/feeds.py): the entry is produced by their code, only
once. So is a body's feed HTML (newsroom/feed_html.py): rewritten once per
body, it is the same string object in every feed, which the entry's key needs.
"""

import io
from collections import OrderedDict

from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator

from newsroom.feeds import NewsroomAtomFeed, NewsroomRssFeed


class EntryCache:
    """Serialised entries of one build, by feed type and everything the entry holds.

    An entry's body is told apart by identity (Pelican hands every feed the
    same string object for an article's content); the cache keeps that object
    while it keeps the entry, so its identity cannot be taken by another
    string meanwhile (a key whose entry was dropped only misses).
    """

    # Most entries recur in feeds written close together (the newest articles);
    # keeping the most recently used few hundred bounds the memory it takes.
    SIZE = 256

    def __init__(self, size=SIZE):
        self.entries, self.size = OrderedDict(), size
        self.bodies = OrderedDict()  # (id, length, base) -> (HTML, its feed HTML)

    def body(self, html, base, rewrite):
        """Return rewrite(html, base), worked out once per body and base: the same string
        object each time, kept (with the body, whose identity the key holds) among the
        most recently used."""
        if not isinstance(html, str):
            return rewrite(html, base)
        key = (id(html), len(html), base)
        known = self.bodies.get(key)
        if known is not None:
            self.bodies.move_to_end(key)
        else:
            known = self.bodies[key] = (html, rewrite(html, base))
            if len(self.bodies) > self.size:
                self.bodies.popitem(last=False)
        return known[1]

    def key(self, feed, item):
        parts = []
        for name, value in sorted(item.items()):
            if name in ("content", "description") and isinstance(value, str) and len(value) > 256:
                parts.append((name, id(value), len(value)))
            else:
                parts.append((name, repr(value)))
        return (type(feed).__name__, tuple(parts))

    def serialised(self, feed, item, tag):
        """Return the XML of one entry, serialising it the first time it is asked for."""
        key = self.key(feed, item)
        known = self.entries.get(key)
        if known is not None:
            self.entries.move_to_end(key)
        else:
            buffer = io.StringIO()
            handler = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
            handler.startElement(tag, feed.item_attributes(item))
            feed.add_item_elements(handler, item)
            handler.endElement(tag)
            # The body objects are kept with the text: their identities stay theirs.
            known = (item.get("content"), item.get("description"), buffer.getvalue())
            self.entries[key] = known
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return known[-1]


class CachedEntries:
    """feedgenerator's write_items, each entry taken from the build's EntryCache."""

    entry_tag = None
    cache = None  # set on each feed by the writer

    def write_items(self, handler):
        if self.cache is None or getattr(handler, "_pending_start_element", False):
            return super().write_items(handler)
        for item in self.items:
            handler._write(self.cache.serialised(self, item, self.entry_tag))
        return None


class CachedAtomFeed(CachedEntries, NewsroomAtomFeed):
    entry_tag = "entry"


class CachedRssFeed(CachedEntries, NewsroomRssFeed):
    entry_tag = "item"


CACHED = {NewsroomAtomFeed: CachedAtomFeed, NewsroomRssFeed: CachedRssFeed}


def with_cached_entries(feed, cache):
    """Make a feed the site layer created write its entries through the cache."""
    cached = CACHED.get(type(feed))
    if cached is not None:
        feed.__class__ = cached
        feed.cache = cache
    return feed
