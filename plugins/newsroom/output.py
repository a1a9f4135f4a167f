"""Build into a staging folder; only a complete, checked build replaces the output.

Pelican writes straight into OUTPUT_PATH, so a failed or interrupted build
would leave a half-written site. These receivers point Pelican at a sibling
staging folder at the start of every run and, when the run has finished and
the output checks pass, exchange it with the real folder in one rename.

The output a build replaces is kept beside it as the spare, and the next build
starts from it instead of an empty folder: its folders are already there, and
so are its pages, most of them the same files (hard links) as the live
output's. Making a folder or a file costs the kernel far more than checking
one, so a warm build touches only what changed. Nothing is ever written
through a link into the live output: when a build claims the spare, it first
deletes every file that something other than the page writer and the search
index could write to (incremental.py's records list the rest, which are only
ever replaced, never rewritten); at the end it deletes the pages that no write
of this build produced or reused.
"""

import ctypes
import os
import shutil

from .checks import check_output
from .errors import BuildStopped
from .incremental import recorded_files
from .stage import close_stage, open_stage

CHECKS_MEMO = "newsroom-checks.pickle"  # in CACHE_PATH: what each output file held
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_path(output, pid=None):
    """Return one process's staging folder beside an output folder (same file system)."""
    output = os.path.abspath(output)
    pid = os.getpid() if pid is None else pid
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.staging-{pid}")


def spare_path(output):
    """Return the folder beside an output folder that holds the output the last build replaced."""
    output = os.path.abspath(output)
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.spare")


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
    """Delete staging folders left by builds that were interrupted (their process is gone)."""
    prefix = os.path.basename(staging_path(output, ""))
    parent = os.path.dirname(os.path.abspath(output))
    for name in os.listdir(parent) if os.path.isdir(parent) else []:
        pid = name.removeprefix(prefix)
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
    """Put staging where output is, in one move where the system allows it; the replaced
    output becomes the spare."""
    if not os.path.exists(output):
        os.rename(staging, output)
        return
    if not exchange(staging, output):
        previous = staging + "-previous"
        os.rename(output, previous)
        os.rename(staging, output)
        staging = previous
    spare = spare_path(output)
    if os.path.exists(spare):  # another build's, left while this one ran
        shutil.rmtree(spare)
    os.rename(staging, spare)


def claim_spare(output, staging, recorded):
    """Start the staging folder from the spare, if there is one; return the pages kept.

    Kept are the files the last build's records list (pages, feeds, search
    index files), which writes of this build replace or reuse; everything else
    in the spare is deleted now.
    """
    try:
        os.rename(spare_path(output), staging)
    except OSError:
        return None
    kept = set()
    for folder, _, names in os.walk(staging):
        relative = os.path.relpath(folder, staging)
        for name in names:
            path = name if relative == "." else f"{relative}/{name}"
            if path in recorded:
                kept.add(path)
            else:
                os.unlink(os.path.join(folder, name))
    return kept


def stage_output(pelican):
    """Point this run's generators and writer at a staging folder: the spare, or a new one.

    A new one gets, in the background, the folders the last build's pages were
    in, so that linking the unchanged ones later finds them made.
    """
    output = os.path.abspath(pelican.settings["OUTPUT_PATH"])
    remove_abandoned(output)
    # One folder per process: two builds at once never write into each other.
    staging = staging_path(output)
    stage = open_stage(staging)  # ends this process's last failed run, if any
    shutil.rmtree(staging, ignore_errors=True)
    recorded = recorded_files(pelican.settings)
    kept = claim_spare(output, staging, recorded)
    if kept is None:
        os.makedirs(staging)
        folders = {os.path.dirname(os.path.join(staging, name)) for name in recorded}
        stage.files.make_folders(folders - {staging})
    stage.kept = kept or set()
    pelican.newsroom_output = output
    pelican.output_path = staging


def drop_stale_files(pelican):
    """Wait for the last files; delete the pages kept from the spare that no write of this
    build produced or reused."""
    staging = pelican.output_path
    stage = close_stage(staging)
    stale = stage.kept - stage.touched if stage else set()
    pelican.newsroom_linked = stage.linked if stage else set()
    written = stage.files.facts if stage else {}
    pelican.newsroom_fresh_facts = {os.path.relpath(p, staging): f for p, f in written.items()}
    folders = set()
    for relative in stale:
        path = os.path.join(staging, relative)
        if os.path.lexists(path):
            os.unlink(path)
            folders.add(os.path.dirname(path))
    for folder in sorted(folders, reverse=True):  # deepest first
        while folder != staging and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def check_staged_output(pelican):
    """Stop the build if the staged site has broken links, missing heads or bad feeds."""
    memo = os.path.join(pelican.settings["CACHE_PATH"], CHECKS_MEMO)
    linked = getattr(pelican, "newsroom_linked", set())
    fresh = getattr(pelican, "newsroom_fresh_facts", {})
    site_url = pelican.settings["SITEURL"]
    problems = check_output(pelican.output_path, site_url, memo, linked, fresh)
    if problems:
        raise BuildStopped(problems)


def publish_output(pelican):
    """Swap the checked, staged site into the output folder."""
    staging, output = pelican.output_path, pelican.newsroom_output
    pelican.output_path = output
    for name in pelican.settings.get("OUTPUT_RETENTION", []):
        kept = os.path.join(output, name)
        if os.path.exists(kept) and not os.path.exists(os.path.join(staging, name)):
            shutil.move(kept, os.path.join(staging, name))
    replace_dir(staging, output)
