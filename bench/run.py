"""The build benchmark: our full site against plain Pelican + typogrify, same run.

    python -m bench.run --n 1000 --runs 3          (or: invoke bench --n 1000)
    python -m bench.run --n 1000 --no-site-layer   (skip the site-layer-only builds)

1. Generates the corpus once (bench/corpus.py) into a temporary folder.
2. For each run, interleaved (ours, site layer, plain, ours, site layer, plain,
   ...), each in a fresh copy of the corpus and fresh output and cache folders:
   - ours (site + speed layers): a cold build exactly as `invoke build` does it
     (bench/build_ours.py: newsroom_tools.build.build_before_exit with pelicanconf.py, only
     PATH, OUTPUT_PATH and CACHE_PATH redirected), then one article is edited and the site
     rebuilt with the same output and cache folders: whatever caches pelicanconf.py
     enables are warm;
   - ours (site layer only): the same two builds with PLUGINS = ["newsroom"]
     (bench/build_ours.py --site-layer-only): the site layer without the speed
     layer (newsroom_speed) beneath it, which must not change the output; the
     report says whether the two outputs are byte for byte the same;
   - plain: `python -m pelican -s bench/plainconf.py` cold, with Pelican's
     defaults (no content cache); then an untimed build that writes Pelican's
     content cache (CACHE_CONTENT and LOAD_CONTENT_CACHE on); then the same
     article is edited and the site rebuilt with that cache loaded: plain
     Pelican's best case for a rebuild.
   Each build is its own subprocess. Wall time is measured around it, so it
   includes interpreter start-up for both sides. Builds run with Python's
   bytecode cache on, as on any ordinary install (PYTHONDONTWRITEBYTECODE, if
   the environment sets it, is dropped for them, and the project's modules are
   compiled once before the first run); CPU time and peak memory come
   from os.wait4(), which covers the build and every descendant it waited for.
   Peak memory is the larger of that ru_maxrss (the largest single process) and
   the largest sum of PSS over the build's process tree, sampled every 50 ms from
   /proc (which catches worker processes running at once; PSS divides a page
   shared by forked workers among them, so it counts once in the sum).
3. After the last run: output size and file count, the weight of a first visit
   to one article page (bench/pageweight.py) and the search index size; the live
   preview (bench/preview.py) with both layers, as `invoke livereload` runs it.
4. Writes a Markdown report (and the raw numbers as JSON beside it), prints it,
   and ends with the ratios ours / plain against the targets. Targets are for the
   site as built (both layers) and reported as PASS or FAIL; the site layer alone
   gets its own table of figures and ratios, for reference, without targets.
   The exit status is non-zero only if a build fails.
"""

import argparse
import datetime
import filecmp
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpus import generate
from bench.pageweight import GZIP_LEVEL, page_weight, search_index
from bench.preview import measure_preview

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PLAIN_SETTINGS = ROOT / "bench" / "plainconf.py"
OURS_ENTRY = ROOT / "bench" / "build_ours.py"
OURS_SETTINGS = "pelicanconf.py"  # what `invoke build` uses
PLAIN_CACHE_ON = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
EDIT = "\n\nThis sentence was added by the benchmark to measure a rebuild after an edit.\n"
SAMPLE_SECONDS = 0.05
# Builds run as on an ordinary install, with Python's bytecode cache on.
BUILD_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
MIB = 1024 * 1024
# The dates a feed carries of itself (Atom, RSS): an empty feed's are its build time.
FEED_DATES = re.compile(rb"<updated>[^<]*</updated>|<lastBuildDate>[^<]*</lastBuildDate>")

# Targets from the issue: ratios ours / plain (same run), and the article page.
TARGET_COLD = 0.6
TARGET_WARM = 0.15
TARGET_MEMORY = 2.0
TARGET_PAGE_GZIP = 20_000  # bytes: "20 KB"
TARGET_REQUESTS = 3
TARGET_PREVIEW = 1.0  # seconds from saving an article to the preview showing it


# The configurations measured: the key in the results (and the JSON), and the label.
OURS, SITE_LAYER, PLAIN = "ours", "site-layer", "plain"
LABELS = {
    OURS: "ours (site + speed layers)",
    SITE_LAYER: "ours (site layer only)",
    PLAIN: "plain Pelican",
}


class BuildError(Exception):
    """A build in the benchmark exited with an error; the report would be meaningless."""


@dataclass
class Build:
    """One build: what it cost and what it wrote."""

    seconds: float
    cpu_seconds: float
    peak_bytes: int
    maxrss_bytes: int
    tree_pss_bytes: int


class TreeSampler(threading.Thread):
    """Track the largest total memory (PSS) of a process and its descendants, from /proc."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE")

    def tree_memory(self):
        parents = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue
        total, stack = 0, [self.pid]
        while stack:
            pid = stack.pop()
            stack.extend(parents.get(pid, []))
            total += self.process_memory(pid)
        return total

    def process_memory(self, pid):
        """A process's proportional set size (shared pages divided among their users).

        Forked workers share most of their parent's pages; RSS would count them
        once per process. Falls back to RSS where the kernel has no smaps_rollup.
        """
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        return int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            pass
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * self.page
        except (OSError, IndexError):
            return 0

    def run(self):
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, self.tree_memory())


def run_build(argv, cwd, log_path):
    """Run one build as a subprocess; return its Build or raise BuildError."""
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=BUILD_ENVIRONMENT
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = Path(log_path).read_text(errors="replace")[-3000:]
        raise BuildError(f"{' '.join(map(str, argv))} exited {process.returncode}:\n{tail}")
    maxrss = usage.ru_maxrss * 1024  # kilobytes on Linux
    return Build(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_bytes=max(maxrss, sampler.peak),
        maxrss_bytes=maxrss,
        tree_pss_bytes=sampler.peak,
    )


def ours_command(content, output, cache, settings=OURS_SETTINGS, site_layer_only=False):
    command = [sys.executable, str(OURS_ENTRY), str(content), str(output), str(cache)]
    command += [settings] if settings != OURS_SETTINGS else []
    return command + (["--site-layer-only"] if site_layer_only else [])


def plain_command(content, output, cache, warm):
    command = [sys.executable, "-m", "pelican", "-s", str(PLAIN_SETTINGS), str(content)]
    command += ["-o", str(output), "--cache-path", str(cache)]
    return command + (PLAIN_CACHE_ON if warm else [])


def output_differences(first, second):
    """Compare two output folders, file by file; return the relative paths that differ
    (on one side only, or in their bytes) and, of those, the ones that are not just an
    empty feed's date.

    A feed with no entry carries the time it was built as its date (feedgenerator's
    fallback), so two builds a few seconds apart differ there whatever built them.
    """

    def files(folder):
        return {p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file()}

    def empty_feed_date_only(relative):
        one, other = ((Path(folder) / relative).read_bytes() for folder in (first, second))
        if not relative.endswith(".xml") or re.search(rb"<entry[ >]|<item[ >]", one + other):
            return False
        return FEED_DATES.sub(b"", one) == FEED_DATES.sub(b"", other)

    ones, others = files(first), files(second)
    differ = ones ^ others
    for relative in ones & others:
        if not filecmp.cmp(Path(first) / relative, Path(second) / relative, shallow=False):
            differ.add(relative)
    beyond = {
        relative for relative in differ - (ones ^ others) if not empty_feed_date_only(relative)
    }
    return {
        "files_compared": len(ones | others),
        "differ": sorted(differ),
        "differ_beyond_empty_feed_dates": sorted(beyond | (ones ^ others)),
    }


def folder_size(folder):
    files = [path for path in Path(folder).rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def edit_article(path):
    """Append a sentence to one article's body, as an author fixing a typo would."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(EDIT)


def check_rebuilt(output, slug):
    """Refuse a rebuild that did not publish the edit: its time would mean nothing."""
    marker = EDIT.strip()[:40]
    page = article_page(output, slug)
    if marker in page.read_text(encoding="utf-8"):
        return
    raise BuildError(f"the rebuild in {output} does not show the edit to {slug!r}")


def measure(variant, corpus, folder, log, settings=OURS_SETTINGS):
    """Cold build, then rebuild after an edit; return a dict of measurements."""
    content, output, cache = folder / "content", folder / "output", folder / "cache"
    shutil.copytree(corpus.path, content)
    edited = content / corpus.edit_target.relative_to(corpus.path)
    slug = edited.stem
    if variant in (OURS, SITE_LAYER):
        command = ours_command(content, output, cache, settings, variant == SITE_LAYER)
        cold = run_build(command, ROOT, folder / "cold.log")
        log(f"{variant} cold", cold)
        size, files = folder_size(output)
        edit_article(edited)
        warm = run_build(command, ROOT, folder / "warm.log")
    else:
        cold_cmd = plain_command(content, output, cache, warm=False)
        cold = run_build(cold_cmd, folder, folder / "cold.log")
        log(f"{variant} cold", cold)
        size, files = folder_size(output)
        warm_cmd = plain_command(content, output, cache, warm=True)
        prime = run_build(warm_cmd, folder, folder / "prime.log")
        log(f"{variant} cache-writing build (untimed in the report)", prime)
        edit_article(edited)
        warm = run_build(warm_cmd, folder, folder / "warm.log")
    log(f"{variant} rebuild after an edit", warm)
    check_rebuilt(output, slug)
    return {
        "cold": asdict(cold),
        "warm": asdict(warm),
        "output_bytes": size,
        "output_files": files,
    }


def git_revision():
    """The site's commit; BENCH_REVISION names it when the tree is an export, not a clone."""
    if os.environ.get("BENCH_REVISION"):
        return os.environ["BENCH_REVISION"]
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{revision}{' with uncommitted changes' if dirty else ''}" if revision else "unknown"


def load_average():
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine():
    """Describe the machine the numbers come from."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def version(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "CPU": model,
        "CPUs usable": f"{len(os.sched_getaffinity(0))} (nproc; {os.cpu_count()} in the machine)",
        "Memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Packages": ", ".join(
            f"{name} {version(name)}"
            for name in ("pelican", "markdown", "typogrify", "smartypants", "jinja2")
        ),
        "Site revision": git_revision(),
        "Load average (1, 5, 15 min) at the end": load_average(),
    }


def stats(values):
    return statistics.median(values), min(values), max(values)


def pick_article(corpus):
    """The article whose source is the median size: a typical page to weigh."""
    ranked = sorted(corpus.articles, key=lambda a: ((corpus.path / a).stat().st_size, str(a)))
    return Path(ranked[len(ranked) // 2]).stem


def article_page(output, slug):
    """The page of an article: <slug>/index.html (ours) or <slug>.html (plain)."""
    for path in sorted(Path(output).rglob(f"{slug}*")):
        page = path / "index.html" if path.name == slug else path
        if page.name in ("index.html", f"{slug}.html") and page.is_file():
            return page
    raise BuildError(f"no page for the article {slug!r} in {output}")


def fmt_seconds(triple):
    median, low, high = triple
    return f"{median:.2f} ({low:.2f}–{high:.2f})"


def fmt_mib(triple):
    median, low, high = triple
    return f"{median / MIB:.0f} ({low / MIB:.0f}–{high / MIB:.0f})"


def fmt_mb(triple):
    median, low, high = triple
    return f"{median / 1e6:.1f} ({low / 1e6:.1f}–{high / 1e6:.1f})"


def fmt_count(triple):
    median, low, high = triple
    return f"{median:,.0f}" if low == high else f"{median:,.0f} ({low:,}–{high:,})"


METRICS = (
    # label, how to read one run's value, format, target ratio or None
    ("Cold full build, wall (s)", lambda r: r["cold"]["seconds"], fmt_seconds, TARGET_COLD),
    ("Cold full build, CPU (s)", lambda r: r["cold"]["cpu_seconds"], fmt_seconds, None),
    (
        "Rebuild after editing one article, wall (s)",
        lambda r: r["warm"]["seconds"],
        fmt_seconds,
        TARGET_WARM,
    ),
    (
        "Rebuild after editing one article, CPU (s)",
        lambda r: r["warm"]["cpu_seconds"],
        fmt_seconds,
        None,
    ),
    ("Peak memory, cold build (MiB)", lambda r: r["cold"]["peak_bytes"], fmt_mib, TARGET_MEMORY),
    (
        "Peak memory, cold build, largest single process (MiB)",
        lambda r: r["cold"]["maxrss_bytes"],
        fmt_mib,
        None,
    ),
    ("Peak memory, rebuild (MiB)", lambda r: r["warm"]["peak_bytes"], fmt_mib, None),
    ("Output size (MB)", lambda r: r["output_bytes"], fmt_mb, None),
    ("Output files", lambda r: r["output_files"], fmt_count, None),
)


def verdict(ok):
    return "PASS" if ok else "FAIL"


def weight_table(weight):
    lines = [
        "| Resource | Kind | Before first render | Bytes | Gzip bytes |",
        "|---|---|---|---:|---:|",
    ]
    for r in weight.resources + weight.deferred_js:
        size = "other host" if r.raw is None else f"{r.raw:,}"
        packed = "" if r.gzip is None else f"{r.gzip:,}"
        lines.append(
            f"| `{r.url}` | {r.kind} | {'yes' if r.blocking else 'no'} | {size} | {packed} |"
        )
    lines.append(
        f"| **First visit** | | **{weight.requests_before_render} requests** | "
        f"**{weight.total('raw'):,}** | **{weight.total('gzip'):,}** |"
    )
    return lines


def ratio(top, bottom):
    """The ratio of two medians, or None where either side was not measured."""
    return top[0] / bottom[0] if top and bottom and bottom[0] else None


def fmt_ratio(value):
    return f"{value:.2f}x" if value is not None else "—"


def site_layer_figures(results):
    """For each metric: the site layer alone, both layers, plain (median, min, max or
    None) and the ratios site layer only / plain and site layer only / both layers."""
    runs = [results.get(key, []) for key in (SITE_LAYER, OURS, PLAIN)]
    figures = {}
    for label, value, *_ in METRICS:
        site, ours, plain = (stats([value(r) for r in rs]) if rs else None for rs in runs)
        figures[label] = {
            "site_layer": site,
            "ours": ours,
            "plain": plain,
            "site_layer_over_plain": ratio(site, plain),
            "site_layer_over_ours": ratio(site, ours),
        }
    return figures


def site_layer_lines(results, weights, differences):
    """The report's table for ours with the site layer alone (no speed layer)."""
    lines = [
        "",
        "### Ours, site layer only",
        "",
        'The same builds with `PLUGINS = ["newsroom"]` (bench/build_ours.py '
        "--site-layer-only): the site layer on Pelican's public API, without the speed layer "
        "(newsroom_speed: worker pool, caches, incremental pages) beneath it, so its rebuild "
        "is a full build. Measured in the same runs, interleaved. The targets are for the "
        "site as built (both layers); these ratios are for reference.",
        "",
        "| Metric | Ours (site layer only) | Ours (site + speed layers) | "
        "Site layer only / plain | Site layer only / site + speed layers |",
        "|---|---:|---:|---:|---:|",
    ]
    figures = site_layer_figures(results)
    for label, _, fmt, _ in METRICS:
        row = figures[label]
        site, ours = (fmt(row[k]) if row[k] else "—" for k in ("site_layer", "ours"))
        lines.append(
            f"| {label} | {site} | {ours} | {fmt_ratio(row['site_layer_over_plain'])} | "
            f"{fmt_ratio(row['site_layer_over_ours'])} |"
        )
    lines.append("")
    if differences is None:
        lines.append("- Output: not compared (the site + speed layers were not built).")
    else:
        compared, differ = differences["files_compared"], differences["differ"]
        beyond = differences["differ_beyond_empty_feed_dates"]
        same = (
            f"- Output after the last run's rebuild: byte for byte the same as the site + speed "
            f"layers' ({compared:,} files after the rebuild, by name and content)"
        )
        if not differ:
            lines.append(same + ".")
        elif not beyond:
            shown = ", ".join(f"`{name}`" for name in differ[:3])
            lines.append(
                f"{same}, except the date of {len(differ):,} feed(s) with no entry, such as "
                f"{shown}: such a feed is dated when it is built, and the two builds ran at "
                "different times."
            )
        else:
            shown = ", ".join(f"`{name}`" for name in beyond[:5])
            lines.append(
                f"- **Output after the last run's rebuild differs from the site + speed layers' "
                f"in {len(beyond):,} of {compared:,} files**, such as {shown}."
            )
    if SITE_LAYER in weights:
        weight = weights[SITE_LAYER]
        lines.append(
            f"- Article page, first visit (`{weight.page}`): {weight.requests_before_render} "
            f"requests, {weight.total('raw'):,} bytes, {weight.total('gzip'):,} gzip."
        )
    return lines


def report(args, corpus, results, weights, index, elapsed, preview=None, differences=None):
    """Return the Markdown report and the ratio checks."""
    ours, plain = results.get("ours", []), results.get("plain", [])
    lines = [
        f"# Build benchmark: {corpus.n:,} articles, {args.runs} run(s)",
        "",
        f"`python -m bench.run --n {corpus.n} --runs {args.runs}"
        f"{'' if args.settings == OURS_SETTINGS else ' --settings ' + args.settings}` on "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"the benchmark took {elapsed / 60:.1f} minutes.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in machine().items()),
        "",
        "## Corpus",
        "",
        f"- {corpus.n:,} articles (seed {corpus.seed}), {corpus.words_mean:,.0f} words per body "
        f"on average, {corpus.article_bytes / 1e6:.1f} MB of Markdown; headings, lists, "
        "footnotes, a table and a block quote in every article.",
        "- Categories: "
        + ", ".join(f"{name} {count:,}" for name, count in sorted(corpus.categories.items())),
        f"- {corpus.authors} authors, {corpus.topics} topics; {corpus.tags_used} tags used "
        f"({corpus.plain_tags} plain tags and {corpus.topic_spellings} topic names or aliases); "
        f"{corpus.comments} reader comments; the site's real pages and images.",
        f"- The rebuild edits `{corpus.edit_target.relative_to(corpus.path)}`.",
        "",
        "## Builds",
        "",
        f"Median (min–max) over the runs. Ours is `invoke build` with {args.settings} "
        "(theme, the newsroom plugin's site layer and the newsroom_speed layer beneath it, "
        "typogrify, feeds, validation, output checks); plain is Pelican's default theme with "
        "`TYPOGRIFY = True` (bench/plainconf.py). Plain's rebuild uses Pelican's content cache, "
        "written by an untimed build beforehand: its best case.",
        "",
        "| Metric | Ours (site + speed layers) | Plain Pelican | Ours / plain |",
        "|---|---:|---:|---:|",
    ]
    checks = []
    for label, value, fmt, target in METRICS:
        ours_stats = stats([value(r) for r in ours]) if ours else None
        plain_stats = stats([value(r) for r in plain]) if plain else None
        ratio = ours_stats[0] / plain_stats[0] if ours and plain and plain_stats[0] else None
        lines.append(
            f"| {label} | {fmt(ours_stats) if ours_stats else '—'} | "
            f"{fmt(plain_stats) if plain_stats else '—'} | "
            f"{f'{ratio:.2f}x' if ratio is not None else '—'} |"
        )
        if target is not None:
            checks.append(
                (
                    label.split(",")[0].split(" (")[0],
                    f"{ratio:.2f}x" if ratio is not None else "not measured",
                    f"<= {target}x",
                    verdict(ratio is not None and ratio <= target),
                )
            )
    if SITE_LAYER in results:
        lines += site_layer_lines(results, weights, differences)
    lines += ["", "## Article page weight (a first visit)", ""]
    if "ours" in weights:
        weight = weights["ours"]
        lines += [
            f"Ours: `{weight.page}`, a typical article (median source size). Gzip level "
            f"{GZIP_LEVEL}, each file on its own. Before first render: the HTML, stylesheets "
            "linked in `<head>` and their `@import`s, render-blocking scripts, and fonts from "
            "`@font-face` without `font-display: swap`. Images and icons are not counted.",
            "",
            *weight_table(weight),
            "",
        ]
        blocking_js = weight.blocking_js
        checks += [
            (
                "Article page, first visit, gzip",
                f"{weight.total('gzip'):,} bytes",
                f"<= {TARGET_PAGE_GZIP:,} bytes",
                verdict(weight.total("gzip") <= TARGET_PAGE_GZIP),
            ),
            (
                "Requests before first render",
                str(weight.requests_before_render),
                f"<= {TARGET_REQUESTS}",
                verdict(weight.requests_before_render <= TARGET_REQUESTS),
            ),
            (
                "Render-blocking JS",
                f"{len(blocking_js)} file(s)",
                "none",
                verdict(not blocking_js),
            ),
        ]
    if "plain" in weights:
        weight = weights["plain"]
        lines += [
            f"Plain Pelican, for comparison: `{weight.page}`: "
            f"{weight.requests_before_render} requests, {weight.total('raw'):,} bytes, "
            f"{weight.total('gzip'):,} gzip.",
            "",
        ]
    if index:
        name, size, files = index
        lines.append(f"Search index (`{name}/`): {size:,} bytes in {files:,} files.")
    else:
        lines.append("Search index: no search index yet.")
    if preview:
        lines += preview_lines(preview)
        shown = stats(preview.shown)
        checks.append(
            (
                "Live preview, saved article shown",
                f"{shown[0]:.2f} s",
                f"<= {TARGET_PREVIEW:.0f} s",
                verdict(shown[0] <= TARGET_PREVIEW),
            )
        )
    lines += [
        "",
        "## Method",
        "",
        "- The corpus is generated once (bench/corpus.py, seeded) and every build gets a fresh "
        "copy with fresh output and cache folders; builds alternate ours (site + speed "
        "layers), ours (site layer only), plain, and again.",
        "- Each build is a subprocess. Wall time includes interpreter start-up on both sides. "
        "CPU time and `ru_maxrss` come from `os.wait4()`, which includes every descendant the "
        "build waited for. Peak memory is the larger of `ru_maxrss` and the largest sum of PSS "
        "(proportional set size: a page shared by forked workers counts once in all) over the "
        f"build's process tree, sampled every {SAMPLE_SECONDS * 1000:.0f} ms.",
        "- Builds run with Python's bytecode cache on, as on an ordinary install "
        "(`PYTHONDONTWRITEBYTECODE` is dropped for them; the project's modules are compiled "
        "once before the first run).",
        "- Ours: `newsroom_tools.build.build_before_exit` (what `invoke build` runs) with "
        "pelicanconf.py, only PATH, OUTPUT_PATH and CACHE_PATH "
        "changed, so caches or parallelism turned on in pelicanconf.py are measured as set. "
        "The rebuild reuses the output and cache folders after appending a sentence to one "
        "article; the benchmark checks the edit reached the page.",
        '- Ours, site layer only: the same, with `PLUGINS` set to `["newsroom"]` '
        "(bench/build_ours.py --site-layer-only), so the speed layer is not loaded; its "
        "output after the last rebuild is compared, file by file, with the two layers'. "
        "The live preview is measured with both layers only, as `invoke livereload` runs.",
        "- Plain: `python -m pelican -s bench/plainconf.py`; cold with Pelican's defaults (no "
        "cache); the rebuild loads the content cache (`CACHE_CONTENT`, `LOAD_CONTENT_CACHE`) "
        "written by an untimed build of the unedited corpus.",
        "- Output size: every file in the output folder after the cold build.",
        "",
        "## Ratios against the targets",
        "",
        "| Check | Value | Target | Result |",
        "|---|---:|---:|---|",
        *(f"| {name} | {value} | {target} | {result} |" for name, value, target, result in checks),
        "",
    ]
    return "\n".join(lines), checks


def preview_lines(preview):
    """The report's live preview section."""
    shown, built = stats(preview.shown), stats(preview.built)
    return [
        "",
        "## Live preview",
        "",
        "`invoke livereload` on a copy of the corpus, on 127.0.0.1; one article saved "
        f"{len(preview.shown)} times, each timed from the write of the file (bench/preview.py):",
        "",
        "| After a save | Seconds |",
        "|---|---:|",
        f"| The preview serves the article with the new text | {fmt_seconds(shown)} |",
        f"| The full build behind it has replaced the output | {fmt_seconds(built)} |",
    ]


def compile_project():
    """Compile the project's own modules once, as a first build on a normal install would."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "plugins", "tasks.py", "bench"],
        cwd=ROOT,
        env=BUILD_ENVIRONMENT,
        check=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark our build against plain Pelican.")
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--runs", type=int, default=3, help="cold + rebuild pairs per side")
    parser.add_argument("--out", type=Path, help="report path (default bench/results/...)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--words", type=int, default=1000, help="mean words per article")
    parser.add_argument(
        "--only",
        choices=(OURS, SITE_LAYER, PLAIN),
        help=f"build one configuration only ({OURS}: site + speed layers; {SITE_LAYER}: "
        "site layer only)",
    )
    parser.add_argument(
        "--no-site-layer",
        action="store_true",
        help="skip the site-layer-only builds (PLUGINS = ['newsroom']), the slowest of ours",
    )
    parser.add_argument(
        "--no-preview", action="store_true", help="skip the live preview measurement"
    )
    parser.add_argument(
        "--settings",
        default=OURS_SETTINGS,
        help="our settings file (default pelicanconf.py, as `invoke build`; publishconf.py "
        "measures the production build)",
    )
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and builds")
    args = parser.parse_args(argv)
    if args.only == SITE_LAYER and args.no_site_layer:
        parser.error(f"--only {SITE_LAYER} and --no-site-layer leave nothing to build")
    out = args.out or RESULTS / f"report-{args.n}.md"
    if args.only:
        variants = [args.only]
    else:
        variants = [OURS, *([] if args.no_site_layer else [SITE_LAYER]), PLAIN]
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="mm-bench-", dir=args.workdir))

    def log(what, build):
        print(
            f"  {what}: {build.seconds:.2f} s wall, {build.cpu_seconds:.2f} s CPU, "
            f"{build.peak_bytes / MIB:.0f} MiB",
            flush=True,
        )

    try:
        print(f"Load average before: {load_average()}", flush=True)
        print(f"Generating {args.n:,} articles in {work}", flush=True)
        corpus = generate(work / "corpus", args.n, args.seed, args.words)
        compile_project()
        results = {variant: [] for variant in variants}
        for run in range(1, args.runs + 1):
            for variant in variants:
                print(f"Run {run}/{args.runs}, {LABELS[variant]}:", flush=True)
                folder = work / f"run-{run}-{variant}"
                folder.mkdir()
                results[variant].append(measure(variant, corpus, folder, log, args.settings))
                if run < args.runs:
                    shutil.rmtree(folder)
        slug = pick_article(corpus)
        weights = {}
        for variant in variants:
            output = work / f"run-{args.runs}-{variant}" / "output"
            weights[variant] = page_weight(output, article_page(output, slug))
        built = [variant for variant in (OURS, SITE_LAYER) if variant in variants]
        index = search_index(work / f"run-{args.runs}-{built[0]}" / "output") if built else None
        differences = None
        if OURS in variants and SITE_LAYER in variants:
            differences = output_differences(
                *(work / f"run-{args.runs}-{variant}" / "output" for variant in (OURS, SITE_LAYER))
            )
        preview = None
        if "ours" in variants and not args.no_preview:
            print("Live preview: three saves of one article", flush=True)
            (work / "preview").mkdir()
            preview = measure_preview(corpus, work / "preview", article_page, BUILD_ENVIRONMENT)
        elapsed = time.perf_counter() - started
        text, checks = report(args, corpus, results, weights, index, elapsed, preview, differences)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"Kept {work}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    raw = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "results": results,
        "checks": checks,
        "page_weight": {k: asdict(v) for k, v in weights.items()},
        "preview": asdict(preview) if preview else None,
        "site_layer": {
            "labels": LABELS,
            "figures": site_layer_figures(results),
            "output_differences": differences,
        }
        if SITE_LAYER in results
        else None,
    }
    out.with_suffix(".json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    body, _, ratios = text.partition("## Ratios against the targets")
    print()
    print(body.rstrip())
    print(f"\nReport written to {out}\n")
    print("## Ratios against the targets" + ratios.rstrip())
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as failure:
        sys.exit(f"bench: a build failed, no report written:\n{failure}")
