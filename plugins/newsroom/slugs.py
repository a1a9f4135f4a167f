"""Slugs: the one path segment each article, page, tag and author is known by.

A slug names an output folder and keys comments and redirects, so it must be
non-empty, short enough for any file system (a segment may hold 255 bytes) and
readable in an address. Derived slugs are cut at a word; a Slug an author
writes is refused when it is too long, since cutting it would not be what they
asked for.
"""

import re

from .errors import ContentError, Problem
from .markup import slug_for

SLUG_LIMIT = 80
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_reason(value):
    """Return why a Slug an author wrote is not one, or None."""
    if not _SLUG.match(value):
        return (
            f"{value!r} is not a slug; use lower-case ASCII letters, digits and "
            "single hyphens, such as 'islamic-state-claims-trebes-attack'"
        )
    if len(value) > SLUG_LIMIT:
        return (
            f"is {len(value)} characters; the limit is {SLUG_LIMIT}: "
            f"shorten it, such as {cut_slug(value)!r}"
        )
    return None


def record_slug(record, name, settings):
    """Return the slug of an author or topic record: its Slug, checked, or one derived
    from its name and cut; raise ContentError when neither gives one."""
    given = record.meta.get("slug", "").strip()
    if given:
        reason = slug_reason(given)
        if reason:
            raise ContentError(Problem(record.path, record.line_of("slug"), "Slug", reason))
        return given
    if not gives_address(name, settings):
        raise ContentError(
            Problem(
                record.path,
                record.line_of("name"),
                "Name",
                f"{name!r} gives no address (it has no letters or digits); add a Slug line",
            )
        )
    return derived_slug(name, settings)


def gives_address(name, settings):
    """Tell whether a name slugifies to something with a letter or digit in it."""
    return bool(re.search(r"[^\W_]", slug_for(name, settings)))


def cut_slug(slug, limit=SLUG_LIMIT):
    """Cut a slug to at most `limit` characters, at a hyphen when there is one."""
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]
    cut = head.rfind("-")
    return (head[:cut] if cut > 0 else slug[:limit]).strip("-")


def derived_slug(title, settings):
    """Return the slug Pelican would derive from a title, cut to SLUG_LIMIT."""
    return cut_slug(slug_for(title, settings))


def shorten_derived_slug(metadata, settings):
    """Give an item whose title slugifies too long the cut slug (Pelican would not cut it).

    Runs on the metadata Pelican has read, before it makes the article or page,
    so Pelican derives nothing itself; items with a Slug keep it.
    """
    if "slug" in metadata or settings.get("SLUGIFY_SOURCE") != "title":
        return
    title = metadata.get("title")
    if title and len(slug_for(title, settings)) > SLUG_LIMIT:
        metadata["slug"] = derived_slug(title, settings)
