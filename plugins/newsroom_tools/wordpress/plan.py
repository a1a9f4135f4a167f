"""Deciding, before anything is written, what every post, author and tag becomes.

Everything here is decided in post-id order from the export and the content
folder as it was, so two runs on one export decide the same.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from newsroom.errors import ContentError
from newsroom.frontmatter import parse_record, split_list
from newsroom.markup import slug_for
from newsroom.slugs import SLUG_LIMIT

from .index import PUBLISHED
from .names import Slugs, clean_name, fold, is_site_slug, plain, slug_from

UNCATEGORIZED = "uncategorized"
# First segments of the site's own addresses, which a page slug must not take.
RESERVED = {"archives", "authors", "category", "topics", "search", "feeds", "page", "theme"}


@dataclass
class Entry:
    """One post or page as the site will have it."""

    id: int
    kind: str  # "article" or "page"
    title: str
    slug: str
    path: str  # below the content folder
    url: str  # root-relative, as the site serves it
    draft: bool
    date: object
    modified: object
    authors: list = field(default_factory=list)
    section: str = ""
    tags: list = field(default_factory=list)
    featured: object = None  # an Attachment
    old_paths: list = field(default_factory=list)  # its Redirect_from
    notes: list = field(default_factory=list)  # for the report


@dataclass
class AuthorPlan:
    name: str
    slug: str
    existing: bool  # an author record in the content folder already has this name
    path: str = ""
    posts: int = 0


@dataclass
class Existing:
    """What the content folder holds that the import did not write."""

    authors: dict = field(default_factory=dict)  # name -> slug
    author_slugs: set = field(default_factory=set)
    topics: dict = field(default_factory=dict)  # folded name or alias -> topic name
    topic_slugs: dict = field(default_factory=dict)  # topic name -> slug
    article_slugs: set = field(default_factory=set)
    page_slugs: set = field(default_factory=set)


def read_records(folder, ours):
    """Yield (path below the content folder, Record) of the Markdown files in a folder
    that this import did not write (`ours`: paths it wrote before)."""
    root = folder.parent
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        relative = path.relative_to(root).as_posix()
        if relative in ours or path.is_symlink():
            continue
        try:
            yield relative, parse_record(path.read_text(encoding="utf-8-sig"), relative)
        except (ContentError, OSError, UnicodeDecodeError):
            continue  # the build names what is wrong with it; the import only avoids it


def read_existing(into, settings, ours):
    existing = Existing()
    for _, record in read_records(into / "authors", ours):
        if name := record.meta.get("name"):
            slug = record.meta.get("slug") or slug_for(name, settings)
            existing.authors[name] = slug
            existing.author_slugs.add(slug)
    for _, record in read_records(into / "topics", ours):
        if name := record.meta.get("name"):
            existing.topic_slugs[name] = record.meta.get("slug") or slug_for(name, settings)
            for alias in [name, *split_list(record.meta.get("aliases", ""))]:
                existing.topics.setdefault(fold(alias), name)
    for relative, record in read_records(into / "articles", ours):
        existing.article_slugs.add(record.meta.get("slug") or Path(relative).stem)
    for relative, record in read_records(into / "pages", ours):
        existing.page_slugs.add(record.meta.get("slug") or Path(relative).stem)
    return existing


# ---- Authors ------------------------------------------------------------------------


def author_names(source, index):
    """The post's authors' WordPress names, in byline order: Co-Authors Plus terms, else
    its creator."""
    names = []
    for term in source.terms:
        if term.domain == "author":
            login = term.nicename.removeprefix("cap-")
            author = index.authors.get(login) or index.authors.get(term.name)
            names.append(display_name(author) if author else term.name)
    if not names and source.creator:
        author = index.authors.get(source.creator)
        names.append(display_name(author) if author else source.creator)
    return list(dict.fromkeys(names))


def display_name(author):
    full = f"{author.first_name} {author.last_name}".strip()
    return author.display_name or full or author.login


def plan_authors(index, existing, settings, report):
    """Return {WordPress name: AuthorPlan} for every author of an imported post."""
    wanted = sorted({name for s in index.sources.values() for name in author_names(s, index)})
    slugs = Slugs(existing.author_slugs)
    plans, by_clean = {}, {}
    for wp_name in wanted:
        name, mended = clean_name(wp_name)
        if not name:
            report.site(f"author {wp_name!r} has no letter or digit in their name: left out")
            continue
        if mended:
            report.site(f"author name {mended}")
        if name in by_clean:
            plans[wp_name] = by_clean[name]
            continue
        if name in existing.authors:
            plan = AuthorPlan(name, existing.authors[name], True)
        else:
            slug = slugs.claim(slug_from(name, settings) or "author")
            plan = AuthorPlan(name, slug, False, f"authors/{slug}.md")
        plans[wp_name] = by_clean[name] = plan
    return plans


# ---- Sections and tags --------------------------------------------------------------


def section_of(source, sections, report):
    """The section a post goes to: its first category that maps onto one."""
    names = [t.name for t in source.terms if t.domain == "category"]
    for name in names:
        section = sections.lookup(name)
        if section:
            return section
    report.unmapped.update(n for n in names if n.lower() != UNCATEGORIZED)
    return sections.default


def wanted_tags(source, section):
    """The post's tag names; its categories when it has none; its section as a last resort."""
    tags = [t.name for t in source.terms if t.domain == "post_tag"]
    if not tags:
        tags = [
            t.name
            for t in source.terms
            if t.domain == "category" and t.nicename.lower() != UNCATEGORIZED
        ]
    return tags or [section]


class TagSpellings:
    """Choose one spelling for tags that fold to one name: the topic's, else the most used."""

    def __init__(self, existing, settings):
        self.topics = existing.topics
        self.settings = settings
        self.counts = defaultdict(Counter)  # folded -> spelling -> uses

    def count(self, names):
        for name in names:
            clean, _ = clean_name(name)
            if clean:
                self.counts[fold(clean)][clean] += 1

    def spelling(self, name):
        """The spelling written for a tag name, or None if it cannot be a tag."""
        clean, _ = clean_name(name)
        if not clean:
            return None
        key = fold(clean)
        if key in self.topics:
            return self.topics[key]
        uses = self.counts[key]
        chosen = sorted(uses, key=lambda s: (-uses[s], s))[0]
        return chosen if len(slug_for(chosen, self.settings)) <= 80 else None

    def alias_candidates(self):
        """[(written spelling, [other spellings])] of names written in more than one way."""
        found = []
        for key, uses in sorted(self.counts.items()):
            if len(uses) > 1:
                chosen = self.topics.get(key) or sorted(uses, key=lambda s: (-uses[s], s))[0]
                found.append((chosen, sorted(s for s in uses if s != chosen)))
        return found


# ---- Posts and pages ----------------------------------------------------------------


def entry_slug(source, slugs, settings):
    """Return (slug, note or None) for a post or page."""
    decoded = source.slug
    wanted = source.slug if is_site_slug(source.slug) else slug_from(source.slug, settings)
    if not wanted:
        wanted = slug_from(plain(source.title), settings) or f"{source.type}-{source.id}"
    slug = slugs.claim(wanted)
    if not source.slug:
        return slug, f"had no slug: {slug!r} made from its title"
    if slug != decoded:
        if wanted == decoded:
            reason = "is taken"
        elif is_site_slug(decoded[:SLUG_LIMIT]):
            reason = f"is over {SLUG_LIMIT} characters, cut at a word"
        else:
            reason = "is not a slug the site accepts (lower-case ASCII words and hyphens)"
        return slug, f"slug {decoded!r} {reason}: written as {slug!r}"
    return slug, None


def new_url(pattern, slug, date):
    try:
        return "/" + pattern.format(slug=slug, date=date, lang="en")
    except (KeyError, IndexError, ValueError):
        return ""


def plan_entries(index, existing, settings, report):
    """Make an Entry for every post and page the export holds; refuse undated ones."""
    article_slugs = Slugs(existing.article_slugs)
    page_slugs = Slugs(existing.page_slugs | RESERVED)
    entries = {}
    for source in sorted(index.sources.values(), key=lambda s: (s.type != "post", s.id)):
        title = plain(source.title) or f"Untitled {source.type} {source.id}"
        if source.date is None:
            report.refuse(
                f"{source.type} {source.id} {title!r}",
                "has no publication date WordPress or this importer can read "
                "(wp:post_date_gmt and wp:post_date are both missing or garbled): not imported",
            )
            continue
        article = source.type == "post"
        slug, slug_note = entry_slug(source, article_slugs if article else page_slugs, settings)
        draft = source.status != PUBLISHED or source.password
        entry = Entry(
            id=source.id,
            kind="article" if article else "page",
            title=title,
            slug=slug,
            path=f"articles/{source.date:%Y}/{slug}.md" if article else f"pages/{slug}.md",
            url=new_url(settings["ARTICLE_URL" if article else "PAGE_URL"], slug, source.date),
            draft=draft,
            date=source.date,
            modified=source.modified if source.modified and source.modified > source.date else None,
        )
        if slug_note:
            entry.notes.append(slug_note)
        if not plain(source.title):
            entry.notes.append(f"had no title: written as {title!r}")
        if source.password:
            entry.notes.append("was password-protected in WordPress: imported as a draft")
        elif draft:
            entry.notes.append(f"was {source.status!r} in WordPress: imported as a draft")
        entries[source.id] = entry
    return entries
