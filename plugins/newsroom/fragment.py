"""`{% fragment key, ... %}...{% endfragment %}`: a piece of a page that is the same wherever
its keys are the same.

The theme marks such pieces (an article's card, an author's bio, the footer)
so that a build may render each once and reuse it. Here the tag only renders
its body, every time; the speed layer's FragmentCache (a subclass) keeps the
text. The keys must name everything the piece shows besides what is the same
on every page of the build (settings, the topic list).
"""

from jinja2 import nodes
from jinja2.ext import Extension


class Fragment(Extension):
    """The `fragment` tag: its body, rendered where it stands."""

    tags = frozenset({"fragment"})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endfragment",), drop_needle=True)
        call = self.call_method("render_fragment", [nodes.List(keys)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def render_fragment(self, keys, caller):
        """Return the fragment's text for these keys."""
        return caller()
