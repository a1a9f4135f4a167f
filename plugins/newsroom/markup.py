"""Turn Markdown and typogrified HTML into what each context needs."""

import html

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
    return typogrify(value, settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omitted)


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
