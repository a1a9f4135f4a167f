"""WordPress categories onto the site's sections.

The map has the form of the site's own NEWSROOM["section_map"]: a JSON object
of category name -> section, `{"News": "Reports", "Opinion": "Analysis"}`.
The site's map applies too, and a category named like a section needs no entry.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from newsroom.config import SettingsError, plugin_settings


class SectionsError(Exception):
    """The section map or the default section cannot be used; the message says why."""


@dataclass
class Sections:
    names: list  # the site's sections
    mapping: dict  # lower-cased category name -> section
    default: str

    def lookup(self, category):
        return self.mapping.get(category.strip().lower())


def load_sections(path, settings, default=None):
    try:
        newsroom = plugin_settings(settings)
    except SettingsError as error:
        raise SectionsError(f"the site's settings: {error}") from None
    names = list(newsroom["categories"] or [])
    podcast = (settings.get("SITE_PODCAST") or {}).get("section")
    usable = [n for n in names if n != podcast]  # an episode needs audio a post lacks
    given = {}
    if path:
        try:
            given = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise SectionsError(f"{path}: cannot be read ({error.strerror})") from None
        except ValueError as error:
            raise SectionsError(f"{path}: is not JSON ({error})") from None
        if not isinstance(given, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in given.items()
        ):
            raise SectionsError(
                f'{path}: must be one JSON object of category -> section, {{"News": "Reports"}}'
            )
    mapping = {name.lower(): name for name in usable}
    for source in (newsroom["section_map"], given):
        for category, section in source.items():
            if names and section not in usable:
                raise SectionsError(
                    f"{path or 'NEWSROOM[section_map]'}: {category!r} maps onto {section!r}, "
                    f"which is not a section posts can go to; use one of {usable!r}"
                )
            mapping[category.strip().lower()] = section
    default = default or (usable[0] if usable else "Analysis")
    if usable and default not in usable:
        raise SectionsError(f"the default section {default!r} is not one of {usable!r}")
    return Sections(names, mapping, default)
