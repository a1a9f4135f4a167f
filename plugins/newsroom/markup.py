"""Turn Markdown and typogrified HTML into what each context needs."""

import markdown
from markupsafe import Markup, escape
from pelican.utils import slugify


def plain_text(value):
    """Return text with tags stripped and entities decoded: safe for <title>, meta, feeds.

    Typogrify's no-break spaces (widont) only make sense in rendered headings.
    """
    if not value:
        return ""
    return Markup(str(value)).striptags().replace("\xa0", " ")


def typographic(text, settings):
    """Return escaped text with typogrify applied when the site asks for it."""
    escaped = escape(text)
    if not settings.get("TYPOGRIFY"):
        return escaped
    return Markup(typogrify_html(str(escaped), settings))


def typogrify_html(value, settings):
    """Apply typogrify to trusted HTML with the site's ignore list."""
    if not settings.get("TYPOGRIFY"):
        return value
    from typogrify.filters import typogrify

    return typogrify(value, settings.get("TYPOGRIFY_IGNORE_TAGS", []))


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


def slug_for(name, settings):
    """Slugify a name exactly as Pelican does for tags and authors."""
    return slugify(
        name,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
