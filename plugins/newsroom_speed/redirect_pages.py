"""Redirect pages left in place from the spare when this build renders them the same.

An archive moved in from another system has tens of thousands of old addresses,
each a small page the site layer writes at the end of every build
(newsroom/redirects.py). The spare holds the last-but-one build's: those this
build renders byte for byte the same stay where they are, instead of being
deleted when the spare is claimed and written again. The pages are listed in
CACHE_PATH so that the next claim keeps them; a page that changed is deleted
before the site layer writes it, so nothing is ever written through a file the
spare shares with the live output.
"""

import os

from .caches import read_cache, write_cache

RECORD = "newsroom-redirect-pages.pickle"  # in CACHE_PATH
FORMAT = 1


def recorded_pages(settings):
    """The redirect pages the last build wrote or kept, relative to the output."""
    saved = read_cache(os.path.join(settings["CACHE_PATH"], RECORD), FORMAT)
    return set(saved["pages"]) if saved else set()


def record_pages(settings, pages):
    """List this build's redirect pages for the next build's claim of the spare."""
    names = sorted(redirect.save_as for redirect, _ in pages)
    write_cache(os.path.join(settings["CACHE_PATH"], RECORD), FORMAT, pages=names)


def same_pages(staging, pages, candidates):
    """Return the redirect pages (relative paths) among candidates that the staging
    folder already holds exactly as rendered."""
    same = set()
    for redirect, html in pages:
        name = redirect.save_as
        if name not in candidates:
            continue
        path = os.path.join(staging, name)
        try:
            if os.path.getsize(path) == len(html):
                with open(path, "rb") as page:
                    if page.read() == html:
                        same.add(name)
        except OSError:
            continue
    return same
