"""The build's caches in CACHE_PATH: read whole or not at all, written whole and atomically.

A cache is only ever a shortcut. One that cannot be read (missing, cut short,
written by another version of the plugin, holding classes that have since
changed) is treated as empty, so the build does the work again instead of
failing; one is replaced by a rename, so a build that is stopped half way
never leaves half a cache.
"""

import os
import pickle


def read_cache(path, version):
    """Return the dict saved at path with this version, or None."""
    try:
        with open(path, "rb") as handle:
            saved = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:
        return None
    if isinstance(saved, dict) and saved.get("version") == version:
        return saved
    return None


def write_cache(path, version, **content):
    """Save a dict at path for read_cache(path, version), replacing it in one rename."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        pickle.dump({"version": version, **content}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
