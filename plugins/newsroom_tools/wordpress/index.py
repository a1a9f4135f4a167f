"""The first pass over an export: everything but the bodies.

Posts link to attachments and to each other in any order, and tag spellings
are chosen by how often each is used, so the importer reads the export twice:
this pass keeps a small record of every item (no content, no comments), from
which every slug, path and address is decided before any file is written.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from . import wxr

CONTENT_TYPES = ("post", "page")
# Statuses WordPress exports; all but these two are never published here.
PUBLISHED, KEPT_AS_DRAFT = "publish", ("draft", "pending", "private", "future")
_SIZE_FILE = re.compile(r's:4:"file";s:\d+:"([^"]+)"')


@dataclass
class Attachment:
    id: int
    url: str
    file: str  # below wp-content/uploads/, from _wp_attached_file or the URL
    title: str
    caption: str
    alt: str
    parent: int | None
    link: str  # its attachment page
    sizes: list = field(default_factory=list)  # file names of its resized copies


@dataclass
class Source:
    """What the first pass keeps of a post or page."""

    id: int
    type: str
    title: str
    slug: str
    link: str
    status: str
    date: datetime | None
    modified: datetime | None
    password: bool
    parent: int | None
    creator: str
    terms: list
    thumbnail: int | None
    has_excerpt: bool


@dataclass
class Index:
    channel: wxr.Channel | None = None
    authors: dict = field(default_factory=dict)  # login -> wxr.Author
    author_ids: dict = field(default_factory=dict)  # author id -> login
    categories: dict = field(default_factory=dict)  # nicename -> wxr.Category
    tags: dict = field(default_factory=dict)  # slug -> wxr.Tag
    attachments: dict = field(default_factory=dict)  # id -> Attachment
    sources: dict = field(default_factory=dict)  # id -> Source
    others: Counter = field(default_factory=Counter)  # skipped item types -> count
    refused: list = field(default_factory=list)  # (item named, why)
    damage: int = 0


def parse_wp_date(text):
    """A WordPress date (`2019-03-14 10:22:01`; `0000-00-00...` for none), in UTC, or None."""
    text = (text or "").strip()
    try:
        value = datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        try:
            value = datetime.strptime(text[:16], "%Y-%m-%d %H:%M")
        except ValueError:
            return None
    return value.replace(tzinfo=UTC) if value.year > 1900 else None


def item_date(item):
    """The item's publication time: the GMT field, else its local time read as UTC."""
    return parse_wp_date(item.date_gmt) or parse_wp_date(item.date)


def rfc822(text):
    try:
        return parsedate_to_datetime(text).astimezone(UTC)
    except (TypeError, ValueError, IndexError):
        return None


def attachment_of(item):
    attached = item.meta.get("_wp_attached_file", "").strip()
    url = item.attachment_url or item.link
    if not attached and "/wp-content/uploads/" in url:
        attached = url.split("/wp-content/uploads/", 1)[1]
    return Attachment(
        id=item.id,
        url=url,
        file=attached,
        title=item.title,
        caption=item.excerpt,
        alt=item.meta.get("_wp_attachment_image_alt", ""),
        parent=item.parent or None,
        link=item.link,
        sizes=sorted(set(_SIZE_FILE.findall(item.meta.get("_wp_attachment_metadata", "")))),
    )


def source_of(item):
    thumbnail = item.meta.get("_thumbnail_id", "").strip()
    return Source(
        id=item.id,
        type=item.type,
        title=item.title,
        slug=item.slug,
        link=item.link,
        status=item.status,
        date=item_date(item),
        modified=parse_wp_date(item.modified_gmt) or parse_wp_date(item.modified),
        password=bool(item.password.strip()),
        parent=item.parent or None,
        creator=item.creator,
        terms=item.terms,
        thumbnail=int(thumbnail) if thumbnail.isdigit() else None,
        has_excerpt=bool(item.excerpt.strip()),
    )


def read_index(path, progress=None):
    """Read the export once, keeping what decides names and addresses."""
    index = Index()
    for record in wxr.read_export(path, progress):
        if isinstance(record, wxr.Channel):
            index.channel = record
        elif isinstance(record, wxr.Author):
            if record.login:
                index.authors.setdefault(record.login, record)
                if record.id is not None:
                    index.author_ids.setdefault(record.id, record.login)
        elif isinstance(record, wxr.Category):
            index.categories.setdefault(record.nicename, record)
        elif isinstance(record, wxr.Tag):
            index.tags.setdefault(record.slug, record)
        elif isinstance(record, wxr.Damage):
            index.damage = record.replaced
        else:
            add_item(index, record)
    return index


def add_item(index, item):
    if item.id is None:
        index.refused.append((item.named(), "has no post id (wp:post_id); it cannot be linked"))
        return
    if item.type == "attachment":
        index.attachments.setdefault(item.id, attachment_of(item))
    elif item.type in CONTENT_TYPES:
        if item.id in index.sources:
            index.refused.append((item.named(), "repeats a post id already read; kept the first"))
            return
        if item.status not in (PUBLISHED, *KEPT_AS_DRAFT):
            index.others[f"{item.type} ({item.status or 'no status'})"] += 1
            return
        index.sources[item.id] = source_of(item)
    else:
        index.others[item.type] += 1  # revisions, menu items, custom types
