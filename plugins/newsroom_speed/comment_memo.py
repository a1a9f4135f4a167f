"""Reader comments' HTML, kept between builds.

A comment's HTML depends only on its Markdown, the typography settings and the
code of both layers, and an archive brought over from WordPress holds tens of
thousands of comments that never change: each is sanitised and typeset once,
then found here by its text's digest. Bodies not found are rendered with the
speed layer's typogrify (typography.py, byte for byte typogrify's).
"""

import hashlib
import os

from newsroom.comments import comment_html_of

from .caches import read_cache, write_cache
from .incremental import plugins_digest
from .typography import typogrify

MEMO = "newsroom-comments.pickle"  # in CACHE_PATH
FORMAT = 1
SETTINGS = ("TYPOGRIFY_DASHES", "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_IGNORE_TAGS")


def memo_key(settings):
    """What every comment's HTML depends on besides its text."""
    newsroom = settings.get("NEWSROOM", {}) or {}
    values = [newsroom.get("typogrify", True), *(settings.get(name) for name in SETTINGS)]
    return plugins_digest() + repr(values)


def comment_html_memo(bodies, settings):
    """Return the HTML of each body, rendering only those the memo lacks."""
    path = os.path.join(settings["CACHE_PATH"], MEMO)
    key = memo_key(settings)
    saved = read_cache(path, FORMAT)
    known = saved["html"] if saved and saved.get("key") == key else {}
    render, kept, result = None, {}, []
    for body in bodies:
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        html = known.get(digest)
        if html is None:
            render = render or comment_html_of(settings, typogrify)
            html = render(body)
        kept[digest] = html
        result.append(html)
    if kept.keys() != known.keys():  # only what this build's comments need
        write_cache(path, FORMAT, key=key, html=kept)
    return result
