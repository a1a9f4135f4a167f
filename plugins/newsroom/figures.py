"""A Markdown extension: a paragraph holding only a titled image becomes a figure.

`![Alt text](src "Caption")` alone on a line renders as
<figure><img alt="Alt text" src="src"><figcaption>Caption</figcaption></figure>,
so authors get captions without writing HTML.
"""

from xml.etree import ElementTree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class FigureTreeprocessor(Treeprocessor):
    """Rewrite lone titled images into figures with captions."""

    def run(self, root):
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if len(children) != 1 or children[0].tag != "img":
                continue
            image = children[0]
            caption = image.get("title")
            text = (paragraph.text or "").strip() + (image.tail or "").strip()
            if not caption or text:
                continue
            paragraph.tag = "figure"
            del image.attrib["title"]
            image.tail = None
            figcaption = ElementTree.SubElement(paragraph, "figcaption")
            figcaption.text = caption


class FigureExtension(Extension):
    """Register the figure rewriter after inline images exist."""

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(FigureTreeprocessor(md), "newsroom_figures", 5)
