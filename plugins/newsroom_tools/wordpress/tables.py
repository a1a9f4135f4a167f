"""Tables: a simple one becomes a pipe table, a complex one is kept as sanitized HTML.

Part of the Cleaner (clean.py), which mixes these methods in. A pipe table says only
rows of plain cells under one header row. Merged cells, nested tables, blocks in
cells or rows wider than the first need HTML: that HTML is built here, sanitized by
nh3 to table markup and inline text, and handed to the Markdown writer as a raw
block (a RAW_MARKER element): left in the tree, the table would be written as a
pipe table again.

Uses the Cleaner's notes, in_table, raw_blocks, clean(), keep() and new().
"""

import re
from html import escape as escape_html

import nh3
from bs4 import NavigableString, Tag

from .elements import CONTAINERS, HEADINGS, RAW_MARKER, element_names, squash
from .urls import SAFE_SCHEMES

# In a table cell, what makes the table complex (kept as HTML).
_CELL_BLOCKS = element_names("ul ol pre blockquote table hr dl figure") | HEADINGS
# In a complex table cell, what is turned into lines (the kept HTML is inline only).
_CELL_FLATTENED = _CELL_BLOCKS | {"p", "div", "li", "dt", "dd"} | CONTAINERS
# What nh3 keeps of a complex table: table markup, inline text, and these attributes.
_TABLE_TAGS = element_names("table thead tbody tfoot tr th td caption")
_TABLE_INLINE = element_names("a b strong i em code br sub sup small abbr del ins s q cite")
_TABLE_ATTRIBUTES = {
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "a": {"href"},
}


def _span(cell, name):
    """Return a cell's colspan or rowspan as a number (1 when absent or unreadable)."""
    value = str(cell.get(name) or "1").strip()
    return int(value) if value.isdigit() and len(value) < 5 else 1


def _table_is_complex(table):
    """Whether a table needs HTML: merged cells, nested tables, blocks in cells, several
    header rows, or rows wider than the first (a pipe table would drop their cells)."""
    if table.find("table"):
        return True
    rows = table.find_all("tr")
    if sum(1 for row in rows if row.parent.name == "thead") > 1:
        return True
    width = None
    for row in rows:
        cells = row.find_all(["td", "th"], recursive=False)
        for cell in cells:
            if _span(cell, "colspan") > 1 or _span(cell, "rowspan") > 1:
                return True
            if cell.find(_CELL_BLOCKS) or len(cell.find_all(["p", "div"])) > 1:
                return True
        if width is None:
            width = len(cells)
        elif len(cells) > width:
            return True
    return False


class Tables:
    """The Cleaner's handlers for tables and their parts."""

    def table(self, tag):
        if self.in_table:
            self.keep(tag, "table")  # nested: part of its complex parent's HTML
            return
        complex_table = _table_is_complex(tag)
        self.in_table += 1
        try:
            self.clean(tag)
        finally:
            self.in_table -= 1
        tag.attrs = {}
        images = tag.find_all("img")
        for img in images:
            img.replace_with(NavigableString(img.get("alt") or ""))
        if images:
            self.notes.add("images in a table became their alt text")
        if complex_table:
            self.notes.add("a complex table kept as HTML")
            tag.replace_with(self.raw_block(_table_html(tag)))

    def cell(self, tag):
        attributes = {}
        for name in ("colspan", "rowspan"):
            if _span(tag, name) > 1:
                attributes[name] = str(_span(tag, name))
        scope = str(tag.get("scope") or "").lower()
        if tag.name == "th" and scope in ("row", "col", "rowgroup", "colgroup"):
            attributes["scope"] = scope
        self.keep(tag, tag.name, **attributes)

    def table_part(self, tag):
        if self.in_table:
            self.keep(tag, tag.name)
        else:
            self.clean(tag)  # a row or cell outside a table: its content only
            tag.unwrap()

    def raw_block(self, markdown):
        self.raw_blocks.append(markdown)
        return self.new(RAW_MARKER, **{"data-index": str(len(self.raw_blocks) - 1)})


def _table_html(table):
    """A complex table as HTML for a raw block: sanitized by nh3 to table markup and inline
    text, one row a line, in the region prose.py gives every table (it scrolls when wide)."""
    for cell in table.find_all(["td", "th", "caption"]):
        blocks = cell.find_all(_CELL_FLATTENED)
        for block in reversed(blocks):
            if block.name == "li":
                block.insert(0, NavigableString("• "))
            if block.name == "table":
                continue  # nested tables stay tables
            if block.next_sibling is not None and block.name != "hr":
                block.insert_after(Tag(name="br", can_be_empty_element=True))
            if block.name == "hr":
                block.decompose()
            else:
                block.unwrap()
    markup = nh3.clean(
        str(table),
        tags=set(_TABLE_TAGS | _TABLE_INLINE),
        attributes=_TABLE_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # One line per row, and no blank line: a raw HTML block ends at a blank line.
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r"\s*(</(?:tr|thead|tbody|tfoot|caption)>|<table>)\s*", r"\1\n", markup)
    headings = [squash(th.get_text(" ")) for th in table.find_all("th")]
    label = "Table: " + ", ".join(h for h in headings if h) if any(headings) else "Table"
    return (
        f'<div class="table-wrap" role="region" tabindex="0" '
        f'aria-label="{escape_html(label, quote=True)}">\n{markup.strip()}\n</div>'
    )
