"""Header rules for articles and pages: what is allowed, checked before Pelican reads."""

import datetime
import re
from pathlib import Path

from .errors import ContentError, Problem
from .frontmatter import parse_record, unknown_keys
from .redirects import check_redirect_from

ARTICLE_KEYS = {
    "title",
    "date",
    "modified",
    "authors",
    "category",
    "tags",
    "summary",
    "slug",
    "status",
    "lang",
    "template",
    "url",
    "save_as",
    "redirect_from",
}
ARTICLE_REQUIRED = ("title", "date", "authors", "category", "tags", "summary")
PAGE_KEYS = {
    "title",
    "slug",
    "summary",
    "status",
    "lang",
    "template",
    "url",
    "save_as",
    "date",
    "modified",
}
PAGE_REQUIRED = ("title",)
STATUSES = ("published", "draft", "hidden")
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_DATE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?))?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$"
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DATE_HELP = "write YYYY-MM-DD HH:MM, optionally followed by a UTC offset such as +02:00"


def parse_date(value, timezone_name):
    """Parse a strict ISO-like date; return an aware datetime or raise ValueError."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a date; {DATE_HELP}")
    text = match["date"] + " " + (match["time"] or "00:00")
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error}); {DATE_HELP}") from None
    zone = match["zone"]
    if zone:
        zone = "+00:00" if zone == "Z" else zone
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        if hours > 14 or minutes > 59:
            raise ValueError(f"{value!r} has the offset {zone}; offsets run -12:00 to +14:00")
        offset = datetime.timedelta(hours=hours, minutes=minutes)
        moment = moment.replace(tzinfo=datetime.timezone(offset if zone[0] == "+" else -offset))
    else:
        from zoneinfo import ZoneInfo

        moment = moment.replace(tzinfo=ZoneInfo(timezone_name or "UTC"))
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"{value!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    return moment


def check_path_value(key, value):
    """Return why a Slug, URL or save_as value is unsafe, or None."""
    if key == "slug":
        if not _SLUG.match(value) or len(value) > 120:
            return (
                f"{value!r} is not a slug; use lower-case ASCII letters, digits and "
                "single hyphens, such as 'islamic-state-claims-trebes-attack'"
            )
        return None
    if (
        not _PATH.match(value)
        or "//" in value
        or any(part in ("..", ".") for part in value.split("/"))
    ):
        return (
            f"{value!r} is not a safe relative path; use letters, digits, '-', '_', "
            "'.' and '/' with no leading '/', no '..' and no scheme"
        )
    if key == "save_as" and not value.endswith(".html"):
        return f"{value!r} must end in .html"
    return None


def check_list(record, key):
    """Report empty items in a comma-separated header such as Tags or Authors."""
    value = record.meta.get(key)
    if value is None:
        return []
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        return [
            Problem(
                record.path,
                record.line_of(key),
                key.title(),
                f"{value!r} has an empty item; remove the stray comma",
            )
        ]
    return []


def check_source(source, settings, categories, templates):
    """Return every problem in the headers of one article or page source."""
    kind = source.kind
    try:
        record = parse_record(source.text, source.path)
    except ContentError as error:
        return [error.problem]
    allowed, required = (
        (ARTICLE_KEYS, ARTICLE_REQUIRED) if kind == "article" else (PAGE_KEYS, PAGE_REQUIRED)
    )
    problems = unknown_keys(record, allowed, f"an {kind}" if kind == "article" else "a page")
    for key in required:
        if not record.meta.get(key, "").strip():
            problems.append(
                Problem(
                    record.path,
                    record.line_of(key) if key in record.meta else None,
                    key.title(),
                    "is missing or empty",
                )
            )
    dates = {}
    for key in ("date", "modified"):
        if record.meta.get(key):
            try:
                dates[key] = parse_date(record.meta[key], settings.get("TIMEZONE"))
            except ValueError as error:
                problems.append(Problem(record.path, record.line_of(key), key.title(), str(error)))
    if "date" in dates and "modified" in dates and dates["modified"] < dates["date"]:
        problems.append(
            Problem(
                record.path,
                record.line_of("modified"),
                "Modified",
                "is earlier than Date; Modified is the last update",
            )
        )
    status = record.meta.get("status")
    if status is not None and status not in STATUSES:
        problems.append(
            Problem(
                record.path,
                record.line_of("status"),
                "Status",
                f"{status!r} is not a status; allowed: {', '.join(STATUSES)}",
            )
        )
    for key in ("slug", "url", "save_as"):
        if key in record.meta:
            reason = check_path_value(key, record.meta[key].strip())
            if reason:
                problems.append(Problem(record.path, record.line_of(key), key.title(), reason))
    template = record.meta.get("template")
    if template is not None and template not in templates:
        problems.append(
            Problem(
                record.path,
                record.line_of("template"),
                "Template",
                f"{template!r} is not a theme template; allowed: {', '.join(sorted(templates))}",
            )
        )
    lang = record.meta.get("lang")
    if lang is not None and not _LANG.match(lang):
        problems.append(
            Problem(
                record.path,
                record.line_of("lang"),
                "Lang",
                f"{lang!r} is not a language tag such as 'en' or 'fr-FR'",
            )
        )
    category = record.meta.get("category")
    if kind == "article" and category and categories and category not in categories:
        problems.append(
            Problem(
                record.path,
                record.line_of("category"),
                "Category",
                f"{category!r} is not a section; allowed: {', '.join(categories)}",
            )
        )
    for key in ("tags", "authors"):
        problems += check_list(record, key)
    if kind == "article":
        problems += check_redirect_from(record)
    return problems


def theme_templates(settings):
    """Return the names of the theme's page templates that an item may choose."""
    folder = Path(settings["THEME"], "templates")
    return {path.stem for path in folder.glob("*.html")} & {"article", "page"}
