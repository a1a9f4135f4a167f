"""Warnings that stop a build: SITE_FATAL_WARNINGS = True (publishconf.py sets it).

Pelican's own `--fatal warnings` is a command-line flag that aborts at the first
warning, and `invoke build`/`invoke publish` do not go through that command
line. This setting works however the build is started: every warning logged
during the run is collected, and before the staged site would replace the
output they all stop the build together, like any other problem.
"""

import logging

from pelican.log import LimitFilter

from .errors import BuildStopped, Problem
from .state import build_of


class WarningCollector(logging.Handler):
    """Keep every record at WARNING or above, in order."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = self.format(record)
        if message not in self.messages:
            self.messages.append(message)


def _detach():
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, WarningCollector)]:
        root.removeHandler(handler)


def watch_warnings(pelican):
    """Start collecting warnings for this run when SITE_FATAL_WARNINGS is set."""
    _detach()  # a run that stopped early leaves its collector behind
    LimitFilter.LOGS_DEDUP_MIN_LEVEL = logging.WARNING  # Pelican's own
    if pelican.settings.get("SITE_FATAL_WARNINGS"):
        # Pelican drops a warning it has logged before in the same process
        # (livereload, a test session); every warning passes its filter when it
        # only deduplicates below WARNING, so each build sees its own again (the
        # collector keeps one of each).
        LimitFilter.LOGS_DEDUP_MIN_LEVEL = logging.INFO
        collector = build_of(pelican.settings).warnings = WarningCollector()
        logging.getLogger().addHandler(collector)


def stop_on_warnings(pelican):
    """Stop the build, before the output is replaced, if anything warned."""
    collector = build_of(pelican.settings).warnings
    _detach()
    LimitFilter.LOGS_DEDUP_MIN_LEVEL = logging.WARNING
    if collector and collector.messages:
        raise BuildStopped(
            [
                Problem("build", None, "warning", f"{message} (warnings are fatal here)")
                for message in collector.messages
            ]
        )
