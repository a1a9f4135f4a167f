"""The helper process of files.py: make the folders and write the files it is sent.

Run as a script by a fresh interpreter (`python -I -S file_helper.py`), so it
imports only the standard library and the site layer's page_facts.py. Requests arrive on
standard input, each a header (kind, length of the path, length of the data),
the path, the data. A SYNC request is answered with one byte on standard
output once everything before it is done. Of each page and feed it writes, it
takes what the output checks need (page_facts.py) and appends them at once to
the file whose descriptor it is given, so that it holds none of them.
"""

import os
import struct
import sys

HEADER = struct.Struct("!BII")
FILE, FOLDER, SYNC = 1, 2, 3


def serve(stream, answers, facts_of, save_facts):
    """The helper's loop: read requests until the build closes the pipe; pass
    save_facts(path, (inode, size, mtime), facts) for each file written whose
    facts_of(path, data) are checked."""
    folders = set()
    while header := stream.read(HEADER.size):
        kind, path_length, data_length = HEADER.unpack(header)
        path = os.fsdecode(stream.read(path_length))
        data = stream.read(data_length)
        if kind == SYNC:
            answers.write(b".")
            answers.flush()
            continue
        folder = path if kind == FOLDER else os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if kind == FILE:
            if os.path.lexists(path):
                os.unlink(path)
            with open(path, "wb") as handle:
                handle.write(data)
                written = os.fstat(handle.fileno())
            checked, value = facts_of(path, data)
            if checked:
                save_facts(path, (written.st_ino, written.st_size, written.st_mtime_ns), value)


if __name__ == "__main__":
    # -I leaves the plugins out of the path; page_facts.py is the site layer's.
    plugins = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, os.path.join(plugins, "newsroom"))
    from page_facts import facts_of, save_facts

    with open(int(sys.argv[1]), "wb") as facts:  # the descriptor files.py passed on
        serve(
            sys.stdin.buffer,
            sys.stdout.buffer,
            facts_of,
            lambda *fact: save_facts(facts, *fact),
        )
