"""The helper process of card_store.py: draw social cards into the card store.

Run as a script by a fresh interpreter (`python -I card_helper.py <store folder>`),
so that it holds none of the build's memory, with the cards to draw as JSON on
standard input: {"fonts": [headline font, label font], "cards": [[name, headline,
kind, site], ...]}. It loads the site layer's cards.py on its own (that module
imports only the standard library and Pillow), draws each card the way the site
layer does and puts it in the store under its name: written to a file of its own,
then renamed, so that a card in the store is whole.
"""

import importlib.util
import json
import os
import sys

NICENESS = 10
CARDS_MODULE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "newsroom", "cards.py"
)


def store_card(folder, name, data):
    """Put a card's bytes in the store as name, replacing (never writing through) a file
    there: the output may hold a hard link to it."""
    path = os.path.join(folder, name)
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def load_cards():
    """Load the site layer's cards.py as a module of its own (not through its package,
    which would bring Pelican in)."""
    spec = importlib.util.spec_from_file_location("newsroom_cards", CARDS_MODULE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def serve(folder, job):
    """Draw every card of a job into the store folder."""
    cards = load_cards()
    painter = cards.CardPainter(tuple(job["fonts"]))
    for name, headline, kind, site in job["cards"]:
        store_card(folder, name, painter.png(cards.CardSpec(headline, kind, site)))


if __name__ == "__main__":
    # Cards are needed only once the pages are written: the build's own processes
    # (rendering them, writing the files) go first, the helpers take what CPU is left.
    os.nice(NICENESS)
    serve(sys.argv[1], json.load(sys.stdin))
