"""One build's state: what a run of the build has learnt so far, in one object.

Pelican hands its receivers different things (the Pelican object, a generator,
the list of generators, a reader, a writer), but every one of them carries the
build's settings dict. The Build lives there, under BUILD_KEY, from the moment
Pelican starts a run (state.start_build) to the next run's start, so each
receiver finds the same object and no module keeps state of its own.
"""

from dataclasses import dataclass, field

BUILD_KEY = "newsroom_build"  # lower case: not a setting anyone writes


@dataclass
class Build:
    """What one run of the build knows: its sources, problems, bodies and folders."""

    engine: object = None  # engine.Engine, or the speed layer's faster equivalent
    sources: list = field(default_factory=list)  # scan.SourceFile, in path order
    by_path: dict = field(default_factory=dict, repr=False)  # sources by shown path
    indexed: list | None = field(default=None, repr=False)  # the list by_path indexes
    problems: list = field(default_factory=list)  # errors.Problem, reported together
    refused: set = field(default_factory=set)  # paths of sources whose headers were refused
    articles: list = field(default_factory=list)  # the published articles, once all are read
    output: str = None  # the folder readers get, replaced only by a checked build
    staging: str = None  # where this build writes until then
    discard_at_exit: object = None  # while staging is open: deletes it (output.py)
    warnings: object = None  # strict.WarningCollector, when warnings are fatal
    redirect_pages: list = field(default_factory=list)  # (Redirect, UTF-8 html), written last
    redirect_map: list = field(default_factory=list)  # redirects.Claim: redirect map lines
    query_redirects: list = field(default_factory=list)  # redirects.Redirect of old queries
    images: object = None  # images.Catalogue: the raster images the site shows, once met
    notes: list = field(default_factory=list)  # lines printed when the build succeeds
    cards: list = field(default_factory=list)  # cards.Card to draw, once every page has its own

    def __reduce__(self):
        # Pelican's content cache pickles what an article's metadata reaches, its
        # settings (and so this Build) included: a build's state outlives no build.
        return (Build, ())

    def of_kind(self, kind):
        """Return the scanned sources of one kind, in path order."""
        return [source for source in self.sources if source.kind == kind]

    def text_of(self, path):
        """Return the text of a scanned source (shown path), or an empty string."""
        if self.indexed is not self.sources:  # the scan's list, indexed on first use
            self.by_path = {source.path: source for source in self.sources}
            self.indexed = self.sources
        source = self.by_path.get(path)
        return source.text if source is not None else ""


def start_build(settings, engine):
    """Give a run of the build its Build, in its settings; return it."""
    build = settings[BUILD_KEY] = Build(engine)
    return build


def build_of(settings):
    """Return the Build of the run these settings belong to."""
    return settings[BUILD_KEY]
