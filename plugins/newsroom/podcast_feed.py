"""The podcast feed: RSS 2.0 with an enclosure per episode and the iTunes tags podcast
apps require (Apple Podcasts, Spotify, Pocket Casts, Overcast all read these).

Built like the site's other feeds (writer.NewsroomWriter.write_feed, feed_type
"podcast"), on feedgenerator's public hooks: rss_attributes adds the iTunes
namespace, add_root_elements the show (itunes:author, owner, image, category,
explicit, type), add_item_elements the episode (enclosure, duration, episode and
season numbers, explicit). Each item keeps what the site's RSS items carry (a
dc:creator per author, the guid, the categories), with the summary as its
description: a podcast's show notes, where the article is on the site.
"""

from feedgenerator import Enclosure
from markupsafe import Markup

from .feeds import NewsroomRssFeed
from .markup import plain_text

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def yes_no(flag):
    """Apple's explicit values."""
    return "true" if flag else "false"


class PodcastFeed(NewsroomRssFeed):
    """The site's RSS with the show's and each episode's iTunes tags."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        show = self.feed["show"]
        image = self.feed["image"]
        handler.startElement("image", {})
        handler.addQuickElement("url", image)
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.endElement("image")
        handler.addQuickElement("itunes:author", show.author)
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", show.owner_name)
        handler.addQuickElement("itunes:email", show.owner_email)
        handler.endElement("itunes:owner")
        handler.addQuickElement("itunes:image", "", {"href": image})
        if show.subcategory:
            handler.startElement("itunes:category", {"text": show.category})
            handler.addQuickElement("itunes:category", "", {"text": show.subcategory})
            handler.endElement("itunes:category")
        else:
            handler.addQuickElement("itunes:category", "", {"text": show.category})
        handler.addQuickElement("itunes:explicit", yes_no(show.explicit))
        handler.addQuickElement("itunes:type", "episodic")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        episode = item["episode"]
        (enclosure,) = item["enclosures"]
        handler.addQuickElement(
            "enclosure",
            "",
            {"url": enclosure.url, "length": enclosure.length, "type": enclosure.mime_type},
        )
        handler.addQuickElement("itunes:duration", episode.clock)
        if episode.season is not None:
            handler.addQuickElement("itunes:season", str(episode.season))
        if episode.number is not None:
            handler.addQuickElement("itunes:episode", str(episode.number))
        handler.addQuickElement("itunes:episodeType", "full")
        explicit = item["show_explicit"] if episode.explicit is None else episode.explicit
        handler.addQuickElement("itunes:explicit", yes_no(explicit))
        handler.addQuickElement("itunes:summary", item["plain_summary"])


def show_attributes(attributes, context, absolute):
    """The feed's attributes (writer.write_feed's) made the show's: its title, its
    section page as the link, its description and language, its art."""
    show = context["podcast"]
    site_url = context.get("SITEURL") or ""
    return {
        **attributes,
        "title": show.title,
        "link": absolute(site_url, show.page),
        "description": show.description,
        "language": show.language,
        "author_name": None,
        "author_link": None,
        "show": show,
        "image": absolute(site_url, show.image),
    }


def episode_entry(item, site_url, context):
    """What an episode adds to its feed entry (writer.feed_entry's)."""
    episode = item.episode
    show = context["podcast"]
    return {
        "enclosures": [Enclosure(episode.src(site_url), str(episode.length), episode.mime)],
        "episode": episode,
        "show_explicit": show.explicit,
        "plain_summary": plain_text(Markup(item.summary)),
    }
