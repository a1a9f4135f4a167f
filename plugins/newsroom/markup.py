"""Turn Markdown and typogrified HTML into what each context needs."""

import html
import re

import markdown
import smartypants
from markupsafe import Markup
from pelican.utils import slugify
from typogrify.filters import typogrify


def plain_text(value):
    """Return text with tags stripped and entities decoded: safe for <title>, meta, feeds.

    Typogrify's no-break spaces (widont) only make sense in rendered headings.
    """
    if not value:
        return ""
    return Markup(str(value)).striptags().replace("\xa0", " ")


def typographic(text, settings, typogrify=typogrify):
    """Return escaped text with typogrify applied when the site asks for it.

    Quotes stay as they are (text between tags needs no quote escaping) so that
    smartypants can curl them; <, > and & are escaped.
    """
    return Markup(typogrify_html(html.escape(str(text), quote=False), settings, typogrify))


def typogrify_html(value, settings, typogrify=typogrify):
    """Apply typogrify to trusted HTML exactly as Pelican would, when the site asks for it.

    The newsroom plugin typogrifies (NEWSROOM["typogrify"]), in its reader;
    Pelican's own TYPOGRIFY stays off. typogrify: typogrify's filter, or one
    that gives the same output (the speed layer's).
    """
    if not settings.get("NEWSROOM", {}).get("typogrify", True):
        return value
    dashes = settings.get("TYPOGRIFY_DASHES", "default")
    smartypants.Attr.default = {
        "oldschool": smartypants.Attr.set2,
        "oldschool_inverted": smartypants.Attr.set3,
    }.get(dashes, smartypants.Attr.set1) | smartypants.Attr.w
    omitted = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False)
    return dash_year_ranges(typogrify(value, settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omitted))


# A span of years written with a hyphen (2014-2019, 2013-present): smartypants
# leaves single hyphens alone, and a range takes an en dash. Not inside a word,
# path or date (2018-03-26, /2017-2023/).
_YEAR_RANGE = re.compile(r"(?<![\w/.&#-])((?:1[89]|20)\d\d)-((?:1[89]|20)\d\d|present)(?![\w/-])")
_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}


def dash_year_ranges(html_text):
    """Give year ranges in the text of some HTML an en dash; tags, attributes and
    code stay as they are."""
    if "-" not in html_text or not _YEAR_RANGE.search(html_text):
        return html_text
    parts, verbatim = _TAG.split(html_text), 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = re.match(r"<(/?)([A-Za-z][A-Za-z0-9]*)", part)
            if name and name[2].lower() in _VERBATIM:
                verbatim = max(0, verbatim + (-1 if name[1] else 1))
        elif not verbatim:
            parts[index] = _YEAR_RANGE.sub("\\1&#8211;\\2", part)
    return "".join(parts)


def trusted_markdown(text, settings):
    """Render author-written Markdown (bios, profiles) like article bodies."""
    config = settings.get("MARKDOWN", {})
    # The meta extension would swallow a body that opens with "Word: ..."; the
    # headers were already split off by frontmatter.
    configs = {
        name: options
        for name, options in config.get("extension_configs", {}).items()
        if name != "markdown.extensions.meta"
    }
    extensions = [ext for ext in config.get("extensions", []) if ext not in configs]
    converter = markdown.Markdown(
        extensions=[*configs, *extensions],
        extension_configs=configs,
        output_format="html",
    )
    return Markup(typogrify_html(converter.convert(text), settings))


# The settings a slug depends on.
SLUG_SETTINGS = ("SLUG_REGEX_SUBSTITUTIONS", "SLUGIFY_PRESERVE_CASE", "SLUGIFY_USE_UNICODE")


def slug_for(name, settings):
    """Slugify a name exactly as Pelican does for titles, tags and authors."""
    return slugify(
        name,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
