"""Social cards kept between builds: a warm build draws no card it drew before.

The site layer draws every page's card on every build (newsroom/cards.py,
Engine.write_cards). Here each card's PNG is kept in CACHE_PATH/newsroom-cards/,
named by a digest of everything that decides its bytes: what is drawn on it, the
fonts and the drawing code (cards.spec_digest), and the versions of Pillow,
FreeType and zlib (cards.renderer_version). A card found there is hard-linked into
the staging folder (copied where links fail); the store's files are only ever
replaced by a rename, never written through, so the output never changes under a
link. Cards not found are drawn, the way the site layer draws them, by helper
processes (card_helper.py, at a low priority: the pages are what the build waits
for) while the pages render, and linked in once they are written; a few are drawn
here at once. The store keeps only the cards of the last build.
"""

import contextlib
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from newsroom.cards import CardPainter, design_digest, font_files, renderer_version, spec_digest
from newsroom.output import is_running

from . import card_helper
from .card_helper import store_card
from .store_stamps import StoreStamps

logger = logging.getLogger(__name__)

STORE = "newsroom-cards"  # in CACHE_PATH
FORMAT = 1  # bump when what a stored card's name covers changes
# Below this many cards to draw, starting a helper costs more than drawing them here
# (a helper takes about 0.1 s to start; a card, about 4 ms to draw).
HELPER_THRESHOLD = 24


class CardStore:
    """One build's cards: found in the store, or drawn into it; then placed in the output."""

    def __init__(self, settings, workers=1):
        self.folder = Path(settings["CACHE_PATH"], STORE)
        self.stamps = StoreStamps(Path(settings["CACHE_PATH"], STORE + ".stamps"))
        self.fonts = font_files(settings)
        self.design = design_digest(self.fonts)
        self.version = f"{FORMAT}\0{renderer_version()}"
        self.workers = max(1, workers)
        self.drawn = 0  # cards this build drew: not in the store
        self.reused = 0  # cards this build found in the store
        self.used = set()  # names in the store of this build's cards
        self.pending = []  # (name, target) of cards not in the store, placed once drawn
        self.missing = {}  # name -> spec of the cards not in the store
        self.helpers = []  # the helper processes, while they run
        self.folders = set()  # folders made in the staging folder

    def name_of(self, spec):
        """Return the name in the store of the card of a spec."""
        text = f"{self.version}\0{spec_digest(spec, self.design)}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest() + ".png"

    def start(self, cards, staging):
        """Place every card found in the store; start drawing the others."""
        self.folder.mkdir(parents=True, exist_ok=True)
        missing = self.missing
        for card in cards:
            name = self.name_of(card.spec)
            self.used.add(name)
            target = os.path.join(staging, card.path)
            stored = self.folder / name
            if name not in missing and self.stamps.trusted(stored) and self.place(name, target):
                self.reused += 1
                continue
            missing.setdefault(name, card.spec)
            self.pending.append((name, target))
        self.drawn = len(missing)
        jobs = sorted(missing.items())
        helpers = min(self.workers, len(jobs) // HELPER_THRESHOLD)
        if helpers == 0:
            self.draw_here(jobs)
        else:
            for number in range(helpers):
                self.helpers.append(self.start_helper(jobs[number::helpers]))

    def start_helper(self, jobs):
        """Start a helper process drawing some cards into the store."""
        job = {
            "fonts": list(self.fonts),
            "cards": [[name, spec.headline, spec.kind, spec.site] for name, spec in jobs],
        }
        with tempfile.TemporaryFile() as request:  # a file, not a pipe: nothing waits on it
            request.write(json.dumps(job).encode("utf-8"))
            request.seek(0)
            command = [sys.executable, "-I", card_helper.__file__, str(self.folder)]
            return subprocess.Popen(command, stdin=request, stdout=subprocess.DEVNULL)

    def draw_here(self, jobs):
        """Draw cards in this process, into the store."""
        painter = CardPainter(self.fonts)
        for name, spec in jobs:
            store_card(self.folder, name, painter.png(spec))

    def place(self, name, target):
        """Put the stored card name at target; return False if the store has no such card."""
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        stored = self.folder / name
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)  # a card two pages share
        try:
            os.link(stored, target)
        except FileNotFoundError:
            return False
        except OSError:  # another file system, or one without hard links
            try:
                shutil.copyfile(stored, target)
            except FileNotFoundError:
                return False
        return True

    def finish(self):
        """Wait for the helpers, place what they drew (drawing here whatever they could not),
        and let the store keep only this build's cards."""
        helpers, self.helpers = self.helpers, []
        for helper in helpers:
            helper.wait()
        self.folders.clear()  # made before the pages were written: look again
        pending, self.pending = self.pending, []
        failed = {name for name, target in pending if not self.place(name, target)}
        if failed:  # a helper stopped half way: draw what it left here
            self.draw_here([(name, self.missing[name]) for name in sorted(failed)])
            for name, target in pending:
                if name in failed:
                    self.place(name, target)
        self.missing = {}
        self.prune()
        self.stamps.keep_only(self.folder / name for name in sorted(self.used))
        logger.info(
            "Drew %d social cards; %d unchanged since the last build", self.drawn, self.reused
        )

    def prune(self):
        """Delete the stored cards this build did not use, and files left by helpers that
        stopped half way."""
        for entry in os.scandir(self.folder):
            if entry.name in self.used:
                continue
            if entry.name.endswith(".partial"):
                pid = entry.name.rsplit(".", 2)[-2]
                if pid.isdigit() and is_running(int(pid)):
                    continue  # another build's helper, still drawing
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)

    def stop(self):
        """Stop the helpers without waiting for them: the build stopped."""
        helpers, self.helpers = self.helpers, []
        for helper in helpers:
            helper.kill()
            helper.wait()
