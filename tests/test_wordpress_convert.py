"""The WordPress importer's body converter: post HTML in, this site's Markdown out.

Each case checks the Markdown and what it renders to with the site's own Markdown
settings (pelicanconf.py MARKDOWN, with the extensions the newsroom plugin adds),
as Pelican's reader would render an imported article, `{static}/` read as `/`.
"""

import re

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings

from conftest import ROOT
from newsroom.enrich import configure
from newsroom.scan import check_markdown_shape
from newsroom_tools.wordpress.convert import PLACEHOLDER_ALT, Media, to_markdown

SITE_SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
configure(SITE_SETTINGS)

OLD = "https://old.example"
UPLOADS = OLD + "/wp-content/uploads/2019/03/"
MARKET = Media("images/wordpress/2019/03/market.jpg", "image", "", "", "")
PHOTOS = {
    5: MARKET,
    6: Media("images/wordpress/2019/03/camp.jpg", "image", "Tents in the camp", "Camp", ""),
    7: Media("images/wordpress/2019/03/road.jpg", "image", "", "", "The road north"),
    8: Media("images/wordpress/2019/03/bridge.jpg", "image", "", "Bridge at Dikwa", ""),
    9: Media("images/wordpress/2019/03/IMG_2041.jpg", "image", "", "IMG_2041", ""),
    20: Media("audio/wordpress/2019/03/interview.mp3", "audio", "", "The interview", ""),
    21: Media("files/wordpress/2019/03/briefing.mp4", "video", "", "", ""),
}
FILES = {
    "market.jpg": MARKET,
    "report.pdf": Media("files/wordpress/2019/03/report.pdf", "file", "", "Report", ""),
    "interview.mp3": PHOTOS[20],
}
LINKS = {
    OLD + "/2019/03/attack/": "{filename}/articles/2019/attack.md",
    OLD + "/tag/boko-haram/": "{tag}Boko Haram",
    "/?p=123": "{filename}/articles/2019/p123.md",
    OLD + "/2019/03/market-day/market/": "{filename}/articles/2019/market-day.md",
}


class FakeSite:
    """The importer's Site: a few old addresses and uploads, and what was asked."""

    def __init__(self):
        self.asked_links = []
        self.asked_media = []

    def link(self, url):
        self.asked_links.append(url)
        return LINKS.get(url)

    def media(self, url, attachment_id):
        self.asked_media.append((url, attachment_id))
        if attachment_id in PHOTOS:
            return PHOTOS[attachment_id]
        if url and url.startswith(UPLOADS):
            # The importer strips WordPress's size suffixes (-300x200).
            name = re.sub(r"-\d+x\d+(?=\.\w+$)", "", url.rsplit("/", 1)[1])
            return FILES.get(name)
        return None


def render(text):
    """Render Markdown as Pelican's reader does with the site's settings: every extension
    in extension_configs loaded, after the headers the importer writes."""
    config = SITE_SETTINGS["MARKDOWN"]
    configs = config["extension_configs"]
    converter = markdown.Markdown(
        extensions=[*configs, *config.get("extensions", [])],
        extension_configs=configs,
        output_format=config.get("output_format", "html5"),
    )
    page = "Title: A converted post\n\n" + text.replace("{static}/", "/")
    return BeautifulSoup(converter.convert(page), "html.parser")


def convert(html, **options):
    """Return (Converted, rendered HTML as a soup, the FakeSite asked)."""
    site = FakeSite()
    converted = to_markdown(html, site, **options)
    return converted, render(converted.markdown), site


EXECUTABLE = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
FORBIDDEN_TAGS = {
    *("script", "style", "iframe", "object", "embed", "form", "input", "button", "svg"),
    *("math", "noscript", "template", "base", "meta", "link"),
}


def assert_harmless(page):
    """Nothing executable or styled in rendered HTML."""
    for tag in page.find_all(True):
        assert tag.name not in FORBIDDEN_TAGS, tag
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            assert name.lower() != "style", tag
            for item in value if isinstance(value, list) else [value]:
                assert not EXECUTABLE.match(re.sub(r"[\x00-\x20]", "", item)), tag


def figures(page):
    """[(src, alt, caption)] of the rendered figures."""
    return [(f.img["src"], f.img["alt"], f.figcaption.get_text()) for f in page.find_all("figure")]


# -- Paragraphs (wpautop) ----------------------------------------------------------------


def test_classic_content_gets_paragraphs_and_line_breaks():
    converted, page, _ = convert("First line\nsame paragraph\n\nSecond paragraph.\n")
    assert converted.markdown == "First line  \nsame paragraph\n\nSecond paragraph.\n"
    paragraphs = page.find_all("p")
    assert [p.get_text() for p in paragraphs] == ["First line\nsame paragraph", "Second paragraph."]
    assert paragraphs[0].find("br") is not None
    assert converted.notes == []


def test_pre_keeps_every_line_and_space():
    code = "def f():\n\n\n    return '<b>' * 2  # [x] {static}\n"
    html = "Intro\n\n<pre>" + code.replace("<", "&lt;").replace(">", "&gt;") + "</pre>\n\nAfter"
    converted, page, _ = convert(html)
    assert "```\n" + code + "```" in converted.markdown
    assert page.pre.get_text() == code
    assert [p.get_text() for p in page.find_all("p")] == ["Intro", "After"]


def test_code_holding_fences_gets_a_longer_fence():
    converted, page, _ = convert("<pre>```\ninside\n```</pre>")
    assert converted.markdown.startswith("````\n```\ninside\n```\n````")
    assert page.pre.get_text() == "```\ninside\n```\n"


def test_block_editor_content_is_not_given_paragraphs():
    html = "<!-- wp:paragraph -->\n<p>One\nline in the source</p>\n<!-- /wp:paragraph -->\n"
    converted, page, _ = convert(html)
    assert converted.markdown == "One line in the source\n"
    assert page.find("br") is None
    assert "wp:" not in str(page)


def test_content_already_in_blocks_is_not_given_paragraphs():
    converted, page, _ = convert("<p>Written\nas HTML</p>\n<p>Second</p>")
    assert converted.markdown == "Written as HTML\n\nSecond\n"
    assert page.find("br") is None


def test_autop_can_be_forced_either_way():
    assert to_markdown("<p>a\nb</p>", FakeSite(), autop=True).markdown == "a  \nb\n"
    assert to_markdown("a\n\nb", FakeSite(), autop=False).markdown == "a b\n"


def test_classic_lists_and_quotes_keep_their_structure():
    html = (
        "Intro\n<ul>\n<li>One\nstill one</li>\n<li>Two</li>\n</ul>\n"
        "<blockquote>Said\nthis</blockquote>"
    )
    converted, page, _ = convert(html)
    assert "- One  \n    still one\n- Two" in converted.markdown
    assert "> Said  \n> this" in converted.markdown
    assert [li.get_text() for li in page.find_all("li")] == ["One\n    still one", "Two"]
    assert page.blockquote.get_text(strip=True) == "Saidthis"


# -- The block editor ----------------------------------------------------------------------


def test_block_image_uses_its_attachment_id():
    html = (
        '<!-- wp:image {"id":6,"sizeSlug":"large"} -->\n'
        '<figure class="wp-block-image size-large"><img src="https://cdn.example/other.jpg" '
        'alt="" class="wp-image-6"/><figcaption>Camp at dusk</figcaption></figure>\n'
        "<!-- /wp:image -->"
    )
    converted, page, site = convert(html)
    assert converted.markdown == (
        '![Tents in the camp]({static}/images/wordpress/2019/03/camp.jpg "Camp at dusk")\n'
    )
    assert figures(page) == [
        ("/images/wordpress/2019/03/camp.jpg", "Tents in the camp", "Camp at dusk")
    ]
    assert ("https://cdn.example/other.jpg", 6) in site.asked_media


def test_block_gallery_is_one_figure_per_image():
    html = (
        '<!-- wp:gallery {"ids":[6,7]} -->\n<figure class="wp-block-gallery columns-2">'
        '<ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure>'
        '<img src="x.jpg" alt="Tents" data-id="6" class="wp-image-6"/>'
        '<figcaption class="blocks-gallery-item__caption">Camp</figcaption></figure></li>'
        '<li class="blocks-gallery-item"><figure><img src="y.jpg" alt="" data-id="7" '
        'class="wp-image-7"/></figure></li></ul>'
        '<figcaption class="blocks-gallery-caption">Two days in Borno</figcaption></figure>\n'
        "<!-- /wp:gallery -->"
    )
    converted, page, _ = convert(html)
    assert figures(page) == [("/images/wordpress/2019/03/camp.jpg", "Tents", "Camp")]
    assert page.find("img", src="/images/wordpress/2019/03/road.jpg")["alt"] == "The road north"
    assert page.find_all("p")[-1].get_text() == "Two days in Borno"
    assert page.find("li") is None
    assert converted.notes == []


def test_block_embed_quote_pullquote_separator_and_more():
    html = (
        '<!-- wp:embed {"url":"https://twitter.com/someone/status/1"} -->\n'
        '<figure class="wp-block-embed is-provider-twitter"><div class="wp-block-embed__wrapper">\n'
        "https://twitter.com/someone/status/1\n</div></figure>\n<!-- /wp:embed -->\n"
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>We will return.</p>'
        "<cite>A commander</cite></blockquote>\n<!-- /wp:quote -->\n"
        '<!-- wp:pullquote -->\n<figure class="wp-block-pullquote"><blockquote><p>Pulled out</p>'
        "</blockquote></figure>\n<!-- /wp:pullquote -->\n"
        '<!-- wp:separator -->\n<hr class="wp-block-separator"/>\n<!-- /wp:separator -->\n'
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n"
        "<!-- wp:paragraph -->\n<p>After the fold</p>\n<!-- /wp:paragraph -->"
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "[twitter.com](https://twitter.com/someone/status/1)\n\n"
        "> We will return.\n>\n> — A commander\n\n<!-- -->\n\n> Pulled out\n\n---\n\n"
        "After the fold\n"
    )
    assert page.a["href"] == "https://twitter.com/someone/status/1"
    quotes = page.find_all("blockquote")
    assert [q.get_text(" ", strip=True) for q in quotes] == [
        "We will return. — A commander",
        "Pulled out",
    ]
    assert page.find("hr") is not None
    assert converted.notes == ["an embed from twitter.com became a link"]


def test_block_audio_video_and_table():
    html = (
        '<!-- wp:audio {"id":20} -->\n<figure class="wp-block-audio"><audio controls '
        f'src="{UPLOADS}interview.mp3"></audio></figure>\n<!-- /wp:audio -->\n'
        '<!-- wp:video -->\n<figure class="wp-block-video"><video controls '
        f'src="{UPLOADS}clip.mp4"></video><figcaption>The clip</figcaption></figure>\n'
        "<!-- /wp:video -->\n"
        '<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody>'
        "<tr><td>Group</td><td>Fighters</td></tr><tr><td>ISWAP</td><td>3,500</td></tr>"
        "</tbody></table><figcaption>Estimates</figcaption></figure>\n<!-- /wp:table -->"
    )
    converted, page, _ = convert(html)
    assert "[Listen: The interview]({static}/audio/wordpress/2019/03/interview.mp3)" in (
        converted.markdown
    )
    assert f"[Watch: The clip]({UPLOADS}clip.mp4)" in converted.markdown
    assert "| Group | Fighters |\n| --- | --- |\n| ISWAP | 3,500 |\n\nEstimates" in (
        converted.markdown
    )
    links = {a.get_text(): a["href"] for a in page.find_all("a")}
    assert links["Listen: The interview"] == "/audio/wordpress/2019/03/interview.mp3"
    assert [th.get_text() for th in page.find_all("th")] == ["Group", "Fighters"]
    assert page.find("audio") is None and page.find("video") is None
    assert converted.notes == [
        "video wp-content/uploads/2019/03/clip.mp4 was not imported: linked to its old address"
    ]


# -- Shortcodes -------------------------------------------------------------------------


def test_caption_shortcode_is_a_figure_with_the_caption_as_title():
    html = (
        '[caption id="attachment_5" align="alignnone" width="300"]'
        f'<a href="{UPLOADS}market-1024x768.jpg"><img class="size-medium wp-image-5" '
        f'src="{UPLOADS}market-300x200.jpg" alt="Stalls at dawn" width="300" height="200" /></a>'
        " Traders at the <em>Monday</em> market[/caption]"
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        '![Stalls at dawn]({static}/images/wordpress/2019/03/market.jpg "Traders at the Monday '
        'market")\n'
    )
    assert figures(page) == [
        ("/images/wordpress/2019/03/market.jpg", "Stalls at dawn", "Traders at the Monday market")
    ]
    assert page.find("a") is None  # the link to the image file itself is dropped
    assert converted.notes == []


def test_caption_attribute_and_attachment_page_link():
    html = (
        '[caption id="attachment_5" caption="Market, &quot;Maiduguri&quot;"]'
        f'<a href="{OLD}/2019/03/market-day/market/" rel="attachment wp-att-5">'
        '<img src="elsewhere.jpg" alt="" /></a>[/caption]'
    )
    _, page, _ = convert(html)
    assert figures(page) == [
        (
            "/images/wordpress/2019/03/market.jpg",
            'Market, "Maiduguri"',
            'Market, "Maiduguri"',
        )
    ]
    assert page.find("a") is None


def test_caption_around_an_image_linked_elsewhere_keeps_the_link_after_it():
    html = (
        '[caption id="attachment_6"]<a href="https://www.unhcr.org/camps">'
        '<img class="wp-image-6" src="camp.jpg" alt="Tents" /></a> Camp[/caption]'
    )
    converted, page, _ = convert(html)
    assert figures(page) == [("/images/wordpress/2019/03/camp.jpg", "Tents", "Camp")]
    assert page.find("a")["href"] == "https://www.unhcr.org/camps"
    assert "the link around image images/wordpress/2019/03/camp.jpg now follows its figure" in (
        converted.notes
    )


def test_gallery_shortcode_is_one_figure_per_image():
    converted, page, _ = convert('Before\n\n[gallery columns="2" ids="6, 7,99"]\n\nAfter')
    assert converted.markdown == (
        "Before\n\n"
        "![Tents in the camp]({static}/images/wordpress/2019/03/camp.jpg)\n\n"
        '![The road north]({static}/images/wordpress/2019/03/road.jpg "The road north")\n\n'
        "After\n"
    )
    assert [img["src"] for img in page.find_all("img")] == [
        "/images/wordpress/2019/03/camp.jpg",
        "/images/wordpress/2019/03/road.jpg",
    ]
    assert figures(page) == [
        ("/images/wordpress/2019/03/road.jpg", "The road north", "The road north")
    ]
    assert converted.notes == ["gallery image 99 was not imported"]


def test_gallery_without_ids_is_noted():
    converted, page, _ = convert("Photos:\n\n[gallery]")
    assert converted.markdown == "Photos:\n"
    assert page.find("img") is None
    assert converted.notes == ["a [gallery] without ids was dropped: its images are not known"]


def test_embed_shortcode_and_bare_url_lines_become_links():
    html = (
        'Watch this:\n\n[embed width="640"]https://www.youtube.com/watch?v=abc123[/embed]\n\n'
        "https://vimeo.com/76979871\n\nA sentence with https://example.com/in-text stays text."
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "Watch this:\n\n[youtube.com](https://www.youtube.com/watch?v=abc123)\n\n"
        "[vimeo.com](https://vimeo.com/76979871)\n\n"
        "A sentence with https://example.com/in-text stays text.\n"
    )
    assert [a["href"] for a in page.find_all("a")] == [
        "https://www.youtube.com/watch?v=abc123",
        "https://vimeo.com/76979871",
    ]
    assert converted.notes == [
        "an embed from www.youtube.com became a link",
        "an embed from vimeo.com became a link",
    ]


def test_audio_video_and_playlist_shortcodes_link_to_the_files():
    html = (
        f'[audio mp3="{UPLOADS}interview.mp3"][/audio]\n\n'
        f'[audio src="{UPLOADS}lost.ogg"]\n\n'
        f'[video width="640" mp4="{UPLOADS}lost.mp4"][/video]\n\n'
        '[playlist type="video" ids="21"]\n\n[playlist]'
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "[Listen: The interview]({static}/audio/wordpress/2019/03/interview.mp3)\n\n"
        f"[Listen: lost.ogg]({UPLOADS}lost.ogg)\n\n"
        f"[Watch: lost.mp4]({UPLOADS}lost.mp4)\n\n"
        "[Watch: briefing.mp4]({static}/files/wordpress/2019/03/briefing.mp4)\n"
    )
    assert page.a["href"] == "/audio/wordpress/2019/03/interview.mp3"
    assert converted.notes == [
        "audio wp-content/uploads/2019/03/lost.ogg was not imported: linked to its old address",
        "video wp-content/uploads/2019/03/lost.mp4 was not imported: linked to its old address",
        "a [playlist] without ids was dropped: its tracks are not known",
    ]


def test_unknown_shortcodes_are_kept_as_text_and_noted_once():
    html = (
        '[su_button url="x"]Donate[/su_button] and [contact-form-7 id="4"]\n\n'
        '[su_button url="y"]Again[/su_button] [sic] [Editor\'s note: see below]'
    )
    converted, page, _ = convert(html)
    assert [p.get_text() for p in page.find_all("p")] == [
        '[su_button url="x"]Donate[/su_button] and [contact-form-7 id="4"]',
        '[su_button url="y"]Again[/su_button] [sic] [Editor\'s note: see below]',
    ]
    assert converted.notes == [
        "unknown shortcode [su_button] kept as text",
        "unknown shortcode [contact-form-7] kept as text",
    ]


def test_escaped_shortcodes_are_literal_text():
    html = (
        'Write [[caption]] or [[gallery ids="1"]] to show one.\n\n<pre>[[embed]]x[[/embed]]</pre>'
    )
    converted, page, _ = convert(html)
    assert page.p.get_text() == 'Write [caption] or [gallery ids="1"] to show one.'
    assert page.pre.get_text() == "[embed]x[/embed]\n"
    assert page.find("img") is None and page.find("a") is None
    assert converted.notes == []


def test_shortcodes_in_attributes_and_code_are_left_alone():
    converted, page, _ = convert('<p title="[gallery]">Text <code>[embed]x[/embed]</code></p>')
    assert converted.markdown == "Text `[embed]x[/embed]`\n"
    assert page.code.get_text() == "[embed]x[/embed]"


# -- Images -----------------------------------------------------------------------------


MARKET_FILE, CAMERA_FILE = PHOTOS[5].static, PHOTOS[9].static


@pytest.mark.parametrize(
    ("html", "alt", "notes"),
    [
        ('<img class="wp-image-6" src="a.jpg" alt="Its own alt">', "Its own alt", []),
        ('<img class="wp-image-6" src="a.jpg" alt="">', "Tents in the camp", []),
        ('[caption id="attachment_5"]<img src="a.jpg"> The caption[/caption]', "The caption", []),
        ('<img class="wp-image-7" src="a.jpg">', "The road north", []),
        ('<img class="wp-image-8" src="a.jpg">', "Bridge at Dikwa", []),
        (
            '<img class="wp-image-5" src="a.jpg">',
            PLACEHOLDER_ALT,
            [f"placeholder alt text for {MARKET_FILE}"],
        ),
        (
            '<img class="wp-image-9" src="a.jpg">',
            PLACEHOLDER_ALT,
            [f"placeholder alt text for {CAMERA_FILE}"],
        ),
    ],
    ids=["img", "attachment", "caption", "attachment-caption", "title", "none", "camera-title"],
)
def test_image_alt_text_order(html, alt, notes):
    """The img's alt, the attachment's, the caption, the attachment's caption, its title
    (not a camera's file name), else a placeholder the editor is told of."""
    converted, page, _ = convert(html)
    assert page.img["alt"] == alt
    assert page.img["src"].startswith("/images/wordpress/2019/03/")
    assert f"![{alt}]({{static}}/images/wordpress/2019/03/" in converted.markdown
    assert converted.notes == notes


def test_images_are_found_by_url_without_size_suffix():
    converted, _, site = convert(f'<p><img src="{UPLOADS}market-300x200.jpg" alt="Stalls"></p>')
    assert converted.markdown == "![Stalls]({static}/images/wordpress/2019/03/market.jpg)\n"
    assert (f"{UPLOADS}market-300x200.jpg", None) in site.asked_media


def test_images_not_imported_keep_their_alt_text_and_are_never_hotlinked():
    html = (
        '<p><img src="https://cdn.other.com/photo.jpg" alt="Fighters on a truck"></p>\n'
        f'<p>Text <img src="{UPLOADS}gone.png"> more</p>\n'
        '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="Chart"></p>\n'
        '<p>Smile <img class="wp-smiley" alt="🙂" '
        'src="https://s.w.org/images/core/emoji/smile.png"></p>'
    )
    converted, page, _ = convert(html)
    assert converted.markdown == "Fighters on a truck\n\nText more\n\nChart\n\nSmile 🙂\n"
    assert page.find("img") is None
    assert "cdn.other.com" not in str(page) and "data:" not in str(page)
    assert converted.notes == [
        "image https://cdn.other.com/photo.jpg was not imported: kept its alt text",
        "image wp-content/uploads/2019/03/gone.png was not imported: dropped it",
        "image (a data: URL) was not imported: kept its alt text",
    ]


def test_captioned_image_not_imported_keeps_its_caption():
    converted, page, _ = convert(
        '[caption]<img src="https://cdn.other.com/x.jpg" alt="A"> The flood[/caption]'
    )
    assert converted.markdown == "The flood\n"
    assert page.find("img") is None
    assert converted.notes == [
        "image https://cdn.other.com/x.jpg was not imported: kept its caption"
    ]


# -- Links ------------------------------------------------------------------------------


def test_links_pass_through_the_site():
    html = (
        f'<p>See <a href="{OLD}/2019/03/attack/">the attack</a>, <a href="/?p=123">this post</a>, '
        f'the <a href="{OLD}/tag/boko-haram/">Boko Haram</a> tag, '
        f'<a href="{UPLOADS}report.pdf">the report</a> and '
        '<a href="https://www.crisisgroup.org/africa?a=1&amp;b=2">Crisis Group</a>.</p>'
    )
    converted, page, site = convert(html)
    assert converted.markdown == (
        "See [the attack]({filename}/articles/2019/attack.md), "
        "[this post]({filename}/articles/2019/p123.md), the [Boko Haram](<{tag}Boko Haram>) tag, "
        "[the report]({static}/files/wordpress/2019/03/report.pdf) and "
        "[Crisis Group](https://www.crisisgroup.org/africa?a=1&b=2).\n"
    )
    assert [a["href"] for a in page.find_all("a")] == [
        "{filename}/articles/2019/attack.md",
        "{filename}/articles/2019/p123.md",
        "{tag}Boko Haram",
        "/files/wordpress/2019/03/report.pdf",
        "https://www.crisisgroup.org/africa?a=1&b=2",
    ]
    assert "https://www.crisisgroup.org/africa?a=1&b=2" in site.asked_links
    assert converted.notes == []


def test_links_to_uploads_not_imported_keep_their_address_and_are_noted():
    converted, page, _ = convert(f'<p><a href="{UPLOADS}missing.pdf">Annex</a></p>')
    assert page.a["href"] == f"{UPLOADS}missing.pdf"
    assert converted.notes == [
        "upload wp-content/uploads/2019/03/missing.pdf was not imported: "
        "the link keeps its old address"
    ]


def test_links_to_original_images_are_dropped_as_they_are_not_published():
    converted, page, _ = convert(f'<p>The <a href="{UPLOADS}market.jpg">full photo</a>.</p>')
    assert converted.markdown == "The full photo.\n"
    assert page.find("a") is None
    assert converted.notes == [
        "a link to image images/wordpress/2019/03/market.jpg was dropped: kept its text"
    ]


def test_links_around_images_to_the_image_or_its_page_are_dropped():
    html = (
        f'<p><a href="{UPLOADS}market-1024x768.jpg">'
        '<img class="wp-image-5" src="m.jpg" alt="A"></a></p>'
        f'<p><a href="{OLD}/?attachment_id=6"><img class="wp-image-6" src="c.jpg" alt="B"></a></p>'
        f'<p><a href="https://www.unhcr.org/"><img class="wp-image-6" src="c.jpg" alt="C"></a></p>'
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "![A]({static}/images/wordpress/2019/03/market.jpg)\n\n"
        "![B]({static}/images/wordpress/2019/03/camp.jpg)\n\n"
        "[![C]({static}/images/wordpress/2019/03/camp.jpg)](https://www.unhcr.org/)\n"
    )
    assert [a["href"] for a in page.find_all("a")] == ["https://www.unhcr.org/"]


def test_anchors_and_empty_links_keep_only_their_text():
    converted, page, _ = convert(
        '<p><a name="top"></a>Note<sup><a href="#fn1">1</a></sup> <a href="">x</a></p>'
    )
    assert converted.markdown == "Note\\[1\\] x\n"
    assert page.p.get_text() == "Note[1] x"
    assert page.find("a") is None


def test_placeholders_in_the_posts_own_hrefs_are_neutralised():
    _, page, _ = convert(
        '<p><a href="{filename}/../../pelicanconf.py">a</a> <a href="|static|x">b</a></p>'
    )
    assert [a["href"] for a in page.find_all("a")] == [
        "%7Bfilename%7D/../../pelicanconf.py",
        "%7Cstatic%7Cx",
    ]


# -- Hostile posts ----------------------------------------------------------------------

HOSTILE = (
    '<p onclick="steal()" style="color:red">Hello <script>alert(1)</script>'
    '<img src="x" onerror="alert(1)"> <a href="javascript:alert(1)">click</a> '
    '<a href=" JaVa&#x0A;script:alert(1)">two</a> <a href="vbscript:msgbox(1)">three</a> '
    '<a href="data:text/html;base64,PHNjcmlwdD4=">four</a></p>\n'
    '<script src="https://evil.example/x.js"></script>\n'
    "<style>body{display:none}</style>\n"
    '<iframe src="javascript:alert(1)"></iframe>\n'
    '<form action="https://evil.example/"><input name="card"><button>Pay</button></form>\n'
    '<svg onload="alert(1)"><circle r="1"/></svg>\n'
    "<math><mi>x</mi></math>\n"
    '<object data="https://evil.example/x.swf"></object>\n'
    "<noscript><p>Enable JavaScript</p></noscript><template><p>t</p></template>\n"
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=x">'
    '<link rel="stylesheet" href="x.css">\n'
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; {: onclick="alert(1)"} '
    '<span onmouseover="x">hover</span></p>\n'
    '<h2>Title {: onclick="alert(1)"}</h2>'
)


def test_nothing_executable_survives_a_hostile_post():
    converted, page, _ = convert(HOSTILE)
    assert_harmless(page)
    hrefs = [a["href"] for a in page.find_all("a") if not a["href"].startswith("#")]
    assert hrefs == ["https://evil.example/x.swf"]
    assert converted.markdown == (
        "Hello click two three four\n\n"
        "[evil.example](https://evil.example/x.swf)\n\n"
        '&lt;script>alert(1)&lt;/script> \\{: onclick="alert(1)"\\} hover\n\n'
        '## Title \\{: onclick="alert(1)"\\}\n'
    )
    # What a reader sees of the escaped text is the text.
    assert (
        page.find_all("p")[-1].get_text()
        == '<script>alert(1)</script> {: onclick="alert(1)"} hover'
    )
    assert page.h2.get_text().startswith('Title {: onclick="alert(1)"}')
    assert converted.notes == [
        "a script was dropped",
        "image x was not imported: dropped it",
        "a link to a javascript: address was dropped: kept its text",
        "a link to a vbscript: address was dropped: kept its text",
        "a link to a data: address was dropped: kept its text",
        "a script from evil.example was dropped",
        "an iframe without a web address was dropped",
        "a form was dropped",
        "an inline SVG image was dropped",
        "a formula (MathML) was dropped",
        "an embedded object from evil.example became a link",
    ]


def test_third_party_iframes_become_links_to_their_pages():
    html = (
        '<iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" '
        'title="Interview with the governor"></iframe>\n'
        '<iframe src="//www.youtube-nocookie.com/embed/abcdefgh"></iframe>\n'
        '<iframe src="https://player.vimeo.com/video/76979871?h=1"></iframe>\n'
        '<iframe src="https://www.google.com/maps/embed?pb=!1m18"></iframe>'
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "[Interview with the governor](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n"
        "[youtube.com](https://www.youtube.com/watch?v=abcdefgh)\n\n"
        "[vimeo.com](https://vimeo.com/76979871)\n\n"
        "[google.com](https://www.google.com/maps/embed?pb=!1m18)\n"
    )
    assert page.find("iframe") is None
    assert len(page.find_all("a")) == 4
    assert converted.notes == [
        "an iframe from www.youtube.com became a link",
        "an iframe from www.youtube-nocookie.com became a link",
        "an iframe from player.vimeo.com became a link",
        "an iframe from www.google.com became a link",
    ]


# -- Tables -----------------------------------------------------------------------------


def test_simple_table_is_a_pipe_table():
    html = (
        "<table><thead><tr><th>Group</th><th>Area</th></tr></thead><tbody>"
        "<tr><td><strong>ISWAP</strong></td><td>Lake Chad | Borno</td></tr>"
        '<tr><td><a href="https://old.example/2019/03/attack/">JAS</a></td><td><p>Sambisa</p></td></tr>'
        "</tbody></table>"
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "| Group | Area |\n| --- | --- |\n| **ISWAP** | Lake Chad \\| Borno |\n"
        "| [JAS]({filename}/articles/2019/attack.md) | Sambisa |\n"
    )
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in page.find_all("tr")]
    assert rows == [["Group", "Area"], ["ISWAP", "Lake Chad | Borno"], ["JAS", "Sambisa"]]
    assert page.find("div", class_="table-wrap") is not None  # prose.py's scrolling region
    assert converted.notes == []


@pytest.mark.parametrize(
    "table",
    [
        "<table><tr><th colspan='2' onclick='x' style='y'>Both</th></tr>"
        "<tr><td>a</td><td>b</td></tr></table>",
        "<table><tr><td rowspan='2'>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
        "<table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table>",
        "<table><tr><td><ul><li>one</li><li>two</li></ul></td><td>b</td></tr></table>",
    ],
    ids=["colspan", "rowspan", "nested", "list-in-cell"],
)
def test_complex_tables_are_kept_as_sanitized_html(table):
    converted, page, _ = convert("Before\n\n" + table + "\n\nAfter")
    assert converted.notes == ["a complex table kept as HTML"]
    assert converted.markdown.startswith('Before\n\n<div class="table-wrap" role="region"')
    assert converted.markdown.endswith("</table>\n</div>\n\nAfter\n")
    assert page.find("table") is not None
    assert_harmless(page)
    allowed = {"div", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "br"}
    inside = page.find("div", class_="table-wrap")
    assert {t.name for t in inside.find_all(True)} <= allowed
    for cell in inside.find_all(["td", "th"]):
        assert set(cell.attrs) <= {"colspan", "rowspan", "scope"}
    assert [p.get_text() for p in page.find_all("p")] == ["Before", "After"]


def test_complex_table_in_a_list_is_moved_out_of_it():
    html = "<ul><li>Item<table><tr><td colspan='2'>x</td></tr></table></li></ul>"
    converted, page, _ = convert(html)
    assert converted.markdown.startswith('- Item\n\n<div class="table-wrap"')
    assert page.find("td", colspan="2").get_text() == "x"


# -- Headings, text, escaping -----------------------------------------------------------


def test_headings_move_down_when_the_body_has_an_h1():
    converted, page, _ = convert(
        "<h1>Part one</h1><p>a</p><h2>Detail</h2><h3>More</h3><h6>Least</h6>"
    )
    assert converted.markdown == "## Part one\n\na\n\n### Detail\n\n#### More\n\n###### Least\n"
    assert [h.name for h in page.find_all(re.compile(r"^h\d$"))] == ["h2", "h3", "h4", "h6"]


def test_headings_stay_when_the_body_has_no_h1():
    converted, page, _ = convert("<h2>Part</h2><h3>Sub</h3>")
    assert converted.markdown == "## Part\n\n### Sub\n"
    assert [h.name for h in page.find_all(["h2", "h3"])] == ["h2", "h3"]


def test_inline_formatting_lists_and_code():
    html = (
        "<p><b>Bold</b>, <i>italic</i>, <em><em>nested</em></em>, <del>gone</del>, "
        "<code>x_y*z</code> and <kbd>Ctrl</kbd></p>\n"
        '<ol start="3"><li>Third</li><li>Fourth<ol><li>Inner</li></ol></li></ol>\n'
        "<ul><li>Bullet</li></ul>"
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "**Bold**, *italic*, *nested*, <del>gone</del>, `x_y*z` and `Ctrl`\n\n"
        "3. Third\n4. Fourth\n    1. Inner\n\n<!-- -->\n\n- Bullet\n"
    )
    assert page.strong.get_text() == "Bold" and page.em.get_text() == "italic"
    assert page.find("del").get_text() == "gone"
    assert [c.get_text() for c in page.find_all("code")] == ["x_y*z", "Ctrl"]
    assert page.find("ol").find("ol").li.get_text() == "Inner"
    assert page.find("ul").li.get_text() == "Bullet"


def test_superscripts_and_subscripts_as_text():
    _, page, _ = convert(
        '<p>Claim<sup><a href="#_ftn1">[1]</a></sup>, 40 km<sup>2</sup>, '
        "CO<sub>2</sub>, 1<sup>st</sup></p>"
    )
    assert page.p.get_text() == "Claim[1], 40 km², CO₂, 1st"
    assert page.find("sup") is None  # no footnote syntax is made of them


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2 * 3 * 4 and snake_case_name", "2 * 3 * 4 and snake_case_name"),
        ("[1] and [TOC] and [^note] and ![x](y)", "[1] and [TOC] and [^note] and ![x](y)"),
        ("`not code` and \\backslash", "`not code` and \\backslash"),
        ("# Not a heading", "# Not a heading"),
        ("> Not a quote", "> Not a quote"),
        ("1986. The year", "1986. The year"),
        ("- Not a list", "- Not a list"),
        ("+ Not a list", "+ Not a list"),
        (
            "Link {filename}/x.md and {static}/y.jpg and {tag}ISIS",
            "Link {filename}/x.md and {static}/y.jpg and {tag}ISIS",
        ),
        ("a | b | c", "a | b | c"),
        ("Wow!", "Wow!"),
        (
            "&amp;copy; and &lt;b&gt;bold&lt;/b&gt; and &lt;http://x.y&gt;",
            "&copy; and <b>bold</b> and <http://x.y>",
        ),
        ("~~~ not a fence", "~~~ not a fence"),
    ],
)
def test_text_markdown_would_misread_is_escaped(text, shown):
    converted, page, _ = convert(f"<p>{text}</p>")
    assert page.p.get_text() == shown
    assert len(page.find_all(True)) == 1  # one paragraph, nothing made of the text
    assert to_markdown(f"<p>{text}</p>", FakeSite()).markdown == converted.markdown


def test_line_starts_after_a_break_are_escaped():
    converted, page, _ = convert("Total<br>\n# 12\n1. first\n---\n=====\n")
    assert converted.markdown == "Total  \n\\# 12  \n1\\. first  \n\\---  \n&#61;====\n"
    assert page.p.get_text() == "Total\n# 12\n1. first\n---\n====="
    assert page.find(["h1", "h2", "ol", "hr"]) is None


def test_exclamation_before_a_link_is_not_an_image():
    _, page, _ = convert('<p>Read this!<a href="https://example.org/">now</a></p>')
    assert page.find("img") is None
    assert page.a["href"] == "https://example.org/"


def test_entities_and_non_ascii_text_survive():
    html = (
        "Caf&eacute; &#8220;quoted&#8221; &mdash; it&rsquo;s 5&nbsp;km\n\n"
        '<p dir="rtl">مرحبا بالعالم — الدولة الإسلامية</p>\n\nŁódź, 東京, Ñandú, 🙂'
    )
    converted, page, _ = convert(html)
    assert converted.markdown == (
        "Café “quoted” — it’s 5\xa0km\n\n"
        "مرحبا بالعالم — الدولة الإسلامية\n\n"
        "Łódź, 東京, Ñandú, 🙂\n"
    )
    assert [p.get_text() for p in page.find_all("p")] == [
        "Café “quoted” — it’s 5\xa0km",
        "مرحبا بالعالم — الدولة الإسلامية",
        "Łódź, 東京, Ñandú, 🙂",
    ]


# -- The Markdown as a file -------------------------------------------------------------


def test_output_is_tidy_and_deterministic():
    html = (
        "<p>One  </p>\n\n\n<p>&nbsp;</p><p></p>\n<div><div><p>Two<br></p></div></div>"
        "<p>Three<br><br><br>Four</p>\n\n"
    )
    converted, _, _ = convert(html)
    assert converted.markdown == "One\n\nTwo\n\nThree\n\nFour\n"
    assert to_markdown(html, FakeSite()) == converted
    lines = converted.markdown.split("\n")
    assert all(not line.endswith(" ") for line in lines)
    assert to_markdown("", FakeSite()).markdown == ""


def test_deep_nesting_is_flattened_to_what_the_build_accepts():
    html = "<ul><li>" * 30 + "deep" + "</li></ul>" * 30 + "<div>" * 3000 + "x" + "</div>" * 3000
    converted, page, _ = convert(html)
    assert check_markdown_shape(converted.markdown, "x.md") == []
    assert "deep" in page.get_text() and "x" in page.get_text()
    assert "lists and quotes nested more than 8 deep were flattened" in converted.notes


def test_very_long_paragraphs_are_folded_for_the_build():
    converted, page, _ = convert("<p>" + "word " * 9000 + "</p>")
    assert check_markdown_shape(converted.markdown, "x.md") == []
    assert page.p.get_text().split() == ["word"] * 9000


# -- Any input --------------------------------------------------------------------------

FRAGMENTS = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<br>",
    "\n",
    "\n\n",
    "<pre>",
    "</pre>",
    "<h1>",
    "</h1>",
    "<script>alert(1)</script>",
    "<script src=//x.y/a.js>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<a href=' java\tscript:x'>",
    "<a href=data:text/html,x>",
    "</a>",
    '<iframe src="//evil.example/">',
    "</iframe>",
    "<svg onload=alert(1)>",
    "<math>",
    "<object data=javascript:x>",
    "<embed src=javascript:x>",
    "<style>*{}</style>",
    "<p onclick=x style=color:red>",
    "<table><tr><td colspan=2 onclick=x>",
    "</td></tr></table>",
    "<ul><li>",
    "</li></ul>",
    "<blockquote>",
    "</blockquote>",
    "<!-- wp:image -->",
    "<!--",
    "-->",
    "[caption]",
    "[/caption]",
    '[gallery ids="5"]',
    "[embed]",
    "[/embed]",
    "[[audio]]",
    "https://www.youtube.com/watch?v=x",
    "&lt;script&gt;",
    "&#106;avascript:",
    "{: onclick=x}",
    "<![CDATA[x]]>",
    "<!DOCTYPE html>",
    "<?php x ?>",
    "*",
    "_",
    "[",
    "]",
    "{",
    "}",
    "`",
    "#",
    ">",
    "1. ",
    "- ",
    "|",
    "---",
    "~~~",
    "```",
    "\\",
    "!",
    "&",
    "<",
    "é",
    "مرحبا",
    '<img class="wp-image-5" src="m.jpg">',
    f'<a href="{UPLOADS}report.pdf">',
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30))
def test_any_html_converts_to_harmless_markdown(pieces):
    html = "".join(pieces)
    converted = to_markdown(html, FakeSite())
    assert converted.markdown == "" or (
        converted.markdown.endswith("\n") and not converted.markdown.endswith("\n\n")
    )
    page = render(converted.markdown)
    assert_harmless(page)
    assert not page.find_all(["script", "iframe"])


def test_code_inside_quotes_and_list_items_is_indented_code():
    html = (
        "<blockquote><pre>x = 1\n  y = 2</pre><p>said</p></blockquote>"
        "<ul><li><pre>only code</pre></li><li>text<pre>more code</pre></li><li>last</li></ul>"
    )
    converted, page, _ = convert(html, autop=False)
    assert converted.markdown == (
        ">     x = 1\n>       y = 2\n>\n> said\n\n"
        "- \xa0\n\n        only code\n\n- text\n\n        more code\n\n- last\n"
    )
    assert page.blockquote.pre.get_text() == "x = 1\n  y = 2\n"
    items = page.find_all("li")
    assert [li.pre.get_text() if li.pre else None for li in items] == [
        "only code\n",
        "more code\n",
        None,
    ]
    assert items[2].get_text(strip=True) == "last"


def test_blocks_inside_links_and_emphasis_become_inline():
    html = '<a href="https://x.org/"><div><h3>Card</h3><p>Summary</p></div></a><em><p>Em</p></em>'
    converted, page, _ = convert(html, autop=False)
    assert converted.markdown == "[Card Summary](https://x.org/)\n\nEm\n"
    assert page.a.get_text() == "Card Summary"
