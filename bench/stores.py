"""Put the speed layer's card and image stores of an earlier build into a cache folder.

    python -m bench.stores FROM CACHE

FROM is a cache folder (or a copy of its stores); CACHE a build's empty cache
folder. The card store (CACHE_PATH/newsroom-cards) and the image store
(CACHE_PATH/newsroom-images) of FROM are copied into CACHE and stamped as the
speed layer stamps the files it made (store_stamps.StoreStamps), so a build of
the same corpus with CACHE finds every social card and image rendition made and
draws and encodes none. bench/run.py runs it, untimed, before each timed build of
ours: the page builds are timed without image and card work.

A process of its own, so that the benchmark's process never imports the speed
layer (or Pelican, or Pillow): a child's peak memory (ru_maxrss) starts from the
peak of the process that started it, so the benchmark keeps its own small.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from newsroom_speed.card_store import STORE as CARD_STORE  # noqa: E402
from newsroom_speed.image_store import LOG as IMAGE_LOG  # noqa: E402
from newsroom_speed.image_store import STORE as IMAGE_STORE  # noqa: E402
from newsroom_speed.store_stamps import StoreStamps  # noqa: E402

STORES = (CARD_STORE, IMAGE_STORE)


def fill(source, cache):
    """Copy the stores of source into cache and stamp their files; return how many
    files each store holds."""
    held = {}
    for store in STORES:
        if not (Path(source) / store).is_dir():
            continue
        shutil.copytree(Path(source) / store, Path(cache) / store)
        files = sorted(
            path
            for path in (Path(cache) / store).rglob("*")
            if path.is_file() and path.name != IMAGE_LOG
        )
        StoreStamps(Path(cache) / f"{store}.stamps").keep_only(files)
        held[store] = len(files)
    return held


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    fill(sys.argv[1], sys.argv[2])
