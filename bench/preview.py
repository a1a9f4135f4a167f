"""Live preview latency: how soon after an author saves an article the preview serves it.

Runs `invoke livereload` (tasks.live_preview) on a copy of the corpus, on a free
port of 127.0.0.1, waits for its first build, then saves an edit to one article
a few times. For each save it measures, from the moment the file is written:

- the time until the preview server sends the article page with the new text
  (what the author sees: live preview renders that page first);
- the time until the full build behind it has replaced the output (the search
  index's manifest changes when it lands).

The server is stopped at the end, whatever happens; every wait is bounded.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.01
START_TIMEOUT = 600  # the first, cold build of a large corpus
SAVE_TIMEOUT = 120


@dataclass
class PreviewTimes:
    """Seconds from each save to the new text served, and to the full build landing."""

    shown: list = field(default_factory=list)
    built: list = field(default_factory=list)


class PreviewError(Exception):
    """The preview server did not start or did not show an edit in time."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    """Return the body at url, or None if the server does not answer (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(test, timeout, what):
    """Poll test() until it returns something true; return it, or fail after timeout."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        found = test()
        if found:
            return found
        time.sleep(POLL_SECONDS)
    raise PreviewError(f"gave up waiting for {what} after {timeout} s")


def time_one_save(source, url, manifest, marker):
    """Append a marker paragraph to a source; return the seconds until the preview shows
    it and until the full build has landed."""
    before = manifest.read_bytes()
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{marker}.\n")
    saved = time.perf_counter()
    wait_for(lambda: marker.encode() in (fetch(url) or b""), SAVE_TIMEOUT, "the edit to show")
    shown = time.perf_counter() - saved
    wait_for(lambda: manifest.read_bytes() != before, SAVE_TIMEOUT, "the full build")
    return shown, time.perf_counter() - saved


def measure_preview(corpus, work, page_of, environment, saves=3):
    """Measure live preview on a copy of the corpus in `work`; return PreviewTimes.

    page_of(output, slug) finds an article's page file in an output folder.
    """
    content, output, cache = work / "content", work / "output", work / "cache"
    shutil.copytree(corpus.path, content)
    source = content / corpus.edit_target.relative_to(corpus.path)
    port = free_port()
    overrides = f"PATH={str(content)!r}, OUTPUT_PATH={str(output)!r}, CACHE_PATH={str(cache)!r}"
    command = [sys.executable, "-c", f"import tasks; tasks.live_preview({port}, {overrides})"]
    log = open(work / "preview.log", "wb")  # noqa: SIM115 - closed with the server below
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
        start_new_session=True,
    )
    times = PreviewTimes()
    try:
        manifest = output / "search-index" / "index.json"
        wait_for(manifest.is_file, START_TIMEOUT, "the first build")
        relative = page_of(output, source.stem).relative_to(output).as_posix()
        url = f"http://127.0.0.1:{port}/{relative}"
        wait_for(lambda: fetch(url), 30, "the preview server")
        time.sleep(1)  # let the watcher take its first look at the files
        for save in range(saves):
            shown, built = time_one_save(source, url, manifest, f"Previewmarker{save}x{port}")
            times.shown.append(shown)
            times.built.append(built)
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    return times
