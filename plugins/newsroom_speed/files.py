"""Write the build's files from a helper process, beside the rendering.

Creating a file or a folder is mostly the kernel's work, and on some disks it
costs as much CPU as rendering the page that goes in it. A helper process,
fed through a pipe, does that work on the second core while the build renders
on the first. A thread would not do: each file would pass the interpreter lock
back and forth with the renderer, and that costs more than the file. Nor would
a fork of the build: every page of the build's memory that the renderer then
touched would be copied, doubling the memory. So the helper is a fresh
interpreter running file_helper.py (only the standard library), a few MB. The
pipe's buffer is the only queue: a helper that falls behind slows the renderer
instead of piling pages up in memory.
"""

import contextlib
import fcntl
import os
import subprocess
import sys
import tempfile

from newsroom.errors import BuildStopped
from newsroom.page_facts import load_facts

from . import file_helper
from .file_helper import FILE, FOLDER, HEADER, SYNC

BUFFER = 1 << 16
PIPE_BYTES = 1 << 20  # the most Linux gives an unprivileged pipe by default


class FileWriter:
    """A helper process that makes folders and writes files, in the order it is asked."""

    def __init__(self):
        # The helper appends the facts of each file it writes here (an unnamed
        # temporary file), rather than holding them until the end.
        self.facts_file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close or stop)
        descriptor = self.facts_file.fileno()
        command = [sys.executable, "-I", "-S", file_helper.__file__, str(descriptor)]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=BUFFER,
            pass_fds=(descriptor,),
        )
        with contextlib.suppress(OSError, AttributeError):  # Linux: a deeper pipe, fewer stalls
            fcntl.fcntl(self.process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        # Once closed: what the output checks need of each page and feed written,
        # {absolute path: ((inode, size, mtime), facts)} (page_facts.py).
        self.facts = {}

    def write(self, path, data):
        """Write bytes to a new file at path (a file already there is replaced, not
        written through: it may be a hard link into the live output)."""
        self._send(FILE, path, data)

    def make_folders(self, paths):
        """Make folders (and their parents) ahead of the files that go in them."""
        for path in sorted(paths):
            self._send(FOLDER, path, b"")

    def sync(self):
        """Wait until everything asked so far is done (the helper keeps running)."""
        self._send(SYNC, "", b"")
        try:
            self.process.stdin.flush()
        except BrokenPipeError:
            self.close()
        if self.process.stdout.read(1) != b".":
            self.close()  # the helper stopped: raises with its failure

    def _send(self, kind, path, data):
        encoded = os.fsencode(os.path.abspath(path)) if path else b""
        try:
            self.process.stdin.write(HEADER.pack(kind, len(encoded), len(data)) + encoded)
            self.process.stdin.write(data)
        except BrokenPipeError:
            self.close()  # raises with the helper's failure

    def close(self):
        """Wait until every file is written; stop the build if the helper failed."""
        if self.process is None:
            return
        process, self.process = self.process, None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        with self.facts_file as facts:
            if process.wait() != 0:
                raise BuildStopped.because("writing the output failed (see the error above)")
            facts.seek(0)
            self.facts = load_facts(facts)

    def stop(self):
        """Kill the helper without waiting for its work: the build stopped."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
            self.facts_file.close()

    __del__ = stop
