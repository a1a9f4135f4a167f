"""Build sites once per session into temporary folders and parse what comes out."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from pelican import Pelican
from pelican.settings import read_settings

from newsroom.errors import BuildStopped

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))


ARTIFACTS = {}
# NEWSROOM_PLUGINS=newsroom runs the tests on the site layer alone (invoke test does,
# for the feature and error tests); unset, builds use pelicanconf's PLUGINS.
PLUGINS = os.environ.get("NEWSROOM_PLUGINS")
LAYERS = {"PLUGINS": PLUGINS.split(",")} if PLUGINS else {}


def record_artifact(name, path):
    """Remember a folder of test artifacts to name at the end of the run."""
    ARTIFACTS[name] = path


def pytest_terminal_summary(terminalreporter):
    """Tell the person running the tests where screenshots and reports went."""
    for name, path in ARTIFACTS.items():
        terminalreporter.write_line(f"{name}: {path}")


class BuiltSite:
    """A finished build: its source folder, output folder and parsing helpers."""

    def __init__(self, content, output, settings):
        self.content = Path(content)
        self.output = Path(output)
        self.settings = settings

    def path(self, url):
        """Return the output file for a root-relative URL or file path."""
        relative = url.split("#")[0].lstrip("/")
        target = self.output / relative
        return target / "index.html" if url.endswith("/") or target.is_dir() else target

    def html(self, url):
        """Parse an output page."""
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "lxml")

    def xml(self, url):
        """Parse an output feed or other XML file."""
        return etree.parse(str(self.path(url)))

    def text_files(self):
        """Yield every text file of the output with its content."""
        for path in sorted(self.output.rglob("*")):
            if path.suffix in {".html", ".xml", ".css", ".txt", ".json", ".svg"}:
                yield path, path.read_text(encoding="utf-8")


def build(content, output, settings_file="pelicanconf.py", cache=None, **override):
    """Build the site from `content` into `output` with the project's settings.

    Caches go beside the output unless a test shares one between builds.
    """
    cache = cache or Path(output).with_name(Path(output).name + "-cache")
    settings = read_settings(
        str(ROOT / settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            **LAYERS,
            **override,
        },
    )
    Pelican(settings).run()
    return BuiltSite(content, output, settings)


def pelican_cli(content, output, layers=None):
    """Run the plain `pelican` command on a content folder, as an author would.

    layers: PLUGINS to build with instead of pelicanconf's (or NEWSROOM_PLUGINS's).
    """
    plugins = layers or LAYERS.get("PLUGINS")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "-s",
            str(ROOT / "pelicanconf.py"),
            str(content),
            "-o",
            str(output),
            "-e",
            f'THEME="{ROOT / "theme"}"',
            f'PLUGIN_PATHS=["{ROOT / "plugins"}"]',
            f'CACHE_PATH="{output}-cache"',
            *([f"PLUGINS={json.dumps(plugins)}"] if plugins else []),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site, built from content/ exactly as authors write it."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site"))


@pytest.fixture
def fixture_content(tmp_path):
    """A private copy of the tiny fixture site that a test may change."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    return content


def snapshot(folder):
    """Return {relative path: sha256} for every file below folder."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def built(fixture_content, tmp_path):
    """A good build of the tiny site, and a rebuild that must stop and leave it as it was."""
    output = tmp_path / "output"
    build(fixture_content, output)
    before = snapshot(output)

    def rebuild_fails():
        with pytest.raises(BuildStopped) as stopped:
            build(fixture_content, output)
        assert snapshot(output) == before, "a failed build changed the output"
        return stopped.value.problems

    return fixture_content, rebuild_fails


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory):
    """The tiny fixture site, built once: aliases, two authors, a hostile comment."""
    content = tmp_path_factory.mktemp("tiny-src") / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    return build(content, tmp_path_factory.mktemp("tiny"))
