"""How a build keeps Python's garbage collector out of its way: the one place for it.

A build holds millions of objects to its end (articles, bodies, pages' parts),
and the collector walks every object it tracks at each full collection. These
take the long-lived ones out of its reach while they are long-lived.
"""

import contextlib
import ctypes
import gc

# The collector's default (a collection every 700 allocations) walked the
# build's objects over and over.
BUILD_THRESHOLD = 10_000

_frozen_depth = [0]  # frozen() calls in progress: only the outermost unfreezes


@contextlib.contextmanager
def build_threshold():
    """Collect less often for the length of a build; the old thresholds after it."""
    before = gc.get_threshold()
    gc.set_threshold(BUILD_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextlib.contextmanager
def frozen():
    """Leave every object that exists now out of collections until the block ends.

    Forked workers then neither walk them nor, by walking, copy the memory they
    are on. Blocks may nest; the outermost one gives them back.
    """
    gc.freeze()
    _frozen_depth[0] += 1
    try:
        yield
    finally:
        _frozen_depth[0] -= 1
        if not _frozen_depth[0]:
            gc.unfreeze()


def return_free_memory():
    """Hand memory the build has freed back to the operating system, where the C library
    can (glibc's malloc_trim). Large strings (page bodies) live outside Python's own
    small-object arenas, so the space they leave is not reused for the many small
    objects that come after them (the output checks' facts) unless it is returned."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)
