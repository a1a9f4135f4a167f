"""Writing into the content folder without ever losing an editor's work.

The import remembers the digest of every file it wrote (its state, kept
outside the content folder). On the next run a file is rewritten only if it
still holds what the import last wrote; one an editor changed, or deleted, or
that the import never wrote, is left as it is and reported. Nothing is written
outside the content folder, whatever names the export holds.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path

STATE_VERSION = 1


class UnsafePathError(ValueError):
    """A path that would leave the content folder."""


def digest(data):
    return hashlib.sha256(data).hexdigest()


def file_digest(path):
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def write_atomically(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Output:
    def __init__(self, into, state_folder, report):
        self.into = Path(into).resolve()
        self.state_path = Path(state_folder) / "state.json"
        self.report = report
        self.previous = self.load()
        self.written = {}  # path -> digest of what the import holds there now

    def load(self):
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            return {}
        files = state.get("files")
        return files if isinstance(files, dict) else {}

    def target(self, relative):
        """The absolute path of a path below the content folder; raise UnsafePathError."""
        parts = relative.split("/")
        if relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise UnsafePathError(relative)
        path = self.into.joinpath(*parts)
        for parent in [path, *path.parents]:
            if parent == self.into:
                break
            if parent.is_symlink():
                raise UnsafePathError(relative)
        if not path.resolve().is_relative_to(self.into):
            raise UnsafePathError(relative)
        return path

    def put(self, relative, data, copy_from=None):
        """Write bytes (or copy a file whose digest is `data`) unless an editor's work is there.

        Return what happened: written, updated, unchanged or kept.
        """
        path = self.target(relative)
        new = digest(data) if copy_from is None else data
        last = self.previous.get(relative)
        if path.exists() or path.is_symlink():
            current = file_digest(path) if path.is_file() else None
            if current == new:
                self.written[relative] = new
                return "unchanged"
            if last is None or current != last:
                self.written[relative] = last
                why = (
                    "was changed since the last import"
                    if last
                    else "was not written by this import"
                )
                self.report.note(
                    relative, f"{why}: kept as it is; the export's version was not written"
                )
                return "kept"
            outcome = "updated"
        elif last is not None:
            self.written[relative] = last
            self.report.note(relative, "was deleted since the last import: not written again")
            return "kept"
        else:
            outcome = "written"
        if copy_from is None:
            write_atomically(path, data)
        else:
            write_atomically(path, Path(copy_from).read_bytes())
        self.written[relative] = new
        return outcome

    def remove(self, relative):
        """Remove a file an earlier import wrote, if it still holds what that import wrote."""
        path = self.target(relative)
        last = self.previous.pop(relative, None)
        if path.is_file() and last and file_digest(path) == last:
            path.unlink()
            self.report.counts["removed"] += 1
        elif path.exists():
            self.written[relative] = last
            self.report.note(relative, "is no longer needed but was changed: kept")

    def save(self):
        files = {path: d for path, d in sorted(self.written.items()) if d}
        # Files of an earlier import that this export no longer has are still ours.
        for path, d in self.previous.items():
            files.setdefault(path, d)
        state = {"version": STATE_VERSION, "files": dict(sorted(files.items()))}
        data = json.dumps(state, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
        write_atomically(self.state_path, data)
