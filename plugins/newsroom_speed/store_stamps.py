"""What each file of a store (cards, image renditions) was when the store last saw it whole.

Store files are hard-linked into the output and only ever replaced by a rename,
but a cache folder can still be cut short or written through by something else.
A file whose size or modification time differs from its stamp, or that has none,
is not trusted: it is made again, so a damaged store only costs work.
"""

import os

from .caches import read_cache, write_cache

FORMAT = 1


class StoreStamps:
    """(size, modification time) of each trusted file of a store, kept in one file."""

    def __init__(self, path):
        self.path = path
        saved = read_cache(path, FORMAT)
        self.stamps = saved["stamps"] if saved and isinstance(saved.get("stamps"), dict) else {}

    def trusted(self, file):
        """Tell whether a store file is there and as it was stamped."""
        try:
            info = os.stat(file)
        except OSError:
            return False
        return self.stamps.get(os.fspath(file)) == (info.st_size, info.st_mtime_ns)

    def keep_only(self, files):
        """Stamp these files as they are now (the store's files after a build), and only
        these; save the stamps."""
        stamps = {}
        for file in files:
            try:
                info = os.stat(file)
            except OSError:
                continue
            stamps[os.fspath(file)] = (info.st_size, info.st_mtime_ns)
        self.stamps = stamps
        write_cache(self.path, FORMAT, stamps=stamps)
