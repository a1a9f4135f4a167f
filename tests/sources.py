"""Read article headers straight from source files: an oracle independent of the plugin."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

# What each hub must collect, written out by hand so the tests do not reuse
# the plugin's own alias logic.
HUB_NAMES = {
    "islamic-state": {"islamic state", "isis", "isil", "daesh", "is"},
    "al-shabaab": {
        "al shabaab",
        "al-shabaab",
        "shabaab",
        "al shabab",
        "hsm",
        "harakat al-shabaab al-mujahideen",
    },
    "boko-haram": {"boko haram", "jas", "jama'atu ahlis sunna lidda'awati wal-jihad"},
}


@dataclass
class SourceArticle:
    """The headers of one article file."""

    path: Path
    title: str
    slug: str
    date: datetime.datetime
    authors: list
    tags: list
    category: str
    status: str

    @property
    def url(self):
        """Return the article's root-relative URL under the site's URL scheme."""
        return f"/{self.date:%Y}/{self.date:%m}/{self.slug}/"


def headers(path):
    """Return the lower-cased `Key: value` headers of a source file."""
    result = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
        if not match:
            break
        result[match[1].lower()] = match[2].strip()
    return result


def split(value):
    """Split a comma-separated header."""
    return [item.strip() for item in value.split(",") if item.strip()]


def source_articles(content, include_drafts=False):
    """Return every article under content/articles, newest first."""
    articles = []
    for path in sorted(Path(content, "articles").rglob("*.md")):
        meta = headers(path)
        article = SourceArticle(
            path=path,
            title=meta["title"],
            slug=meta["slug"],
            date=datetime.datetime.strptime(meta["date"][:16], "%Y-%m-%d %H:%M"),
            authors=split(meta["authors"]),
            tags=split(meta.get("tags", "")),
            category=meta["category"],
            status=meta.get("status", "published"),
        )
        if include_drafts or article.status == "published":
            articles.append(article)
    return sorted(articles, key=lambda a: a.date, reverse=True)


def hub_articles(content, hub):
    """Return the published articles that must appear on a hub page."""
    names = HUB_NAMES[hub]
    return [a for a in source_articles(content) if {t.lower() for t in a.tags} & names]
