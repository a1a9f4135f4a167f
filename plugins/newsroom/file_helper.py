"""The helper process of files.py: make the folders and write the files it is sent.

Run as a script by a fresh interpreter (`python -I -S file_helper.py`), so it
imports only the standard library. Requests arrive on standard input, each a
header (kind, length of the path, length of the data), the path, the data. A
SYNC request is answered with one byte on standard output once everything
before it is done.
"""

import os
import struct
import sys

HEADER = struct.Struct("!BII")
FILE, FOLDER, SYNC = 1, 2, 3


def serve(stream, answers):
    """The helper's loop: read requests until the build closes the pipe."""
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


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
