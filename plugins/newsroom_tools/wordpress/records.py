"""The text of the files the import writes: articles, pages, authors, comments.

Each is headers, a blank line, then Markdown, exactly as an author would write
it (README "Writing an article"), so nothing marks a file as imported and an
editor edits it like any other.
"""

import re

from .names import plain

SUMMARY_LIMIT = 300
_MORE = re.compile(r"<!--\s*more\b.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(r"\n\s*\n|</p>|<br\s*/?>\s*<br\s*/?>|<!--\s*/?wp:[^>]*-->", re.IGNORECASE)
_SHORTCODE = re.compile(r"\[/?[a-z_-]+[^\]]*\]")
# Captions and embeds say nothing a summary should; block ends part words.
_NOT_SUMMARY = re.compile(
    r"\[(caption|gallery|embed|audio|video)\b.*?(\[/\1\]|$)|<figure.*?</figure>|<script.*?</script>",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_END = re.compile(r"<br\s*/?>|</(p|li|h[1-6]|div|blockquote|td|th)>", re.IGNORECASE)


def header_value(text):
    """One header line's value: no line breaks, no space at the ends."""
    return " ".join(str(text).split())


def headers(pairs):
    """`Key: value` lines for the pairs whose value is not empty."""
    return "".join(f"{key}: {header_value(value)}\n" for key, value in pairs if value)


def document(pairs, body):
    return headers(pairs) + "\n" + body.rstrip("\n") + "\n"


def text_of(fragment):
    """The plain text of a bit of post HTML, shortcodes left out."""
    fragment = _BLOCK_END.sub(" ", _NOT_SUMMARY.sub(" ", fragment))
    return plain(_SHORTCODE.sub(" ", fragment))


def cut(text, limit=SUMMARY_LIMIT):
    """Cut text at a sentence, else a word, within a limit."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    sentence = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    if sentence > limit // 2:
        return head[: sentence + 1]
    return head[: head.rfind(" ")].rstrip(",;:") + "…" if " " in head else head + "…"


def summary_of(excerpt, content):
    """Return (summary, where it came from): the excerpt, the text before <!--more-->,
    or the first paragraph with text."""
    if text := text_of(excerpt):
        return cut(text), "excerpt"
    more = _MORE.split(content, 1)
    if len(more) > 1 and (text := text_of(more[0])):
        return cut(text), "more"
    for block in _BLOCK.split(content):
        if text := text_of(block):
            return cut(text), "first paragraph"
    return "", None


def when(moment):
    return f"{moment:%Y-%m-%d %H:%M} +00:00" if moment else ""


def article_text(entry, summary, body, featured):
    """An article or page file. featured: (path, alt, caption) or None."""
    image = featured or ("", "", "")
    pairs = [
        ("Title", entry.title),
        ("Date", when(entry.date)),
        ("Modified", when(entry.modified)),
    ]
    if entry.kind == "article":
        pairs += [
            ("Authors", ", ".join(entry.authors)),
            ("Category", entry.section),
            ("Tags", ", ".join(entry.tags)),
        ]
    pairs += [
        ("Summary", summary),
        ("Slug", entry.slug),
        ("Status", "draft" if entry.draft else ""),
        ("Image", image[0]),
        ("Image_alt", image[1]),
        ("Image_caption", image[2]),
        ("Redirect_from", ", ".join(entry.old_paths)),
    ]
    return document(pairs, body)


def author_text(plan):
    """An author record: name and slug; no bio until an editor writes one."""
    return headers([("Name", plan.name), ("Slug", plan.slug)])


def comment_text(name, date, website, reply_to, body):
    return document(
        [("Name", name), ("Date", when(date)), ("Website", website), ("Reply-To", reply_to)],
        body,
    )
