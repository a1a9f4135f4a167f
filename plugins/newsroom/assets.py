"""Fingerprinted theme assets: one stylesheet bundle, every file named by its content.

Every CSS and JS file under the theme's static folders becomes one output file
whose name carries a hash of its bytes (`theme/css/main.1a2b3c4d5e.css`), so a
server can let browsers cache it for a year: a changed file is a new address.
A stylesheet's `@import url(...)`s are inlined first, so a first visit makes one
stylesheet request; a file another stylesheet imports lives only inside that
bundle. The names are worked out once everything is read and before any page
is rendered, and templates look them up in the ASSETS context mapping:

    <link rel="stylesheet" href="{{ SITEURL }}/{{ ASSETS['css/main.css'] }}">
    <script type="module" src="{{ SITEURL }}/{{ ASSETS['js/search.js'] }}"></script>

The unhashed copies Pelican makes of the same files are removed at the end.
"""

import fnmatch
import hashlib
import logging
import os
import re
from pathlib import Path

logger = logging.getLogger("newsroom")

_IMPORT = re.compile(r'@import\s+url\("(?P<file>[^"]+)"\)\s*(?P<media>[^;]*);')
FINGERPRINTED = (".css", ".js")
HASH_LENGTH = 10
# A fingerprinted file name, for servers and uploads: name.<10 hex>.css or .js.
FINGERPRINT = re.compile(r"\.[0-9a-f]{10}\.(?:css|js)$")


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


class AssetMap(dict):
    """{path below theme/static: fingerprinted path below the output}, for templates.

    Asking for a file that is not there logs an error and returns its unhashed
    path, which the output checks then report as a link that leads nowhere.
    """

    def __missing__(self, name):
        logger.error(
            "a template asks for the asset %r, which is not a CSS or JS file in the "
            "theme's static folder (or is only imported into another stylesheet); known: %s",
            name,
            ", ".join(sorted(self)) or "none",
        )
        return f"theme/{name}"


def theme_sources(settings):
    """Yield (name below the static folder, source path) for every theme CSS and JS file."""
    ignored = settings.get("IGNORE_FILES", [])
    for static in settings.get("THEME_STATIC_PATHS", ["static"]):
        root = Path(settings["THEME"], static)
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix not in FINGERPRINTED or not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            parts = name.split("/")
            if any(part.startswith(".") for part in parts) or any(
                fnmatch.fnmatch(parts[-1], pattern) for pattern in ignored
            ):
                continue
            yield name, path


def fingerprinted_name(name, data):
    """Return `css/main.css` as `css/main.<hash of data>.css`."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}{dot}{suffix}"


def bundle_assets(settings):
    """Return {name: (output path, bytes)} for every asset a page may reference."""
    sources = dict(theme_sources(settings))
    bundles, imported = {}, set()
    for name, path in sources.items():
        if path.suffix == ".css":
            seen = set()
            data = inline_imports(path, seen).encode("utf-8")
            imported |= seen - {path.resolve()}
        else:
            data = path.read_bytes()
        bundles[name] = data
    static_dir = settings["THEME_STATIC_DIR"]
    return {
        name: (f"{static_dir}/{fingerprinted_name(name, data)}", data)
        for name, data in bundles.items()
        if sources[name].resolve() not in imported
    }


def fingerprint_assets(generators):
    """Write the fingerprinted assets and give templates their names, before any page renders."""
    generator = generators[0]
    assets = bundle_assets(generator.settings)
    for target, data in assets.values():
        path = Path(generator.output_path, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    generator.context["ASSETS"] = AssetMap({name: target for name, (target, _) in assets.items()})


def remove_unhashed_copies(pelican):
    """Delete the plain copies of theme CSS and JS that Pelican's static step made."""
    theme_output = Path(pelican.output_path, pelican.settings["THEME_STATIC_DIR"])
    for name, _ in theme_sources(pelican.settings):
        copy = theme_output / name
        if copy.is_file():
            copy.unlink()
    for folder, _, _ in sorted(os.walk(theme_output), reverse=True):
        if folder != str(theme_output) and not os.listdir(folder):
            os.rmdir(folder)
