"""Fingerprinted assets: content-hashed names, one stylesheet bundle, no stale copies."""

import hashlib
import logging
import shutil

from conftest import ROOT, build
from newsroom.assets import FINGERPRINT, AssetMap, bundle_assets

STATIC = ROOT / "theme" / "static"


def theme_settings(theme):
    """The settings bundle_assets reads, for a theme folder."""
    return {"THEME": str(theme), "THEME_STATIC_PATHS": ["static"], "THEME_STATIC_DIR": "theme"}


def test_pages_link_the_fingerprinted_stylesheet(site):
    """Every page links theme/css/main.<hash>.css, and the hash is that of the file."""
    href = site.html("/").select_one("link[rel=stylesheet]")["href"]
    assert FINGERPRINT.search(href) and href.startswith("/theme/css/main.")
    data = site.path(href).read_bytes()
    assert hashlib.sha256(data).hexdigest()[:10] == href.rsplit(".", 2)[1]
    for path in site.output.rglob("*.html"):
        page = site.html("/" + path.relative_to(site.output).as_posix())
        assert page.select_one("link[rel=stylesheet]")["href"] == href, path


def test_stylesheet_is_one_bundle(site):
    """The imports are inlined: every component's rules are in the one file, no @import left."""
    href = site.html("/").select_one("link[rel=stylesheet]")["href"]
    css = site.path(href).read_text()
    assert "@import" not in css
    for part in (STATIC / "css").rglob("*.css"):
        if part.name != "main.css":
            assert part.read_text().strip() in css, part.name
    assert "@media print {" in css


def test_scripts_are_fingerprinted_too(site):
    """The search page loads theme/js/search.<hash>.js."""
    src = site.html("/search/").select_one("script[src]")["src"]
    assert FINGERPRINT.search(src) and src.startswith("/theme/js/search.")
    assert site.path(src).read_bytes() == (STATIC / "js" / "search.js").read_bytes()


def test_no_unhashed_copies_linger(site):
    """The output's theme folder holds only fingerprinted CSS and JS, no component files."""
    theme = site.output / "theme"
    scripts_and_styles = [p for p in theme.rglob("*") if p.suffix in (".css", ".js")]
    assert scripts_and_styles
    assert all(FINGERPRINT.search(p.name) for p in scripts_and_styles), scripts_and_styles
    assert not (theme / "css" / "components").exists()


def test_asset_names_cover_entry_points_only():
    """ASSETS names every JS file and every stylesheet no other stylesheet imports."""
    assets = bundle_assets(theme_settings(ROOT / "theme"))
    scripts = {p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*.js")}
    assert {"css/main.css", *scripts} <= set(assets)
    assert not [name for name in assets if name.startswith("css/components/")]
    assert "css/print.css" not in assets  # imported by main.css for print
    for name, (target, _) in assets.items():
        assert target.startswith("theme/") and FINGERPRINT.search(target), name


def test_a_changed_component_changes_the_address(tmp_path):
    """Editing an imported file gives the bundle a new name; an untouched script keeps its name."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    before = bundle_assets(theme_settings(theme))
    component = theme / "static" / "css" / "components" / "cards.css"
    component.write_text(component.read_text() + "\n.new-rule { color: red; }\n")
    after = bundle_assets(theme_settings(theme))
    assert after["css/main.css"][0] != before["css/main.css"][0]
    assert b".new-rule" in after["css/main.css"][1]
    assert after["js/search.js"] == before["js/search.js"]


def test_unknown_asset_is_an_error_and_a_broken_link(caplog):
    """A template asking for a file the theme lacks gets a logged error and a dead path."""
    with caplog.at_level(logging.ERROR, logger="newsroom"):
        path = AssetMap({"css/main.css": "theme/css/main.0123456789.css"})["css/typo.css"]
    assert path == "theme/css/typo.css"
    assert "css/typo.css" in caplog.text and "css/main.css" in caplog.text


def test_local_and_production_builds_name_assets_alike(tmp_path, fixture_content):
    """Fingerprints depend on content only, so both settings files produce the same names."""
    local = build(fixture_content, tmp_path / "local")
    production = build(fixture_content, tmp_path / "production", "publishconf.py")

    def names(site):
        return sorted(p.name for p in (site.output / "theme").rglob("*") if p.suffix == ".css")

    assert names(local) == names(production)
