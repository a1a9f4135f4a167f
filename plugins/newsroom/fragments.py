"""`{% fragment key, ... %}...{% endfragment %}`: a piece of a page rendered once per build.

The same markup recurs across a site: an article's card on every listing it is
in (its topics, section, authors, year, the home page), an author's bio under
each of their articles, the topic list and footer on every page. A fragment
is rendered the first time its keys are met and its text reused after that.
The keys must name everything the fragment shows besides what is the same on
every page of the build (settings, the topic list): an article, an author, a
heading level. Each template environment (one per generator, per build)
keeps its own fragments, so nothing outlives a build.
"""

from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup


class FragmentCache(Extension):
    """The `fragment` tag."""

    tags = frozenset({"fragment"})

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(newsroom_fragments={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        call = self.call_method("_render", [nodes.List(keys)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, keys, caller):
        fragments = self.environment.newsroom_fragments
        # Keys are held with the text, so an object's identity is never reused.
        key = tuple((type(k), id(k)) if not isinstance(k, (str, int)) else k for k in keys)
        known = fragments.get(key)
        if known is None:
            known = fragments[key] = (keys, Markup(caller()))
        return known[1]
