"""Inline the theme's CSS @imports so a first visit makes one stylesheet request."""

import logging
import re
from pathlib import Path

logger = logging.getLogger("newsroom")

_IMPORT = re.compile(r'@import\s+url\("(?P<file>[^"]+)"\)\s*(?P<media>[^;]*);')


def inline_imports(css_path, seen=None):
    """Return the CSS of css_path with its url() imports replaced by their contents."""
    seen = set() if seen is None else seen
    css_path = Path(css_path).resolve()
    if css_path in seen:
        return ""
    seen.add(css_path)

    def replace(match):
        imported = css_path.parent / match["file"]
        if not imported.is_file():
            logger.error("%s imports %r, which does not exist", str(css_path), match["file"])
            return match[0]
        body = inline_imports(imported, seen)
        media = match["media"].strip()
        return f"@media {media} {{\n{body}\n}}" if media else body

    return _IMPORT.sub(replace, css_path.read_text(encoding="utf-8"))


def bundle_stylesheet(pelican):
    """Replace the copied main.css with one self-contained file."""
    theme_css = Path(pelican.settings["THEME"], "static", "css")
    output_css = Path(pelican.output_path, pelican.settings["THEME_STATIC_DIR"], "css")
    entry = theme_css / "main.css"
    if entry.is_file() and output_css.is_dir():
        (output_css / "main.css").write_text(inline_imports(entry), encoding="utf-8")
