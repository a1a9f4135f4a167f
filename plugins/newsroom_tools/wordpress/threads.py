"""Reader comments: approved ones only, as the site's comment files.

Pending, spam and trashed comments never leave the export, and commenters'
email and IP addresses are never read (wxr.py): the content folder lives in
git, which cannot forget. A reply deeper than the site's one level names its
parent in Reply-To; the site files it under its thread and says whom it
answers.
"""

from newsroom.comments import safe_website

from .index import parse_wp_date
from .names import clean_name, slug_from
from .plan import display_name
from .records import comment_text

READER = "A reader"
PINGS = ("pingback", "trackback")


def commenter(migration, entry, comment):
    """The name a comment is shown under: the article's author's own, marked as the site's
    sample comments are, when WordPress knew the commenter as one of its authors."""
    login = migration.index.author_ids.get(comment.user_id) if comment.user_id else None
    author = migration.index.authors.get(login) if login else None
    plan = migration.authors.get(display_name(author)) if author else None
    if plan is not None and plan.name in entry.authors:
        return f"{plan.name} (author)"
    name, _ = clean_name(comment.author)
    return name or READER


def write_comments(migration, entry, item):
    report, counts = migration.report, migration.report.counts
    shown = []
    for comment in item.comments:
        if comment.type in PINGS:
            counts["pings"] += 1
        elif comment.approved != "1" or comment.type not in ("", "comment"):
            counts["held"] += 1
        elif comment.id is None:
            report.note(entry.path, "a comment without an id was left out")
        else:
            shown.append(comment)
    if entry.draft:
        counts["held"] += len(shown)
        return
    stems = {}
    for comment in sorted(shown, key=lambda c: c.id):
        name, _ = clean_name(comment.author)
        stems[comment.id] = f"{comment.id}-{slug_from(name, migration.settings) or 'reader'}"
    for comment in sorted(shown, key=lambda c: c.id):
        stem = stems[comment.id]
        path = f"comments/{entry.slug}/{stem}.md"
        converted = migration.convert_comment(comment.content)
        if not converted.strip():
            report.note(path, "the comment has no text left once converted: not written")
            continue
        date = parse_wp_date(comment.date_gmt) or parse_wp_date(comment.date)
        if date is None or date < entry.date:
            report.note(
                path,
                "its date is missing or garbled: dated as the article"
                if date is None
                else "it is dated before the article: dated as the article",
            )
            date = entry.date
        reply_to = stems.get(comment.parent) if comment.parent else None
        if comment.parent and reply_to is None:
            report.note(path, "it answered a comment that is not published: shown on its own")
        name = commenter(migration, entry, comment)
        text = comment_text(name, date, safe_website(comment.url) or "", reply_to, converted)
        if migration.put(path, text, f"comment {comment.id} on {item.named()}"):
            counts["comments"] += 1
