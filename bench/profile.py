"""Profile one of our builds of the benchmark corpus with pyinstrument.

    python -m bench.profile --n 1000            (or: invoke bench --profile -n 1000)
    python -m bench.profile --n 1000 --warm     the rebuild after editing one article
    python -m bench.profile --n 1000 --serial   everything in one process (see below)
    python -m bench.profile --n 1000 --site-layer-only   without the speed layer

Generates the corpus (bench/corpus.py), runs bench/build_ours.py (exactly
`invoke build`) under pyinstrument in a subprocess, and writes to bench/results/:

- profile-<n>-<cold|warm>[-serial|-site-layer].txt: where the time goes, by component
  (Markdown, typogrify, Jinja, each module of newsroom, newsroom_speed and newsroom_tools,
  Pelican, waiting on subprocesses...)
  by self time, then the top frames by cumulative and by self time, then
  pyinstrument's call tree;
- profile-<n>-<cold|warm>.html: pyinstrument's interactive view;
- profile-<n>-<cold|warm>.pyisession: the raw session
  (`pyinstrument --load=FILE` renders it again).

pyinstrument samples the wall-clock stacks of the main process only: the work
of the speed layer's worker processes (NEWSROOM_SPEED["workers"]) and of its
file helper shows up as time waiting on child processes. --serial sets
NEWSROOM_SPEED["workers"] = 1 so that work runs, and is profiled, in the main
process (slower than the real build). --site-layer-only profiles the build with
PLUGINS = ["newsroom"]: the site layer alone, in one process, without the speed
layer's pool, caches and incremental pages (its warm build is a full build).
pyinstrument is pinned in requirements-dev.txt.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.corpus import generate
from bench.run import OURS_ENTRY, RESULTS, ROOT, edit_article

TOP = 15
# The frames around every build (pyinstrument, runpy, bench/build_ours.py): not hotspots.
WRAPPERS = ("__main__.py:30", "<string>:1", "runpy>:262", "runpy>:91", "runpy>:65")
WRAPPERS += ("build_ours.py:1", "build_ours.py:19")

# Time a build spends blocked on its child processes. pyinstrument samples only
# the main process: what workers do is invisible here (profile with --serial).
WAITING = "waiting on child processes (workers, file helper)"
WAITS = {"waitpid", "poll.poll", "select", "select.select", "wait", "lock.acquire", "sleep"}

# Components by the file a frame runs in, first match wins. Owners are what the
# lead can act on; the stdlib helpers below them (re, urllib, os...) and C
# built-ins take the component of the nearest owner that called them.
OWNERS = (
    ("Markdown (python-markdown)", ("/markdown/",)),
    ("typogrify + smartypants", ("typogrify", "smartypants")),
    ("Jinja templates", ("/jinja2/", ".html", "<template>")),
    ("markupsafe", ("/markupsafe/",)),
    ("feedgenerator (feeds)", ("/feedgenerator/",)),
    (WAITING, ("subprocess.py", "selectors.py", "multiprocessing/")),
    ("pickle / gzip (caches)", ("pickle.py", "gzip.py")),
    ("nh3 / unidecode / dateutil", ("/nh3/", "unidecode", "dateutil")),
    ("imports", ("<frozen importlib", "importlib/")),
    ("pelican", ("/pelican/",)),
    ("tasks.py / bench", ("tasks.py", "build_ours.py")),
)
# Where the CPU runs: the owners, plus the stdlib modules worth seeing apart.
LIBRARIES = (
    ("html.parser", ("html/parser.py", "_markupbase.py")),
    ("re (regular expressions)", ("re/__init__.py", "re/_compiler.py", "re/_parser.py")),
    ("urllib.parse", ("urllib/parse.py",)),
    ("file system (os, shutil, pathlib)", ("shutil.py", "pathlib.py", "os.py", "posixpath.py")),
    ("xml (feeds parsed by the checks)", ("/xml/",)),
)


# Our plugins, each module its own component: the site layer, the speed layer, the tools.
PACKAGES = ("newsroom", "newsroom_speed", "newsroom_tools")


def match(path, table):
    for package in PACKAGES:
        if f"plugins/{package}/" in path:
            return f"{package}: " + path.rsplit("/", 1)[-1]
    for name, needles in table:
        if any(needle in path for needle in needles):
            return name
    return None


def waiting(frame):
    """A C call that waits for a child process: worker pools, forked writers, the indexer."""
    return is_builtin(frame) and frame.function in WAITS


def is_builtin(frame):
    path = frame.file_path or ""
    return not path or path.startswith("<built-in")


def frame_key(frame):
    return f"{frame.function}  {frame.file_path_short or frame.file_path}:{frame.line_no}"


def aggregate(root):
    """Seconds per function (self and cumulative) and per component (owner, library).

    Cumulative time counts a function once per stack, so recursion is not
    double counted. Pyinstrument's synthetic [self] leaves belong to their parent.
    """
    cumulative, own = defaultdict(float), defaultdict(float)
    owners, libraries = defaultdict(float), defaultdict(float)
    stack = [(root, frozenset(), "other", "other")]
    while stack:
        frame, above, owner, library = stack.pop()
        path = frame.file_path or ""
        if waiting(frame):
            owner = library = WAITING
        elif not is_builtin(frame):
            owner = match(path, OWNERS) or owner
            library = (
                match(path, LIBRARIES)
                or match(path, OWNERS)
                or "other: " + "/".join(path.split("/")[-2:])
            )
        real = [child for child in frame.children if not child.is_synthetic_leaf]
        key = frame_key(frame)
        self_time = frame.time - sum(child.time for child in real)
        own[key] += self_time
        owners[owner] += self_time
        libraries[library] += self_time
        if key not in above:
            cumulative[key] += frame.time
        stack.extend((child, above | {key}, owner, library) for child in real)
    return cumulative, own, owners, libraries


def summary(session, label):
    root = session.root_frame()
    cumulative, own, owners, libraries = aggregate(root)
    total = root.time or 1.0
    lines = [f"Profile of our {label} build: {root.time:.2f} s sampled wall time"]
    if owners.get(WAITING, 0) > 0.1 * total:
        lines.append(
            f"{owners[WAITING]:.1f} s is spent waiting on child processes, whose work "
            "pyinstrument cannot see"
            + ("." if "serial" in label else ": profile with --serial to see inside it.")
        )
    for title, table in (
        ("by owner (self time of a frame and the stdlib/C helpers it calls)", owners),
        ("by library the CPU runs in (C built-ins count for their caller)", libraries),
    ):
        lines += ["", f"Where the time goes, {title}:", ""]
        for name, seconds in sorted(table.items(), key=lambda item: -item[1])[:25]:
            lines.append(f"  {seconds:8.2f} s  {100 * seconds / total:5.1f}%  {name}")
    for title, table in (("cumulative", cumulative), ("self", own)):
        lines += ["", f"Top {TOP} functions by {title} time:", ""]
        ranked = sorted(table.items(), key=lambda item: -item[1])
        ranked = [(key, seconds) for key, seconds in ranked if not key.endswith(WRAPPERS)]
        for key, seconds in ranked[:TOP]:
            lines.append(f"  {seconds:8.2f} s  {100 * seconds / total:5.1f}%  {key}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Profile our build of the benchmark corpus.")
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--warm", action="store_true", help="profile the rebuild after an edit")
    layers = parser.add_mutually_exclusive_group()
    layers.add_argument(
        "--serial",
        action="store_true",
        help='render in one process (NEWSROOM_SPEED["workers"] = 1) so the profile sees '
        "inside the work that worker processes would do",
    )
    layers.add_argument(
        "--site-layer-only",
        action="store_true",
        help='build with PLUGINS = ["newsroom"]: the site layer without the speed layer',
    )
    parser.add_argument("--interval", type=float, default=0.001, help="sampling interval (s)")
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    try:
        from pyinstrument.renderers import ConsoleRenderer, HTMLRenderer
        from pyinstrument.session import Session
    except ImportError:
        sys.exit("bench: profiling needs pyinstrument: pip install -r requirements-dev.txt")
    label = ("warm" if args.warm else "cold") + ("-serial" if args.serial else "")
    label += "-site-layer" if args.site_layer_only else ""
    stem = args.out_dir / f"profile-{args.n}-{label}"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mm-profile-"))
    try:
        corpus = generate(work / "content", args.n, args.seed)
        build = [str(OURS_ENTRY), str(corpus.path), str(work / "output"), str(work / "cache")]
        build += ["--workers", "1"] if args.serial else []
        build += ["--site-layer-only"] if args.site_layer_only else []
        if args.warm:
            subprocess.run([sys.executable, *build], cwd=ROOT, check=True, capture_output=True)
            edit_article(corpus.edit_target)
        session_file = stem.with_suffix(".pyisession")
        command = [sys.executable, "-m", "pyinstrument", "-i", str(args.interval)]
        command += ["-r", "pyisession", "-o", str(session_file), *build]
        print(f"Profiling our {label} build of {args.n:,} articles...", flush=True)
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    session = Session.load(session_file)
    text = summary(session, label)
    tree = ConsoleRenderer(unicode=True, color=False, show_all=False).render(session)
    stem.with_suffix(".txt").write_text(text + "\n" + tree, encoding="utf-8")
    stem.with_suffix(".html").write_text(HTMLRenderer().render(session), encoding="utf-8")
    print(text)
    print(f"Written: {stem}.txt, .html and .pyisession")


if __name__ == "__main__":
    main()
