"""The output is identical whether built cold, warm or in parallel.

Built from a small generated corpus (bench/corpus.py: authors, topic aliases,
comments, footnotes, tables, links between articles) with the site's own
settings, so whatever caches pelicanconf.py turns on are what a warm build
reuses. Each check also runs with Pelican's content cache forced on, the first
cache an optimisation would reach for. test_hostile.py compares two builds that
share a cache; these compare a cold build with warm ones.
"""

import hashlib
import shutil
from pathlib import Path

import pytest

from bench.corpus import generate
from bench.run import article_page, edit_article
from conftest import build
from newsroom_speed.rendering import POOL_THRESHOLD

# Serial and parallel builds: the speed layer's worker pool (NEWSROOM_SPEED["workers"]).
SERIAL = {"NEWSROOM_SPEED": {"workers": 1}}
PARALLEL = {"NEWSROOM_SPEED": {"workers": 2}}
VARIANTS = {
    "as configured": {},
    "content cache on": {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # Enough bodies (articles and the 3 pages) that the plugin starts its worker pool.
    n = max(30, POOL_THRESHOLD)
    return generate(tmp_path_factory.mktemp("determinism") / "content", n=n, seed=11)


@pytest.fixture
def content(corpus, tmp_path):
    """A private copy of the corpus that a test may edit."""
    copy = tmp_path / "content"
    shutil.copytree(corpus.path, copy)
    return copy


def snapshot(folder):
    """Every file of a build, by path, as a digest of its bytes."""
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def differences(first, second):
    """Paths that differ between two builds (a file on one side only, or other bytes)."""
    paths = first.keys() | second.keys()
    return sorted(path for path in paths if first.get(path) != second.get(path))


def edited(content, corpus):
    return content / corpus.edit_target.relative_to(corpus.path)


@pytest.mark.parametrize("variant", VARIANTS)
def test_warm_build_is_identical_to_cold(content, tmp_path, variant):
    """Building again with the caches the first build left changes no byte."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content, output, cache=cache, **VARIANTS[variant])
    cold = snapshot(output)
    build(content, output, cache=cache, **VARIANTS[variant])
    assert differences(cold, snapshot(output)) == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_warm_rebuild_after_an_edit_matches_a_cold_build(content, corpus, tmp_path, variant):
    """An edited article rebuilt with warm caches gives what a fresh build gives."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content, output, cache=cache, **VARIANTS[variant])
    edit_article(edited(content, corpus))
    build(content, output, cache=cache, **VARIANTS[variant])
    warm = snapshot(output)
    cold = snapshot(build(content, tmp_path / "cold", cache=tmp_path / "cold-cache").output)
    assert differences(cold, warm) == []
    page = article_page(output, corpus.edit_target.stem).read_text(encoding="utf-8")
    assert "added by the benchmark" in page


def test_parallel_build_is_identical_to_serial(content, tmp_path):
    """Rendering in a pool of worker processes writes the same bytes as one process."""
    serial = snapshot(build(content, tmp_path / "serial", **SERIAL).output)
    parallel = snapshot(build(content, tmp_path / "parallel", **PARALLEL).output)
    assert differences(serial, parallel) == []
