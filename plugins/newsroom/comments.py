"""Approved reader comments: files beside the content, sanitised, threaded one level."""

from dataclasses import dataclass, field
from pathlib import Path

import markdown
import nh3

from .errors import ContentError, Problem
from .frontmatter import check_keys, parse_record
from .rules import parse_date

ALLOWED_KEYS = {"name", "date", "reply-to"}

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

    @property
    def anchor(self):
        """Return the fragment id of this comment on its article page."""
        return f"comment-{self.id}"


def comment_markdown():
    """A Markdown converter for comments: no extensions (one per build, reset per comment:
    making one costs more than converting a comment)."""
    return markdown.Markdown(output_format="html")


def sanitize(markdown_text, converter=None):
    """Render untrusted Markdown to HTML that is safe to embed as it is."""
    converter = converter or comment_markdown()
    return _CLEANER.clean(converter.reset().convert(markdown_text))


def comment_from_record(record, timezone, converter=None):
    """Build a Comment from a parsed record file (converter: comment_markdown())."""
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
    return Comment(
        id=Path(record.path).stem,
        name=record.require("name"),
        date=date,
        html=sanitize(record.body, converter),
        reply_to=record.meta.get("reply-to") or None,
        source_path=record.path,
    )


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
    """Nest replies under their top-level comment; a reply to a reply joins its thread."""
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
        root.replies.append(comment)
    return roots


def load_comments(sources, articles_by_slug, timezone, problems):
    """Build every comment from scanned sources and attach threads to their articles."""
    by_article, converter = {}, comment_markdown()
    for source in sources:
        try:
            record = parse_record(source.text, source.path)
            comment = comment_from_record(record, timezone, converter)
        except ContentError as error:
            problems.append(error.problem)
            continue
        slug = Path(source.path).parent.name
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
