"""Live preview renders a saved article's page first, exactly as the full build then does."""

import shutil
import threading
import time

import pytest

from bench.corpus import generate
from bench.run import article_page
from conftest import build
from newsroom_speed.preview import PreviewBuilds, render_first

# What these tests check is the speed layer's (newsroom_speed): not run without it.
pytestmark = pytest.mark.speed_layer

MARK = "Preview fast-path marker"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("preview") / "content", n=12, seed=3)


@pytest.fixture
def built(corpus, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(corpus.path, content)
    site = build(content, tmp_path / "output", cache=tmp_path / "cache")
    source = content / corpus.edit_target.relative_to(corpus.path)
    return site, source, article_page(site.output, corpus.edit_target.stem)


def test_the_saved_article_is_rendered_first_and_the_full_build_agrees(built, tmp_path):
    site, source, page = built
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{MARK} sentence, added while previewing.\n")

    fast = render_first([str(source)])

    assert [str(item.path) for item in fast] == [str(page)]
    early = page.read_bytes()
    assert MARK in early.decode("utf-8")
    build(site.content, site.output, cache=tmp_path / "cache")
    assert page.read_bytes() == early, "the full build should render the same page"


def test_a_page_rendered_first_is_put_back_if_the_full_build_fails(built):
    _, source, page = built
    before = page.read_bytes()
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{MARK} sentence, then the build fails.\n")
    fast = render_first([str(source)])
    assert MARK in page.read_text(encoding="utf-8")
    for item in fast:
        item.restore()
    assert page.read_bytes() == before


def test_a_source_with_a_header_error_waits_for_the_full_build(built):
    _, source, page = built
    before = page.read_bytes()
    text = source.read_text(encoding="utf-8")
    source.write_text("Colour: blue\n" + text, encoding="utf-8")
    assert render_first([str(source)]) == []
    assert page.read_bytes() == before


def test_files_the_last_build_did_not_write_are_left_to_the_full_build(built, tmp_path):
    site, _, _ = built
    new = site.content / "articles" / "new-draft.md"
    new.write_text("Title: New\n\nBody.\n", encoding="utf-8")
    assert render_first([str(new)]) == []


def test_preview_builds_run_one_at_a_time_and_take_up_saves_made_meanwhile():
    """Saves during a build lead to exactly one more build, on the build thread."""
    started, release, calls = threading.Event(), threading.Event(), []

    def build():
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        return True

    builds = PreviewBuilds(build, reload=lambda: None)
    builds.request(["notes.txt"])
    assert started.wait(10)
    builds.request(["a.txt"])  # while the first build runs
    builds.request(["b.txt"])
    release.set()
    deadline = time.monotonic() + 10
    while builds.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not builds.running
    assert calls == ["preview-build", "preview-build"]
