"""The speed layer: an optional plugin beneath the site layer (newsroom) that makes builds
fast and never changes a byte of what they write.

It hands each build a SpeedEngine (engine.py) in place of the site layer's
plain Engine. Everything here that touches a library's private API does so
only for the versions listed in VERIFIED: with any other version installed,
the layer stays off (one notice on standard error, not a warning, which a
production build would make fatal) and the site layer builds alone. Remove
"newsroom_speed" from PLUGINS to build without it.
"""

import sys
from importlib.metadata import version

from pelican import signals

# The libraries whose private parts this layer uses, at the versions it was checked with.
VERIFIED = {
    "pelican": "4.12.0",
    "markdown": "3.11.3",
    "typogrify": "2.1.0",
    "smartypants": "2.0.2",
    "feedgenerator": "2.2.1",
    "jinja2": "3.1.6",
}


def unverified():
    """Return the installed libraries whose version differs from VERIFIED, described."""
    return [
        f"{name} {version(name)} (checked with {wanted})"
        for name, wanted in VERIFIED.items()
        if version(name) != wanted
    ]


def take_over(pelican):
    """Give this run the speed layer's engine, if the libraries are the checked versions."""
    from newsroom.state import BUILD_KEY

    if sys.modules[__name__] not in pelican.plugins:
        return  # connected by an earlier run in this process that listed it; this one does not
    settings = pelican.settings
    if BUILD_KEY not in settings:
        print(
            "newsroom_speed is off: list it after newsroom in PLUGINS (it speeds up that plugin)",
            file=sys.stderr,
        )
        return
    differing = unverified()
    if differing:
        print(
            f"newsroom_speed is off: {', '.join(differing)}; the site builds without it",
            file=sys.stderr,
        )
        return
    from .setup import use_speed_engine

    use_speed_engine(settings)


def register():
    """Connect the speed layer: one receiver, run after the site layer's start of a run."""
    signals.initialized.connect(take_over)
