"""The site's writer: Pelican's, with feeds of the site's own making and a clear error for
a file two pages claim."""

import io

from feedgenerator import get_tag_uri
from markupsafe import Markup
from pelican import signals
from pelican.utils import sanitised_join, set_date_tzinfo
from pelican.writers import FileOverwriteFailedError, Writer

from .errors import BuildStopped
from .feed_html import feed_html, permalink_class
from .feeds import FEED_CLASSES, feed_image, feed_subject
from .podcast_feed import PodcastFeed, episode_entry, show_attributes

# The podcast feed (podcast.py) is RSS with each episode's audio and iTunes tags.
FEED_TYPES = {**FEED_CLASSES, "podcast": PodcastFeed}


def feed_context(context):
    """The context a feed is written with: feed readers cannot resolve root-relative links,
    so the site's address becomes FEED_DOMAIN there."""
    domain = context.get("FEED_DOMAIN")
    return {**context, "SITEURL": domain} if domain else context


class FeedDocument:
    """A finished feed in the shape Pelican's write_file renders (a template): the file is
    then written by Pelican's own rules for a file written twice."""

    def __init__(self, feed):
        self.feed = feed

    def render(self, context):
        buffer = io.StringIO()
        self.feed.write(buffer, "utf-8")
        return buffer.getvalue()


class NewsroomWriter(Writer):
    """Write feeds against FEED_DOMAIN, each entry crediting every author and its HTML
    readable away from the site; stop the build, naming the file, where Pelican would
    raise on a file written twice."""

    def create_feed(self, feed_type, **attributes):
        """Return a new, empty feed of the given type ("atom", "rss" or "podcast")."""
        return FEED_TYPES[feed_type](**attributes)

    def feed_body(self, html, base):
        """Return an article's HTML as feeds carry it (feed_html.py); base is the article's
        absolute URL."""
        return feed_html(html, base, permalink_class(self.settings))

    def absolute(self, site_url, url):
        """Return a site URL (as Pelican writes them, "authors/x/") made absolute."""
        return self.urljoiner(site_url, url)

    def feed_entry(self, item, site_url, feed_type, context=None):
        """Return the add_item arguments of one article (an episode's, in the podcast feed:
        its summary as show notes, and its audio)."""
        address = self.absolute(site_url, item.url)
        link = address + "?ref=feed" if self.settings.get("FEED_APPEND_REF") else address
        summary = item.summary
        if feed_type in ("rss", "podcast"):
            # RSS has one element for the body: the summary or the full text.
            summary_only = self.settings.get("RSS_FEED_SUMMARY_ONLY") or feed_type == "podcast"
            shown = summary if summary_only else item.get_content(site_url)
            description, content = self.feed_body(shown, address), None
        else:
            # Atom: the full text, and the summary where it is not the same thing.
            content = item.get_content(site_url)
            description = None if summary == content else self.feed_body(summary, address)
            content = self.feed_body(content, address)
        pages = bool(self.settings.get("AUTHOR_SAVE_AS"))
        authors = tuple(
            (author.name, self.absolute(site_url, author.url) if pages else None)
            for author in getattr(item, "authors", None) or ()
        )
        categories = [item.category] if getattr(item, "category", None) is not None else []
        categories += list(getattr(item, "tags", None) or ())
        timezone = self.settings.get("TIMEZONE")
        modified = getattr(item, "modified", None)
        entry = {
            "title": Markup(item.title).striptags(),
            "link": link,
            "unique_id": get_tag_uri(link, item.date),
            "unique_id_is_permalink": False,
            "description": description,
            "content": content,
            "categories": categories or None,
            "author_name": ", ".join(name for name, _uri in authors) or None,
            "authors": authors,
            "pubdate": set_date_tzinfo(item.date, timezone),
            "updateddate": set_date_tzinfo(modified, timezone) if modified else None,
            # The featured image (images.py): an enclosure of the entry (feeds.py).
            "image": feed_image(
                getattr(item, "featured", None), lambda url: self.absolute(site_url, url)
            ),
        }
        if feed_type == "podcast":
            entry.update(episode_entry(item, site_url, context))
        return entry

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Write the feed of some articles at path (or only return it, without a path),
        as Pelican's write_feed does, with the site's feed classes (feeds.py): its own
        id and alternate page, its listing's description, every author of an entry,
        entry HTML with absolute links and no permalink glyphs."""
        context = feed_context(context)
        site_url = context.get("SITEURL") or ""
        feed_url = self.absolute(context.get("FEED_DOMAIN") or site_url, url or path or "")
        subject = feed_subject(path or "", context)
        # A podcast feed carries every episode: apps list a show's whole back catalogue.
        limit = None if feed_type == "podcast" else self.settings["FEED_MAX_ITEMS"]
        entries = [self.feed_entry(item, site_url, feed_type, context) for item in elements[:limit]]
        sitename = context["SITENAME"]
        title = f"{sitename} - {feed_title}" if feed_title else sitename
        home = self.absolute(site_url, "")
        # Atom wants an author for an entry that names none: then the site is one.
        anonymous = any(not entry["authors"] for entry in entries)
        attributes = {
            "title": Markup(title).striptags(),
            "link": self.absolute(site_url, subject.url),
            "feed_url": feed_url,
            "feed_guid": feed_url,
            "description": subject.description,
            "author_name": sitename if anonymous else None,
            "author_link": home if anonymous else None,
        }
        if feed_type == "podcast":
            attributes = show_attributes(attributes, context, self.absolute)
        feed = self.create_feed(feed_type, **attributes)
        for entry in entries:
            feed.add_item(**entry)
        signals.feed_generated.send(context, feed=feed)
        if path:
            # This class's write_file, not a subclass's: the file is written now, where a
            # subclass may defer pages (the speed layer queues them).
            NewsroomWriter.write_file(
                self, path, FeedDocument(feed), context, override_output=override_output
            )
            complete_path = sanitised_join(self.output_path, path)
            signals.feed_written.send(complete_path, context=context, feed=feed)
        return feed

    def write_file(self, name, *args, **kwargs):
        try:
            return super().write_file(name, *args, **kwargs)
        except FileOverwriteFailedError as error:
            raise BuildStopped.because(f"{name} is written twice: two pages claim it") from error
