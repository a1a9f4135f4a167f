"""Header rules for articles and pages: what is allowed, checked before Pelican reads."""

import datetime
import re
from pathlib import Path

from pelican.urlwrappers import Category

from .errors import ContentError, Problem
from .frontmatter import parse_record, split_list, unknown_keys
from .image_rules import IMAGE_KEYS
from .markup import slug_for
from .podcast import EPISODE_KEYS, check_episode_headers
from .redirects import check_redirect_from
from .slugs import SLUG_LIMIT, gives_address, slug_reason

ARTICLE_KEYS = {
    "title",
    "date",
    "modified",
    "authors",
    "author",
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
    *EPISODE_KEYS,  # a podcast episode's (podcast.py)
    *IMAGE_KEYS,  # the featured image (image_rules.py)
}
ARTICLE_REQUIRED = ("title", "date", "authors", "category", "tags", "summary")
# Pelican's one-author key is the one-author form of Authors.
ONE_OF = {"authors": "author"}
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
    "redirect_from",
    *IMAGE_KEYS,  # the featured image (image_rules.py)
}
PAGE_REQUIRED = ("title",)
STATUSES = ("published", "draft", "hidden")
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

_DATE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2})?))?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$"
)
_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
SEGMENT_LIMIT = 100  # characters between slashes of a Url or Save_as (file systems allow 255 bytes)
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
        return slug_reason(value)
    if (
        not _PATH.match(value)
        or "//" in value
        or any(part in ("..", ".") for part in value.split("/"))
    ):
        return (
            f"{value!r} is not a safe relative path; use letters, digits, '-', '_', "
            "'.' and '/' with no leading '/', no '..' and no scheme"
        )
    longest = max(value.split("/"), key=len)
    if len(longest) > SEGMENT_LIMIT:
        return (
            f"has a part of {len(longest)} characters; the limit is {SEGMENT_LIMIT} between slashes"
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


def check_required(record, required):
    """Report required headers that are missing, accepting the one-author `Author`."""
    problems = []
    for key in required:
        given = [name for name in (key, ONE_OF.get(key)) if name and name in record.meta]
        if len(given) > 1:
            problems.append(
                Problem(
                    record.path,
                    record.line_of(given[1]),
                    given[1].title(),
                    f"is given with {key.title()}; keep one: {key.title()} lists every author",
                )
            )
        if not any(record.meta[name].strip() for name in given):
            problems.append(
                Problem(
                    record.path,
                    record.line_of(given[0]) if given else None,
                    key.title(),
                    "is missing or empty",
                )
            )
    return problems


def check_dates(record, settings):
    """Report unreadable Date and Modified headers, and a Modified before the Date."""
    problems, dates = [], {}
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
    return problems


def check_addresses(record, settings):
    """Report unsafe Slug, URL and save_as values, and titles that give no slug."""
    problems = []
    for key in ("slug", "url", "save_as"):
        if key in record.meta:
            reason = check_path_value(key, record.meta[key].strip())
            if reason:
                problems.append(Problem(record.path, record.line_of(key), key.title(), reason))
    title = record.meta.get("title", "").strip()
    if title and "slug" not in record.meta and not gives_address(title, settings):
        problems.append(
            Problem(
                record.path,
                record.line_of("title"),
                "Title",
                f"{title!r} gives no address (it has no letters or digits); "
                "add a Slug line such as `Slug: al-shabaab-statement-2024`",
            )
        )
    return problems


def check_names(record, settings):
    """Report tag and author names with markup or that give no address."""
    problems = []
    for key in ("tags", "authors", "author"):
        for name in split_list(record.meta.get(key, "")):
            if re.search(r"[<>&]", name):
                reason = "holds markup; names are plain text, without <, > or &"
            elif not gives_address(name, settings):
                reason = "gives no address (it has no letters or digits)"
            elif key == "tags" and len(slug_for(name, settings)) > SLUG_LIMIT:
                # an author's record gives the author's address; a tag has only its name
                reason = f"is too long for an address; at most {SLUG_LIMIT} letters and digits"
            else:
                continue
            problems.append(
                Problem(record.path, record.line_of(key), key.title(), f"{name!r} {reason}")
            )
    return problems


def check_section(record, options):
    """Report a Category that is not one of the sections, nor mapped onto one."""
    category = record.meta.get("category")
    sections, section_map = options["categories"], options["section_map"]
    if not category or not sections or category in sections or category in section_map:
        return []
    return [
        Problem(
            record.path,
            record.line_of("category"),
            "Category",
            f"{category!r} is not a section; allowed: {', '.join(sections)} "
            '(NEWSROOM["section_map"] in the settings maps other names onto these)',
        )
    ]


def check_choices(record, templates):
    """Report a Status, Template or Lang outside what the site knows."""
    problems = []
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
    return problems


def check_source(source, settings, options, templates):
    """Return every problem in the headers of one article or page source.

    options: the NEWSROOM setting (config.plugin_settings), for the sections.
    """
    kind = source.kind
    try:
        record = parse_record(source.text, source.path)
    except ContentError as error:
        return [error.problem]
    allowed, required = (
        (ARTICLE_KEYS, ARTICLE_REQUIRED) if kind == "article" else (PAGE_KEYS, PAGE_REQUIRED)
    )
    problems = unknown_keys(record, allowed, f"an {kind}" if kind == "article" else "a page")
    problems += check_required(record, required)
    problems += check_dates(record, settings)
    problems += check_addresses(record, settings)
    problems += check_choices(record, templates)
    problems += check_names(record, settings)
    for key in ("tags", "authors"):
        problems += check_list(record, key)
    problems += check_redirect_from(record)
    if kind == "article":
        problems += check_section(record, options)
        problems += check_episode_headers(record)
    return problems


def map_section(metadata, settings, options):
    """Give an article whose Category is mapped (NEWSROOM["section_map"]) its section."""
    category = metadata.get("category")
    target = category and options["section_map"].get(category.name)
    if target:
        metadata["category"] = Category(target, settings)


def theme_templates(settings):
    """Return the names of the theme's page templates that an item may choose."""
    folder = Path(settings["THEME"], "templates")
    return {path.stem for path in folder.glob("*.html")} & {"article", "page"}
