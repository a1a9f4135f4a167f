"""Template fragments rendered once per build: the `fragment` tag's text kept by its keys.

The same markup recurs across a site: an article's card on every listing it is
in (its topics, section, authors, year, the home page), an author's bio under
each of their articles, the topic list and footer on every page. The site
layer's Fragment tag renders its body every time; FragmentCache renders it the
first time its keys are met and reuses the text after that. Each template
environment (one per generator, per build) keeps its own fragments, so nothing
outlives a build.
"""

from markupsafe import Markup

from newsroom.fragment import Fragment


class FragmentCache(Fragment):
    """The `fragment` tag, each text kept by its keys for the rest of the build."""

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(newsroom_fragments={})

    def render_fragment(self, keys, caller):
        fragments = self.environment.newsroom_fragments
        # Keys are held with the text, so an object's identity is never reused.
        key = tuple((type(k), id(k)) if not isinstance(k, (str, int)) else k for k in keys)
        known = fragments.get(key)
        if known is None:
            known = fragments[key] = (keys, Markup(caller()))
        return known[1]
