"""One build of the site, bounded and strict: what `invoke build` runs.

Kept apart from tasks.py so that a build imports Pelican and the plugins and
nothing else (invoke's own import costs a tenth of a warm build).
"""

import contextlib
import gc
import logging
import resource
import signal
import sys
import threading

from pelican import Pelican
from pelican.settings import read_settings

from newsroom.errors import BuildStopped
from newsroom.output import discard_staging
from newsroom.state import BUILD_KEY

# A build is bounded whatever the input: the content checks refuse what would
# make it slow, and these limits stop anything they did not foresee.
BUILD_SECONDS = 30 * 60
BUILD_MEMORY_BYTES = 8 * 1024**3


class ErrorCollector(logging.Handler):
    """Remember the messages of every ERROR or worse that Pelican logs."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage().splitlines()[0])


def collector_policy(settings):
    """The speed layer's garbage-collector policy for the build, where the build uses it."""
    if "newsroom_speed" not in settings.get("PLUGINS", []):
        return contextlib.nullcontext()
    from newsroom_speed.collector import build_threshold

    return build_threshold()


def build_site(settings_path, **override):
    """Build once with a settings file and overrides; return True on success, after
    printing what went wrong.

    The newsroom plugin builds into a staging folder, checks it, and only then
    replaces the output, so a failed build leaves the last good site in place,
    and no staging folder beside it, however it stopped.
    """

    def out_of_time(signum, frame):
        raise BuildStopped.because(f"the build ran longer than {BUILD_SECONDS} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = BUILD_MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(hard, BUILD_MEMORY_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    # The time limit is an alarm signal, which only the main thread can take
    # (live preview builds on a thread of its own, beside its server).
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, out_of_time)
        signal.alarm(BUILD_SECONDS)
    # Pelican only logs some failures (a plugin that cannot load, a file it
    # cannot read) and carries on; a newsroom build treats them as fatal.
    errors = ErrorCollector()
    logging.getLogger("pelican").addHandler(errors)
    settings = {}
    try:
        settings = read_settings(str(settings_path), override=override or None)
        with collector_policy(settings):
            Pelican(settings).run()
        if errors.messages:
            raise BuildStopped.because("Pelican reported: " + " | ".join(errors.messages))
    except BuildStopped as stop:
        print(stop.code, file=sys.stderr)
        return False
    except MemoryError:
        print(f"Build stopped: it needed more than {limit:,} bytes of memory", file=sys.stderr)
        return False
    finally:
        # A run that stopped anywhere, in Pelican's own code too, leaves no staging
        # folder (nothing to do after a run that swapped its folder in).
        discard_staging(settings.get(BUILD_KEY))
        logging.getLogger("pelican").removeHandler(errors)
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return True


def build_before_exit(settings_path, **override):
    """build_site, in a process that ends soon after it (invoke build, preview and
    publish; the benchmark).

    The build's objects are left for the operating system to reclaim at exit:
    out of the collector's reach, they are not freed one by one by the
    interpreter (a second at 5,000 articles). Not for a process that builds
    again, such as the live preview or the tests: every build's objects would stay.
    """
    try:
        return build_site(settings_path, **override)
    finally:
        gc.freeze()
