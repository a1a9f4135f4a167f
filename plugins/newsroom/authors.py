"""Author records: one Markdown file per author, attached to every byline.

The body of a record is the author's bio, in Markdown. It may be left out (an
import knows a name, not a bio): pages then show the name, role and photo
alone, and a successful build lists such authors in one note.
"""

import re
from dataclasses import dataclass, field

from markupsafe import Markup
from pelican.urlwrappers import Author

from .errors import ContentError, Problem
from .frontmatter import check_keys, parse_record, split_list
from .markup import plain_text, trusted_markdown
from .slugs import record_slug

ALLOWED_KEYS = {"name", "slug", "role", "photo", "links"}
_LINK = re.compile(r"^(?P<label>[^<>]+?)\s*<(?P<url>(https?://|mailto:)[^<>\s]+)>$")


@dataclass
class AuthorRecord:
    """What the site knows about one author beyond their name."""

    name: str
    slug: str
    role: str
    bio: str  # typeset HTML; empty (falsy) when the record has no body
    photo: str | None
    links: list = field(default_factory=list)
    source_path: str = ""

    @property
    def bio_text(self):
        """Return the bio as plain text, for structured data ("" without one)."""
        return plain_text(self.bio) if self.bio else ""

    @property
    def initials(self):
        """Return up to two initials, shown where there is no photo."""
        words = [word for word in self.name.split() if word[:1].isalpha()]
        return "".join(word[0] for word in words[:1] + words[-1:][: len(words) > 1]).upper()


def parse_links(value, record):
    """Parse `Label <https://...>; Label <https://...>` into (label, url) pairs."""
    links = []
    for item in split_list(value, ";"):
        match = _LINK.match(item)
        if not match:
            raise ContentError(
                Problem(
                    record.path,
                    record.line_of("links"),
                    "Links",
                    f"{item!r} is not `Label <https://...>`; separate links with `;`",
                )
            )
        links.append((match["label"], match["url"]))
    return links


def author_from_record(record, settings):
    """Build an AuthorRecord from a parsed record file."""
    check_keys(record, ALLOWED_KEYS, "an author")
    name = record.require("name")
    return AuthorRecord(
        name=name,
        slug=record_slug(record, name, settings),
        role=record.meta.get("role", ""),
        bio=trusted_markdown(record.body, settings) if record.body else Markup(""),
        photo=record.meta.get("photo") or None,
        links=parse_links(record.meta.get("links", ""), record),
        source_path=record.path,
    )


def load_authors(sources, settings, problems):
    """Build every author record from scanned sources; return them keyed by name."""
    authors = {}
    for source in sources:
        try:
            author = author_from_record(parse_record(source.text, source.path), settings)
        except ContentError as error:
            problems.append(error.problem)
            continue
        if author.name in authors:
            problems.append(
                Problem(
                    author.source_path,
                    1,
                    "Name",
                    f"{author.name!r} is also defined in {authors[author.name].source_path}",
                )
            )
            continue
        authors[author.name] = author
    return authors


def byline_authors(records, settings):
    """Make one Pelican Author per record, carrying the record, keyed by name."""
    result = {}
    for name, record in records.items():
        author = Author(name, settings)
        author.slug = record.slug
        author.record = record
        result[name] = author
    return result


def note_missing_bios(generators):
    """Note, in one line printed after a successful build, the authors that pages show
    without a bio (records with no body). Not a warning: production makes those fatal."""
    from .enrich import articles_generator, every_item  # enrich imports this module
    from .state import build_of

    records = {}
    for generator in generators:
        for item in every_item(generator):
            if getattr(item, "status", "published") == "draft":
                continue
            for author in getattr(item, "authors", None) or ():
                record = getattr(author, "record", None)
                if record is not None and not record.bio:
                    records[record.name] = record
    if records:
        listed = "; ".join(f"{r.name} ({r.source_path})" for _, r in sorted(records.items()))
        count = len(records)
        build_of(articles_generator(generators).settings).notes.append(
            f"Note: {count} {'author has' if count == 1 else 'authors have'} no bio, "
            f"shown with name and role alone (write one below the headers): {listed}"
        )
