"""The plugin's one setting, NEWSROOM: a dict merged over these defaults."""

DEFAULTS = {
    # Folders below PATH holding the records that are content but not pages.
    "authors_path": "authors",
    "topics_path": "topics",
    "comments_path": "comments",
    # Site-wide redirect maps (*.txt): old addresses that are no one article's.
    "redirects_path": "redirects",
    # The sections an article's Category may name; None allows any.
    "categories": None,
    # Other section names articles may give (an archive's, a habit's), each mapped
    # onto one of those sections: {"News": "Reports"}.
    "section_map": {},
    # How many topics the topic list on every page shows before "All topics".
    "topic_list_size": 8,
    # Typogrify bodies, bios, profiles and headings. The plugin does it, in its
    # reader (not Pelican's TYPOGRIFY, which must stay False), so that the speed
    # layer can do it in parallel and cache it.
    "typogrify": True,
}


class SettingsError(Exception):
    """The NEWSROOM setting holds a key the plugin does not know."""


def plugin_settings(settings):
    """Return NEWSROOM merged over the defaults, refusing unknown keys."""
    given = settings.get("NEWSROOM", {}) or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"NEWSROOM has unknown keys {unknown!r}; allowed: {sorted(DEFAULTS)!r}")
    if settings.get("TYPOGRIFY") and given.get("typogrify", True):
        raise SettingsError(
            "TYPOGRIFY is True: set it to False; the newsroom plugin typogrifies "
            '(NEWSROOM["typogrify"]) and Pelican doing it too would typogrify twice'
        )
    for name in ("topic_list_size",):
        value = given.get(name, DEFAULTS[name])
        if type(value) is not int or value < 1:
            raise SettingsError(f"NEWSROOM[{name!r}] is {value!r}; it must be a whole number >= 1")
    merged = {**DEFAULTS, **given}
    section_map, sections = merged["section_map"], merged["categories"]
    if not isinstance(section_map, dict) or any(
        not isinstance(name, str) or (sections and target not in sections)
        for name, target in section_map.items()
    ):
        raise SettingsError(
            f'NEWSROOM["section_map"] is {section_map!r}; it maps names onto sections: '
            f"{{'Other name': 'Section'}}, each section one of {sections!r}"
        )
    return merged
