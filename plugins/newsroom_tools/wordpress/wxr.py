"""Reading a WordPress export (WXR 1.0 to 1.2) safely, one item at a time.

The export is untrusted: it is parsed by defusedxml, which refuses entity
declarations (the billion-laughs bomb, external entities that would read local
files or reach the network); it is streamed, each item dropped once read, so a
1 GB export never sits in memory; and its bytes are cleaned on the way in, so
a stray byte that is not UTF-8 (old exports hold plenty) costs one character,
not the whole import.
"""

import codecs
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse as safe_iterparse

WP_NAMESPACE = "http://wordpress.org/export/"
_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://wordpress.org/export/1.0/excerpt/": "excerpt:",
    "http://wordpress.org/export/1.1/excerpt/": "excerpt:",
    "http://wordpress.org/export/1.2/excerpt/": "excerpt:",
    "http://purl.org/dc/elements/1.1/": "dc:",
}
# Characters XML 1.0 forbids; expat stops at the first, so they become U+FFFD.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class ExportError(Exception):
    """The export as a whole cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Term:
    """A category, tag or other term an item carries: <category domain nicename>name."""

    domain: str
    nicename: str
    name: str


@dataclass
class Comment:
    id: int | None
    author: str
    url: str
    date_gmt: str
    date: str
    content: str
    approved: str
    type: str
    parent: int | None
    user_id: int | None


@dataclass
class Item:
    """One <item>: a post, page, attachment or anything else WordPress stores as a post."""

    id: int | None
    type: str
    title: str
    link: str
    slug: str
    status: str
    date_gmt: str
    date: str
    modified_gmt: str
    modified: str
    creator: str
    content: str
    excerpt: str
    parent: int | None
    password: str
    attachment_url: str
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    def named(self):
        """How the report names an item: its id and title."""
        title = " ".join(self.title.split()) or "(no title)"
        return f"{self.type} {self.id if self.id is not None else '?'} {title!r}"


@dataclass(frozen=True)
class Author:
    id: int | None
    login: str
    display_name: str
    first_name: str
    last_name: str  # the export's email is personal data and never read


@dataclass(frozen=True)
class Category:
    id: int | None
    nicename: str
    parent: str
    name: str


@dataclass(frozen=True)
class Tag:
    id: int | None
    slug: str
    name: str


@dataclass(frozen=True)
class Channel:
    """The site the export came from."""

    title: str
    link: str
    base_site_url: str
    base_blog_url: str


class CleanBytes:
    """A binary file wrapper giving the parser UTF-8 it can always read.

    Bytes that are not valid in the export's encoding become U+FFFD, characters
    XML forbids likewise; `replaced` counts both for the report.
    """

    def __init__(self, raw):
        self.raw = raw
        self.decoder = None
        self.replaced = 0
        self.consumed = 0

    def read(self, size=-1):
        chunk = self.raw.read(size if size and size > 0 else 1 << 16)
        self.consumed += len(chunk)
        if self.decoder is None:
            declared = _DECLARED.match(chunk)
            encoding = declared.group(1).decode("ascii") if declared else "utf-8"
            try:
                codecs.lookup(encoding)
            except LookupError:
                encoding = "utf-8"
            self.decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            if declared:  # what the parser gets is UTF-8, whatever the export declared
                start, end = declared.span(1)
                chunk = chunk[:start] + b"UTF-8" + chunk[end:]
        text = self.decoder.decode(chunk, final=not chunk)
        self.replaced += text.count("\ufffd")
        text, illegal = _ILLEGAL.subn("\ufffd", text)
        self.replaced += illegal
        return text.encode("utf-8")


def local_name(tag):
    """`{namespace}name` -> `wp:name`, `content:name`... whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    namespace, name = tag[1:].split("}", 1)
    if namespace.startswith(WP_NAMESPACE) and "excerpt" not in namespace:
        return "wp:" + name
    return _PREFIXES.get(namespace, "") + name


def whole_number(text):
    """Return an id or count, or None for a missing or garbled one."""
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def fields_of(element):
    """Return {local name: text} of an element's simple children (the first of each)."""
    found = {}
    for child in element:
        found.setdefault(local_name(child.tag), child.text or "")
    return found


def comment_of(element):
    values = fields_of(element)
    return Comment(
        id=whole_number(values.get("wp:comment_id")),
        author=values.get("wp:comment_author", ""),
        url=values.get("wp:comment_author_url", ""),
        date_gmt=values.get("wp:comment_date_gmt", ""),
        date=values.get("wp:comment_date", ""),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").strip(),
        type=values.get("wp:comment_type", "").strip(),
        parent=whole_number(values.get("wp:comment_parent")),
        user_id=whole_number(values.get("wp:comment_user_id")),
    )  # comment_author_email and _IP are personal data: never read


def item_of(element):
    values = fields_of(element)
    item = Item(
        id=whole_number(values.get("wp:post_id")),
        type=values.get("wp:post_type", "").strip() or "post",
        title=values.get("title", ""),
        link=values.get("link", "").strip(),
        slug=values.get("wp:post_name", "").strip(),
        status=values.get("wp:status", "").strip(),
        date_gmt=values.get("wp:post_date_gmt", ""),
        date=values.get("wp:post_date", ""),
        modified_gmt=values.get("wp:post_modified_gmt", ""),
        modified=values.get("wp:post_modified", ""),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        parent=whole_number(values.get("wp:post_parent")),
        password=values.get("wp:post_password", ""),
        attachment_url=values.get("wp:attachment_url", "").strip(),
    )
    for child in element:
        name = local_name(child.tag)
        if name == "category":
            item.terms.append(
                Term(
                    child.get("domain", "").strip(),
                    child.get("nicename", "").strip(),
                    (child.text or "").strip(),
                )
            )
        elif name == "wp:postmeta":
            meta = fields_of(child)
            item.meta.setdefault(meta.get("wp:meta_key", ""), meta.get("wp:meta_value", ""))
        elif name == "wp:comment":
            item.comments.append(comment_of(child))
    return item


def channel_record(name, element):
    """Turn a channel-level element into its record, or None for one we do not use."""
    values = fields_of(element)
    if name == "wp:author":
        return Author(
            whole_number(values.get("wp:author_id")),
            values.get("wp:author_login", "").strip(),
            values.get("wp:author_display_name", "").strip(),
            values.get("wp:author_first_name", "").strip(),
            values.get("wp:author_last_name", "").strip(),
        )
    if name == "wp:category":
        return Category(
            whole_number(values.get("wp:term_id")),
            values.get("wp:category_nicename", "").strip(),
            values.get("wp:category_parent", "").strip(),
            values.get("wp:cat_name", "").strip(),
        )
    if name == "wp:tag":
        return Tag(
            whole_number(values.get("wp:term_id")),
            values.get("wp:tag_slug", "").strip(),
            values.get("wp:tag_name", "").strip(),
        )
    return None


_CHANNEL_TEXT = {"title", "link", "wp:base_site_url", "wp:base_blog_url"}


def read_export(path, progress=None):
    """Yield the export's records in order: Channel once the site's fields are read,
    then Author, Category, Tag and Item records; raise ExportError.

    progress(bytes read) is called as the file is read.
    """
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed below, after the generator ends)
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror})") from None
    source = CleanBytes(raw)
    depth, channel, site, channel_sent = 0, None, {}, False
    try:
        events = safe_iterparse(source, events=("start", "end"))
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and local_name(element.tag) != "rss":
                    raise ExportError(
                        f"{path}: is not a WordPress export (its root is "
                        f"<{local_name(element.tag)}>, not <rss>); "
                        "export with Tools > Export or `wp export`"
                    )
                if depth == 2 and local_name(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            name = local_name(element.tag)
            if name in _CHANNEL_TEXT:
                site[name] = (element.text or "").strip()
            elif name == "item":
                if not channel_sent:
                    channel_sent = True
                    yield channel_of(site)
                yield item_of(element)
            else:
                record = channel_record(name, element)
                if record is not None:
                    yield record
            channel.clear()  # keep memory flat: nothing read stays in the tree
            if progress:
                progress(source.consumed)
        if channel is None:
            raise ExportError(
                f"{path}: has no <channel>; it is not a WordPress export "
                "(export with Tools > Export or `wp export`)"
            )
        if not channel_sent:
            yield channel_of(site)
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise ExportError(
            f"{path}: line {line}, column {column + 1}: the XML is broken ({reason}); "
            "export the site again (a cut-off download ends like this)"
        ) from None
    except DefusedXmlException as error:
        raise ExportError(
            f"{path}: declares {type(error).__name__.replace('Forbidden', '').lower()} "
            f"({error}); a WordPress export never does, and entity and DTD declarations "
            "are where XML bombs and file-reading external entities hide: refused"
        ) from None
    finally:
        raw.close()
    if source.replaced:
        yield Damage(source.replaced)


@dataclass(frozen=True)
class Damage:
    """How many characters of the export were unreadable and became U+FFFD."""

    replaced: int


def channel_of(site):
    return Channel(
        site.get("title", ""),
        site.get("link", ""),
        site.get("wp:base_site_url", ""),
        site.get("wp:base_blog_url", ""),
    )
