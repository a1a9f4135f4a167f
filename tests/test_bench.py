"""The benchmark's own parts, in quick mode: the corpus and the report, never timings."""

import json
import re
import subprocess
import sys

import pytest
from PIL import Image

from bench import run
from bench.corpus import IMAGE_SIZE, generate
from bench.pageweight import page_weight
from conftest import ROOT, build
from newsroom_speed import card_store, image_store

HEADERS = ["Title", "Date", "Authors", "Category", "Tags", "Summary", "Slug"]
EPISODE_HEADERS = ["Audio", "Audio_length", "Audio_duration"]  # on podcast episodes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("bench") / "content", n=30, seed=3)


@pytest.fixture(scope="module")
def illustrated(tmp_path_factory):
    """The same corpus with featured images (one article in ten)."""
    return generate(tmp_path_factory.mktemp("bench") / "content", n=30, seed=3, images=True)


def header_names(text):
    return [line.split(":", 1)[0] for line in text.split("\n\n", 1)[0].splitlines()]


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
        episode = "\nCategory: Podcasts\n" in text
        assert header_names(text) == HEADERS + (EPISODE_HEADERS if episode else [])
        for element in ("\n## ", "\n- ", "\n1. ", "[^1]: ", "\n|---", "\n> "):
            assert element in text, (relative, element)


def test_featured_images_change_only_their_articles_headers(corpus, illustrated, tmp_path):
    """With images, one article in ten gets Image and Image_alt and a ~1 MP JPEG of its
    own, drawn from the seed: the same bytes again, and the same text otherwise."""
    assert len(illustrated.images) == 3 and illustrated.articles == corpus.articles
    again = generate(tmp_path / "content", n=30, seed=3, images=True)
    for number, relative in enumerate(corpus.articles):
        plain = (corpus.path / relative).read_text(encoding="utf-8")
        text = (illustrated.path / relative).read_text(encoding="utf-8")
        assert text == (again.path / relative).read_text(encoding="utf-8")
        if relative not in illustrated.images:
            assert text == plain
            continue
        assert number % 10 == 5
        image = illustrated.images[relative]
        assert header_names(text)[: len(HEADERS) + 2] == [*HEADERS, "Image", "Image_alt"]
        assert f"\nImage: {image}\nImage_alt: " in text
        kept = [line for line in text.splitlines() if not line.startswith("Image")]
        assert kept == plain.splitlines()
        assert image.startswith("images/photos/")
        data = (illustrated.path / image).read_bytes()
        assert data == (again.path / image).read_bytes()
        with Image.open(illustrated.path / image) as opened:
            assert (opened.format, opened.size) == ("JPEG", IMAGE_SIZE)
        assert 100_000 < len(data) < 600_000  # encodes like a photograph, not a flat drawing
    assert illustrated.illustrated_edit_target.relative_to(illustrated.path) in illustrated.images
    assert corpus.illustrated_edit_target is None


def test_benchmark_process_stays_small():
    """A child's ru_maxrss starts from its parent's peak: the benchmark's own process must
    not load Pillow, Pelican or the plugins, and names the speed layer's stores as they are."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, bench.run; print(sorted(sys.modules))"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for heavy in ("PIL", "pelican", "newsroom", "newsroom_speed", "playwright"):
        assert f"'{heavy}'" not in loaded, heavy
    assert run.CARD_STORE == card_store.STORE
    assert (run.IMAGE_STORE, run.IMAGE_LOG) == (image_store.STORE, image_store.LOG)


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
    assert f"Run 1/1, {run.LABELS[run.MEDIA]}:" in printed

    # Featured images and cards: measured on their own, never in the timed page builds.
    section = report.split("\n## Featured images and social cards\n", 1)[1].split("\n## ", 1)[0]
    for label, *_ in run.MEDIA_METRICS:
        assert f"| {label} |" in section
    for row in (
        "| Page builds timed without card and image work | 0 cards, 0 renditions | none | PASS |",
        "| Rebuild after one edit, renditions encoded | 0 | 0 | PASS |",
        "| Rebuild after one edit, social cards drawn | 0 | <= 1 | PASS |",
        "| Illustrated article, first visit, gzip |",
        "| Illustrated article, requests before first render |",
        "| Lead image, phone 390 px wide at DPR 2, largest |",
    ):
        assert row in report
    assert "| Rendition shown | 720 px AVIF: 1 |" in section

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

    (ours_run,) = raw["results"][run.OURS]
    nothing = {"cards_drawn": 0, "renditions_encoded": 0}
    assert ours_run["store_work"] == {"cold": nothing, "warm": nothing}
    (media_run,) = raw["results"][run.MEDIA]
    cold, warm = media_run["cold_work"], media_run["warm_work"]
    # One upload (article 6 of 8), 1200 px wide: 360, 720, 1080 and 1200 px, three formats.
    assert cold["images"]["encoded"] == cold["images"]["wanted"] == 12
    assert cold["store_log"]["encoded"] == 12 and cold["images"]["workers"] == 2
    assert cold["cards"]["drawn"] > 0 and cold["cards"]["reused"] == 0
    assert warm["images"]["encoded"] == warm["store_log"]["encoded"] == 0
    assert warm["store_log"]["found"] == 12
    assert warm["cards"]["drawn"] == 0 and warm["cards"]["reused"] == cold["cards"]["drawn"]
    assert warm["cards"]["log"].startswith("Drew 0 social cards;")
    (lead,) = raw["media_page_weight"]["leads"]
    assert lead["bytes"] > 0 and [url for url, _ in lead["downloads"]] == [lead["shown"]]
    assert not list(tmp_path.glob("mm-bench-*"))  # the work folder is removed


WORDPRESS_IMPORTER = ROOT / "plugins" / "newsroom_tools" / "wordpress" / "__main__.py"


@pytest.mark.skipif(not WORDPRESS_IMPORTER.is_file(), reason="no WordPress importer yet")
def test_wordpress_bench_reports_import_and_builds(tmp_path, capsys):
    """`bench.run --wordpress 30` generates a WordPress site, imports it in a fresh process,
    builds what it imported with ours and plain Pelican, and reports every figure."""
    from bench import wordpress_run

    out = tmp_path / "wordpress.md"
    argv = ["--wordpress", "30", "--runs", "1", "--out", str(out), "--workdir", str(tmp_path)]
    assert run.main(argv) == 0
    report = out.read_text(encoding="utf-8")
    summary = table_rows(report.split("\n## Summary\n", 1)[1])
    assert list(summary) == list(wordpress_run.SUMMARY)
    for label in wordpress_run.SUMMARY[:3]:
        assert FIGURE.match(summary[label][0]), (label, summary[label])
    for label in wordpress_run.SUMMARY[3:]:
        assert RATIO.match(summary[label][0]), (label, summary[label])
    imported = table_rows(report.split("\n## Import\n", 1)[1].split("\n## ", 1)[0])
    assert set(imported) == {label for label, *_ in wordpress_run.IMPORT_METRICS}
    builds = table_rows(
        report.split("\n## Building the imported site\n", 1)[1].split("\n## ", 1)[0]
    )
    assert set(builds) == {label for label, *_ in run.METRICS}
    raw = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    (measured,) = raw["results"]
    assert measured["written"]["articles"] > 0 and measured["import"]["peak_bytes"] > 0
    nothing = {"cards_drawn": 0, "renditions_encoded": 0}
    assert measured[run.OURS]["store_work"] == {"cold": nothing, "warm": nothing}
    printed = capsys.readouterr().out.rstrip()
    assert printed.splitlines()[-1].startswith(f"| {wordpress_run.SUMMARY[-1]} |")
    assert not list(tmp_path.glob("mm-wordpress-*"))  # the work folder is removed
