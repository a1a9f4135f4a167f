"""Build into a staging folder; only a complete, checked build replaces the output.

Pelican writes straight into OUTPUT_PATH, so a failed or interrupted build
would leave a half-written site. The build points Pelican at a sibling
staging folder at the start of every run and, when the run has finished and
the output checks pass, exchanges it with the real folder in one rename. A run
that stops discards its own staging folder (discard_staging): at once where
the site layer sees it stop, when the build runner returns, or at the latest
when the process exits.
"""

import atexit
import ctypes
import functools
import os
import shutil

from .errors import BuildStopped
from .state import build_of

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_path(output, pid=None):
    """Return one process's staging folder beside an output folder (same file system)."""
    output = os.path.abspath(output)
    pid = os.getpid() if pid is None else pid
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.staging-{pid}")


def stopped_note(output):
    """Return the file beside an output folder that says its last build stopped: publishing
    refuses to ship while it is there (the output is the build before)."""
    output = os.path.abspath(output)
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.stopped")


def is_running(pid):
    """Tell whether a process id belongs to a live process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned(output):
    """Delete staging folders left by builds that were interrupted (their process is gone),
    and the outputs such a build was replacing (<staging folder>-previous)."""
    prefix = os.path.basename(staging_path(output, ""))
    parent = os.path.dirname(os.path.abspath(output))
    for name in os.listdir(parent) if os.path.isdir(parent) else []:
        pid = name.removeprefix(prefix).removesuffix("-previous")
        if name.startswith(prefix) and pid.isdigit() and not is_running(int(pid)):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


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
    """Put staging where output is, in one move where the system allows it; return the
    path the replaced output is now at, or None if there was none."""
    if not os.path.exists(output):
        os.rename(staging, output)
        return None
    if exchange(staging, output):
        return staging
    previous = staging + "-previous"
    os.rename(output, previous)
    os.rename(staging, output)
    return previous


def stage_output(pelican):
    """Point this run's generators and writer at its own staging folder."""
    build = build_of(pelican.settings)
    build.output = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    remove_abandoned(build.output)
    # One folder per process: two builds at once never write into each other.
    build.staging = staging_path(build.output)
    # A run Pelican itself stops, between two of the site layer's receivers, still
    # loses its folder when the process exits (the plain `pelican` command).
    build.discard_at_exit = functools.partial(discard_staging, build)
    atexit.register(build.discard_at_exit)
    build.engine.open_staging(build, pelican.settings)
    pelican.output_path = build.staging


def discard_staging(build):
    """The run stopped: stop what still writes into its staging folder, then delete it.

    Does nothing for a run without a staging folder, or whose folder was
    already swapped in or discarded: safe to call more than once, and after a
    build that succeeded.
    """
    if build is None or build.discard_at_exit is None:
        return
    staging_done(build)
    try:
        build.engine.abandon(build)
    finally:
        shutil.rmtree(build.staging, ignore_errors=True)
        with open(stopped_note(build.output), "w", encoding="utf-8") as note:
            note.write(f"The last build of {build.output} stopped; it holds the build before.\n")


def staging_done(build):
    """The staging folder is swapped in or discarded: nothing is left to do at exit."""
    atexit.unregister(build.discard_at_exit)
    build.discard_at_exit = None


def check_staged_output(pelican):
    """Stop the build if the staged site has broken links, missing heads or bad feeds."""
    build = build_of(pelican.settings)
    problems = build.engine.check_output(build, pelican.settings)
    if problems:
        raise BuildStopped(problems)


def publish_output(pelican):
    """Swap the checked, staged site into the output folder."""
    build = build_of(pelican.settings)
    staging, output = build.staging, build.output
    staging_done(build)  # from here on the folder becomes the output
    if os.path.exists(stopped_note(output)):
        os.remove(stopped_note(output))
    pelican.output_path = output
    for name in pelican.settings.get("OUTPUT_RETENTION", []):
        kept = os.path.join(output, name)
        if os.path.exists(kept) and not os.path.exists(os.path.join(staging, name)):
            shutil.move(kept, os.path.join(staging, name))
    replaced = replace_dir(staging, output)
    if replaced:
        build.engine.retire_output(build, replaced)
