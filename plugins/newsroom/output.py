"""Build into a staging folder; only a complete, checked build replaces the output.

Pelican writes straight into OUTPUT_PATH, so a failed or interrupted build
would leave a half-written site. These receivers point Pelican at a sibling
staging folder at the start of every run and, when the run has finished and
the output checks pass, exchange it with the real folder in one rename.
"""

import ctypes
import os
import shutil

from .checks import check_output
from .errors import BuildStopped

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_path(output):
    """Return the staging folder beside an output folder (same file system)."""
    output = os.path.abspath(output)
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.staging")


def exchange(first, second):
    """Swap two paths atomically with Linux renameat2; return False where unsupported."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


def replace_dir(staging, output):
    """Put staging where output is, in one move where the system allows it."""
    if not os.path.exists(output):
        os.rename(staging, output)
        return
    if not exchange(staging, output):
        previous = staging + ".previous"
        os.rename(output, previous)
        os.rename(staging, output)
        staging = previous
    shutil.rmtree(staging)


def stage_output(pelican):
    """Point this run's generators and writer at a fresh staging folder."""
    output = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    staging = staging_path(output)
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted run left
    os.makedirs(staging)
    pelican.newsroom_output = output
    pelican.output_path = staging


def publish_output(pelican):
    """Check the staged site and, if it is sound, swap it into the output folder."""
    staging, output = pelican.output_path, pelican.newsroom_output
    pelican.output_path = output
    problems = check_output(staging, pelican.settings["SITEURL"])
    if problems:
        raise BuildStopped(problems)
    for name in pelican.settings.get("OUTPUT_RETENTION", []):
        kept = os.path.join(output, name)
        if os.path.exists(kept) and not os.path.exists(os.path.join(staging, name)):
            shutil.move(kept, os.path.join(staging, name))
    replace_dir(staging, output)
