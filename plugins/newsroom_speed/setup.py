"""Put the speed layer in place for one run of the build."""

from newsroom.fragment import Fragment
from newsroom.state import build_of

from .addresses import install
from .engine import SpeedEngine
from .fragments import FragmentCache

# The speed layer's own setting, NEWSROOM_SPEED: a dict merged over these defaults.
DEFAULTS = {
    # Processes that render Markdown at once; None means one per CPU core.
    "workers": None,
}


class SettingsError(Exception):
    """NEWSROOM_SPEED holds a key or value the speed layer does not take."""


def speed_settings(settings):
    """Return NEWSROOM_SPEED merged over the defaults, refusing unknown keys."""
    given = settings.get("NEWSROOM_SPEED") or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SettingsError(
            f"NEWSROOM_SPEED has unknown keys {unknown!r}; allowed: {sorted(DEFAULTS)!r}"
        )
    workers = given.get("workers")
    if workers is not None and (type(workers) is not int or workers < 1):
        raise SettingsError(f"NEWSROOM_SPEED['workers'] is {workers!r}; use None or a number >= 1")
    return {**DEFAULTS, **given}


def use_speed_engine(settings):
    """Hand the run the SpeedEngine; templates keep their fragments for the build."""
    options = speed_settings(settings)
    install()  # Pelican's address getters read the addresses the engine records
    build_of(settings).engine = SpeedEngine(options["workers"])
    jinja = settings.setdefault("JINJA_ENVIRONMENT", {})
    # A build renders with the templates as it found them: no file check per include.
    jinja["auto_reload"] = False
    extensions = jinja.setdefault("extensions", [])
    extensions[:] = [FragmentCache if ext is Fragment else ext for ext in extensions]
    if FragmentCache not in extensions:
        extensions.append(FragmentCache)
