"""Social cards: the image a page shows when it is shared (og:image, twitter:image, JSON-LD).

Every article, topic hub, author page and section page has a card of its own:
an article's featured image where it has one (item.featured, made by the image
pipeline), otherwise a 1200x630 PNG drawn here with Pillow: the headline (the
article's plain title, or the topic's, author's or section's name), what the
page is (the article's section, "Topic", "Author", "Section") and the site's
mark and name, in the site's colours. Pages with nothing better (home,
archives, search...) keep the site's own card (SITE_SOCIAL_IMAGE).

A card is drawn the same on every machine: the fonts are the theme's own
(theme/fonts, DejaVu, loaded by path, never from the system), laid out with
Pillow's basic layout (no system shaping library), and written as a PNG with
fixed compression settings and nothing that varies (no time, no name). A card's
file name carries a digest of what is drawn on it and of the fonts and this
code, so a retitled article gets a new address and a shared link shows the new
headline, not one a social network cached.

This module imports only the standard library and Pillow, so the speed layer's
helper processes load it on its own (newsroom_speed/card_helper.py).
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
FONT_FOLDER = "fonts"  # below the theme
HEADLINE_FONT = "DejaVuSerif-Bold.ttf"
LABEL_FONT = "DejaVuSans.ttf"
FONT_FILES = (HEADLINE_FONT, LABEL_FONT)
CARDS_FOLDER = "cards"  # below the output: cards/<page's path>.<digest>.png
DIGEST_LENGTH = 10

# The site's colours (theme/static/css/tokens.css, images/social-card.png).
PAPER = (0xFB, 0xFA, 0xF7)
INK = (0x1A, 0x1A, 0x1A)
ACCENT = (0x8A, 0x1C, 0x1C)
WHITE = (0xFF, 0xFF, 0xFF)
RULE = (0xD9, 0xD3, 0xC7)

# Where things go on the card, in pixels.
MARGIN = 96
BAR = 14  # the accent bar along the top
KICKER_SIZE, KICKER_TRACKING = 26, 3
KICKER_GAP = 28  # between the kicker and the headline
# The kicker and the headline below it, together centred between these.
CONTENT_TOP, CONTENT_BOTTOM = 110, 484
HEADLINE_WIDTH = WIDTH - 2 * MARGIN
HEADLINE_HEIGHT = CONTENT_BOTTOM - CONTENT_TOP - KICKER_SIZE - KICKER_GAP
# Headline sizes, tried largest first; the last is the smallest a headline is set in.
HEADLINE_SIZES = (88, 80, 72, 64, 58, 52, 48, 44, 40, 36)
MIN_SIZE = HEADLINE_SIZES[-1]
LEADING = 1.16  # line height, as a multiple of the size
# A headline that fits is set smaller, down to this fraction of the size, if that saves a line.
FEWER_LINES_SHRINK = 0.8
RULE_TOP = 512
MARK_SIZE, MARK_TOP = 52, 542
SITE_NAME_SIZE = 30
ELLIPSIS = "\u2026"
STEPS = 64  # shades between two colours: the palette holds four such blends (PALETTE)
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
# Fixed, so the same card is the same bytes every time. Level 3 compresses a card to
# about 25 KB in 2 ms; level 6 would save 4 KB for twice the time, 9 another 3 KB for 25.
PNG_OPTIONS = {"compress_level": 3, "optimize": False}

# The favicon's "M" (theme/static/images/favicon.svg), in its 32-unit square.
MARK_CORNER = 6
MARK_OUTLINE = (
    (7, 23), (7, 9), (10.2, 9), (16, 17), (21.8, 9), (25, 9), (25, 23),
    (21.6, 23), (21.6, 14.4), (16, 22), (10.4, 14.4), (10.4, 23),
)  # fmt: skip
MARK_SUPERSAMPLE = 8  # drawn this much larger, then reduced: smooth edges


@dataclass(frozen=True)
class CardSpec:
    """Everything drawn on a generated card (the site's look aside)."""

    headline: str  # plain text, only characters the headline font has
    kind: str  # the section, or what the page is: "Topic", "Author", "Section"
    site: str  # the site's name, beside its mark


@dataclass(frozen=True)
class Card:
    """A page's social card, as its head and structured data name it."""

    path: str  # below the site's root, no leading slash
    width: int
    height: int
    alt: str
    type: str  # MIME type, or "" where the file name does not tell
    spec: CardSpec = None  # what to draw; None for an image the site has already


@dataclass(frozen=True)
class Headline:
    """A headline set in a box: its size, its lines, top to bottom."""

    size: int
    lines: tuple
    line_height: int
    hyphenated: tuple = ()  # indexes of lines that end in a hyphen the layout added
    shortened: bool = False  # words were left off, ending in an ellipsis (nothing fit)


def font_files(settings):
    """Return the paths of the theme's card fonts (headline, labels)."""
    folder = Path(settings["THEME"]) / FONT_FOLDER
    return tuple(str(folder / name) for name in FONT_FILES)


def design_digest(fonts):
    """Return a digest of how cards look: the font files and this code."""
    digest = hashlib.sha256()
    for path in (*fonts, __file__):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def renderer_version():
    """Describe what turns a card into bytes besides this code: Pillow and its libraries."""
    libraries = (f"{name} {features.version(name)}" for name in ("freetype2", "zlib"))
    return "; ".join((f"Pillow {PIL.__version__}", *libraries))


def spec_digest(spec, design):
    """Return a digest of a card's content and design (not of the software that draws it)."""
    text = "\0".join((design, spec.headline, spec.kind, spec.site))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def card_path(url, spec, design):
    """Return where a page's card goes: cards/<the page's path>.<digest>.png."""
    page = re.sub(r"(?:^|/)index\.html$|\.html$", "", url).strip("/") or "index"
    return f"{CARDS_FOLDER}/{page}.{spec_digest(spec, design)[:DIGEST_LENGTH]}.png"


def image_type(path):
    """Return the MIME type a file name implies, or ""."""
    return IMAGE_TYPES.get(Path(path).suffix.lower(), "")


def featured_card(item, headline):
    """Return the card of an item's featured image (the image pipeline's), or None."""
    featured = getattr(item, "featured", None)
    url = getattr(featured, "social_url", None)
    if not url:
        return None
    path = url.lstrip("/")
    return Card(
        path=path,
        width=featured.social_width,
        height=featured.social_height,
        alt=getattr(featured, "alt", "") or headline,
        type=getattr(featured, "social_type", "") or image_type(path),
    )


class CardPlanner:
    """Works out each page's card: the featured image, or one to draw."""

    def __init__(self, settings):
        self.fonts = font_files(settings)
        self.design = design_digest(self.fonts)
        self.site = settings["SITENAME"]
        self.painter = CardPainter(self.fonts)

    def drawn(self, url, headline, kind):
        """Return the card to draw for the page at url (the headline, in full, is its alt)."""
        spec = CardSpec(self.painter.drawable(headline) or self.site, kind, self.site)
        return Card(card_path(url, spec, self.design), WIDTH, HEIGHT, headline, "image/png", spec)


def attach_cards(articles, pages, topics, authors, sections, settings):
    """Give every page its card as .social_card; return the cards to draw, by path.

    articles and pages: items (those without a page of their own are left out);
    topics: the registry's topics; authors and sections: the wrappers that have pages.
    Articles show their featured image, or a drawn card; pages their featured
    image, or (None) the site's card; the rest a drawn card each.
    """
    planner = CardPlanner(settings)
    drawn = []

    def give(owner, card):
        owner.social_card = card
        if card is not None and card.spec is not None:
            drawn.append(card)

    for article in articles:
        if getattr(article, "save_as", ""):
            title = article.plain_title
            card = featured_card(article, title)
            give(article, card or planner.drawn(article.url, title, article.category.name))
    for page in pages:
        if getattr(page, "save_as", ""):
            give(page, featured_card(page, page.plain_title))
    for topic in topics:
        give(topic, planner.drawn(topic.tag.url, topic.name, "Topic"))
    for author in authors:
        give(author, planner.drawn(author.url, author.name, "Author"))
    for section in sections:
        give(section, planner.drawn(section.url, section.name, "Section"))
    unique = {card.path: card for card in drawn}
    return [unique[path] for path in sorted(unique)]


def layout_headline(
    text, font_at, width=HEADLINE_WIDTH, height=HEADLINE_HEIGHT, sizes=HEADLINE_SIZES
):
    """Set a headline in a box width x height: return a Headline.

    font_at(size) returns the font at a size. Lines break between words only,
    balanced to even lengths; the size steps down until every word fits the
    width and the lines fit the height, and a step or two further where that
    saves a line (a name on one line, not two). At the smallest size, a word
    still wider than the box is broken, after a hyphen of its own where it has
    one, else with a hyphen added; and if the lines still do not fit, the last
    words give way to an ellipsis (a headline of many hundred characters).
    """
    words = text.split()
    chosen = largest = None
    for size in sizes:
        if largest and size < largest * FEWER_LINES_SHRINK:
            break
        font = font_at(size)
        line_height = round(size * LEADING)
        lines = balanced_lines(words, Measure(font), width, height // line_height)
        if lines is None:
            continue
        largest = largest or size
        if chosen is None or len(lines) < len(chosen.lines):
            chosen = Headline(size, tuple(lines), line_height)
        if len(chosen.lines) == 1:
            break
    return chosen or last_resort(words, font, width, height, line_height)


class Measure:
    """Widths of words and lines in one font, each word measured once."""

    def __init__(self, font):
        self.font = font
        self.words = {}
        self.space = font.getlength(" ")

    def word(self, word):
        if word not in self.words:
            self.words[word] = self.font.getlength(word)
        return self.words[word]

    def line(self, words):
        """The width of words set on one line (Pillow's basic layout adds them up)."""
        return sum(self.word(word) for word in words) + self.space * (len(words) - 1)


def greedy_lines(words, measure, width):
    """Fill lines word by word up to width; return lists of words, or None if a word is
    wider than width."""
    lines, current, used = [], [], 0.0
    for word in words:
        size = measure.word(word)
        if size > width:
            return None
        if current and used + measure.space + size <= width:
            current.append(word)
            used += measure.space + size
        else:
            if current:
                lines.append(current)
            current, used = [word], size
    if current:
        lines.append(current)
    return lines


def balanced_lines(words, measure, width, most):
    """Return the lines (strings) of words in width, as many as filling them gives but as
    even as they can be; None if a word is wider than width or they take over most lines."""
    lines = greedy_lines(words, measure, width)
    if lines is None or len(lines) > most or len(lines) < 2:
        return None if lines is None or len(lines) > most else [" ".join(lines[0])]
    low, high = max(measure.word(word) for word in words), width  # high always fits
    while high - low > 1:
        middle = (low + high) / 2
        narrower = greedy_lines(words, measure, middle)
        if narrower is not None and len(narrower) <= len(lines):
            high = middle
        else:
            low = middle
    lines = greedy_lines(words, measure, high)
    texts = [" ".join(line) for line in lines]
    if all(measure.font.getlength(line) <= width for line in texts):
        return texts
    return [" ".join(line) for line in greedy_lines(words, measure, width)]


def broken_word(word, measure, width):
    """Split a word wider than width into pieces that fit: return (pieces, added), where
    added tells, piece by piece, whether the layout added the hyphen it ends with."""
    pieces, added = [], []
    while measure.word(word) > width:
        end = 1
        while end < len(word) and measure.word(word[: end + 1] + "-") <= width:
            end += 1
        own = word.rfind("-", 1, end)  # break after a hyphen the word has, if one fits
        if own > 0:
            pieces.append(word[: own + 1])
            added.append(False)
            word = word[own + 1 :]
        else:
            pieces.append(word[:end] + "-")
            added.append(True)
            word = word[end:]
    return [*pieces, word], [*added, False]


def last_resort(words, font, width, height, line_height):
    """At the smallest size: break overlong words, and shorten what still does not fit."""
    measure = Measure(font)
    tokens = []  # (text, whether it starts a line, whether the layout added its hyphen)
    for word in words:
        if measure.word(word) <= width:
            tokens.append((word, False, False))
            continue
        pieces, added = broken_word(word, measure, width)
        tokens += [(piece, True, hyphen) for piece, hyphen in zip(pieces, added, strict=True)]
    lines, hyphenated, used = [], [], 0.0
    for text, starts_line, hyphen in tokens:
        size = measure.word(text)
        if lines and not starts_line and used + measure.space + size <= width:
            lines[-1].append(text)
            used += measure.space + size
        else:
            lines.append([text])
            used = size
        if hyphen:
            hyphenated.append(len(lines) - 1)
    texts = [" ".join(line) for line in lines]
    most = max(1, height // line_height)
    if len(texts) <= most:
        return Headline(font.size, tuple(texts), line_height, tuple(hyphenated))
    kept, last = texts[:most], lines[most - 1]
    while len(last) > 1 and measure.line([*last[:-1], last[-1] + ELLIPSIS]) > width:
        last = last[:-1]
    kept[-1] = " ".join([*last[:-1], last[-1] + ELLIPSIS])
    hyphenated = tuple(index for index in hyphenated if index < most - 1)
    return Headline(font.size, tuple(kept), line_height, hyphenated, shortened=True)


def fitted_font(painter, file, text, size, width, smallest):
    """Return the font of file at size, or smaller (down to smallest), that fits text in width."""
    font = painter.font(file, size)
    while size > smallest and font.getlength(text) > width:
        size -= 2
        font = painter.font(file, size)
    return font


class CardPainter:
    """Draws cards in the site's look, with the theme's fonts; one per build (or process).

    Every colour on a card lies between two of the site's (text on paper, the mark
    on its red square), so a card is drawn straight into the indexes of a fixed
    palette of those blends (PALETTE): the headline's edges are its glyphs'
    coverage, set as indexes on the paper-to-ink blend; nothing is reduced from
    full colour afterwards. That keeps the edges smooth, the file small and the
    drawing quick.
    """

    def __init__(self, fonts):
        self.headline_file, self.label_file = fonts
        self.fonts = {}  # (file, size) -> font
        self.missing = {}  # character -> whether the headline font lacks it
        self.notdef = None  # what the headline font draws for a character it lacks
        self.bases = {}  # site name -> the card without its kicker and headline, as indexes

    def font(self, file, size):
        """Return a font of the theme's, laid out the same everywhere (no system shaper)."""
        if (file, size) not in self.fonts:
            self.fonts[file, size] = ImageFont.truetype(
                file, size, layout_engine=ImageFont.Layout.BASIC
            )
        return self.fonts[file, size]

    def drawable(self, text):
        """Return text as the headline font can draw it: composed (NFC), one space between
        words, without the characters it has no glyph for (emoji, scripts it lacks)."""
        font = self.font(self.headline_file, MIN_SIZE)
        if self.notdef is None:
            self.notdef = glyph_of(font, "\U0010ffff")  # no font has this one
        kept = []
        for char in unicodedata.normalize("NFC", text):
            if char not in self.missing:
                self.missing[char] = not char.isspace() and glyph_of(font, char) == self.notdef
            kept.append(" " if char.isspace() else "" if self.missing[char] else char)
        return " ".join("".join(kept).split())

    def base(self, site):
        """The parts of a card that are the same on every card of a site, as palette
        indexes (an "L" image): paper, the accent bar, the rule, the mark, the site's name."""
        if site not in self.bases:
            card = Image.new("L", (WIDTH, HEIGHT), PAPER_INDEX)
            draw = ImageDraw.Draw(card)
            draw.rectangle((0, 0, WIDTH - 1, BAR - 1), fill=ACCENT_INDEX)
            draw.rectangle((MARGIN, RULE_TOP, WIDTH - MARGIN - 1, RULE_TOP + 1), fill=RULE_INDEX)
            card.paste(mark_indexes(MARK_SIZE), (MARGIN, MARK_TOP))
            left = MARGIN + MARK_SIZE + 20
            font = fitted_font(
                self, self.headline_file, site, SITE_NAME_SIZE, WIDTH - MARGIN - left, 16
            )
            middle = MARK_TOP + MARK_SIZE / 2
            draw.text((left, middle), site, font=font, fill=INK_INDEX, anchor="lm")
            self.bases[site] = card
        return self.bases[site]

    def draw(self, spec):
        """Return the card of a spec, as a palette ("P") image."""
        card = self.base(spec.site).copy()  # paper (index 0) where the words go
        headline = layout_headline(spec.headline, lambda size: self.font(self.headline_file, size))
        kicker = spec.kind.upper()
        kicker_font = fitted_font(self, self.label_file, kicker, KICKER_SIZE, HEADLINE_WIDTH, 14)
        block = len(headline.lines) * headline.line_height
        top = CONTENT_TOP + (HEADLINE_HEIGHT - block) // 2
        # The kicker's coverage, drawn alone, becomes indexes on the paper-to-accent blend.
        coverage = Image.new("L", (HEADLINE_WIDTH, round(KICKER_SIZE * 1.5)), 0)
        draw, x = ImageDraw.Draw(coverage), 0
        for char in kicker:  # letter-spaced, as the site's kickers are
            draw.text((x, 0), char, font=kicker_font, fill=255, anchor="la")
            x += kicker_font.getlength(char) + KICKER_TRACKING
        card.paste(coverage.point(shades(ACCENT_SHADES)), (MARGIN, top))
        # Drawn on paper (index 0) in ink (the last index of the paper-to-ink blend), each
        # edge pixel takes the index of its coverage on that blend.
        draw, font = ImageDraw.Draw(card), self.font(self.headline_file, headline.size)
        y = top + KICKER_SIZE + KICKER_GAP
        for line in headline.lines:
            draw.text((MARGIN, y), line, font=font, fill=INK_INDEX, anchor="la")
            y += headline.line_height
        card.putpalette(PALETTE)  # the indexes become a palette image
        return card

    def png(self, spec):
        """Return a card's PNG bytes: the same for the same spec, on every machine with the
        same Pillow."""
        out = io.BytesIO()
        self.draw(spec).save(out, "PNG", **PNG_OPTIONS)
        return out.getvalue()


def glyph_of(font, char):
    """Return what a font draws for a character: its bitmap and advance."""
    mask = font.getmask(char)
    return mask.size, bytes(mask), font.getlength(char)


def blends(first, second, steps=STEPS):
    """Return the colours from first to second in equal steps, both included."""
    return [
        tuple(round(a + (b - a) * step / (steps - 1)) for a, b in zip(first, second, strict=True))
        for step in range(steps)
    ]


def shades(first_index):
    """Return a table from coverage (0 to 255) to the indexes of a blend of STEPS shades."""
    return [first_index + round(value * (STEPS - 1) / 255) for value in range(256)]


# The palette of every card: STEPS shades from paper to ink (indexes 0 to 63, paper
# first), from paper to accent, from accent to white (the mark), from paper to the rule.
BLENDS = ((PAPER, INK), (PAPER, ACCENT), (ACCENT, WHITE), (PAPER, RULE))
INK_SHADES, ACCENT_SHADES, MARK_SHADES, RULE_SHADES = (n * STEPS for n in range(4))
PALETTE = [value for pair in BLENDS for colour in blends(*pair) for value in colour]
PAPER_INDEX, INK_INDEX = INK_SHADES, INK_SHADES + STEPS - 1
ACCENT_INDEX, RULE_INDEX = ACCENT_SHADES + STEPS - 1, RULE_SHADES + STEPS - 1


def mark_indexes(size):
    """Return the site's mark (the favicon's white M on its red square, on paper) at size x
    size pixels, as palette indexes: each shape drawn larger, then reduced to coverage."""
    scale = size * MARK_SUPERSAMPLE / 32
    large = (round(32 * scale),) * 2
    square, letter = Image.new("L", large, 0), Image.new("L", large, 0)
    ImageDraw.Draw(square).rounded_rectangle(
        (0, 0, large[0] - 1, large[1] - 1), radius=MARK_CORNER * scale, fill=255
    )
    ImageDraw.Draw(letter).polygon([(x * scale, y * scale) for x, y in MARK_OUTLINE], fill=255)
    square, letter = (
        shape.resize((size, size), Image.Resampling.BOX) for shape in (square, letter)
    )
    mark = square.point(shades(ACCENT_SHADES))  # paper to red at the rounded corners
    mark.paste(
        letter.point(shades(MARK_SHADES)), mask=letter.point(lambda value: 255 * bool(value))
    )
    return mark
