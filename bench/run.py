"""The build benchmark: our full site against plain Pelican + typogrify, same run.

    python -m bench.run --n 1000 --runs 3          (or: invoke bench --n 1000)
    python -m bench.run --n 1000 --no-site-layer   (skip the site-layer-only builds)
    python -m bench.run --n 1000 --no-media        (skip the image and card builds)
    python -m bench.run --wordpress 1000           (instead: bench/wordpress_run.py)

1. Generates the corpus once (bench/corpus.py) into a temporary folder, and once
   more with featured images (one article in ten: the media corpus). The page
   builds, which the targets are for, are timed without image and card work on
   either side: their corpus has no featured image, and ours starts from an
   untimed build's card and image stores (fill_stores), so it draws no social card
   and encodes no rendition; the image and card work is measured on its own.
2. For each run, interleaved (ours, site layer, plain, media, ours, site layer,
   plain, media, ...), each in a fresh copy of the corpus and fresh output and cache
   folders:
   - ours (site + speed layers): a cold build exactly as `invoke build` does it
     (bench/build_ours.py: newsroom_tools.build.build_before_exit with pelicanconf.py, only
     PATH, OUTPUT_PATH and CACHE_PATH redirected), then one article is edited and the site
     rebuilt with the same output and cache folders: whatever caches pelicanconf.py
     enables are warm; the cache starts with the stores of step 1, and the report
     says how many cards and renditions the timed builds made (none);
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
   - media: ours on the media corpus with NEWSROOM_SPEED["workers"] = 2 (both
     cores) and empty caches, observed by bench/build_ours.py --timings: how long
     encoding the renditions took (per rendition) and drawing the social cards
     (cards per second); then a rebuild after editing the illustrated article
     nearest the middle, which must encode nothing (the image store's
     last-build.json) and draw at most that article's card (the card store's
     counters and log line).
3. After the last run: output size and file count, the weight of a first visit
   to one article page (bench/pageweight.py) and the search index size; the same
   for an illustrated article of the media build, and what a phone 390 px wide at
   DPR 2 downloads of the lead images, in Chromium; the live preview
   (bench/preview.py) with both layers, as `invoke livereload` runs it.
4. Writes a Markdown report (and the raw numbers as JSON beside it), prints it,
   and ends with the ratios ours / plain against the targets. Targets are for the
   site as built (both layers) and reported as PASS or FAIL; the site layer alone
   gets its own table of figures and ratios, for reference, without targets.
   The exit status is non-zero only if a build fails.
The site layer alone keeps no store: it draws every card on every build, so its
figures include that work.
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

from bench.corpus import IMAGE_EVERY, IMAGE_JPEG, IMAGE_SIZE, generate
from bench.pageweight import GZIP_LEVEL, PHONE, lead_images, page_weight, search_index
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
# The speed layer's stores in CACHE_PATH (card_store.STORE, image_store.STORE and LOG),
# named here, not imported: this process must stay small (see small_parent).
CARD_STORE, IMAGE_STORE, IMAGE_LOG = "newsroom-cards", "newsroom-images", "last-build.json"
# What marks a page that only redirects (theme/templates/redirect.html), in its <head>.
REDIRECT_PAGE = b'http-equiv="refresh"'
# The dates a feed carries of itself (Atom, RSS): an empty feed's are its build time.
FEED_DATES = re.compile(rb"<updated>[^<]*</updated>|<lastBuildDate>[^<]*</lastBuildDate>")

# Targets from the issue: ratios ours / plain (same run), and the article page.
TARGET_COLD = 0.6
TARGET_WARM = 0.15
TARGET_MEMORY = 2.0
TARGET_PAGE_GZIP = 20_000  # bytes: "20 KB"
TARGET_REQUESTS = 3
TARGET_PREVIEW = 1.0  # seconds from saving an article to the preview showing it
TARGET_LEAD_IMAGE = 60_000  # bytes a phone (390 px, DPR 2) downloads of a lead image
TARGET_REBUILD_CARDS = 1  # cards a rebuild after one edit draws: that article's, at most
MEDIA_WORKERS = 2  # NEWSROOM_SPEED["workers"] of the image and card builds: both cores
LEAD_PAGES = 40  # illustrated articles weighed in Chromium, spread over the archive


# The configurations measured: the key in the results (and the JSON), and the label.
OURS, SITE_LAYER, PLAIN = "ours", "site-layer", "plain"
MEDIA = "media"  # ours on the corpus with featured images: the image and card work
LABELS = {
    OURS: "ours (site + speed layers)",
    SITE_LAYER: "ours (site layer only)",
    PLAIN: "plain Pelican",
    MEDIA: f"ours with featured images, {MEDIA_WORKERS} workers (image and card work)",
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


def ours_command(content, output, cache, settings=OURS_SETTINGS, site_layer_only=False, extra=()):
    command = [sys.executable, str(OURS_ENTRY), str(content), str(output), str(cache)]
    command += [settings] if settings != OURS_SETTINGS else []
    return command + (["--site-layer-only"] if site_layer_only else []) + list(extra)


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


def fill_stores(stores, cache):
    """Put the card and image stores of an earlier build (the folder `stores`) into a
    fresh cache folder, stamped as the speed layer stamps what it made (bench/stores.py,
    in a process of its own), so a build there finds every card and rendition of the
    same corpus made: the page builds are timed without that work. Return what the
    card store holds (store_files), to tell afterwards what a build made."""
    command = [sys.executable, "-m", "bench.stores", str(stores), str(cache)]
    subprocess.run(command, cwd=ROOT, env=BUILD_ENVIRONMENT, check=True)
    return store_files(cache)


def last_build(cache):
    """What the image store says the last build encoded (image_store.LOG), or None."""
    try:
        return json.loads((Path(cache) / IMAGE_STORE / IMAGE_LOG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stored_files(cache, store):
    folder = Path(cache) / store
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []


def store_files(cache):
    """The card store's files, as {name: inode}: a card drawn (or drawn again) is a new
    file, since the store only ever replaces a file by a rename."""
    return {path.name: path.stat().st_ino for path in stored_files(cache, CARD_STORE)}


def store_work(cache, before):
    """What a build made in the stores: cards drawn (files not there before it, by inode)
    and renditions encoded (the image store's log); and the card store's files now."""
    after = store_files(cache)
    old = set(before.values())
    drawn = sum(1 for inode in after.values() if inode not in old)
    log = last_build(cache)
    encoded = len(log["encoded"]) if log else 0
    return {"cards_drawn": drawn, "renditions_encoded": encoded}, after


def measure(variant, corpus, folder, settings=OURS_SETTINGS, stores=None):
    """Cold build, then rebuild after an edit; return a dict of measurements.

    stores: for ours, a folder with the card and image stores of an untimed build of the
    same corpus, put in the cache first (fill_stores)."""
    content, output, cache = folder / "content", folder / "output", folder / "cache"
    shutil.copytree(corpus.path, content)
    edited = content / corpus.edit_target.relative_to(corpus.path)
    slug = edited.stem
    made = None
    if variant in (OURS, SITE_LAYER):
        command = ours_command(content, output, cache, settings, variant == SITE_LAYER)
        if variant == OURS and stores is not None:
            before = fill_stores(stores, cache)
        cold = run_build(command, ROOT, folder / "cold.log")
        log_build(f"{variant} cold", cold)
        size, files = folder_size(output)
        if variant == OURS:
            made = {}
            made["cold"], before = store_work(cache, before if stores is not None else {})
        edit_article(edited)
        warm = run_build(command, ROOT, folder / "warm.log")
        if variant == OURS:
            made["warm"], _ = store_work(cache, before)
    else:
        cold_cmd = plain_command(content, output, cache, warm=False)
        cold = run_build(cold_cmd, folder, folder / "cold.log")
        log_build(f"{variant} cold", cold)
        size, files = folder_size(output)
        warm_cmd = plain_command(content, output, cache, warm=True)
        prime = run_build(warm_cmd, folder, folder / "prime.log")
        log_build(f"{variant} cache-writing build (untimed in the report)", prime)
        edit_article(edited)
        warm = run_build(warm_cmd, folder, folder / "warm.log")
    log_build(f"{variant} rebuild after an edit", warm)
    check_rebuilt(output, slug)
    measured = {
        "cold": asdict(cold),
        "warm": asdict(warm),
        "output_bytes": size,
        "output_files": files,
    }
    if made is not None:
        measured["store_work"] = made
    return measured


def prepare_stores(corpus, folder, settings=OURS_SETTINGS):
    """Build the corpus once, untimed, and keep only the card and image stores of its
    cache (in folder/cache): what fill_stores puts in each timed build's cache."""
    content, output, cache = folder / "content", folder / "output", folder / "cache"
    shutil.copytree(corpus.path, content)
    build = run_build(ours_command(content, output, cache, settings), ROOT, folder / "build.log")
    log_build("untimed build filling the card and image stores", build)
    for entry in cache.iterdir():
        if entry.name not in (CARD_STORE, IMAGE_STORE):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for leftover in (content, output):
        shutil.rmtree(leftover, ignore_errors=True)
    return cache


def rendition_bytes(output, paths):
    """{format: [files, bytes]} of some renditions in an output folder."""
    formats = {}
    for path in paths:
        kind = Path(path).suffix.lstrip(".")
        entry = formats.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += (Path(output) / path).stat().st_size
    return formats


def measure_media(corpus, folder, settings=OURS_SETTINGS):
    """Ours on the corpus with featured images, MEDIA_WORKERS workers, empty caches:
    a cold build observed by build_ours.py --timings (the image encoding and the card
    drawing), then a rebuild after editing the illustrated article nearest the middle;
    return a dict of measurements."""
    content, output, cache = folder / "content", folder / "output", folder / "cache"
    shutil.copytree(corpus.path, content)
    edited = content / corpus.illustrated_edit_target.relative_to(corpus.path)
    measured = {"edited": edited.relative_to(content).as_posix()}
    for which in ("cold", "warm"):
        if which == "warm":
            edit_article(edited)
        timings = folder / f"{which}-timings.json"
        extra = ["--workers", str(MEDIA_WORKERS), "--timings", str(timings)]
        command = ours_command(content, output, cache, settings, extra=extra)
        build = run_build(command, ROOT, folder / f"{which}.log")
        log_build(f"{MEDIA} {'cold' if which == 'cold' else 'rebuild after an edit'}", build)
        work = json.loads(timings.read_text(encoding="utf-8"))
        stored = last_build(cache) or {}
        encoded = stored.get("encoded", [])
        work["store_log"] = {
            "wanted": stored.get("wanted"),
            "found": stored.get("found"),
            "encoded": len(encoded),
            "encoded_paths": encoded[:20],
        }
        if which == "cold":
            work["rendition_bytes"] = rendition_bytes(output, encoded)
        measured[which] = asdict(build)
        measured[f"{which}_work"] = work
    check_rebuilt(output, edited.stem)
    measured["output_bytes"], measured["output_files"] = folder_size(output)
    return measured


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
    """The page of an article: <slug>/index.html (ours) or <slug>.html (plain), never a
    page that only sends readers there (an old address under the same slug, such as an
    imported WordPress permalink: theme/templates/redirect.html)."""
    for path in sorted(Path(output).rglob(f"{slug}*")):
        page = path / "index.html" if path.name == slug else path
        if page.name in ("index.html", f"{slug}.html") and page.is_file():
            with open(page, "rb") as handle:
                if REDIRECT_PAGE not in handle.read(8192):
                    return page
    raise BuildError(f"no page for the article {slug!r} in {output}")


def fmt_spread(spec, scale=1):
    """A formatter of (median, low, high) as `median (low to high)`, each value / scale."""

    def fmt(triple):
        median, low, high = (value / scale for value in triple)
        return f"{median:{spec}} ({low:{spec}}–{high:{spec}})"

    return fmt


fmt_seconds = fmt_spread(".2f")
fmt_mib = fmt_spread(".0f", MIB)
fmt_mb = fmt_spread(".1f", 1e6)
fmt_ms = fmt_spread(".1f")
fmt_rate = fmt_spread(",.0f")


def log_build(what, build):
    """Print one timed process: wall and CPU seconds, peak memory."""
    print(
        f"  {what}: {build.seconds:.2f} s wall, {build.cpu_seconds:.2f} s CPU, "
        f"{build.peak_bytes / MIB:.0f} MiB",
        flush=True,
    )


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


def illustrated_articles(corpus):
    """The corpus's articles with a featured image, in its order: (path, image's stem)."""
    return [
        (article, Path(corpus.images[article]).stem)
        for article in corpus.articles
        if article in corpus.images
    ]


def spread(items, count):
    """At most count of the items, evenly spread from the first to the last."""
    if len(items) <= count:
        return list(items)
    if count <= 1:
        return list(items[:count])
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def weigh_media(corpus, output):
    """The media build's illustrated articles: the first visit to a typical one (median
    source size), and what a phone downloads of the lead images of up to LEAD_PAGES of
    them, in Chromium (pageweight.lead_images)."""
    illustrated = illustrated_articles(corpus)
    ranked = sorted(illustrated, key=lambda pair: ((corpus.path / pair[0]).stat().st_size, pair))
    typical = Path(ranked[len(ranked) // 2][0]).stem
    weighed = [
        (article_page(output, Path(article).stem), stem)
        for article, stem in spread(illustrated, LEAD_PAGES)
    ]
    try:
        leads, error = lead_images(output, weighed), None
    except Exception as failure:  # no Playwright or Chromium, or the browser failed
        leads, error = None, f"{type(failure).__name__}: {failure}"
    return {
        "illustrated": len(illustrated),
        "article": page_weight(output, article_page(output, typical)),
        "leads": leads,
        "lead_error": error,
    }


def media_weights_raw(media_weights):
    if not media_weights:
        return None
    leads = media_weights["leads"]
    return {
        "illustrated": media_weights["illustrated"],
        "article": asdict(media_weights["article"]),
        "leads": [asdict(lead) | {"bytes": lead.bytes} for lead in leads] if leads else None,
        "lead_error": media_weights["lead_error"],
    }


def per(total, count, scale=1.0):
    """total / count * scale, or 0.0 where nothing was counted."""
    return total / count * scale if count else 0.0


def images_of(run, which="cold"):
    return run[f"{which}_work"]["images"] or {"seconds": 0.0, "cpu_seconds": 0.0, "encoded": 0}


def cards_of(run, which="cold"):
    return run[f"{which}_work"]["cards"] or {"seconds": 0.0, "cpu_seconds": 0.0, "drawn": 0}


MEDIA_METRICS = (
    # label, how to read one media run's value, format
    ("Cold build with images and cards, wall (s)", lambda r: r["cold"]["seconds"], fmt_seconds),
    ("Cold build with images and cards, CPU (s)", lambda r: r["cold"]["cpu_seconds"], fmt_seconds),
    ("Peak memory, that cold build (MiB)", lambda r: r["cold"]["peak_bytes"], fmt_mib),
    ("Renditions encoded", lambda r: images_of(r)["encoded"], fmt_count),
    ("Encoding, wall (s)", lambda r: images_of(r)["seconds"], fmt_seconds),
    ("Encoding, CPU (s)", lambda r: images_of(r)["cpu_seconds"], fmt_seconds),
    (
        "Encoding, wall per rendition (ms)",
        lambda r: per(images_of(r)["seconds"], images_of(r)["encoded"], 1000),
        fmt_ms,
    ),
    (
        "Encoding, CPU per rendition (ms)",
        lambda r: per(images_of(r)["cpu_seconds"], images_of(r)["encoded"], 1000),
        fmt_ms,
    ),
    ("Social cards drawn", lambda r: cards_of(r)["drawn"], fmt_count),
    (
        "Card drawing, wall (s): from the store's start to the last helper's end",
        lambda r: cards_of(r)["seconds"],
        fmt_seconds,
    ),
    (
        "Cards per second, wall",
        lambda r: per(cards_of(r)["drawn"], cards_of(r)["seconds"]),
        fmt_rate,
    ),
    (
        "Card drawing, CPU per card (ms)",
        lambda r: per(cards_of(r)["cpu_seconds"], cards_of(r)["drawn"], 1000),
        fmt_ms,
    ),
    (
        "Rebuild after editing one illustrated article, wall (s)",
        lambda r: r["warm"]["seconds"],
        fmt_seconds,
    ),
    (
        "Rebuild: renditions encoded (last-build.json)",
        lambda r: r["warm_work"]["store_log"]["encoded"],
        fmt_count,
    ),
    ("Rebuild: social cards drawn", lambda r: cards_of(r, "warm")["drawn"], fmt_count),
)


def store_work_line(ours_runs):
    """Say what the timed builds of ours made in the card and image stores (nothing)."""
    made = [run["store_work"] for run in ours_runs if "store_work" in run]
    if not made:
        return None, None
    cards = sum(m[which]["cards_drawn"] for m in made for which in ("cold", "warm"))
    renditions = sum(m[which]["renditions_encoded"] for m in made for which in ("cold", "warm"))
    return cards, renditions


def media_lines(corpus, runs, media_weights, ours_runs):
    """The report's section on featured images and social cards, and its checks."""
    cards, renditions = store_work_line(ours_runs)
    lines = [
        "",
        "## Featured images and social cards",
        "",
        "The page builds above are timed without image and card work on either side: their "
        "corpus has no featured image (plain Pelican would only have copied the uploads, as "
        "static files), and each of our timed builds starts with the card and image stores "
        "of an untimed build of the same corpus, copied into its empty cache and stamped as "
        "the speed layer stamps them, so it draws no card and encodes no rendition"
        + (
            f" (over all runs, the timed builds drew {cards:,} cards and encoded "
            f"{renditions:,} renditions)."
            if cards is not None
            else "."
        ),
        "",
    ]
    checks = []
    if cards is not None:
        checks.append(
            (
                "Page builds timed without card and image work",
                f"{cards:,} cards, {renditions:,} renditions",
                "none",
                verdict(cards == 0 and renditions == 0),
            )
        )
    if not runs:
        return lines, checks
    width, height = IMAGE_SIZE
    edited = runs[-1]["edited"]
    lines += [
        f"Here the same corpus with a featured image on one article in {IMAGE_EVERY}: "
        f"{len(corpus.images):,} uploads of {width}×{height} px ({width * height / 1e6:.2f} MP, "
        f"JPEG quality {IMAGE_JPEG['quality']}, {corpus.image_bytes / 1e6:.1f} MB), drawn from "
        "the seed (bench/corpus.py). Ours only, with "
        f'`NEWSROOM_SPEED = {{"workers": {MEDIA_WORKERS}}}` (both cores) and empty caches; '
        "encoding and drawing are observed inside the build (bench/build_ours.py --timings): "
        "encoding is the step before the checks that fills the image store in worker "
        "processes; cards are drawn by helper processes at a low priority while the pages "
        "render, so their wall time overlaps the rendering. The rebuild appends a sentence "
        f"to `{edited}`. Median (min–max) over the runs.",
        "",
        "| Metric | Ours, with featured images |",
        "|---|---:|",
    ]
    for label, value, fmt in MEDIA_METRICS:
        lines.append(f"| {label} | {fmt(stats([value(r) for r in runs]))} |")
    last = runs[-1]
    formats = last["cold_work"].get("rendition_bytes") or {}
    if formats:
        lines += [
            "",
            "Renditions of the last run's cold build, by format:",
            "",
            "| Format | Files | Bytes | Mean bytes |",
            "|---|---:|---:|---:|",
            *(
                f"| {kind} | {files:,} | {size:,} | {per(size, files):,.0f} |"
                for kind, (files, size) in sorted(formats.items())
            ),
        ]
    card_log = cards_of(last, "warm").get("log")
    if card_log:
        lines += ["", f"The last rebuild's card store said: “{card_log}”."]
    encoded = max(r["warm_work"]["store_log"]["encoded"] for r in runs)
    drawn = max(cards_of(r, "warm")["drawn"] for r in runs)
    checks += [
        (
            "Rebuild after one edit, renditions encoded",
            f"{encoded:,}",
            "0",
            verdict(encoded == 0),
        ),
        (
            "Rebuild after one edit, social cards drawn",
            f"{drawn:,}",
            f"<= {TARGET_REBUILD_CARDS}",
            verdict(drawn <= TARGET_REBUILD_CARDS),
        ),
    ]
    if media_weights:
        more_lines, more_checks = media_weight_lines(media_weights)
        lines += more_lines
        checks += more_checks
    return lines, checks


def media_weight_lines(media_weights):
    """The illustrated article's first visit and the lead images a phone downloads."""
    weight = media_weights["article"]
    viewport = PHONE["viewport"]
    lines = [
        "",
        f"Illustrated article (`{weight.page}`, of median source size), first visit as above: "
        f"{weight.requests_before_render} requests, {weight.total('raw'):,} bytes, "
        f"{weight.total('gzip'):,} gzip before first render (its lead image does not hold "
        "the first render; it is weighed below).",
        "",
    ]
    checks = [
        (
            "Illustrated article, first visit, gzip",
            f"{weight.total('gzip'):,} bytes",
            f"<= {TARGET_PAGE_GZIP:,} bytes",
            verdict(weight.total("gzip") <= TARGET_PAGE_GZIP),
        ),
        (
            "Illustrated article, requests before first render",
            str(weight.requests_before_render),
            f"<= {TARGET_REQUESTS}",
            verdict(weight.requests_before_render <= TARGET_REQUESTS),
        ),
    ]
    leads = media_weights["leads"]
    phone = f"{viewport['width']} px wide at DPR {PHONE['device_scale_factor']}"
    if not leads:
        lines.append(f"Lead images: not measured ({media_weights['lead_error']}).")
        checks.append(
            (f"Lead image, phone {phone}", "not measured", f"<= {TARGET_LEAD_IMAGE:,}", "FAIL")
        )
        return lines, checks
    sizes = [lead.bytes for lead in leads]
    shown = {}
    for lead in leads:
        match = re.search(r"-(\d+)\.[0-9a-f]+\.(\w+)$", lead.shown)
        kind = f"{match[1]} px {match[2].upper()}" if match else "none"
        shown[kind] = shown.get(kind, 0) + 1
    responses = max(len(lead.downloads) for lead in leads)
    heaviest = max(leads, key=lambda lead: lead.bytes)
    lines += [
        f"Lead images on a phone {phone} ({viewport['width']}×{viewport['height']} CSS px), in "
        "Chromium (Playwright), each page in a fresh context from a local server; the bytes of "
        "every image response of the page's lead image:",
        "",
        "| Lead images | Value |",
        "|---|---:|",
        f"| Articles weighed (spread over the archive) | {len(leads):,} of "
        f"{media_weights['illustrated']:,} |",
        f"| Bytes downloaded, median (min–max) | {fmt_count(stats(sizes))} |",
        f"| Largest | {heaviest.bytes:,} (`{heaviest.page}`) |",
        "| Rendition shown | "
        + ", ".join(f"{kind}: {count:,}" for kind, count in sorted(shown.items()))
        + " |",
        f"| Image responses per lead image, at most | {responses} |",
    ]
    checks.append(
        (
            f"Lead image, phone {phone}, largest",
            f"{max(sizes):,} bytes",
            f"<= {TARGET_LEAD_IMAGE:,} bytes",
            verdict(max(sizes) <= TARGET_LEAD_IMAGE),
        )
    )
    return lines, checks


def report(
    args,
    corpus,
    results,
    weights,
    index,
    elapsed,
    preview=None,
    differences=None,
    media=(None, None),
    parent_peak=None,
):
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
        "- No article has a featured image here: the image and card work is measured on a "
        "copy with images (below, Featured images and social cards)."
        if media[0] is not None
        else "- No article has a featured image.",
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
    media_corpus, media_weights = media
    if media_corpus is not None or "store_work" in (ours[0] if ours else {}):
        more_lines, more_checks = media_lines(
            media_corpus, results.get(MEDIA, []), media_weights, ours
        )
        lines += more_lines
        checks += more_checks
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
        "once before the first run)."
        + (
            f" The benchmark's own process peaked at {parent_peak / MIB:.0f} MiB before the "
            "builds (a child's `ru_maxrss` starts from its parent's peak on Linux, so no "
            "build's can read less): it imports neither Pelican, the plugins nor Pillow, and "
            "draws the images and fills the stores in processes of their own."
            if parent_peak
            else ""
        ),
        "- Ours: `newsroom_tools.build.build_before_exit` (what `invoke build` runs) with "
        "pelicanconf.py, only PATH, OUTPUT_PATH and CACHE_PATH "
        "changed, so caches or parallelism turned on in pelicanconf.py are measured as set. "
        "The rebuild reuses the output and cache folders after appending a sentence to one "
        "article; the benchmark checks the edit reached the page. The cache starts with the "
        "card and image stores of an untimed build of the same corpus (so no card is drawn "
        "and no image encoded in the timed builds; counted from the stores afterwards).",
        '- Ours, site layer only: the same, with `PLUGINS` set to `["newsroom"]` '
        "(bench/build_ours.py --site-layer-only), so the speed layer is not loaded; its "
        "output after the last rebuild is compared, file by file, with the two layers'. "
        "The live preview is measured with both layers only, as `invoke livereload` runs.",
        "- Plain: `python -m pelican -s bench/plainconf.py`; cold with Pelican's defaults (no "
        "cache); the rebuild loads the content cache (`CACHE_CONTENT`, `LOAD_CONTENT_CACHE`) "
        "written by an untimed build of the unedited corpus.",
        "- Output size: every file in the output folder after the cold build.",
        "- Featured images and social cards: ours on the corpus with images, "
        f'`NEWSROOM_SPEED = {{"workers": {MEDIA_WORKERS}}}`, empty caches, built after the '
        "other three in each run; bench/build_ours.py --timings wraps the image store's "
        "`make` and the card store's `start` and `finish` (calling them unchanged) to time "
        "them, and reads the stores' counters and the card store's log line; the rebuild's "
        "encoded renditions come from `cache/newsroom-images/last-build.json`.",
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


def apart(function, *args):
    """Call a function in a forked process and return its result: the images of the
    corpus are drawn there, so that this process stays small (small_parent)."""
    import concurrent.futures  # here: a few MiB this process needs only for this
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def small_parent():
    """This process's peak resident memory, in bytes, before the builds.

    Linux starts a child's ru_maxrss from the peak resident memory of the process that
    started it (at exec, the larger of the two), so every build's peak memory would be
    at least this process's. The benchmark imports neither Pelican nor the site's
    plugins nor Pillow, draws its images in a forked process (apart) and fills the
    stores in another (bench/stores.py): this stays far below any build's peak. Read
    from /proc (VmHWM, what exec passes on), not from getrusage, whose ru_maxrss starts
    from this process's own parent (invoke, with Pelican loaded)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return None


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
        "--no-media",
        action="store_true",
        help="skip the image and card builds (the corpus with featured images, "
        f"{MEDIA_WORKERS} workers) and the lead image weights",
    )
    parser.add_argument(
        "--settings",
        default=OURS_SETTINGS,
        help="our settings file (default pelicanconf.py, as `invoke build`; publishconf.py "
        "measures the production build)",
    )
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and builds")
    parser.add_argument(
        "--wordpress",
        type=int,
        metavar="N",
        help="instead, import a generated WordPress site of N posts and build it, ours and "
        "plain (bench/wordpress_run.py; also --runs, --seed, --out, --settings, --workdir, "
        "--keep)",
    )
    args = parser.parse_args(argv)
    if args.wordpress:
        from bench.wordpress_run import run_wordpress  # only this benchmark needs it

        return run_wordpress(
            args.wordpress,
            args.runs,
            args.seed,
            args.out,
            args.workdir,
            args.keep,
            args.settings,
        )
    if args.only == SITE_LAYER and args.no_site_layer:
        parser.error(f"--only {SITE_LAYER} and --no-site-layer leave nothing to build")
    out = args.out or RESULTS / f"report-{args.n}.md"
    if args.only:
        variants = [args.only]
    else:
        variants = [OURS, *([] if args.no_site_layer else [SITE_LAYER]), PLAIN]
    if OURS in variants and not args.no_media:
        variants.append(MEDIA)  # ours with images: the media builds come with ours
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="mm-bench-", dir=args.workdir))

    try:
        print(f"Load average before: {load_average()}", flush=True)
        print(f"Generating {args.n:,} articles in {work}", flush=True)
        corpus = generate(work / "corpus", args.n, args.seed, args.words)
        media_corpus = None
        if MEDIA in variants:
            print(f"Generating them again with featured images, one in {IMAGE_EVERY}", flush=True)
            media_corpus = apart(
                generate, work / "media-corpus", args.n, args.seed, args.words, True
            )
        compile_project()
        parent_peak = small_parent()
        stores = None
        if OURS in variants:
            print("Filling the card and image stores for ours (untimed):", flush=True)
            (work / "stores").mkdir()
            stores = prepare_stores(corpus, work / "stores", args.settings)
        results = {variant: [] for variant in variants}
        for run in range(1, args.runs + 1):
            for variant in variants:
                print(f"Run {run}/{args.runs}, {LABELS[variant]}:", flush=True)
                folder = work / f"run-{run}-{variant}"
                folder.mkdir()
                if variant == MEDIA:
                    measured = measure_media(media_corpus, folder, args.settings)
                else:
                    measured = measure(variant, corpus, folder, args.settings, stores)
                results[variant].append(measured)
                if run < args.runs:
                    shutil.rmtree(folder)
        slug = pick_article(corpus)
        weights = {}
        for variant in variants:
            if variant == MEDIA:
                continue
            output = work / f"run-{args.runs}-{variant}" / "output"
            weights[variant] = page_weight(output, article_page(output, slug))
        media_weights = None
        if MEDIA in variants:
            print("Illustrated articles: the first visit, and lead images in Chromium", flush=True)
            media_weights = weigh_media(media_corpus, work / f"run-{args.runs}-{MEDIA}" / "output")
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
        text, checks = report(
            args,
            corpus,
            results,
            weights,
            index,
            elapsed,
            preview,
            differences,
            media=(media_corpus, media_weights),
            parent_peak=parent_peak,
        )
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
        "parent_peak_bytes": parent_peak,
        "page_weight": {k: asdict(v) for k, v in weights.items()},
        "media_page_weight": media_weights_raw(media_weights),
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
