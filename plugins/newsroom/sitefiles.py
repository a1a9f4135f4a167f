"""Files for crawlers and browsers: sitemap.xml, robots.txt, manifest.webmanifest and
favicon.ico (which browsers ask for at the root, whatever the pages link).

Written from the content objects rather than from the written pages, so every
lastmod is a content date: two builds of the same content are identical.
"""

import json
import shutil
from pathlib import Path
from xml.sax.saxutils import escape

from .structured import absolute

# The theme's monogram (images/favicon.svg) drawn at 32 and 16 pixels, below its static folder.
FAVICON = "images/favicon.ico"


def newest(articles):
    """Return the newest publication or update date of some articles, or None."""
    dates = [getattr(a, "modified", None) or a.date for a in articles]
    return max(dates) if dates else None


def sitemap_entries(articles_generator, pages, settings):
    """Return {path: lastmod or None} for every page worth a search engine's visit."""
    generator = articles_generator
    latest = newest(generator.articles)
    entries = {"": latest}
    for name in ("TAGS_URL", "CATEGORIES_URL", "AUTHORS_URL", "ARCHIVES_URL"):
        entries[settings[name]] = latest
    for article in generator.articles:
        entries[article.url] = getattr(article, "modified", None) or article.date
    for page in pages:
        entries[page.url] = getattr(page, "modified", None) or getattr(page, "date", None)
    for tag, tagged in generator.tags.items():
        entries[tag.url] = newest(tagged)
    for taxon, filed in [*generator.categories, *generator.authors]:
        entries[taxon.url] = newest(filed)
    for archive in generator.period_archives.get("year", []):
        entries[archive["url"]] = newest(archive["dates"])
    return entries


def sitemap_xml(entries, settings):
    """Render sitemap entries as a sitemaps.org XML document, sorted by URL."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(entries):
        lastmod = entries[path]
        lines.append(
            f"<url><loc>{escape(absolute(settings, path))}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(settings):
    """Allow every crawler and point it at the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(settings, 'sitemap.xml')}\n"


def manifest(settings):
    """Return the web app manifest as JSON."""
    icons = [
        {"src": f"/{settings['SITE_ICONS']['svg']}", "type": "image/svg+xml", "sizes": "any"},
        {"src": f"/{settings['SITE_ICONS']['192']}", "type": "image/png", "sizes": "192x192"},
        {"src": f"/{settings['SITE_ICONS']['512']}", "type": "image/png", "sizes": "512x512"},
    ]
    data = {
        "name": settings["SITENAME"],
        "short_name": settings["SITENAME"],
        "description": settings["SITE_DESCRIPTION"],
        "start_url": "/",
        "display": "browser",
        "background_color": "#fbfaf7",
        "theme_color": "#8a1c1c",
        "icons": icons,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def favicon_source(settings):
    """Return the theme's favicon.ico, from the first static folder that has one."""
    for static in settings.get("THEME_STATIC_PATHS", ["static"]):
        path = Path(settings["THEME"], static, FAVICON)
        if path.is_file():
            return path
    raise FileNotFoundError(f"the theme has no static {FAVICON}")


def write_site_files(articles_generator, pages, settings, output):
    """Write sitemap.xml, robots.txt, manifest.webmanifest and favicon.ico into the
    output."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    entries = sitemap_entries(articles_generator, pages, settings)
    (output / "sitemap.xml").write_text(sitemap_xml(entries, settings), encoding="utf-8")
    (output / "robots.txt").write_text(robots_txt(settings), encoding="utf-8")
    (output / "manifest.webmanifest").write_text(manifest(settings), encoding="utf-8")
    shutil.copyfile(favicon_source(settings), output / "favicon.ico")
