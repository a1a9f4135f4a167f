"""Social cards: every article, topic hub, author and section page shares with an image of
its own (plugins/newsroom/cards.py), drawn the same on every build, and the speed layer
draws each card once (newsroom_speed/card_store.py)."""

import io
import json
import re
import shutil
import struct
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageFont

from conftest import ROOT, build, snapshot
from newsroom import cards
from newsroom.cards import (
    HEADLINE_HEIGHT,
    HEADLINE_SIZES,
    HEADLINE_WIDTH,
    MIN_SIZE,
    CardPainter,
    CardSpec,
    attach_cards,
    layout_headline,
)
from newsroom.state import build_of
from sources import headers, source_articles

BASE = "http://localhost:8000"  # FEED_DOMAIN: local builds' absolute URLs
SITE_CARD = f"{BASE}/theme/images/social-card.png"
ARTICLES = source_articles(ROOT / "content")
FONTS = cards.font_files({"THEME": str(ROOT / "theme")})
SITE_LAYER = {"PLUGINS": ["newsroom"]}
BOTH = {"PLUGINS": ["newsroom", "newsroom_speed"]}
# 200 characters of real words, the longest headline an editor might plausibly write.
LONG_HEADLINE = (
    "How the Islamic State's Provinces in the Lake Chad Basin, the Sahel and Mozambique "
    "Learned to Tax, Recruit and Govern While Their Central Leadership Collapsed, and What "
    "Comes Next for the Whole Region"
)
HUGE_WORD = "Counterinsurgencyoperationsagainstjihadistgroupsinthesahelzone"  # 62 letters


def font_at(size):
    return ImageFont.truetype(FONTS[0], size, layout_engine=ImageFont.Layout.BASIC)


def meta_tags(page):
    """Return {property or name: content} of a page's meta tags."""
    return {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}


def slug_of(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def pages_with_cards(content):
    """Every article, topic hub, author page and section page the sources make, by URL."""
    pages = {article.url: "article" for article in ARTICLES}
    for path in sorted(Path(content, "topics").glob("*.md")):
        pages[f"/topics/{headers(path)['slug']}/"] = "topic"
    writing = {name for article in ARTICLES for name in article.authors}
    for path in sorted(Path(content, "authors").glob("*.md")):
        record = headers(path)
        if record["name"] in writing:
            pages[f"/authors/{record.get('slug') or slug_of(record['name'])}/"] = "author"
    for section in {article.category for article in ARTICLES}:
        pages[f"/category/{slug_of(section)}/"] = "section"
    return pages


def local_file(site, url):
    """The output file an absolute URL of the site leads to."""
    assert url.startswith(f"{BASE}/"), url
    return site.output / url.removeprefix(f"{BASE}/")


def png_chunks(data):
    """Return the chunk types of a PNG, in order."""
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append(kind.decode("ascii"))
        at += 12 + length
    return chunks


# The real site.


def test_every_article_hub_author_and_section_shares_a_card_of_its_own(site):
    """og:image is absolute, leads to a file of the output, 1200x630, named once; the
    head says its size, type and alt (the headline), and Twitter gets the same."""
    pages = pages_with_cards(ROOT / "content")
    assert {"article", "topic", "author", "section"} <= set(pages.values())
    images, featured = {}, 0
    for url, kind in pages.items():
        page = site.html(url)
        meta = meta_tags(page)
        image = meta["og:image"]
        assert image != SITE_CARD, url
        path = local_file(site, image)
        assert path.is_file(), (url, image)
        with Image.open(path) as card:
            if image.startswith(f"{BASE}/cards/"):  # drawn: not a featured image
                assert (card.format, card.size, card.mode) == ("PNG", (1200, 630), "P"), url
                images.setdefault(image, []).append(url)
            assert card.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
        assert meta["og:image:alt"].strip(), url
        if image.startswith(f"{BASE}/cards/"):
            assert meta["og:image:alt"] == meta["og:title"], url  # the headline, or the name
            assert meta["og:image:type"] == "image/png"
        else:  # an article's featured image (images.py): its social JPEG
            assert kind == "article" and meta["og:image:type"] == "image/jpeg", url
            featured += 1
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["twitter:image"] == image
        assert meta["twitter:image:alt"] == meta["og:image:alt"]
    shared = {image: urls for image, urls in images.items() if len(urls) > 1}
    assert shared == {}, "pages share a card"
    assert len(images) + featured == len(pages) and len(images) > 10


def test_an_article_names_its_card_in_its_structured_data(site):
    """The NewsArticle's image is an ImageObject: the card's URL, width and height."""
    for article in ARTICLES:
        page = site.html(article.url)
        meta = meta_tags(page)
        graph = json.loads(page.select_one('script[type="application/ld+json"]').get_text())
        news = next(node for node in graph["@graph"] if node["@type"] == "NewsArticle")
        assert news["image"] == [
            {
                "@type": "ImageObject",
                "url": meta["og:image"],
                "width": int(meta["og:image:width"]),
                "height": int(meta["og:image:height"]),
            }
        ]


def test_pages_with_nothing_better_show_the_site_card(site):
    """Home, listings, archives, search and 404 share the site's own card."""
    for url in ("/", "/archives/", "/topics/", "/authors/", "/category/", "/search/", "/404.html"):
        meta = meta_tags(site.html(url))
        assert meta["og:image"] == SITE_CARD, url
        assert meta["twitter:image"] == SITE_CARD
        assert meta["og:image:alt"].startswith("Militancy Monitor: ")
        assert local_file(site, SITE_CARD).is_file()


def test_a_moved_articles_old_address_shares_its_card(site):
    """A legacy address's redirect page (Redirect_from) shares the article's card."""
    old = "/archives/2018/03/islamic-state-claims-soldier.php"
    article = "/2018/03/islamic-state-claims-trebes-attack/"
    assert meta_tags(site.html(old))["og:image"] == meta_tags(site.html(article))["og:image"]


def test_a_card_says_what_the_page_is(site):
    """A section's card differs from an article's with the same headline."""
    analysis = meta_tags(site.html("/category/analysis/"))["og:image"]
    assert analysis.startswith(f"{BASE}/cards/category/analysis.")
    hub = meta_tags(site.html("/topics/al-shabaab/"))["og:image"]
    assert hub.startswith(f"{BASE}/cards/topics/al-shabaab.")
    author = meta_tags(site.html("/authors/claire-dubois/"))["og:image"]
    assert author.startswith(f"{BASE}/cards/authors/claire-dubois.")


# Laying out a headline.


def fits(headline, width=HEADLINE_WIDTH, height=HEADLINE_HEIGHT):
    font = font_at(headline.size)
    assert all(font.getlength(line) <= width for line in headline.lines), headline.lines
    assert len(headline.lines) * headline.line_height <= height
    assert headline.size >= MIN_SIZE and headline.size in HEADLINE_SIZES


def rejoined(headline):
    """The headline's text from its lines: words split by spaces, a broken word whole again
    (the hyphens the layout added dropped)."""
    text = ""
    for number, line in enumerate(headline.lines):
        text += line.removesuffix("-") if number in headline.hyphenated else line + " "
    return text.split()


def test_a_200_character_headline_keeps_every_word_in_the_box():
    assert len(LONG_HEADLINE) == 200
    headline = layout_headline(LONG_HEADLINE, font_at)
    assert " ".join(headline.lines).split(" ") == LONG_HEADLINE.split(" ")
    assert not headline.hyphenated and not headline.shortened
    fits(headline)
    assert len(headline.lines) > 2


def test_headlines_shrink_in_steps_as_they_grow():
    """The size steps down as a headline grows; a size larger than the one chosen would not
    have fit, or needs more lines (a name is set on one line, a little smaller)."""
    texts = ("Al Shabaab", "Amina Yusuf Hassan", ARTICLES[0].title, LONG_HEADLINE)
    headlines = [layout_headline(text, font_at) for text in texts]
    assert headlines[0].size == HEADLINE_SIZES[0]
    assert [len(headline.lines) for headline in headlines[:2]] == [1, 1]
    assert headlines[-1].size < min(headline.size for headline in headlines[:-1])
    for text, headline in zip(texts, headlines, strict=True):
        fits(headline)
        for bigger in (size for size in HEADLINE_SIZES if size > headline.size):
            tried = layout_headline(text, font_at, sizes=(bigger,))
            assert tried.shortened or tried.hyphenated or len(tried.lines) > len(headline.lines)


def test_lines_break_between_words_and_come_out_even():
    """Every article title of the site: never cut in a word, and no line much longer than the
    others (a balanced rag, not one word alone on the last line)."""
    for article in ARTICLES:
        headline = layout_headline(article.title, font_at)
        assert headline.lines and not headline.hyphenated and not headline.shortened
        assert " ".join(headline.lines).split(" ") == article.title.split()
        fits(headline)
        if len(headline.lines) > 1:
            font = font_at(headline.size)
            widths = [font.getlength(line) for line in headline.lines]
            assert min(widths) > 0.4 * max(widths), headline.lines


def test_a_60_letter_word_shrinks_then_breaks_with_a_hyphen_at_the_smallest_size():
    text = f"The {HUGE_WORD} Problem"
    headline = layout_headline(text, font_at)
    assert headline.size == MIN_SIZE
    assert headline.hyphenated, "the word is wider than the box even at the smallest size"
    assert rejoined(headline) == text.split()
    for number, line in enumerate(headline.lines):
        assert line.endswith("-") == (number in headline.hyphenated)
    fits(headline)
    # Words that fit are never broken: the break is inside the long word only.
    assert headline.lines[0] == "The"
    assert headline.lines[-1].endswith(" Problem")


def test_a_long_word_breaks_at_its_own_hyphen_first():
    word = "-".join([HUGE_WORD[:30], HUGE_WORD[30:]])
    headline = layout_headline(word, font_at)
    assert headline.lines[0] == HUGE_WORD[:30] + "-"
    assert headline.hyphenated == ()
    assert "".join(headline.lines) == word
    fits(headline)


def test_a_headline_no_size_can_hold_ends_in_an_ellipsis_after_a_whole_word():
    words = (LONG_HEADLINE + " ") * 4
    headline = layout_headline(words, font_at)
    assert headline.shortened and headline.size == MIN_SIZE
    fits(headline)
    shown = " ".join(headline.lines)
    assert shown.endswith("\u2026")
    assert words.startswith(shown.removesuffix("\u2026") + " ")


def test_what_the_headline_font_cannot_draw_is_left_out():
    """Emoji and scripts the font lacks would be boxes: they are dropped, accents kept."""
    painter = CardPainter(FONTS)
    assert painter.drawable("Trèbes \U0001f600  and\u00a0Amaq") == "Trèbes and Amaq"
    assert painter.drawable("Cafe\u0301") == "Café"  # composed, one glyph


# Drawing a card.


def test_cards_are_drawn_with_the_theme_fonts_only(monkeypatch):
    """The fonts are the theme's own files, with their licence, loaded by path."""
    folder = ROOT / "theme" / "fonts"
    assert {Path(path).parent for path in FONTS} == {folder}
    assert (folder / "LICENSE-DejaVu.txt").read_text().count("Bitstream Vera") >= 1
    opened = []
    real = ImageFont.truetype
    monkeypatch.setattr(
        ImageFont, "truetype", lambda font, *a, **k: opened.append(font) or real(font, *a, **k)
    )
    CardPainter(FONTS).png(CardSpec("A headline", "Analysis", "Militancy Monitor"))
    assert opened and set(opened) <= set(FONTS)


def test_a_card_is_the_same_bytes_every_time():
    """Two painters draw the same PNG; it holds no time, text or other varying chunk."""
    spec = CardSpec(LONG_HEADLINE, "Threat Matrix", "Militancy Monitor")
    first, second = CardPainter(FONTS).png(spec), CardPainter(FONTS).png(spec)
    assert first == second
    assert set(png_chunks(first)) == {"IHDR", "PLTE", "IDAT", "IEND"}
    with Image.open(io.BytesIO(first)) as image:
        assert (image.size, image.mode) == ((1200, 630), "P")
        assert len(first) < 60_000


def test_the_featured_image_is_an_articles_card_where_it_has_one():
    """An article with a featured image (the image pipeline's item.featured) shares that;
    one without gets a card drawn; a page without one has none (the site's card)."""
    featured = SimpleNamespace(
        social_url="/images/social/trebes.jpg", social_width=1200, social_height=800, alt="Amaq"
    )
    category = SimpleNamespace(name="Analysis", url="category/analysis/")
    with_image = SimpleNamespace(
        save_as="a/index.html", url="a/", plain_title="A", category=category, featured=featured
    )
    without = SimpleNamespace(save_as="b/index.html", url="b/", plain_title="B", category=category)
    draft = SimpleNamespace(save_as="", url="", plain_title="C", category=category)
    page = SimpleNamespace(save_as="about/index.html", url="about/", plain_title="About")
    settings = {"THEME": str(ROOT / "theme"), "SITENAME": "Militancy Monitor"}
    drawn = attach_cards([with_image, without, draft], [page], [], [], [category], settings)
    assert with_image.social_card.path == "images/social/trebes.jpg"
    assert with_image.social_card.type == "image/jpeg"
    assert (with_image.social_card.width, with_image.social_card.height) == (1200, 800)
    assert with_image.social_card.alt == "Amaq" and with_image.social_card.spec is None
    assert without.social_card.spec == CardSpec("B", "Analysis", "Militancy Monitor")
    assert without.social_card.path.startswith("cards/b.")
    assert not hasattr(draft, "social_card")
    assert page.social_card is None
    assert [card.path for card in drawn] == sorted(
        [without.social_card.path, category.social_card.path]
    )


def test_a_featured_image_reaches_the_head_and_structured_data(fixture_content, tmp_path):
    """An article with an `Image` header (images.py) shares its social JPEG: og:image,
    its size and alt, Twitter and the NewsArticle's image; no card is drawn for it."""
    photos = fixture_content / "images" / "photos"
    photos.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "images" / "photos" / "broadcast-rings.jpg", photos)
    article = fixture_content / "articles" / "alias-isis.md"
    alt = "Rings spreading from two points."
    article.write_text(
        article.read_text().replace(
            "Slug: alias-isis\n",
            f"Slug: alias-isis\nImage: images/photos/broadcast-rings.jpg\nImage_alt: {alt}\n",
        )
    )
    site = build(fixture_content, tmp_path / "out")
    page = site.html("/2020/01/alias-isis/")
    meta = meta_tags(page)
    image = meta["og:image"]
    assert not image.startswith(f"{BASE}/cards/")
    with Image.open(local_file(site, image)) as featured:
        assert featured.format == "JPEG" and featured.width <= 1200
        assert featured.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
    assert meta["og:image:type"] == "image/jpeg"
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == alt
    assert meta["twitter:image"] == image
    graph = json.loads(page.select_one('script[type="application/ld+json"]').get_text())
    news = next(node for node in graph["@graph"] if node["@type"] == "NewsArticle")
    assert news["image"] == [
        {"@type": "ImageObject", "url": image, "width": featured.width, "height": featured.height}
    ]
    assert not list((site.output / "cards" / "2020").rglob("alias-isis.*"))
    other = meta_tags(site.html("/2020/02/alias-shabaab/"))["og:image"]
    assert other.startswith(f"{BASE}/cards/2020/02/alias-shabaab.")


# Builds.


def card_files(output):
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(Path(output, "cards").rglob("*"))
        if path.is_file()
    }


def test_two_builds_write_the_same_cards(fixture_content, tmp_path):
    """Cold builds in two folders, site layer alone: the same card files, byte for byte."""
    first = card_files(build(fixture_content, tmp_path / "one", **SITE_LAYER).output)
    second = card_files(build(fixture_content, tmp_path / "two", **SITE_LAYER).output)
    assert first and first == second
    assert all(name.endswith(".png") for name in first)


@pytest.mark.speed_layer
def test_a_warm_build_draws_no_card_it_drew_before(fixture_content, tmp_path):
    """The speed layer keeps each card: the rebuild draws none, a retitled article's
    alone after an edit, and the output is the site layer's, byte for byte."""
    output, cache = tmp_path / "out", tmp_path / "cache"
    cold = build(fixture_content, output, cache=cache, **BOTH)
    store = build_of(cold.settings).engine.cards
    total = len(card_files(output))
    assert store.drawn == total > 5 and store.reused == 0

    warm = build(fixture_content, output, cache=cache, **BOTH)
    store = build_of(warm.settings).engine.cards
    assert (store.drawn, store.reused) == (0, total)
    linked = output / next(iter(card_files(output)))
    assert linked.stat().st_nlink >= 2, "placed as a link to the store, not written"

    article = fixture_content / "articles" / "alias-isis.md"
    article.write_text(
        article.read_text().replace("Title: An Article", "Title: A Retitled Article")
    )
    edited = build(fixture_content, output, cache=cache, **BOTH)
    store = build_of(edited.settings).engine.cards
    assert (store.drawn, store.reused) == (1, total - 1)
    assert len(list((cache / "newsroom-cards").iterdir())) == total, "the store keeps one build"
    alone = build(fixture_content, tmp_path / "alone", **SITE_LAYER)
    assert snapshot(output) == snapshot(alone.output)


@pytest.mark.speed_layer
def test_helpers_draw_the_same_cards_and_their_failure_costs_nothing(
    fixture_content, tmp_path, monkeypatch
):
    """Cold cards drawn in helper processes are the site layer's bytes; a helper that dies
    leaves its cards to the build, which draws them itself."""
    from newsroom_speed import card_store

    alone = snapshot(build(fixture_content, tmp_path / "alone", **SITE_LAYER).output)
    monkeypatch.setattr(card_store, "HELPER_THRESHOLD", 1)
    helped = build(fixture_content, tmp_path / "helped", cache=tmp_path / "c1", **BOTH)
    assert snapshot(helped.output) == alone

    started = []

    def dying(self, jobs):
        started.append(len(jobs))
        return card_store.subprocess.Popen([card_store.sys.executable, "-c", "exit(3)"])

    monkeypatch.setattr(card_store.CardStore, "start_helper", dying)
    failed = build(fixture_content, tmp_path / "failed", cache=tmp_path / "c2", **BOTH)
    assert started and snapshot(failed.output) == alone


def test_the_bundled_fonts_are_the_ones_named(tmp_path):
    """theme/fonts holds the two DejaVu faces the cards use and their licence, nothing else
    a build would have to guess at."""
    names = sorted(path.name for path in (ROOT / "theme" / "fonts").iterdir())
    assert names == ["DejaVuSans.ttf", "DejaVuSerif-Bold.ttf", "LICENSE-DejaVu.txt"]
    copy = tmp_path / "fonts"
    shutil.copytree(ROOT / "theme" / "fonts", copy)
    assert CardPainter(tuple(str(copy / Path(f).name) for f in FONTS)).png(
        CardSpec("Same fonts, other folder", "Topic", "Militancy Monitor")
    ) == CardPainter(FONTS).png(CardSpec("Same fonts, other folder", "Topic", "Militancy Monitor"))
