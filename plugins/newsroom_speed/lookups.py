"""Pelican's taxonomy lists, made quick to search.

For every tag, section and author page Pelican picks the articles of that
taxonomy from the list of all articles with `article in articles`, a search
through a list: on a large archive (hundreds of tags, thousands of articles)
that alone takes seconds. Once the lists are final, each becomes a
MemberList, a list that answers `in` from a set. Pelican's articles have no
equality of their own, so membership by identity is exactly what the list
search did. And where Pelican picks each tag's, section's and author's articles
in date order by searching the whole archive once per list, taxonomy_pages picks
them all in one pass (the same lists; its writes are Pelican's own).
"""

import types


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


def dates_of(dates, groups):
    """For each list of articles in groups, the articles of dates that are in it, in the
    order of dates: Pelican's `[a for a in self.dates if a in articles]` for every tag,
    section and author, in one pass instead of one pass per list."""
    where = {}  # id(article) -> the groups it is in, each once
    for number, articles in enumerate(groups):
        for article in articles:
            found = where.setdefault(id(article), [])
            if not found or found[-1] != number:
                found.append(number)
    chosen = [[] for _ in groups]
    for article in dates:
        for number in where.get(id(article), ()):
            chosen[number].append(article)
    return chosen


def taxonomy_pages(kind, name):
    """A generator's generate_tags, generate_categories or generate_authors: Pelican's
    own writes, with every list's dates worked out by dates_of."""

    def generate(generator, write):
        template = generator.get_template(kind)
        found = getattr(generator, name)
        pairs = list(found.items() if isinstance(found, dict) else found)
        chosen = dates_of(generator.dates, [articles for _, articles in pairs])
        for (taxon, articles), dates in zip(pairs, chosen, strict=True):
            write(
                taxon.save_as,
                template,
                generator.context,
                **{kind: taxon},
                url=taxon.url,
                articles=articles,
                dates=dates,
                template_name=kind,
                blog=True,
                page_name=taxon.page_name,
                all_articles=generator.articles,
            )

    return generate


def quick_taxonomy_pages(generator):
    """Give Pelican's article generator the one-pass taxonomy pages, for this build."""
    for kind, name in (("tag", "tags"), ("category", "categories"), ("author", "authors")):
        pages = types.MethodType(taxonomy_pages(kind, name), generator)
        setattr(generator, f"generate_{name}", pages)
