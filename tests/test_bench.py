"""The benchmark's own parts, in quick mode: the corpus and the report, never timings."""

import subprocess

import pytest

from bench import run
from bench.corpus import generate
from bench.pageweight import page_weight
from conftest import build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("bench") / "content", n=30, seed=3)


def test_corpus_is_deterministic(corpus, tmp_path):
    """The same seed writes the same files, byte for byte."""
    again = generate(tmp_path / "content", n=30, seed=3)
    files = sorted(p.relative_to(corpus.path) for p in corpus.path.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again.path) for p in again.path.rglob("*") if p.is_file())
    for relative in files:
        assert (corpus.path / relative).read_bytes() == (again.path / relative).read_bytes()


def test_corpus_is_shaped_like_ours(corpus):
    """Every article carries the elements the benchmark is meant to exercise."""
    assert len(corpus.articles) == 30 and corpus.words_mean > 800
    assert set(corpus.categories) <= {"Analysis", "Threat Matrix", "Reports", "Podcasts"}
    assert corpus.topic_spellings > 0 and corpus.plain_tags > 20
    for relative in corpus.articles:
        text = (corpus.path / relative).read_text(encoding="utf-8")
        headers = text.split("\n\n", 1)[0].splitlines()
        assert [line.split(":", 1)[0] for line in headers] == [
            "Title",
            "Date",
            "Authors",
            "Category",
            "Tags",
            "Summary",
            "Slug",
        ]
        for element in ("\n## ", "\n- ", "\n1. ", "[^1]: ", "\n|---", "\n> "):
            assert element in text, (relative, element)


def test_corpus_builds_with_our_site(corpus, tmp_path):
    """Our strict validation accepts the whole corpus and every article gets a page."""
    site = build(corpus.path, tmp_path / "ours")
    for relative in corpus.articles:
        assert run.article_page(site.output, relative.stem).is_file()
    weight = page_weight(site.output, run.article_page(site.output, corpus.articles[0].stem))
    assert weight.resources[0].kind == "html" and weight.total("gzip") > 0


def test_corpus_builds_with_plain_pelican(corpus, tmp_path):
    """Plain Pelican reads the articles and pages, and none of our records."""
    output = tmp_path / "plain"
    command = run.plain_command(corpus.path, output, tmp_path / "cache", warm=False)
    done = subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, text=True)
    for relative in corpus.articles:
        assert run.article_page(output, relative.stem).is_file()
    log = " ".join(done.stdout.split())
    assert f"Processed {len(corpus.articles)} articles, 0 drafts" in log  # no record read
    assert "hidden articles, 3 pages" in log


def test_runner_writes_every_metric(tmp_path, capsys):
    """One quick run writes a report with each metric, the live preview's latency (a real
    server on 127.0.0.1, edited three times) and prints the ratios last."""
    out = tmp_path / "report.md"
    run.main(["--n", "8", "--runs", "1", "--out", str(out), "--workdir", str(tmp_path)])
    report = out.read_text(encoding="utf-8")
    for label, *_ in run.METRICS:
        assert f"| {label} |" in report
    for row in (
        "| Cold full build |",
        "| Rebuild after editing one article |",
        "| Peak memory |",
        "| Article page, first visit, gzip |",
        "| Requests before first render |",
        "| Render-blocking JS |",
        "## Machine",
        "Search index",
        "## Live preview",
        "| Live preview, saved article shown |",
    ):
        assert row in report
    assert out.with_suffix(".json").is_file()
    printed = capsys.readouterr().out.rstrip()
    assert printed.splitlines()[-1].startswith("| Live preview, saved article shown |")
    assert not list(tmp_path.glob("mm-bench-*"))  # the work folder is removed
