"""The two layers: the site layer (newsroom) makes the site on Pelican's public API alone; the
speed layer (newsroom_speed) beneath it makes builds fast and never changes a byte."""

import ast
import shutil

import pytest
from lxml import etree
from test_determinism import differences

import newsroom_speed
from bench.corpus import generate
from bench.run import edit_article
from conftest import ROOT, build, pelican_cli, snapshot

SITE_LAYER = ROOT / "plugins" / "newsroom"
SITE_ONLY = {"PLUGINS": ["newsroom"]}
BOTH = {"PLUGINS": ["newsroom", "newsroom_speed"]}
# The libraries whose private parts only the speed layer may touch.
LIBRARIES = ("pelican", "typogrify", "smartypants", "feedgenerator", "markdown")
# Underscored names that are public API: namedtuple's methods and fields.
PUBLIC_UNDERSCORED = {"_replace", "_asdict", "_fields", "_make"}
# Private attributes of Pelican's objects that a string could name (a dict key, getattr).
PRIVATE_NAMES = {"_content", "_summary", "_context", "_md", "_open_w", "_frozen_addresses"}


def build_cold_and_warm(content, folder, layers, change=None):
    """Build twice into one output with one cache, changing the sources in between if
    asked; return the snapshots of both builds."""
    output, cache = folder / "output", folder / "cache"
    cold = snapshot(build(content, output, cache=cache, **layers).output)
    if change:
        change()
    warm = snapshot(build(content, output, cache=cache, **layers).output)
    return cold, warm


def assert_same_sites(first, second):
    assert first == second, differences(first, second)[:10]


def test_the_sample_site_is_the_same_with_and_without_the_speed_layer(tmp_path):
    """content/ builds to the same files, byte for byte, through both layers and through the
    site layer alone, cold and warm."""
    both = build_cold_and_warm(ROOT / "content", tmp_path / "both", BOTH)
    alone = build_cold_and_warm(ROOT / "content", tmp_path / "site", SITE_ONLY)
    assert len(both[0]) > 100
    for built in (both[1], *alone):
        assert_same_sites(both[0], built)


def test_the_benchmark_corpus_is_the_same_with_and_without_the_speed_layer(tmp_path):
    """A generated archive (enough bodies for the worker pool, topics with no article yet)
    builds the same through both configurations, cold and after an edit; the warm build
    with the speed layer reuses pages from its cache and still matches."""
    sources = generate(tmp_path / "corpus" / "content", n=60, seed=12)
    sites = {}
    for name, layers in (("both", BOTH), ("site", SITE_ONLY)):
        content = tmp_path / name / "content"
        shutil.copytree(sources.path, content)
        target = content / sources.edit_target.relative_to(sources.path)
        sites[name] = build_cold_and_warm(
            content, tmp_path / name, layers, change=lambda t=target: edit_article(t)
        )
    assert_same_sites(sites["both"][0], sites["site"][0])
    assert_same_sites(sites["both"][1], sites["site"][1])
    assert sites["both"][0] != sites["both"][1], "the edit changed nothing"
    assert list((tmp_path / "both" / "cache").glob("newsroom-bodies-*.pickle"))
    assert not (tmp_path / "site" / "cache").exists(), "the site layer alone keeps no cache"


def test_a_feed_with_no_entries_is_dated_by_the_newest_article_not_the_clock(tmp_path):
    """A tracked topic with no article yet has a feed; its date is the site's newest
    article's, so two builds of the same sources write the same bytes."""
    sources = generate(tmp_path / "content", n=8, seed=1)
    site = build(sources.path, tmp_path / "output", **SITE_ONLY)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    newest = site.xml("/feeds/atom.xml").findtext("a:updated", namespaces=atom)
    empty = [
        feed
        for feed in sorted((site.output / "topics").glob("*/atom.xml"))
        if not etree.parse(str(feed)).findall("a:entry", namespaces=atom)
    ]
    assert empty, "the corpus should track a topic with no article yet"
    for feed in empty:
        assert etree.parse(str(feed)).findtext("a:updated", namespaces=atom) == newest


def test_the_pelican_command_builds_with_the_site_layer_alone(tmp_path):
    """Removing newsroom_speed from PLUGINS is all it takes: plain `pelican` builds the
    same site, and never meets the speed layer."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", content)
    alone = tmp_path / "alone"
    result = pelican_cli(content, alone, layers=["newsroom"])
    assert result.returncode == 0, result.stderr
    assert "newsroom_speed" not in result.stderr + result.stdout
    assert not (tmp_path / "alone-cache").exists(), "the site layer alone keeps no cache"
    both = build(content, tmp_path / "both", **BOTH)
    assert_same_sites(snapshot(alone), snapshot(both.output))


def test_the_speed_layer_steps_aside_for_library_versions_it_was_not_checked_with(
    tmp_path, monkeypatch, capfd
):
    """With an unchecked library version installed, the speed layer says so once (not as a
    warning, which production builds make fatal) and the site layer builds alone."""
    monkeypatch.setitem(newsroom_speed.VERIFIED, "pelican", "0.0.1")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", content)
    stepped_aside = build(content, tmp_path / "out", cache=tmp_path / "cache", **BOTH)
    notice = capfd.readouterr().err
    assert "newsroom_speed is off: pelican" in notice
    assert "checked with 0.0.1" in notice
    assert not (tmp_path / "cache").exists(), "the speed layer ran"
    monkeypatch.undo()
    alone = build(content, tmp_path / "alone", **SITE_ONLY)
    assert_same_sites(snapshot(stepped_aside.output), snapshot(alone.output))


def test_production_settings_build_with_the_site_layer_alone(tmp_path):
    """publishconf (fatal warnings, precompression) builds on the site layer alone too."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", content)
    site = build(content, tmp_path / "out", "publishconf.py", **SITE_ONLY)
    assert (site.output / "index.html.gz").is_file()
    assert (site.output / "index.html.br").is_file()


def defined_names(tree):
    """The names a module gives its own classes: methods, and attributes it assigns."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def private_uses(path):
    """Yield (line, what) for each private name of another's that a module reaches for.

    A class's own underscored attributes are its business; one it inherits (a
    reader's _md, a writer's _open_w) is the library's.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own_names = defined_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name, owner = node.attr, node.value
            own = isinstance(owner, ast.Name) and owner.id in ("self", "cls") and name in own_names
            if is_private(name) and not own and name not in PUBLIC_UNDERSCORED:
                yield node.lineno, f"attribute {name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
            for alias in node.names:
                if is_private(alias.name) or is_private_path(node.module):
                    yield node.lineno, f"import {alias.name} from {node.module}"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
            "getattr",
            "setattr",
            "hasattr",
            "delattr",
        ):
            names = [arg.value for arg in node.args[1:2] if isinstance(arg, ast.Constant)]
            if any(isinstance(n, str) and is_private(n) for n in names):
                yield node.lineno, f"{node.func.id}(..., {names[0]!r})"
        elif isinstance(node, ast.Constant) and node.value in PRIVATE_NAMES:
            yield node.lineno, f"the name {node.value!r}"


def is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_private_path(module):
    return any(is_private(part) for part in module.split("."))


def test_the_site_layer_touches_no_private_part_of_a_library():
    """No module of the site layer reads or writes another object's underscored attribute
    (Pelican's _content, a reader's _md, smartypants' _tokenize...), imports a private
    name, or reaches for one by string; a class's own attributes are its own business."""
    found = [
        f"{path.name}:{line}: {what}"
        for path in sorted(SITE_LAYER.glob("*.py"))
        for line, what in private_uses(path)
    ]
    assert found == []


def test_the_private_use_check_finds_what_it_is_for(tmp_path):
    """The check above would catch the uses the speed layer is allowed."""
    speed = ROOT / "plugins" / "newsroom_speed"
    found = {what for path in speed.glob("*.py") for _, what in private_uses(path)}
    assert {"attribute _content", "attribute _parse_metadata", "attribute _write"} <= found


def test_the_site_layer_never_imports_the_speed_layer_or_the_tools():
    """Dependencies point one way: newsroom_speed and newsroom_tools use newsroom."""
    for path in sorted(SITE_LAYER.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("newsroom_speed", "newsroom_tools")), (path, name)


@pytest.mark.parametrize("template", sorted((ROOT / "theme" / "templates").rglob("*.html")))
def test_the_theme_needs_only_the_site_layer(template):
    """Every template compiles with the site layer's own extensions (the `fragment` tag
    is the site layer's, rendering its body in place)."""
    from jinja2 import Environment, FileSystemLoader

    from newsroom.fragment import Fragment

    folder = ROOT / "theme" / "templates"
    environment = Environment(loader=FileSystemLoader(str(folder)), extensions=[Fragment])
    environment.get_template(str(template.relative_to(folder)))
