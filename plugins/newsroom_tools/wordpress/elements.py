"""The vocabulary the converter's steps share: element names, and questions asked of a tree.

A parsed post is a BeautifulSoup tree. The cleaner (clean.py and the modules mixed
into it), the paragraph maker (paragraphs.py) and the Markdown writer
(markdown_writer.py) name elements by the sets here, so that they agree on what
is a heading, a container or a block.
"""

from bs4 import Tag


def element_names(text):
    """Element names written as words."""
    return frozenset(text.split())


HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
# Containers: become <div>, whose content is blocks of its own.
CONTAINERS = element_names(
    "div section article header footer aside main nav details summary address center "
    "fieldset legend hgroup figcaption caption dialog search body html"
)
# Block elements: what cannot stand inside emphasis or a link's text in Markdown.
INLINE_BREAKING = element_names("p div ul ol li blockquote pre table hr") | HEADINGS
# The element standing for Markdown the cleaner wrote itself (a complex table's HTML,
# tables.py): the writer puts that Markdown in as it is (convert_wpsc_markdown).
RAW_MARKER = "wpsc-markdown"


def tags_in(tag, names):
    """Return the elements below tag with one of the names, in document order.

    Walking the descendants is much faster than find_all for the small elements
    this is asked of, once per link and emphasis.
    """
    return [node for node in tag.descendants if isinstance(node, Tag) and node.name in names]


def inside(tag, names):
    """Whether an ancestor of tag has one of the names."""
    return any(parent.name in names for parent in tag.parents)


def holds_blocks(tag):
    """Whether an inline element holds block elements (after cleaning)."""
    return bool(tags_in(tag, INLINE_BREAKING))


def squash(text):
    """Return text on one line with runs of whitespace as one space."""
    return " ".join(str(text or "").split())
