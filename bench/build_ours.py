"""Build a content folder exactly as `invoke build` does, into given folders.

    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS] [--workers N]
    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS] --site-layer-only
    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS] --workers 2 --timings FILE

Runs newsroom_tools.build.build_before_exit (the function behind `invoke build`) with pelicanconf.py
(or SETTINGS, such as publishconf.py for what `invoke preview` builds),
overriding only where the site is read from and written to: PATH, OUTPUT_PATH
and CACHE_PATH. Every other setting, including any content cache or parallel
build the site turns on, comes from pelicanconf.py, so the benchmark measures
the production build as it stands. Exits 1 if the build stopped.

--workers N sets the speed layer's worker pool (NEWSROOM_SPEED["workers"], merged
over whatever the settings file gives it; 1: everything in one process).
--site-layer-only sets PLUGINS = ["newsroom"]: the site layer alone, without the
speed layer (newsroom_speed) beneath it; the same output, built more slowly.
--timings FILE (with the speed layer) writes to FILE, as JSON, how long the build
spent encoding image renditions and drawing social cards, and what it encoded, drew
and found in its stores (Observer). It only observes: each step is the speed
layer's own, called unchanged; the page builds the benchmark times never use it.
"""

import argparse
import json
import logging
import os
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_LAYER = ["newsroom"]  # PLUGINS for --site-layer-only
POLL_SECONDS = 0.005  # how often the Observer looks whether a card helper has ended


def cpu_seconds():
    """CPU time of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def has_ended(pid):
    """Whether a child process has exited (a zombie, or already waited for)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return True


class Observer:
    """Times the speed layer's image and card work in one build, by wrapping the two
    store methods that do it (ImageStore.make, CardStore.start and finish).

    Images: ImageStore.make encodes what the store lacks in a pool of worker
    processes and returns once they are done and waited for; its wall time, and the
    CPU time of this process and its waited-for children over it, are the encoding's.
    Cards: CardStore.start draws a few cards at once or starts helper processes that
    draw them beside the page rendering; the cards' wall time runs from start to the
    end of the last helper (seen from /proc), their CPU time is what the helpers
    had used when CardStore.finish waited for them (or, with no helper, what start
    used). The store's own counters (what
    it drew, encoded and found) and its log line are recorded with them.
    """

    def __init__(self):
        self.record = {"images": None, "cards": None}
        self.card_log = []

    def install(self):
        from newsroom_speed.card_store import CardStore
        from newsroom_speed.image_store import ImageStore

        observer = self
        make, start, finish = ImageStore.make, CardStore.start, CardStore.finish

        def timed_make(store, renditions):
            wall, cpu = time.perf_counter(), cpu_seconds()
            faults = make(store, renditions)
            observer.record["images"] = {
                "seconds": time.perf_counter() - wall,
                "cpu_seconds": cpu_seconds() - cpu,
                "wanted": len(renditions),
                "found": store.found,
                "encoded": len(store.encoded),
                "workers": store.workers,
            }
            return faults

        def timed_start(store, cards, staging):
            began, cpu = time.perf_counter(), cpu_seconds()
            start(store, cards, staging)
            started = time.perf_counter()
            here = cpu_seconds() - cpu  # the cards drawn in this process, if any
            ended = [started] * len(store.helpers)

            def watch(number, pid):
                while not has_ended(pid):
                    time.sleep(POLL_SECONDS)
                ended[number] = time.perf_counter()

            watchers = [
                threading.Thread(target=watch, args=(number, helper.pid), daemon=True)
                for number, helper in enumerate(store.helpers)
            ]
            for watcher in watchers:
                watcher.start()
            store.observed = (began, started, here, ended, watchers)

        def timed_finish(store):
            began, started, here, ended, watchers = store.observed
            cpu = cpu_seconds()
            finish(store)
            helpers_cpu = cpu_seconds() - cpu  # the helpers, waited for in finish()
            for watcher in watchers:
                watcher.join()
            observer.record["cards"] = {
                "drawn": store.drawn,
                "reused": store.reused,
                "helpers": len(ended),
                # Drawn here (a few) or by helpers beside the rendering, until the last ends.
                "seconds": max([started, *ended]) - began,
                "cpu_seconds": helpers_cpu if ended else here,
                "log": observer.card_log[-1] if observer.card_log else None,
            }

        ImageStore.make, CardStore.start, CardStore.finish = timed_make, timed_start, timed_finish

        class CardLog(logging.Handler):
            def emit(self, record):
                observer.card_log.append(record.getMessage())

        card_logger = logging.getLogger("newsroom_speed.card_store")
        card_logger.setLevel(logging.INFO)
        card_logger.addHandler(CardLog(logging.INFO))

    def save(self, path):
        Path(path).write_text(json.dumps(self.record, indent=1), encoding="utf-8")


def main(argv):
    parser = argparse.ArgumentParser(description="Build as `invoke build` does.")
    parser.add_argument("paths", nargs=3, metavar="CONTENT OUTPUT CACHE")
    parser.add_argument("settings", nargs="?", help="settings file (default: pelicanconf.py)")
    layers = parser.add_mutually_exclusive_group()
    layers.add_argument(
        "--workers",
        type=int,
        help='override NEWSROOM_SPEED["workers"] (1: everything in one process)',
    )
    layers.add_argument(
        "--site-layer-only",
        action="store_true",
        help=f"override PLUGINS = {SITE_LAYER!r}: build without the speed layer",
    )
    parser.add_argument(
        "--timings",
        metavar="FILE",
        help="write the image encoding's and card drawing's times and counts to FILE (JSON)",
    )
    args = parser.parse_args(argv)
    if args.timings and args.site_layer_only:
        parser.error("--timings observes the speed layer's stores: not with --site-layer-only")
    content, output, cache = (str(Path(arg).resolve()) for arg in args.paths)
    os.chdir(ROOT)  # where `invoke build` runs
    sys.path.insert(0, str(ROOT / "plugins"))
    from newsroom_tools.build import build_before_exit

    settings = ROOT / (args.settings or "pelicanconf.py")
    override = {"PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache}
    if args.workers is not None:
        from pelican.settings import read_settings

        speed = read_settings(str(settings)).get("NEWSROOM_SPEED") or {}
        override["NEWSROOM_SPEED"] = {**speed, "workers": args.workers}
    if args.site_layer_only:
        override["PLUGINS"] = list(SITE_LAYER)
    observer = None
    if args.timings:
        observer = Observer()
        observer.install()
    built = build_before_exit(settings, **override)
    if observer:
        observer.save(args.timings)
    return 0 if built else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
