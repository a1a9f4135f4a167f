"""The WordPress benchmark: import a generated WordPress site, then build it, ours and plain.

    python -m bench.run --wordpress 1000 --runs 3     (or: invoke bench --wordpress 1000)
    python -m bench.wordpress_run --n 1000 --runs 3   (the same, with --importer and --sections)

1. Generates a WordPress site of n posts once (bench/wordpress.py, seeded: a WXR 1.2
   export and its uploads folder), in a forked process, so this one stays small (a
   build's ru_maxrss starts from it: see bench/run.py, small_parent).
2. For each run: a fresh content folder that already holds the site's real topics,
   authors, pages and images (as the build benchmark's corpus does: what a newsroom
   moving in from WordPress imports into), and the importer in a fresh interpreter:
       python -m plugins.newsroom_tools.wordpress --export export.xml
           --uploads uploads --into content --state state
   timed as the benchmark times a build (bench/run.py, run_build): wall time around
   the process, CPU time and ru_maxrss from os.wait4(), peak memory the larger of
   that and the largest sum of PSS over its process tree, sampled every 50 ms.
3. Then that run's imported content is built as the build benchmark builds its corpus
   (bench/run.py, measure): ours, cold and then a rebuild after appending a sentence to
   one imported article, starting from the card and image stores of an untimed build of
   the first run's import (so the timed builds draw no card and encode no image: that
   work is measured by the build benchmark); plain Pelican + typogrify
   (bench/plainconf.py), cold with its defaults, and the same one-edit rebuild with its
   content cache written by an untimed build.
4. Writes bench/results/wordpress-<n>.md (and the raw numbers as JSON beside it) and
   prints it: the import's wall time, peak memory and posts per second, and the ratios
   ours / plain of the cold build and of the rebuild. Timings are never asserted;
   tests/test_bench.py runs this on 30 posts to check that it works.
"""

import argparse
import datetime
import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace

from bench import run as bench
from bench.wordpress import describe, generate_wordpress_site

IMPORTER = "plugins.newsroom_tools.wordpress"
# The real content a site moving in already has; the importer adds to it.
SEEDED = ("topics", "authors", "pages", "images")
# What the importer writes into the content folder, counted for the report.
WRITTEN = {
    "articles": ("articles", "*.md"),
    "pages": ("pages", "*.md"),
    "author records": ("authors", "*.md"),
    "comments": ("comments", "*.md"),
    "images": ("images/wordpress", "*"),
    "redirect files": ("redirects", "*"),
}
# The summary table's rows.
SUMMARY = (
    "Import, wall (s)",
    "Import, peak memory (MiB)",
    "Posts imported per second",
    "Cold full build, ours / plain",
    "Rebuild after editing one imported article, ours / plain",
)
IMPORT_METRICS = (
    ("Import, wall (s)", lambda r: r["import"]["seconds"], bench.fmt_seconds),
    ("Import, CPU (s)", lambda r: r["import"]["cpu_seconds"], bench.fmt_seconds),
    ("Import, peak memory (MiB)", lambda r: r["import"]["peak_bytes"], bench.fmt_mib),
    (
        "Import, peak memory, largest single process (MiB)",
        lambda r: r["import"]["maxrss_bytes"],
        bench.fmt_mib,
    ),
    ("Posts imported per second", lambda r: r["posts_per_second"], bench.fmt_rate),
)


def import_command(export, uploads, content, state, importer=IMPORTER, sections=None):
    """The importer's command line, as a newsroom runs it."""
    command = [sys.executable, "-m", importer, "--export", str(export), "--uploads", str(uploads)]
    command += ["--into", str(content), "--state", str(state)]
    return command + (["--sections", str(sections)] if sections else [])


def seed_content(content):
    """A content folder with the site's real topics, authors, pages and images."""
    content.mkdir(parents=True)
    for part in SEEDED:
        shutil.copytree(bench.ROOT / "content" / part, content / part)


def count_written(content):
    """How many files of each kind the importer wrote into content."""
    counts = {}
    for label, (folder, pattern) in WRITTEN.items():
        base = content / folder
        found = [p for p in base.rglob(pattern) if p.is_file()] if base.is_dir() else []
        if label in ("pages", "author records"):  # less the real ones seeded before
            real = bench.ROOT / "content" / folder
            found = [p for p in found if not (real / p.relative_to(base)).exists()]
        counts[label] = len(found)
    return counts


def headers(path):
    """The headers of a Markdown article: the lines before the first blank one."""
    found = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                break
            key, _, value = line.partition(":")
            found[key.strip().lower()] = value.strip()
    return found


def pick_edit_target(content):
    """The imported article the rebuild edits: of those published (no Status header, or
    published) whose file is named after its slug, the middle one."""
    candidates = []
    for path in sorted((content / "articles").rglob("*.md")):
        found = headers(path)
        if found.get("status", "published") != "published":
            continue
        if found.get("slug", path.stem) != path.stem:
            continue
        candidates.append(path)
    if not candidates:
        raise bench.BuildError(f"no published article named after its slug in {content}")
    return candidates[len(candidates) // 2]


def run_wordpress(
    n=1000,
    runs=3,
    seed=1,
    out=None,
    workdir=None,
    keep=False,
    settings=bench.OURS_SETTINGS,
    importer=None,
    sections=None,
):
    """Run the WordPress benchmark; write and print its report; return 0 (a failed import
    or build raises bench.BuildError). importer: the module to run (default IMPORTER)."""
    importer = importer or IMPORTER
    out = Path(out) if out else bench.RESULTS / f"wordpress-{n}.md"
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="mm-wordpress-", dir=workdir))

    try:
        print(f"Load average before: {bench.load_average()}", flush=True)
        print(f"Generating a WordPress site of {n:,} posts in {work}", flush=True)
        site = bench.apart(generate_wordpress_site, n, work / "wordpress", seed)
        print(f"  {describe(site)}", flush=True)
        bench.compile_project()
        parent_peak = bench.small_parent()
        results, stores, edited = [], None, None
        for number in range(1, runs + 1):
            folder = work / f"run-{number}"
            content, state = folder / "imported", folder / "state"
            seed_content(content)
            print(f"Run {number}/{runs}, import:", flush=True)
            command = import_command(site.export, site.uploads, content, state, importer, sections)
            imported = bench.run_build(command, bench.ROOT, folder / "import.log")
            bench.log_build("import", imported)
            written = count_written(content)
            target = pick_edit_target(content)
            edited = target.relative_to(content).as_posix()
            corpus = SimpleNamespace(path=content, edit_target=target)
            if stores is None:
                print("Filling the card and image stores for ours (untimed):", flush=True)
                (work / "stores").mkdir()
                stores = bench.prepare_stores(corpus, work / "stores", settings)
            measured = {
                "import": asdict(imported),
                "posts_per_second": bench.per(n, imported.seconds),
                "written": written,
                "edited": edited,
            }
            for variant in (bench.OURS, bench.PLAIN):
                print(f"Run {number}/{runs}, {bench.LABELS[variant]}:", flush=True)
                place = folder / variant
                place.mkdir()
                measured[variant] = bench.measure(variant, corpus, place, settings, stores)
            results.append(measured)
            if number < runs:
                shutil.rmtree(folder)
        elapsed = time.perf_counter() - started
        text, figures = report(
            n, runs, seed, site, results, elapsed, settings, parent_peak, importer
        )
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"Kept {work}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    raw = {
        "args": {"n": n, "runs": runs, "seed": seed, "settings": settings, "importer": importer},
        "site": asdict(site) | {"export": str(site.export), "uploads": str(site.uploads)},
        "results": results,
        "summary": figures,
        "parent_peak_bytes": parent_peak,
    }
    out.with_suffix(".json").write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
    body, _, summary = text.partition("## Summary")
    print()
    print(body.rstrip())
    print(f"\nReport written to {out}\n")
    print("## Summary" + summary.rstrip())
    return 0


def summary_figures(results):
    """The summary's figures: the import's medians and the ratios ours / plain."""

    def ratio(which):
        ours, plain = (
            bench.stats([r[variant][which]["seconds"] for r in results])
            for variant in (bench.OURS, bench.PLAIN)
        )
        return bench.fmt_ratio(bench.ratio(ours, plain))

    return {
        SUMMARY[0]: bench.fmt_seconds(bench.stats([r["import"]["seconds"] for r in results])),
        SUMMARY[1]: bench.fmt_mib(bench.stats([r["import"]["peak_bytes"] for r in results])),
        SUMMARY[2]: bench.fmt_rate(bench.stats([r["posts_per_second"] for r in results])),
        SUMMARY[3]: ratio("cold"),
        SUMMARY[4]: ratio("warm"),
    }


def report(n, runs, seed, site, results, elapsed, settings, parent_peak, importer=IMPORTER):
    """Return the Markdown report and the summary's figures."""
    last = results[-1]
    written = ", ".join(f"{count:,} {label}" for label, count in last["written"].items())
    lines = [
        f"# WordPress import benchmark: {n:,} posts, {runs} run(s)",
        "",
        f"`python -m bench.run --wordpress {n} --runs {runs}"
        f"{'' if settings == bench.OURS_SETTINGS else ' --settings ' + settings}` on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"the benchmark took {elapsed / 60:.1f} minutes.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in bench.machine().items()),
        "",
        "## The WordPress site",
        "",
        f"- Generated by bench/wordpress.py (seed {seed}): {describe(site)}.",
        f"- The importer wrote, into a content folder that held the site's real "
        f"{', '.join(SEEDED)}: {written}.",
        f"- The rebuilds edit `{last['edited']}`.",
        "",
        "## Import",
        "",
        f"`python -m {importer} --export export.xml --uploads uploads --into content "
        "--state state` in a fresh interpreter. Median (min–max) over the runs.",
        "",
        "| Metric | Value |",
        "|---|---:|",
    ]
    for label, value, fmt in IMPORT_METRICS:
        lines.append(f"| {label} | {fmt(bench.stats([value(r) for r in results]))} |")
    lines += [
        "",
        "## Building the imported site",
        "",
        f"Each run's imported content built as the build benchmark builds its corpus: ours "
        f"with {settings} (bench/build_ours.py), starting from the card and image stores of "
        "an untimed build of the same content; plain Pelican with bench/plainconf.py "
        "(default theme, `TYPOGRIFY = True`), whose rebuild loads the content cache written "
        "by an untimed build. Median (min–max) over the runs.",
        "",
        "| Metric | Ours (site + speed layers) | Plain Pelican | Ours / plain |",
        "|---|---:|---:|---:|",
    ]
    ours = [r[bench.OURS] for r in results]
    plain = [r[bench.PLAIN] for r in results]
    for label, value, fmt, _ in bench.METRICS:
        ours_stats = bench.stats([value(r) for r in ours])
        plain_stats = bench.stats([value(r) for r in plain])
        lines.append(
            f"| {label} | {fmt(ours_stats)} | {fmt(plain_stats)} | "
            f"{bench.fmt_ratio(bench.ratio(ours_stats, plain_stats))} |"
        )
    cards, renditions = bench.store_work_line(ours)
    lines += [
        "",
        f"Ours' timed builds drew {cards or 0:,} social cards and encoded {renditions or 0:,} "
        "image renditions over all runs.",
        "",
        "## Method",
        "",
        "- Each import and build is a subprocess; wall time includes interpreter start-up. "
        "CPU time and `ru_maxrss` come from `os.wait4()`, which includes every descendant "
        "the process waited for; peak memory is the larger of `ru_maxrss` and the largest "
        f"sum of PSS over the process tree, sampled every {bench.SAMPLE_SECONDS * 1000:.0f} ms."
        + (
            f" The benchmark's own process peaked at {parent_peak / bench.MIB:.0f} MiB before "
            "(a child's `ru_maxrss` starts from its parent's peak on Linux); it generated the "
            "WordPress site in a forked process."
            if parent_peak
            else ""
        ),
        "- Posts imported per second: the posts in the export (every status) over the "
        "import's wall time.",
        "",
    ]
    figures = summary_figures(results)
    lines += [
        "## Summary",
        "",
        "| Metric | Value |",
        "|---|---:|",
        *(f"| {label} | {value} |" for label, value in figures.items()),
        "",
    ]
    return "\n".join(lines), figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="posts in the WordPress site")
    parser.add_argument("--runs", type=int, default=3, help="import + builds per run")
    parser.add_argument("--seed", type=int, default=1, help="the site's seed")
    parser.add_argument("--out", type=Path, help="report path (default bench/results/...)")
    parser.add_argument("--settings", default=bench.OURS_SETTINGS, help="our settings file")
    parser.add_argument("--importer", default=IMPORTER, help="the importer's module")
    parser.add_argument("--sections", type=Path, help="passed to the importer as --sections")
    parser.add_argument("--workdir", type=Path, help="where to work (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the site, imports and builds")
    args = parser.parse_args(argv)
    return run_wordpress(**vars(args))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.BuildError as failure:
        sys.exit(f"bench: the WordPress import or a build failed, no report written:\n{failure}")
