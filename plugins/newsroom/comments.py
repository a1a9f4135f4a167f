"""Approved reader comments: files beside the content, sanitised, threaded one level."""

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3

from .errors import ContentError, Problem
from .frontmatter import check_keys, parse_record
from .markup import typogrify_html
from .rules import parse_date

# Email and Website are what comment systems record with every comment. The
# email is accepted and dropped: it is never kept, so it reaches no page, feed
# or index. The website links the commenter's name when it is a plain http(s)
# address (safe_website); anything else is not linked. Isso is the id the comment
# server gave a comment that `invoke comments-pull` wrote (a whole number): the
# form offers to reply to it, and the next pull knows the file as that comment.
ALLOWED_KEYS = {"name", "date", "reply-to", "email", "website", "isso"}
# An Isso header: a whole number from 1, as the server's SQLite ids run.
_ISSO_ID = re.compile(r"[1-9][0-9]{0,17}")

# Comment text is untrusted: Markdown is rendered without extensions and the
# HTML then passes an allow-list, so nothing executable or styled survives.
_CLEANER = nh3.Cleaner(
    tags={"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"},
    attributes={"a": {"href"}},
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel="nofollow ugc",
    clean_content_tags={"script", "style"},
)


@dataclass
class Comment:
    """One approved comment and, for a top-level one, its replies."""

    id: str
    name: str
    date: object
    html: str
    reply_to: str | None
    source_path: str
    replies: list = field(default_factory=list)
    website: str | None = None  # an http(s) address for the name's link (safe_website)
    isso: int | None = None  # the comment server's id of a pulled comment (Isso header)
    # A reply to a reply: the comment it answers, which is not the top-level one it is
    # shown under (the page says "In reply to" its name); None otherwise.
    answers: object = None

    @property
    def anchor(self):
        """Return the fragment id of this comment on its article page."""
        return f"comment-{self.id}"


# One DNS label (letters, digits, inner hyphens), as an ASCII host name is made of.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def is_host(host):
    """Whether host is a domain name (international ones too) or an IP address."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.removesuffix(".").split(".")
    return len(ascii_host) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def safe_website(value):
    """Return a commenter's website if it is an absolute http(s) URL with a host, else None.

    Comment records are untrusted and imported in bulk: a javascript:, data:,
    mailto: or relative address, one with a user name or password in it, or
    one that is not a URL at all is not linked, and is no error either.
    """
    value = (value or "").strip()
    if not value or any(char.isspace() or ord(char) < 32 or char == "\x7f" for char in value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return None
    host = parts.hostname
    return value if host and is_host(host) else None


def comment_markdown():
    """A Markdown converter for comments: no extensions (one per build, reset per comment:
    making one costs more than converting a comment)."""
    return markdown.Markdown(output_format="html")


def sanitize(markdown_text, converter=None):
    """Render untrusted Markdown to HTML that is safe to embed as it is."""
    converter = converter or comment_markdown()
    return _CLEANER.clean(converter.reset().convert(markdown_text))


def comment_html_of(settings, typogrify=None):
    """Return the function that makes a comment's Markdown its safe, typeset HTML."""
    converter = comment_markdown()
    extra = {"typogrify": typogrify} if typogrify else {}
    return lambda body: typogrify_html(sanitize(body, converter), settings, **extra)


def comment_from_record(record, settings, converter=None, html=None):
    """Build a Comment from a parsed record file (converter: comment_markdown(); html: its
    body's HTML when already made, by comment_html_of's function).

    The sanitised text is typeset like the site's own (curly quotes, dashes):
    typogrify only adds entities and spans, so it cannot undo the cleaning.
    """
    timezone = settings.get("TIMEZONE")
    check_keys(record, ALLOWED_KEYS, "a comment")
    raw_date = record.require("date")
    try:
        date = parse_date(raw_date, timezone)
    except ValueError as error:
        raise ContentError(
            Problem(record.path, record.line_of("date"), "Date", str(error))
        ) from None
    if not record.body:
        raise ContentError(Problem(record.path, None, "body", "the comment text is empty"))
    isso = record.meta.get("isso") or None
    if isso is not None and not _ISSO_ID.fullmatch(isso):
        raise ContentError(
            Problem(
                record.path,
                record.line_of("isso"),
                "Isso",
                f"{isso!r} is not a comment server id; it is a whole number such as 42 "
                "(written by invoke comments-pull)",
            )
        )
    return Comment(
        id=Path(record.path).stem,
        name=record.require("name"),
        date=date,
        html=typogrify_html(sanitize(record.body, converter), settings) if html is None else html,
        reply_to=record.meta.get("reply-to") or None,
        source_path=record.path,
        website=safe_website(record.meta.get("website")),
        isso=int(isso) if isso else None,
    )  # record.meta["email"] is left behind with the record: nothing shows it


def thread_root(comment, by_id):
    """Return the top-level comment a reply belongs to, or None if the chain is broken."""
    seen = {comment.id}
    current = comment
    while current.reply_to:
        current = by_id.get(current.reply_to)
        if current is None or current.id in seen:
            return None
        seen.add(current.id)
    return current


def thread(comments, problems):
    """Nest replies under their top-level comment; a reply to a reply joins its thread and
    keeps the comment it answers (Comment.answers)."""
    by_id = {comment.id: comment for comment in comments}
    roots = []
    for comment in sorted(comments, key=lambda c: (c.date, c.id)):
        if not comment.reply_to:
            roots.append(comment)
            continue
        root = thread_root(comment, by_id)
        if root is None:
            problems.append(
                Problem(
                    comment.source_path,
                    None,
                    "Reply-To",
                    f"{comment.reply_to!r} does not lead to a comment on this article; "
                    f"known: {', '.join(sorted(by_id))}",
                )
            )
            continue
        if comment.reply_to != root.id:
            comment.answers = by_id[comment.reply_to]
        root.replies.append(comment)
    return roots


def load_comments(sources, articles_by_slug, settings, problems, render=None):
    """Build every comment from scanned sources and attach threads to their articles.

    render(bodies) -> their HTML, in order (the build engine's comment_html: the speed
    layer keeps what it made); without it each body is rendered here.
    """
    records = []
    for source in sources:
        try:
            records.append(parse_record(source.text, source.path))
        except ContentError as error:
            problems.append(error.problem)
    render = render or (lambda bodies: list(map(comment_html_of(settings), bodies)))
    by_article = {}
    for record, html in zip(records, render([record.body for record in records]), strict=True):
        try:
            comment = comment_from_record(record, settings, html=html)
        except ContentError as error:
            problems.append(error.problem)
            continue
        slug = Path(record.path).parent.name
        article = articles_by_slug.get(slug)
        if article is None:
            problems.append(
                Problem(
                    comment.source_path,
                    None,
                    "article",
                    f"no article has the slug {slug!r}; the folder name must be an article slug",
                )
            )
            continue
        if comment.date < article.date:
            problems.append(
                Problem(
                    comment.source_path,
                    None,
                    "Date",
                    f"{comment.date:%Y-%m-%d %H:%M} is before the article was published",
                )
            )
        by_article.setdefault(slug, []).append(comment)
    for slug, comments in by_article.items():
        article = articles_by_slug[slug]
        article.comments = thread(comments, problems)
        article.comment_count = sum(1 + len(c.replies) for c in article.comments)
