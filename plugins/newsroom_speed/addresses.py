"""Addresses worked out once per build, not on every use.

Pelican formats an item's `url` and `save_as` (and a tag's, an author's or a
section's) from the settings every time a template or feed asks, and a site
asks tens of thousands of times. Once every file is read the addresses are
settled, so freeze_addresses() records each one on its object, and Pelican's
getters, wrapped here once, return the recorded value when there is one.
Objects without one (static files, anything made later) are untouched.
"""

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from newsroom.enrich import every_item

FROZEN = "_frozen_addresses"
WRAPPER_KEYS = {"url": "URL", "save_as": "SAVE_AS"}


def install():
    """Wrap Pelican's address getters to read recorded addresses first (idempotent)."""
    if getattr(Content.get_url_setting, "newsroom", False):
        return
    original = Content.get_url_setting

    def get_url_setting(self, key):
        frozen = self.__dict__.get(FROZEN)
        return frozen[key] if frozen and key in frozen else original(self, key)

    get_url_setting.newsroom = True
    Content.get_url_setting = get_url_setting
    for name, key in WRAPPER_KEYS.items():
        setattr(URLWrapper, name, property(wrapper_getter(name, key)))


def wrapper_getter(name, key):
    """A tag's, author's or section's address: recorded, or formatted as Pelican does."""

    def getter(self):
        frozen = self.__dict__.get(FROZEN)
        return frozen[name] if frozen else self._from_settings(key)

    return getter


def freeze(obj, names):
    """Record an object's addresses as they are now."""
    if FROZEN not in obj.__dict__:
        obj.__dict__[FROZEN] = {name: getattr(obj, name) for name in names}


def freeze_addresses(generators):
    """Record the address of every item and every tag, author and section of the build."""
    for generator in generators:
        for item in every_item(generator):
            freeze(item, ("url", "save_as"))
            for wrapper in [*getattr(item, "tags", []), *getattr(item, "authors", [])]:
                freeze(wrapper, WRAPPER_KEYS)
            if getattr(item, "category", None) is not None:
                freeze(item.category, WRAPPER_KEYS)
        for name in ("tags", "categories", "authors"):
            pairs = getattr(generator, name, {})
            for wrapper in pairs.keys() if isinstance(pairs, dict) else (p for p, _ in pairs):
                freeze(wrapper, WRAPPER_KEYS)
