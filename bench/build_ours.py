"""Build a content folder exactly as `invoke build` does, into given folders.

    python bench/build_ours.py CONTENT OUTPUT CACHE [SETTINGS]

Runs tasks.build_site (the function behind `invoke build`) with pelicanconf.py
(or SETTINGS, such as publishconf.py for what `invoke preview` builds),
overriding only where the site is read from and written to: PATH, OUTPUT_PATH
and CACHE_PATH. Every other setting, including any content cache or parallel
build the site turns on, comes from pelicanconf.py, so the benchmark measures
the production build as it stands. Exits 1 if the build stopped.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    content, output, cache = (str(Path(arg).resolve()) for arg in argv[:3])
    os.chdir(ROOT)  # where `invoke build` runs
    sys.path.insert(0, str(ROOT))
    import tasks

    settings = argv[3] if len(argv) > 3 else tasks.LOCAL
    ok = tasks.build_site(settings, PATH=content, OUTPUT_PATH=output, CACHE_PATH=cache)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
