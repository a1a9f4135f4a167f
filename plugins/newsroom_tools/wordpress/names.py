"""Names and slugs from WordPress, made into what the site's rules accept.

The rules (plugins/newsroom/rules.py, slugs.py) refuse markup in names, a
comma inside one (commas separate names), names without a letter or digit,
and slugs that are not lower-case ASCII words joined by hyphens; WordPress
allows all of them, so each is mended here and the mending reported.
"""

import re
from urllib.parse import unquote

from unidecode import unidecode

from newsroom.markup import plain_text, slug_for
from newsroom.slugs import SLUG_LIMIT, cut_slug
from newsroom.topics import tag_key

_SPACE = re.compile(r"\s+")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def plain(text):
    """Text of a WordPress title or name: tags dropped, entities decoded, one line."""
    return plain_text(text or "").strip()


def clean_name(text):
    """Return (a name the rules accept, or "" if none is left; what was changed or None).

    `&` becomes `and`; `<`, `>` and commas (which separate names) are dropped.
    """
    name = plain(text)
    mended = _SPACE.sub(" ", name.replace("&", " and ").replace(",", " "))
    mended = mended.replace("<", "").replace(">", "").strip()
    if not re.search(r"[^\W_]", mended):
        return "", f"{name!r} has no letter or digit"
    return mended, (f"{name!r} written as {mended!r}" if mended != name else None)


def fold(name):
    """The key two spellings of one name share (`Al-Shabaab`, `al shabaab`)."""
    return tag_key(name)


def slug_from(text, settings):
    """A slug the rules accept, from a WordPress slug or title (may be percent-encoded,
    non-ASCII): transliterated, cut at a word to the site's limit; "" if nothing is left."""
    decoded = unquote(text or "", errors="replace")
    return cut_slug(slug_for(unidecode(decoded), settings), SLUG_LIMIT).strip("-")


def is_site_slug(text):
    """Whether a WordPress slug is one the site accepts as it is."""
    return bool(_SLUG.match(text or "")) and len(text) <= SLUG_LIMIT


class Slugs:
    """Hand out unique slugs in one namespace, in the order asked (so a run is repeatable)."""

    def __init__(self, taken=()):
        self.taken = set(taken)

    def claim(self, wanted):
        """Return `wanted`, or `wanted-2`, `-3`... the first one free."""
        slug, number = wanted, 1
        while slug in self.taken:
            number += 1
            suffix = f"-{number}"
            slug = cut_slug(wanted, SLUG_LIMIT - len(suffix)) + suffix
        self.taken.add(slug)
        return slug
