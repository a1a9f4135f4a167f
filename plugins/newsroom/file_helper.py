"""The helper process of files.py: make the folders and write the files it is sent.

Run as a script by a fresh interpreter (`python -I -S file_helper.py`), so it
imports only the standard library and page_facts.py. Requests arrive on
standard input, each a header (kind, length of the path, length of the data),
the path, the data. A SYNC request is answered with one byte on standard
output once everything before it is done. Of each page and feed it writes, it
takes what the output checks need (page_facts.py); when the input ends, it
answers with all of them, pickled: {path: ((inode, size, mtime), facts)}.
"""

import os
import pickle
import struct
import sys

HEADER = struct.Struct("!BII")
FILE, FOLDER, SYNC = 1, 2, 3


def serve(stream, answers, facts_of=None):
    """The helper's loop: read requests until the build closes the pipe; answer with the
    facts_of(path, data) of the files written."""
    folders, facts = set(), {}
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
            checked, value = facts_of(path, data) if facts_of else (False, None)
            if checked:
                facts[path] = ((written.st_ino, written.st_size, written.st_mtime_ns), value)
    pickle.dump(facts, answers, protocol=pickle.HIGHEST_PROTOCOL)
    answers.flush()


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves it out
    from page_facts import facts_of

    serve(sys.stdin.buffer, sys.stdout.buffer, facts_of)
