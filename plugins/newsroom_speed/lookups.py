"""Pelican's taxonomy lists, made quick to search.

For every tag, section and author page Pelican picks the articles of that
taxonomy from the list of all articles with `article in articles`, a search
through a list: on a large archive (hundreds of tags, thousands of articles)
that alone takes seconds. Once the lists are final, each becomes a
MemberList, a list that answers `in` from a set. Pelican's articles have no
equality of their own, so membership by identity is exactly what the list
search did.
"""


class MemberList(list):
    """A list of articles that answers `in` by identity, from a set."""

    def __init__(self, items=()):
        super().__init__(items)
        self._members = {id(item) for item in self}

    def __contains__(self, item):
        return id(item) in self._members

    def __reduce__(self):  # pickled as the plain list it is
        return (list, (list(self),))


def index_taxonomies(generators):
    """Turn the article lists of every tag, section and author into MemberLists."""
    for generator in generators:
        tags = getattr(generator, "tags", None)
        if isinstance(tags, dict):
            for tag, articles in tags.items():
                tags[tag] = MemberList(articles)
        for name in ("categories", "authors"):
            pairs = getattr(generator, name, None)
            if isinstance(pairs, list):
                pairs[:] = [(key, MemberList(articles)) for key, articles in pairs]
