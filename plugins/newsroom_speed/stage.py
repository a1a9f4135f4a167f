"""What one build in progress knows about its staging folder, shared by what fills it:
engine.py (which opens it, from the spare or empty), incremental.py (which links
unchanged pages into it), writer.py and search_update.py (which write the rest).
The build's SpeedEngine holds it."""

from dataclasses import dataclass, field

from .files import FileWriter


@dataclass
class Stage:
    """One build's staging folder and what has happened in it so far."""

    path: str
    kept: set = field(default_factory=set)  # pages kept from the spare
    touched: set = field(default_factory=set)  # files reused or written by this build
    linked: set = field(default_factory=set)  # files reused: links to the live output's
    files: FileWriter = field(default_factory=FileWriter)  # writes files beside the build
    inputs: str = None  # incremental.site_inputs of this build

    def close(self):
        """Wait for every file; stop the build if one could not be written."""
        self.files.close()

    def abandon(self):
        """Stop writing: the build stopped."""
        self.files.stop()


# The build in progress in each staging folder, kept only so that the next build
# in the same folder can end one that stopped half way (its file helper still running).
_STAGES = {}


def open_stage(path):
    """Start a build's Stage for a staging folder (ending a stopped build's, if any)."""
    abandoned = _STAGES.pop(str(path), None)
    if abandoned is not None:
        abandoned.abandon()
    stage = _STAGES[str(path)] = Stage(str(path))
    return stage


def close_stage(path):
    """End a build's Stage; return it."""
    stage = _STAGES.pop(str(path), None)
    if stage is not None:
        stage.close()
    return stage
