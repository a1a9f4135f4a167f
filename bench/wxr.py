"""Write WordPress eXtended RSS (WXR) exports shaped as WordPress's own exporter writes them.

Tests and the benchmark make exports with this instead of keeping fixtures: plain
dataclasses for what WordPress keeps (Site, Author, Term, Post, Comment, Meta) and
`write_wxr(site, items, out)`, which streams the XML to a binary file object one item
at a time, so an export of 20,000 posts is never one string in memory.

What it writes follows `export_wp()` in WordPress's wp-admin/includes/export.php:

- the rss root with the excerpt, content, wfw, dc and wp namespaces of the version
  (WXR 1.2 by default; 1.1 and 1.0 differ only in the namespace and the layout below);
- channel: title, link, description, pubDate, language, wp:wxr_version,
  wp:base_site_url, wp:base_blog_url; one wp:author per author (on one line, as
  WordPress prints them); wp:category (term_id, category_nicename,
  category_parent as the parent's slug, cat_name, category_description, termmeta),
  wp:tag (term_id, tag_slug, tag_name, tag_description, termmeta) and wp:term for
  every other taxonomy (term_id, term_taxonomy, term_slug, term_parent, term_name,
  term_description, termmeta), such as Co-Authors Plus's `author` taxonomy or
  `nav_menu`; then `<generator>`, as the rss2_head action prints it;
- each item: title, link, pubDate, dc:creator (the author's login), guid
  isPermaLink="false", an empty description, content:encoded, excerpt:encoded,
  wp:post_id, post_date, post_date_gmt, post_modified, post_modified_gmt (1.2 only:
  WordPress added them in 5.7), comment_status, ping_status, post_name, status,
  post_parent, menu_order, post_type, post_password, is_sticky, wp:attachment_url
  (attachments), one `<category domain="..." nicename="...">` per term, wp:postmeta,
  wp:comment (with wp:commentmeta).

CDATA is written as WordPress's wxr_cdata() writes it: every `]]>` inside the text
becomes `]]]]><![CDATA[>`, which closes the section after `]]` and opens another
that starts with `>`. WXR 1.2 (WordPress 4.x onwards) wraps almost every string in
CDATA, empty ones included (`<![CDATA[]]>`); 1.1 and 1.0 (WordPress 3.x) wrap only
names, content, excerpts and meta values, and write logins, slugs, dates and
statuses as bare text (escaped here, where WordPress relied on them being
sanitised). Integers (ids, parent, menu order, is_sticky) are never wrapped. Links
and guids are written as esc_url() leaves them (`&` as `&#038;`); so are comment
author URLs, where WordPress's sanitize_url() would leave a `&` bare and the file
ill-formed.

Like WordPress, the writer keeps every character it is given: a control character
that XML forbids (a form feed pasted from a word processor) goes out as it is and
makes the file ill-formed, as real exports sometimes are. For hostile-input tests,
any field may also be a Raw value, bytes written exactly as given (no CDATA, no
escaping, no encoding: invalid UTF-8, a stray `]]>`, an entity reference), and
write_wxr takes a `declaration` to replace the XML declaration (another encoding)
and a `prolog` written after it (a DOCTYPE with an internal subset, entity
declarations); Site.extra and Post.extra are raw bytes written at the end of the
channel's header and of an item.

    from bench.wxr import Author, Comment, Meta, Post, Site, Term, write_wxr

    site = Site(authors=[Author(2, "hmarchetti", display_name="Hélène Marchetti")])
    news = Term(3, "category", "news", "News")
    post = Post(7, "A title", "Body text", creator="hmarchetti", terms=[news],
                date="2019-05-06 10:00:00", date_gmt="2019-05-06 09:00:00")
    with open("export.xml", "wb") as out:
        write_wxr(site, [post], out)
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# The value WordPress stores for a date it has not set (the GMT date of a draft).
ZERO_DATE = "0000-00-00 00:00:00"
# What WordPress writes as the pubDate of an item whose GMT date is ZERO_DATE: PHP
# formats the zero date as the last day of November of the year before year 1.
ZERO_PUBDATE = "Mon, 30 Nov -0001 00:00:00 +0000"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
WFW_NS = "http://wellformedweb.org/CommentAPI/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WORDPRESS_VERSION = "6.5.4"  # the generator a Site names unless told otherwise
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# What esc_url() keeps of a URL (anything else is dropped, after spaces become %20).
URL_CHARACTERS = re.compile(r"[^a-zA-Z0-9\-~+_.?#=!&;,/:%@$|*'()\[\]\x80-\U0010ffff]")
FLUSH_BYTES = 1 << 16  # write to the file in pieces of about this size


def wp_namespace(version):
    """The wp: namespace URI of a WXR version ("1.2" -> http://wordpress.org/export/1.2/)."""
    return f"http://wordpress.org/export/{version}/"


def excerpt_namespace(version):
    """The excerpt: namespace URI of a WXR version."""
    return f"http://wordpress.org/export/{version}/excerpt/"


class Raw(bytes):
    """Bytes written into the export exactly as given: no CDATA, no escaping, no encoding."""


@dataclass
class Meta:
    """One row of post, comment or term meta: a key and its value as stored (a string;
    serialised PHP for arrays, see php_serialize)."""

    key: str
    value: str | int = ""


@dataclass
class Author:
    """A WordPress user who wrote something in the export (a wp:author block)."""

    id: int
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A term of a taxonomy: "category" (written as wp:category), "post_tag" (wp:tag) or
    any other (wp:term), such as Co-Authors Plus's "author" (slug "cap-<nicename>",
    name the user's login) or "nav_menu". Parent is the parent term's slug."""

    id: int
    taxonomy: str
    slug: str
    name: str
    parent: str = ""
    description: str = ""
    meta: list[Meta] = field(default_factory=list)


@dataclass
class Comment:
    """A comment, pingback or trackback on an item. approved: "1", "0" (held for
    moderation), "spam" or "trash"; type: "" (WordPress before 5.5), "comment",
    "pingback" or "trackback"; parent: the id of the comment it replies to (0: none);
    user_id: the commenter's user id (0: a visitor)."""

    id: int
    content: str = ""
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str | datetime.datetime = ZERO_DATE
    date_gmt: str | datetime.datetime | None = None  # None: the same as date
    approved: str = "1"
    type: str = ""
    parent: int = 0
    user_id: int = 0
    meta: list[Meta] = field(default_factory=list)


@dataclass
class Post:
    """One item: a post, page, attachment, nav_menu_item or any other post type.

    Dates are "YYYY-MM-DD HH:MM:SS" strings or naive datetimes, in the site's time
    (date, modified) and in UTC (date_gmt, modified_gmt). Left out: date_gmt is the same
    as date, modified and modified_gmt as date and date_gmt; a draft's date_gmt is
    ZERO_DATE, as WordPress keeps it. link and guid default to WordPress's ugly
    permalinks (?p=, ?page_id=, ?attachment_id=) on the site's link; pub_date to the
    GMT date in RFC 822 form (ZERO_PUBDATE for ZERO_DATE). terms are written as
    `<category domain="taxonomy" nicename="slug">name</category>` in the order given
    (WordPress's order is by name, across taxonomies)."""

    id: int
    title: str = ""
    content: str = ""
    excerpt: str = ""
    creator: str = ""
    date: str | datetime.datetime = ZERO_DATE
    date_gmt: str | datetime.datetime | None = None
    modified: str | datetime.datetime | None = None
    modified_gmt: str | datetime.datetime | None = None
    name: str = ""
    status: str = "publish"
    type: str = "post"
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    sticky: bool = False
    comment_status: str = "open"
    ping_status: str = "open"
    link: str | None = None
    guid: str | None = None
    pub_date: str | None = None
    description: str = ""
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    meta: list[Meta] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    extra: bytes = b""  # raw bytes written just before </item>


Item = Post  # WordPress calls every row of wp_posts a post; the export calls it an item


@dataclass
class Site:
    """The channel: the site's name, address and language, who wrote, and every term."""

    title: str = "Militancy Monitor"
    link: str = "https://militancymonitor.example"
    description: str = "Analysis of jihadist movements in Africa and beyond"
    language: str = "en-US"
    pub_date: str | datetime.datetime = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    base_site_url: str | None = None  # None: the same as link
    base_blog_url: str | None = None  # None: the same as link
    wxr_version: str = "1.2"
    wordpress_version: str = WORDPRESS_VERSION
    authors: list[Author] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    extra: bytes = b""  # raw bytes written after the terms and the generator


def cdata(text):
    """Wrap text in CDATA as WordPress's wxr_cdata() does, splitting every `]]>`."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(text):
    """Escape text for an element's content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text):
    """Escape text for a double-quoted attribute."""
    return escape(text).replace('"', "&quot;")


def esc_url(url):
    """A URL as WordPress's esc_url() prints it: spaces as %20, characters it does not
    allow dropped, `&` as `&#038;` and `'` as `&#039;`."""
    url = URL_CHARACTERS.sub("", url.strip().replace(" ", "%20"))
    url = re.sub(r"&(?!#0?38;|amp;)", "&#038;", url)
    return url.replace("'", "&#039;")


def rss_text(text):
    """A channel string as bloginfo_rss() prints it: a lone `&` as `&#038;`."""
    return (
        re.sub(r"&(?![A-Za-z]+;|#[0-9]+;|#x[0-9A-Fa-f]+;)", "&#038;", text)
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def mysql_date(value):
    """A date as WordPress stores it: "YYYY-MM-DD HH:MM:SS" (a string passes through)."""
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return value


def rfc822(value):
    """A date in the form of an RSS pubDate, in English whatever the locale: "Mon, 06 May
    2019 09:00:00 +0000". A "YYYY-MM-DD HH:MM:SS" string or a naive datetime is taken as
    UTC; ZERO_DATE gives ZERO_PUBDATE, as WordPress prints it."""
    if isinstance(value, str):
        if value == ZERO_DATE:
            return ZERO_PUBDATE
        value = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC)
    return (
        f"{DAYS[value.weekday()]}, {value.day:02d} {MONTHS[value.month - 1]} {value.year} "
        f"{value:%H:%M:%S} +0000"
    )


def php_serialize(value):
    """Serialise a value as PHP's serialize() does, as WordPress stores array meta
    (_wp_attachment_metadata, _menu_item_classes): strings with their length in UTF-8
    bytes, lists as arrays with integer keys, dicts in their order."""
    if value is None:
        return "N;"
    if isinstance(value, bool):
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{value!r};"
    if isinstance(value, str):
        return f's:{len(value.encode("utf-8"))}:"{value}";'
    if isinstance(value, list | tuple):
        value = dict(enumerate(value))
    if isinstance(value, dict):
        body = "".join(php_serialize(key) + php_serialize(item) for key, item in value.items())
        return f"a:{len(value)}:{{{body}}}"
    raise TypeError(f"php_serialize: cannot serialise {type(value).__name__}")


class Writer:
    """Render elements in the style of one WXR version, into a buffer flushed to out."""

    def __init__(self, out, version):
        self.out = out
        self.modern = version_tuple(version) >= (1, 2)
        self.pieces = []
        self.size = 0
        self.written = 0

    def put(self, piece):
        """Queue a str (encoded as UTF-8) or bytes (as given)."""
        data = piece if isinstance(piece, bytes) else piece.encode("utf-8")
        self.pieces.append(data)
        self.size += len(data)
        if self.size >= FLUSH_BYTES:
            self.flush()

    def flush(self):
        if self.pieces:
            data = b"".join(self.pieces)
            self.out.write(data)
            self.written += len(data)
            self.pieces, self.size = [], 0

    def element(self, indent, name, value, style):
        """One element on a line of its own.

        style: "cdata" (always CDATA), "cdata12" (CDATA in WXR 1.2, escaped text
        before), "int", "text" (escaped), "url" (as esc_url() prints it), "rss" (as
        bloginfo_rss() prints it)."""
        self.put(f"{indent}<{name}>")
        self.put(self.value(value, style))
        self.put(f"</{name}>\n")

    def value(self, value, style):
        if isinstance(value, bytes):
            return value
        if style == "int":
            return str(int(value))
        value = "" if value is None else str(value)
        if style == "cdata" or (style == "cdata12" and self.modern):
            return cdata(value)
        if style == "url":
            return esc_url(value)
        if style == "rss":
            return rss_text(value)
        return escape(value)

    def inline(self, name, value, style):
        """An element with no line of its own (the wp:author blocks are one line)."""
        return (
            b"<" + name.encode() + b">" + self.encoded(value, style) + b"</" + name.encode() + b">"
        )

    def encoded(self, value, style):
        value = self.value(value, style)
        return value if isinstance(value, bytes) else value.encode("utf-8")


def version_tuple(version):
    """ "1.2" -> (1, 2); anything unreadable counts as the newest."""
    try:
        return tuple(int(part) for part in str(version).split("."))
    except ValueError:
        return (99,)


def write_wxr(site, items: Iterable[Post], out, *, declaration=None, prolog=b""):
    """Write site and items (any iterable, consumed once, in its order) as a WXR export to
    out, a binary file object; return the number of bytes written.

    declaration: bytes that replace `<?xml version="1.0" encoding="UTF-8" ?>` (b"" for
    none); prolog: raw bytes written after it, before the comments and the rss root (a
    DOCTYPE, say)."""
    w = Writer(out, site.wxr_version)
    w.put(b'<?xml version="1.0" encoding="UTF-8" ?>\n' if declaration is None else declaration)
    w.put(prolog)
    write_header(w, site)
    for post in items:
        write_item(w, site, post)
    w.put("</channel>\n</rss>\n")
    w.flush()
    return w.written


def write_header(w, site):
    """The comments, the rss root and the channel up to the first item."""
    version = site.wxr_version
    created = site.pub_date if isinstance(site.pub_date, datetime.datetime) else None
    created = f' created="{created.astimezone(datetime.UTC):%Y-%m-%d %H:%M}"' if created else ""
    w.put(
        "<!-- A WordPress eXtended RSS (WXR) export: the posts, pages, comments, terms and "
        "authors of a site. -->\n"
        "<!-- Written by bench/wxr.py in the shape of WordPress's own exporter, for tests "
        "and benchmarks. -->\n\n"
        f'\t<!-- generator="WordPress/{escape_attribute(site.wordpress_version)}"{created} -->\n'
        '<rss version="2.0"\n'
        f'\txmlns:excerpt="{excerpt_namespace(version)}"\n'
        f'\txmlns:content="{CONTENT_NS}"\n'
        f'\txmlns:wfw="{WFW_NS}"\n'
        f'\txmlns:dc="{DC_NS}"\n'
        f'\txmlns:wp="{wp_namespace(version)}"\n'
        ">\n\n<channel>\n"
    )
    w.element("\t", "title", site.title, "rss")
    w.element("\t", "link", site.link, "rss")
    w.element("\t", "description", site.description, "rss")
    pub_date = site.pub_date if isinstance(site.pub_date, str) else rfc822(site.pub_date)
    w.element("\t", "pubDate", pub_date, "text")
    w.element("\t", "language", site.language, "rss")
    w.element("\t", "wp:wxr_version", version, "text")
    w.element("\t", "wp:base_site_url", site.base_site_url or site.link, "text")
    w.element("\t", "wp:base_blog_url", site.base_blog_url or site.link, "text")
    w.put("\n")
    for author in site.authors:
        w.put("\t<wp:author>")
        w.put(w.inline("wp:author_id", author.id, "int"))
        w.put(w.inline("wp:author_login", author.login, "cdata12"))
        w.put(w.inline("wp:author_email", author.email, "cdata12"))
        w.put(w.inline("wp:author_display_name", author.display_name, "cdata"))
        w.put(w.inline("wp:author_first_name", author.first_name, "cdata"))
        w.put(w.inline("wp:author_last_name", author.last_name, "cdata"))
        w.put("</wp:author>\n")
    w.put("\n")
    by_taxonomy = {"category": [], "post_tag": [], "other": []}
    for term in site.terms:
        by_taxonomy.get(term.taxonomy, by_taxonomy["other"]).append(term)
    for term in parents_first(by_taxonomy["category"]):
        w.put("\t<wp:category>\n")
        w.element("\t\t", "wp:term_id", term.id, "int")
        w.element("\t\t", "wp:category_nicename", term.slug, "cdata12")
        w.element("\t\t", "wp:category_parent", term.parent, "cdata12")
        write_term_texts(w, term, "cat_name", "category_description")
        w.put("\t</wp:category>\n")
    for term in by_taxonomy["post_tag"]:
        w.put("\t<wp:tag>\n")
        w.element("\t\t", "wp:term_id", term.id, "int")
        w.element("\t\t", "wp:tag_slug", term.slug, "cdata12")
        write_term_texts(w, term, "tag_name", "tag_description")
        w.put("\t</wp:tag>\n")
    for term in parents_first(by_taxonomy["other"]):
        w.put("\t<wp:term>\n")
        w.element("\t\t", "wp:term_id", term.id, "int")
        w.element("\t\t", "wp:term_taxonomy", term.taxonomy, "cdata12")
        w.element("\t\t", "wp:term_slug", term.slug, "cdata12")
        w.element("\t\t", "wp:term_parent", term.parent, "cdata12")
        write_term_texts(w, term, "term_name", "term_description")
        w.put("\t</wp:term>\n")
    w.put(f"\n\t<generator>https://wordpress.org/?v={escape(site.wordpress_version)}</generator>\n")
    w.put(site.extra)
    w.put("\n")


def parents_first(terms):
    """Terms with none before its parent, as export_wp() orders categories and terms
    (a parent missing from the list does not hold its children back)."""
    slugs = {term.slug for term in terms}
    placed, done, waiting = [], set(), list(terms)
    while waiting:
        left = []
        for term in waiting:
            if not term.parent or term.parent in done or term.parent not in slugs:
                placed.append(term)
                done.add(term.slug)
            else:
                left.append(term)
        if len(left) == len(waiting):  # a cycle: keep the rest in their order
            placed += left
            break
        waiting = left
    return placed


def write_term_texts(w, term, name_tag, description_tag):
    """A term's name and description (each only when not empty, as WordPress does) and
    its meta."""
    if term.name:
        w.element("\t\t", f"wp:{name_tag}", term.name, "cdata")
    if term.description:
        w.element("\t\t", f"wp:{description_tag}", term.description, "cdata")
    for meta in term.meta:
        w.put("\t\t<wp:termmeta>\n")
        w.element("\t\t\t", "wp:meta_key", meta.key, "cdata")
        w.element("\t\t\t", "wp:meta_value", meta.value, "cdata")
        w.put("\t\t</wp:termmeta>\n")


def default_link(site, post):
    """WordPress's permalink for an item with no pretty one: ?p=, ?page_id= or
    ?attachment_id=."""
    query = {"page": "page_id", "attachment": "attachment_id"}.get(post.type, "p")
    return f"{site.link.rstrip('/')}/?{query}={post.id}"


def item_pub_date(date_gmt):
    """An item's pubDate from its GMT date; empty for a date that is no date (garbage in a
    hand-edited export, or Raw bytes), as PHP's date functions give nothing for one."""
    if isinstance(date_gmt, bytes):
        return ""
    try:
        return rfc822(date_gmt)
    except ValueError:
        return ""


def write_item(w, site, post):
    """One <item>, in export_wp()'s order."""
    date = mysql_date(post.date)
    date_gmt = mysql_date(post.date_gmt) if post.date_gmt is not None else date
    modified = mysql_date(post.modified) if post.modified is not None else date
    modified_gmt = mysql_date(post.modified_gmt) if post.modified_gmt is not None else date_gmt
    link = post.link if post.link is not None else default_link(site, post)
    guid = post.guid if post.guid is not None else default_link(site, post)
    pub_date = post.pub_date if post.pub_date is not None else item_pub_date(date_gmt)
    w.put("\t<item>\n")
    w.element("\t\t", "title", post.title, "cdata12")
    w.element("\t\t", "link", link, "url")
    w.element("\t\t", "pubDate", pub_date, "text")
    w.element("\t\t", "dc:creator", post.creator, "cdata12")
    w.put("\t\t")
    w.put(b'<guid isPermaLink="false">' + w.encoded(guid, "url") + b"</guid>\n")
    w.element("\t\t", "description", post.description, "text")
    w.element("\t\t", "content:encoded", post.content, "cdata")
    w.element("\t\t", "excerpt:encoded", post.excerpt, "cdata")
    w.element("\t\t", "wp:post_id", post.id, "int")
    w.element("\t\t", "wp:post_date", date, "cdata12")
    w.element("\t\t", "wp:post_date_gmt", date_gmt, "cdata12")
    if w.modern:
        w.element("\t\t", "wp:post_modified", modified, "cdata")
        w.element("\t\t", "wp:post_modified_gmt", modified_gmt, "cdata")
    w.element("\t\t", "wp:comment_status", post.comment_status, "cdata12")
    w.element("\t\t", "wp:ping_status", post.ping_status, "cdata12")
    w.element("\t\t", "wp:post_name", post.name, "cdata12")
    w.element("\t\t", "wp:status", post.status, "cdata12")
    w.element("\t\t", "wp:post_parent", post.parent, "int")
    w.element("\t\t", "wp:menu_order", post.menu_order, "int")
    w.element("\t\t", "wp:post_type", post.type, "cdata12")
    w.element("\t\t", "wp:post_password", post.password, "cdata12")
    w.element("\t\t", "wp:is_sticky", int(bool(post.sticky)), "int")
    if post.type == "attachment" or post.attachment_url:
        w.element("\t\t", "wp:attachment_url", post.attachment_url, "cdata12")
    for term in post.terms:
        w.put(
            f'\t\t<category domain="{escape_attribute(term.taxonomy)}" '
            f'nicename="{escape_attribute(term.slug)}">'
        )
        w.put(w.value(term.name, "cdata"))
        w.put("</category>\n")
    for meta in post.meta:
        w.put("\t\t<wp:postmeta>\n")
        w.element("\t\t", "wp:meta_key", meta.key, "cdata12")
        w.element("\t\t", "wp:meta_value", meta.value, "cdata")
        w.put("\t\t</wp:postmeta>\n")
    for comment in post.comments:
        write_comment(w, comment)
    w.put(post.extra)
    w.put("\t</item>\n")


def write_comment(w, comment):
    """One <wp:comment>, in export_wp()'s order."""
    date = mysql_date(comment.date)
    date_gmt = mysql_date(comment.date_gmt) if comment.date_gmt is not None else date
    w.put("\t\t<wp:comment>\n")
    w.element("\t\t\t", "wp:comment_id", comment.id, "int")
    w.element("\t\t\t", "wp:comment_author", comment.author, "cdata")
    w.element("\t\t\t", "wp:comment_author_email", comment.author_email, "cdata12")
    w.element("\t\t\t", "wp:comment_author_url", comment.author_url, "url")
    w.element("\t\t\t", "wp:comment_author_IP", comment.author_ip, "cdata12")
    w.element("\t\t\t", "wp:comment_date", date, "cdata12")
    w.element("\t\t\t", "wp:comment_date_gmt", date_gmt, "cdata12")
    w.element("\t\t\t", "wp:comment_content", comment.content, "cdata")
    w.element("\t\t\t", "wp:comment_approved", comment.approved, "cdata12")
    w.element("\t\t\t", "wp:comment_type", comment.type, "cdata12")
    w.element("\t\t\t", "wp:comment_parent", comment.parent, "int")
    w.element("\t\t\t", "wp:comment_user_id", comment.user_id, "int")
    for meta in comment.meta:
        w.put("\t\t\t<wp:commentmeta>\n")
        w.element("\t\t\t", "wp:meta_key", meta.key, "cdata")
        w.element("\t\t\t", "wp:meta_value", meta.value, "cdata")
        w.put("\t\t\t</wp:commentmeta>\n")
    w.put("\t\t</wp:comment>\n")
