"""Markdown extensions for article prose: captioned figures and scrollable tables.

`![Alt text](src "Caption")` alone on a line renders as
<figure><img alt="Alt text" src="src"><figcaption>Caption</figcaption></figure>,
so authors get captions without writing HTML. Tables are wrapped in a labelled,
focusable region so a wide one scrolls inside itself and keyboards can reach it.
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


def table_label(table):
    """Name a table by its column headings, for the region that holds it."""
    headings = ["".join(th.itertext()).strip() for th in table.iter("th")]
    return "Table: " + ", ".join(h for h in headings if h) if any(headings) else "Table"


class TableTreeprocessor(Treeprocessor):
    """Wrap each table in <div class="table-wrap" role="region" tabindex="0">."""

    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                wrapper = ElementTree.Element(
                    "div",
                    {
                        "class": "table-wrap",
                        "role": "region",
                        "tabindex": "0",
                        "aria-label": table_label(child),
                    },
                )
                parent.remove(child)
                wrapper.append(child)
                wrapper.tail, child.tail = child.tail, None
                parent.insert(index, wrapper)


class ProseExtension(Extension):
    """Register figures and table regions after inline images and tables exist."""

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(FigureTreeprocessor(md), "newsroom_figures", 5)
        md.treeprocessors.register(TableTreeprocessor(md), "newsroom_tables", 4)
