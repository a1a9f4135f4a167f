"""The benchmark's own parts, in quick mode: the corpus and the report, never timings."""

import json
import re
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


# A figure in the report: a median, then its range (min, en dash, max) in brackets unless
# all runs agree, such as "1.23 (1.10\u20131.40)" or "2,818"; a ratio, such as "0.52x".
FIGURE = re.compile(r"^\d[\d,]*(\.\d+)?( \(\d[\d,.]*\u2013\d[\d,.]*\))?$")
RATIO = re.compile(r"^\d+\.\d\dx$")


def table_rows(section):
    """The rows of the Markdown table in a section: label -> its other cells."""
    rows = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith(("| Metric |", "|---")):
            label, *cells = (cell.strip() for cell in line.strip("|").split("|"))
            rows[label] = cells
    return rows


def test_runner_writes_every_metric(tmp_path, capsys):
    """One quick run writes a report with each metric, for ours (both layers), ours with
    the site layer only and plain Pelican, the live preview's latency (a real server on
    127.0.0.1, edited three times) and prints the ratios last."""
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
    assert "Run 1/1, ours (site layer only):" in printed

    # The site layer alone (PLUGINS = ["newsroom"]): a table of its own, with numbers.
    assert "| Metric | Ours (site + speed layers) | Plain Pelican | Ours / plain |" in report
    section = report.split("\n### Ours, site layer only\n", 1)[1].split("\n## ", 1)[0]
    assert "| Metric | Ours (site layer only) | Ours (site + speed layers) |" in section
    rows = table_rows(section)
    assert set(rows) == {label for label, *_ in run.METRICS}
    for label, cells in rows.items():
        site, ours, over_plain, over_ours = cells
        assert FIGURE.match(site) and FIGURE.match(ours), (label, cells)
        assert RATIO.match(over_plain) and RATIO.match(over_ours), (label, cells)
    # The speed layer never changes the output: same files, same bytes, same page (but
    # for the date of a feed with no entry, its build's time: the builds are seconds apart).
    assert rows["Output files"][0] == rows["Output files"][1]
    assert "byte for byte the same as the site + speed layers'" in section
    assert "- Article page, first visit (`" in section

    raw = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    (site_run,) = raw["results"][run.SITE_LAYER]
    for which in ("cold", "warm"):
        assert site_run[which]["seconds"] > 0 and site_run[which]["cpu_seconds"] > 0
        assert site_run[which]["peak_bytes"] > 0
    assert site_run["output_bytes"] == raw["results"][run.OURS][0]["output_bytes"]
    compared = raw["site_layer"]["output_differences"]
    assert compared["files_compared"] > 0 and compared["differ_beyond_empty_feed_dates"] == []
    for figures in raw["site_layer"]["figures"].values():
        assert figures["site_layer_over_plain"] > 0 and figures["site_layer_over_ours"] > 0
    assert raw["page_weight"][run.SITE_LAYER] == raw["page_weight"][run.OURS]
    assert not list(tmp_path.glob("mm-bench-*"))  # the work folder is removed
