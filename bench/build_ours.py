"""Build a content folder exactly as `invoke build` does, into given folders.

    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS] [--workers N]

Runs newsroom_tools.build.build_before_exit (the function behind `invoke build`) with pelicanconf.py
(or SETTINGS, such as publishconf.py for what `invoke preview` builds),
overriding only where the site is read from and written to: PATH, OUTPUT_PATH
and CACHE_PATH. Every other setting, including any content cache or parallel
build the site turns on, comes from pelicanconf.py, so the benchmark measures
the production build as it stands. Exits 1 if the build stopped.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    parser = argparse.ArgumentParser(description="Build as `invoke build` does.")
    parser.add_argument("paths", nargs=3, metavar="CONTENT OUTPUT CACHE")
    parser.add_argument("settings", nargs="?", help="settings file (default: pelicanconf.py)")
    parser.add_argument(
        "--workers", type=int, help='override NEWSROOM["workers"] (1: everything in one process)'
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

        newsroom = read_settings(str(settings)).get("NEWSROOM") or {}
        override["NEWSROOM"] = {**newsroom, "workers": args.workers}
    return 0 if build_before_exit(settings, **override) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
