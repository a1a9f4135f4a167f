"""The cleaner: a parsed post rewritten, in place, into elements Markdown can say.

The Cleaner walks the tree and hands each element to its handler, by name
(_HANDLERS). Here are the walk, the building blocks the handlers share, the only
calls to the Site, the handlers for text blocks (headings, paragraphs, lists,
quotes, code, emphasis), and the passes after the walk. The handlers for links and
embedded content (links.py), images, figures, media and shortcode markers
(figures.py), and tables (tables.py) are mixed into the Cleaner from their modules.

Before the walk, flatten_deep_tree bounds the tree's depth, so that neither the
walk nor markdownify can exhaust Python's stack.
"""

import re
from typing import ClassVar

from bs4 import NavigableString, Tag

from .elements import CONTAINERS, HEADINGS, RAW_MARKER, element_names, holds_blocks, inside, tags_in
from .figures import Figures
from .links import LinksAndEmbeds
from .shortcodes import MARKER
from .tables import Tables
from .urls import BARE_URL, SAFE_SCHEMES, address_label, neutral_href, scheme_of, web_url

# Elements deeper than this are unwrapped before cleaning (flatten_deep_tree).
MAX_TREE_DEPTH = 40
# Lists and quotes deeper than this are flattened: the build refuses Markdown
# nested past 16 levels (newsroom/scan.py), and a reader cannot follow 8.
MAX_BLOCK_NESTING = 8

# Dropped with their content and nothing said: invisible, or a duplicate of what is kept.
_DROPPED = element_names(
    "style noscript template head title meta link base param source track canvas map "
    "area wbr col colgroup rp"
)
# Dropped, and the editor told: a form's fields do nothing in a static page.
_FORM_CONTROLS = element_names(
    "input button select textarea option optgroup datalist output progress meter keygen"
)
# Inline code of every kind: its text, as code.
_CODE_TAGS = element_names("code kbd samp tt var")
# Digits and signs in <sup> and <sub> as their Unicode superscripts and subscripts:
# Markdown has neither.
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
# A footnote's mark in a <sup>: a number or a symbol, in brackets or not.
_FOOTNOTE_MARK = re.compile(r"\[?(\d{1,3}|[*†‡§])\]?")


def flatten_deep_tree(soup):
    """Unwrap elements nested deeper than MAX_TREE_DEPTH, keeping their text.

    Cleaning and markdownify recurse once or more per level: a hostile post
    nested thousands deep would exhaust Python's stack.
    """
    depth = {id(soup): 0}
    too_deep = []
    for node in soup.descendants:
        if isinstance(node, Tag):
            level = depth[id(node.parent)] + 1
            depth[id(node)] = level
            if level > MAX_TREE_DEPTH:
                too_deep.append(node)
    for tag in reversed(too_deep):
        tag.unwrap()
    return bool(too_deep)


class Cleaner(LinksAndEmbeds, Figures, Tables):
    """Rewrite a parsed post, in place, into elements the Markdown writer can say.

    What stays: p, br, hr, h2-h6, ul/ol/li, blockquote, pre, code, em, strong, del,
    q, div (a container), tables, a with an href this site can use, img with
    a `{static}` source, and RAW_MARKER elements standing for Markdown written here
    (complex tables). Everything else is converted, unwrapped or dropped.

    The handlers for links, figures and tables come from the classes mixed in; they
    share this class's state and building blocks.
    """

    def __init__(self, site, codes, notes, soup):
        self.site = site
        self.codes = codes
        self.notes = notes
        self.soup = soup
        self.raw_blocks = []
        # The page's <h1> is its title: a body's h1 becomes h2, and the rest follow it.
        self.shift = 1 if soup.find("h1") else 0
        self.in_table = 0
        self.image_media = {}  # id() of a cleaned <img>: its Media
        self.last_link = None  # the href of the link cleaned last

    def run(self):
        self.clean(self.soup)
        self.flatten_deep_blocks()
        self.lift_raw_blocks()
        # Text on both sides of a dropped element is one run of text again, its
        # spaces collapsed as one.
        self.soup.smooth()

    # Building blocks, and asking the Site

    def new(self, name, text=None, **attributes):
        tag = self.soup.new_tag(name, attrs=attributes)
        if text:
            tag.append(NavigableString(text))
        return tag

    def paragraph(self, text):
        return self.new("p", text)

    def link_paragraph(self, href, label):
        paragraph = self.new("p")
        paragraph.append(self.new("a", label, href=href))
        return paragraph

    def site_link(self, url):
        """Return the href for an address: the site's new one, or the address made harmless."""
        try:
            new = self.site.link(url)
        except ValueError:  # an address too broken to parse (urlsplit) is no old address
            new = None
        if new and scheme_of(new) in (None, *SAFE_SCHEMES):
            return new
        return neutral_href(url)

    def media(self, url, attachment_id):
        if not url and attachment_id is None:
            return None
        try:
            return self.site.media(url or None, attachment_id)
        except ValueError:  # an address too broken to parse (urlsplit) is no upload
            return None

    # The walk

    def clean(self, parent):
        for child in list(parent.children):
            if isinstance(child, Tag):
                self.element(child)
            elif type(child) is not NavigableString:
                child.extract()  # comments, doctypes, CDATA, processing instructions

    def element(self, tag):
        name = tag.name
        handler = self._HANDLERS.get(name)
        if handler:
            handler(self, tag)
        elif name in _DROPPED:
            tag.decompose()
        elif name in _FORM_CONTROLS:
            self.notes.add("a form control was dropped")
            tag.decompose()
        elif name in HEADINGS:
            self.heading(tag)
        elif name in _CODE_TAGS:
            self.code(tag)
        elif name in CONTAINERS and not (self.in_table and name == "caption"):
            self.keep(tag, "div")
        else:
            self.clean(tag)
            tag.unwrap()

    def keep(self, tag, name=None, **attributes):
        """Keep an element (renamed) with no attributes but those given; clean its content."""
        tag.attrs = attributes
        if name:
            tag.name = name
        self.clean(tag)

    def drop(self, tag, note=None):
        if note:
            self.notes.add(note)
        tag.decompose()

    def replace(self, tag, nodes):
        if nodes:
            tag.replace_with(*nodes)
        else:
            tag.decompose()

    # Text blocks

    def heading(self, tag):
        self.keep(tag, f"h{min(int(tag.name[1]) + self.shift, 6)}")

    def paragraph_element(self, tag):
        self.keep(tag, "p")
        words = list(tag.children)
        if len(words) == 1 and type(words[0]) is NavigableString:
            url = web_url(words[0].strip()) if BARE_URL.fullmatch(words[0].strip()) else None
            if url:  # a URL alone in a paragraph: a link to it
                tag.clear()
                tag.append(self.new("a", address_label(url), href=self.site_link(url)))

    def blockquote(self, tag):
        self.keep(tag, "blockquote")

    def cite(self, tag):
        if tag.parent is not None and tag.parent.name in ("blockquote", "figure"):
            # A quote's source (the block editor's <cite>) on a line of its own.
            self.keep(tag, "p")
            tag.insert(0, NavigableString("— "))
        else:
            self.clean(tag)
            tag.unwrap()

    def pre(self, tag):
        for br in tag.find_all("br"):
            br.replace_with(NavigableString("\n"))
        text = tag.get_text()
        language = ""
        for holder in (tag, tag.find("code")):
            for value in (holder.get("class") or []) if holder else []:
                match = re.fullmatch(r"(?:language|lang)-([\w+-]{1,30})", value)
                language = language or (match[1] if match else "")
        tag.clear()
        tag.attrs = {"data-language": language} if language else {}
        tag.name = "pre"
        if text.strip():
            tag.append(NavigableString(text))
        else:
            tag.decompose()

    def code(self, tag):
        text = tag.get_text()
        tag.clear()
        tag.attrs = {}
        tag.name = "code"
        tag.append(NavigableString(text))

    def emphasis(self, tag):
        name = {"i": "em", "b": "strong"}.get(tag.name, tag.name)
        same = {"em": ("em", "i"), "strong": ("strong", "b")}[name]
        self.clean(tag)
        if inside(tag, same) or holds_blocks(tag):
            tag.unwrap()  # *a *b* c* would end early; *<p>a</p>* cannot be written
        else:
            tag.attrs = {}
            tag.name = name

    def strikethrough(self, tag):
        self.keep(tag, "del")
        if holds_blocks(tag):
            tag.unwrap()

    def superscript(self, tag):
        """<sup>/<sub> as text: footnote marks as [1], other digits as Unicode ones (m², CO₂)."""
        linked = bool(tags_in(tag, ("a",)))  # a footnote's link, gone once cleaned
        self.clean(tag)
        text = tag.get_text()
        mark = _FOOTNOTE_MARK.fullmatch(text.strip())
        if tag.name == "sup" and mark and (linked or text.strip().startswith("[")):
            tag.replace_with(NavigableString(f"[{mark[1]}]"))
            return
        table = _SUPERSCRIPT if tag.name == "sup" else _SUBSCRIPT
        if text and all(c in "0123456789+-=()" or (tag.name == "sup" and c in "ni") for c in text):
            tag.replace_with(NavigableString(text.translate(table)))
        elif mark and tag.name == "sup":
            tag.replace_with(NavigableString(f"[{mark[1]}]"))
        else:
            tag.unwrap()

    def definition_list(self, tag):
        self.keep(tag, "div")

    def term(self, tag):
        self.clean(tag)
        strong = self.new("strong")
        for child in list(tag.children):
            strong.append(child.extract())
        tag.attrs = {}
        tag.name = "p"
        tag.append(strong)

    def definition(self, tag):
        self.keep(tag, "p")

    def list_element(self, tag):
        start = str(tag.get("start") or "")
        name = "ol" if tag.name == "ol" else "ul"
        if name == "ol" and start.isdigit() and len(start) < 7:
            self.keep(tag, name, start=start)
        else:
            self.keep(tag, name)

    def list_item(self, tag):
        inside_list = tag.parent is not None and tag.parent.name in ("ul", "ol", "menu", "dir")
        self.keep(tag, "li" if inside_list else "p")

    def bare(self, tag):
        tag.attrs = {}
        tag.clear()

    def quotation(self, tag):
        self.keep(tag, "q")
        if holds_blocks(tag):
            tag.unwrap()

    def picture(self, tag):
        self.clean(tag)  # its <source>s are dropped; its <img> stays
        tag.unwrap()

    # After the walk

    def flatten_deep_blocks(self):
        """Make lists and quotes nested more than MAX_BLOCK_NESTING deep into paragraphs."""
        nesting = ("ul", "ol", "blockquote")
        flattened = False
        for tag in self.soup.find_all(nesting):
            if tag.name not in nesting:
                continue  # already flattened with an ancestor
            level = sum(1 for parent in tag.parents if parent.name in nesting)
            if level < MAX_BLOCK_NESTING:
                continue
            flattened = True
            for item in tag.find_all("li", recursive=False):
                item.name = "p"
            tag.attrs = {}
            tag.name = "div"
        if flattened:
            self.notes.add(
                f"lists and quotes nested more than {MAX_BLOCK_NESTING} deep were flattened"
            )

    def lift_raw_blocks(self):
        """Move kept HTML out of lists, quotes and paragraphs: Python-Markdown reads raw HTML
        blocks only at the top level."""
        after = {}
        for block in self.soup.find_all(RAW_MARKER):
            ancestors = [p for p in block.parents if p is not self.soup and p.name != "[document]"]
            if all(p.name == "div" for p in ancestors):
                continue
            top = ancestors[-1]
            anchor = after.get(id(top), top)
            anchor.insert_after(block.extract())
            after[id(top)] = block

    # Which method cleans which element; an element not named here is dropped, kept as a
    # container or unwrapped (element). The handlers of the mixed-in modules are named
    # through their classes, whose methods are not in scope in this class body.
    _HANDLERS: ClassVar[dict] = {
        "script": LinksAndEmbeds.script,
        "iframe": LinksAndEmbeds.iframe,
        "frame": LinksAndEmbeds.iframe,
        "object": LinksAndEmbeds.embedded_object,
        "embed": LinksAndEmbeds.embedded_object,
        "applet": LinksAndEmbeds.embedded_object,
        "form": LinksAndEmbeds.form,
        "svg": LinksAndEmbeds.svg,
        "math": LinksAndEmbeds.math,
        "audio": Figures.audio_video,
        "video": Figures.audio_video,
        "img": Figures.image,
        "image": Figures.image,
        "picture": picture,
        "a": LinksAndEmbeds.link,
        "figure": Figures.figure,
        "table": Tables.table,
        "thead": Tables.table_part,
        "tbody": Tables.table_part,
        "tfoot": Tables.table_part,
        "tr": Tables.table_part,
        "caption": Tables.table_part,
        "td": Tables.cell,
        "th": Tables.cell,
        MARKER: Figures.shortcode,
        "p": paragraph_element,
        "blockquote": blockquote,
        "cite": cite,
        "pre": pre,
        "listing": pre,
        "xmp": pre,
        "plaintext": pre,
        "em": emphasis,
        "i": emphasis,
        "strong": emphasis,
        "b": emphasis,
        "del": strikethrough,
        "s": strikethrough,
        "strike": strikethrough,
        "sup": superscript,
        "sub": superscript,
        "dl": definition_list,
        "dt": term,
        "dd": definition,
        "ul": list_element,
        "ol": list_element,
        "menu": list_element,
        "dir": list_element,
        "li": list_item,
        "br": bare,
        "hr": bare,
        "q": quotation,
    }
