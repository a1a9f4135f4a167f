"""Problems found in content, reported to authors as `path:line: field: message`."""

import functools
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one source file, phrased so an author can fix it."""

    path: str
    line: int | None
    field: str
    message: str

    def sort_key(self):
        """Order problems by file, then line (headers without a line first)."""
        return (self.path, self.line or 0, self.field, self.message)

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised for a single problem while reading one record file."""

    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


class BuildStopped(SystemExit):
    """Stop the build after every problem has been logged.

    A SystemExit, not an Exception, because Pelican logs any Exception with a
    full traceback; authors need the list of problems, not our stack.
    """

    def __init__(self, problems):
        self.problems = sorted(problems, key=Problem.sort_key)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"Build stopped: {count} {noun}; the output was left as it was:\n{lines}")

    @classmethod
    def because(cls, reason):
        """Stop the build for a reason that belongs to no single file."""
        return cls([Problem("build", None, "limit", reason)])


def display_path(path):
    """Name a file relative to the working directory when it is below it."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=65536)
def _display_path(path, cwd):
    relative = os.path.relpath(path, cwd)
    return path if relative.startswith("..") else relative
