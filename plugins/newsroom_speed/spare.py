"""The spare: the output a build replaced, kept beside it for the next build to start from.

Its folders are already there, and so are its pages, most of them the same
files (hard links) as the live output's. Making a folder or a file costs the
kernel far more than checking one, so a warm build touches only what changed.
Nothing is ever written through a link into the live output: when a build
claims the spare, it first deletes every file that something other than the
page writer and the search index could write to (incremental.py's records
list the rest, which are only ever replaced, never rewritten); at the end it
deletes the pages that no write of this build produced or reused.
"""

import os
import shutil


def spare_path(output):
    """Return the folder beside an output folder that holds the output the last build replaced."""
    output = os.path.abspath(output)
    return os.path.join(os.path.dirname(output), f".{os.path.basename(output)}.spare")


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
    kept, emptied = set(), set()
    for folder, _, names in os.walk(staging):
        relative = folder[len(staging) + 1 :]  # os.walk joins onto staging
        for name in names:
            path = f"{relative}/{name}" if relative else name
            if path in recorded:
                kept.add(path)
            else:
                os.unlink(os.path.join(folder, name))
                emptied.add(folder)
    remove_empty_folders(staging, emptied)  # a page gone for good leaves no folder
    return kept


def keep_as_spare(replaced, output):
    """Keep the output a build replaced (now at replaced) as the spare."""
    spare = spare_path(output)
    if os.path.exists(spare):  # another build's, left while this one ran
        shutil.rmtree(spare)
    os.rename(replaced, spare)


def drop_stale(staging, stale):
    """Delete the files (relative to staging) no write of this build produced or reused,
    and the folders they leave empty."""
    folders = set()
    for relative in stale:
        path = os.path.join(staging, relative)
        if os.path.lexists(path):
            os.unlink(path)
            folders.add(os.path.dirname(path))
    remove_empty_folders(staging, folders)


def remove_empty_folders(staging, folders):
    """Remove each folder left empty, and its parents left empty in turn, below staging."""
    for folder in sorted(folders, reverse=True):  # deepest first
        while folder != staging and os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
