"""Build a content folder exactly as `invoke build` does, into given folders.

    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS] [--workers N]
    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS] --site-layer-only

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
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_LAYER = ["newsroom"]  # PLUGINS for --site-layer-only


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
    args = parser.parse_args(argv)
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
    return 0 if build_before_exit(settings, **override) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
