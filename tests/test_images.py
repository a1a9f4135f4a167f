"""The image pipeline (plugins/newsroom/images.py): featured images, body images and author
photos as <picture> renditions, nothing of the upload published, bad images refused, the
speed layer's store, and what a phone downloads."""

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from PIL import Image, ImageDraw
from PIL.ExifTags import IFD, Base
from test_browser import base_url, browser_type_launch_args  # noqa: F401 (fixtures)
from test_feeds import jing

from conftest import FIXTURES, ROOT, build, snapshot
from newsroom.image_rules import header_path, image_settings
from newsroom.images import (
    Catalogue,
    SourceImage,
    decode,
    encode,
    inspect_file,
    rendition,
    svg_size,
    widths_for,
)
from newsroom.state import build_of

IMAGES = FIXTURES / "images"
SITE_ONLY = {"PLUGINS": ["newsroom"]}
BOTH = {"PLUGINS": ["newsroom", "newsroom_speed"]}
ISIS = "/2020/01/alias-isis/"
SHABAAB = "/2020/02/alias-shabaab/"
# A rendition's name: the source's stem, its width, a hash of what its bytes depend on.
RENDITION = re.compile(r"^(?P<stem>.+)-(?P<width>\d+)\.[0-9a-f]{10}\.(?P<ext>avif|webp|jpg|png)$")
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" role="img">'
    '<title>A mark</title><rect width="320" height="200" fill="#8a1c1c"/></svg>\n'
)


def add_header(path, *lines):
    """Add header lines to a source, after its last header."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    path.write_text(head + "\n" + "\n".join(lines) + "\n\n" + body, encoding="utf-8")


def add_body(path, text):
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def put(content, relative, data):
    """Write a file below a content folder."""
    target = Path(content, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def with_images(content):
    """Give the tiny site images: a featured photo carrying EXIF orientation, GPS and an
    ICC profile (alias-isis, with caption and credit, and the about page), a photo
    narrower than news search wants (alias-shabaab, which shows a PNG with transparency
    and an SVG in its body, and the newest article, the home page's top story), a raster
    author photo, and a draft's image."""
    for name, target in (
        ("oriented-gps.jpg", "images/photos/oriented.jpg"),
        ("small.jpg", "images/photos/small.jpg"),
        ("alpha.png", "images/figures/disc.png"),
        ("oriented-gps.jpg", "images/authors/ada.jpg"),
        ("small.jpg", "images/photos/draft-only.jpg"),
    ):
        put(content, target, (IMAGES / name).read_bytes())
    put(content, "images/figures/mark.svg", SVG.encode())
    add_header(
        content / "articles" / "alias-isis.md",
        "Image: images/photos/oriented.jpg",
        "Image_alt: A red band above a blue field",
        "Image_credit: Photo: Fixture Camera Co",
        'Image_caption: The fixture\'s "upright" picture',
    )
    add_header(
        content / "articles" / "alias-shabaab.md",
        "Image: {static}/images/photos/small.jpg",
        "Image_alt: Contour lines around a lake",
    )
    add_body(
        content / "articles" / "alias-shabaab.md",
        '![A red disc on nothing]({static}/images/figures/disc.png "Figure 1. A disc.")\n\n'
        "![A red mark]({static}/images/figures/mark.svg)",
    )
    add_header(
        content / "pages" / "about.md",
        "Image: images/photos/oriented.jpg",
        "Image_alt: The fixture picture on a page",
    )
    add_header(content / "authors" / "ada-reyes.md", "Photo: images/authors/ada.jpg")
    (content / "articles" / "top-story.md").write_text(
        "Title: The Newest Story\nDate: 2020-05-01 10:00\nAuthors: Ben Cole\n"
        "Category: Analysis\nTags: Testing\nSummary: The home page's top story.\n"
        "Image: images/photos/small.jpg\nImage_alt: Contours again\n\nBody.\n",
        encoding="utf-8",
    )
    draft = content / "articles" / "draft.md"
    draft.write_text(
        "Title: A Draft With a Picture\nDate: 2020-04-01 10:00\nAuthors: Ben Cole\n"
        "Category: Analysis\nTags: Testing\nSummary: Not published.\nStatus: draft\n"
        "Image: images/photos/draft-only.jpg\nImage_alt: Never published\n\nBody.\n",
        encoding="utf-8",
    )
    return content


@pytest.fixture(scope="module")
def imaged(tmp_path_factory):
    """The tiny site with images, built once (as configured: both layers, or the site
    layer alone under NEWSROOM_PLUGINS=newsroom)."""
    root = tmp_path_factory.mktemp("imaged")
    content = with_images(shutil.copytree(FIXTURES / "tiny", root / "content"))
    return build(content, root / "output", cache=root / "cache")


def renditions(output):
    """{name: path} of every rendition in an output."""
    return {p.name: p for p in Path(output).rglob("*") if RENDITION.match(p.name)}


def srcset_files(site, srcset):
    """[(file, width descriptor)] of a srcset's candidates."""
    found = []
    for candidate in srcset.split(","):
        url, descriptor = candidate.split()
        found.append((site.path(url), int(descriptor.rstrip("w"))))
    return found


def featured_of(site, slug):
    """The `featured` attribute the build gave an article (by slug) or page."""
    build_state = build_of(site.settings)
    for item in build_state.articles:
        if item.slug == slug:
            return item.featured
    raise AssertionError(f"no article {slug}")


# ---- What readers get ------------------------------------------------------------------


def test_the_featured_image_leads_its_article_as_a_picture(imaged):
    """<picture>: AVIF and WebP sources and a JPEG <img> with srcset, sizes, width, height,
    alt, loading and decoding; loaded at once and first; every width a file of that width,
    none wider than the upload; caption and credit under it."""
    figure = imaged.html(ISIS).select_one("article > figure.lead-figure")
    picture = figure.picture
    assert [s["type"] for s in picture.find_all("source")] == ["image/avif", "image/webp"]
    img = picture.img
    for name in ("src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding"):
        assert img.get(name), name
    assert img["alt"] == "A red band above a blue field"
    assert (img["loading"], img["fetchpriority"], img["decoding"]) == ("eager", "high", "async")
    assert (int(img["width"]), int(img["height"])) == (480, 320)  # upright, never enlarged
    sizes = image_settings(imaged.settings)["sizes"]["lead"]
    assert {s["sizes"] for s in picture.find_all("source")} == {img["sizes"]} == {sizes}
    for element, kind in zip(
        (*picture.find_all("source"), img), ("AVIF", "WEBP", "JPEG"), strict=True
    ):
        candidates = srcset_files(imaged, element["srcset"])
        assert [width for _, width in candidates] == [360, 480]
        for path, width in candidates:
            with Image.open(path) as image:
                assert (image.format, image.width) == (kind, width)
    caption = figure.figcaption
    assert (
        caption.select_one(".lead-caption").get_text().replace("\xa0", " ")  # typeset
        == "The fixture\u2019s \u201cupright\u201d picture"
    )
    assert "Fixture Camera" in caption.select_one(".lead-credit").get_text()


def test_a_page_shows_its_featured_image_too(imaged):
    img = imaged.html("/about/").select_one("article > figure.lead-figure picture img")
    assert img["alt"] == "The fixture picture on a page"


def test_listings_show_a_lazy_decorative_thumbnail_and_the_top_story_a_large_one(imaged):
    """Cards on the home, section, topic and author pages carry the picture (alt="", the
    headline says it all); the home page's top story loads its own at once."""
    for url in ("/", "/category/analysis/", "/topics/islamic-state/", "/authors/ada-reyes/"):
        cards = imaged.html(url).select(".card-with-image")
        assert cards, url
        for card in cards:
            img = card.select_one("picture img")
            assert img["alt"] == "" and img["width"] and img["height"]
            lead = card.find_parent(class_="lead-story") is not None
            assert img["loading"] == ("eager" if lead else "lazy"), url
    sizes = image_settings(imaged.settings)["sizes"]
    top = imaged.html("/").select_one(".lead-story .card-with-image picture img")
    assert top["fetchpriority"] == "high" and top["sizes"] == sizes["lead_card"]
    assert int(top["width"]) == 800  # the largest fallback up to 1,080 px: the upload's own
    thumbs = imaged.html("/category/analysis/").select(".card-with-image picture img")
    assert {thumb["sizes"] for thumb in thumbs} == {sizes["card"]}


def test_body_images_are_pictures_and_svgs_stay_svgs(imaged):
    """A raster image in a body becomes a lazy <picture>: PNG fallback for transparency;
    an SVG is published as it is, given its size."""
    body = imaged.html(SHABAAB).select_one(".article-body")
    figure = body.select_one("figure")
    img = figure.select_one("picture img")
    assert img["alt"] == "A red disc on nothing" and img["loading"] == "lazy"
    assert figure.figcaption.get_text() == "Figure 1. A disc."
    assert img["src"].endswith(".png")
    for path, _ in srcset_files(imaged, figure.select_one('source[type="image/avif"]')["srcset"]):
        with Image.open(path) as image:
            assert image.mode == "RGBA"  # transparency kept where the format has it
    mark = body.select_one('img[src$="mark.svg"]')
    assert (mark["width"], mark["height"]) == ("320", "200")
    assert imaged.path(mark["src"]).read_text(encoding="utf-8") == SVG


def test_every_img_has_width_and_height(imaged):
    for path in imaged.output.rglob("*.html"):
        page = imaged.html("/" + path.relative_to(imaged.output).as_posix())
        for img in page.find_all("img"):
            assert img.get("width") and img.get("height"), (path, img)


def test_a_raster_author_photo_is_a_picture(imaged):
    bio = imaged.html(ISIS).select_one(".author-bio")
    picture = bio.select_one("picture.avatar-picture")
    img = picture.img
    assert "avatar" in img["class"] and img["alt"] == "" and img["loading"] == "lazy"
    widths = [w for _, w in srcset_files(imaged, img["srcset"])]
    assert widths == [96, 192, 288]
    hero = imaged.html("/authors/ada-reyes/").select_one("picture.avatar-picture img")
    assert hero["src"] == img["src"]


def test_uploads_are_never_published_only_renditions(imaged):
    """No raster upload reaches the output, under its name or any other (its bytes);
    SVGs do; a draft's image is not made at all."""
    uploads = {
        p.read_bytes() for p in (imaged.content / "images").rglob("*.*") if p.suffix != ".svg"
    }
    for path in imaged.output.rglob("*"):
        if path.is_file():
            assert path.read_bytes() not in uploads, path
            if path.suffix in (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif"):
                assert (
                    RENDITION.match(path.name)
                    or path.is_relative_to(imaged.output / "theme")
                    or path.is_relative_to(imaged.output / "cards")
                ), path
    assert (imaged.output / "images" / "figures" / "mark.svg").is_file()
    assert not [name for name in renditions(imaged.output) if name.startswith("draft-only")]


def test_nothing_of_the_upload_survives_and_the_picture_is_upright(imaged):
    """The fixture carries EXIF Orientation 6, a GPS position, camera names, XMP and an
    ICC profile; its renditions carry none of it, and stand upright (red band on top)."""
    with Image.open(IMAGES / "oriented-gps.jpg") as upload:  # the premise
        exif = upload.getexif()
        assert exif[Base.Orientation] == 6 and exif.get_ifd(IFD.GPSInfo)
        assert upload.info.get("icc_profile") and upload.size == (320, 480)
    made = [p for name, p in renditions(imaged.output).items() if name.startswith("oriented-")]
    assert {p.suffix for p in made} == {".avif", ".webp", ".jpg"}
    for path in made:
        data = path.read_bytes()
        for secret in (b"Fixture Camera", b"Secret Model", b"FIXTURE-XMP", b"ICC_PROFILE"):
            assert secret not in data, (path, secret)
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(image.info)
            assert image.width / image.height == pytest.approx(1.5, abs=0.01)
            rgb = image.convert("RGB")
            top, bottom = (
                rgb.getpixel((rgb.width // 2, 5)),
                rgb.getpixel((rgb.width // 2, rgb.height - 5)),
            )
            assert top[0] > 150 and top[2] < 100, (path, top)  # red
            assert bottom[2] > 150 and bottom[0] < 100, (path, bottom)  # blue


def test_the_featured_interface_for_cards_and_structured_data(imaged):
    """item.featured: plain alt, credit and caption; the social JPEG (site-relative, the
    largest rendition up to 1,200 px) with its size; the upload's upright size."""
    featured = featured_of(imaged, "alias-isis")
    assert featured.alt == "A red band above a blue field"
    assert featured.credit == "Photo: Fixture Camera Co"
    assert featured.caption == 'The fixture\'s "upright" picture'
    assert (featured.source_width, featured.source_height) == (480, 320)
    assert not featured.social_url.startswith("/") and featured.social_type == "image/jpeg"
    social = imaged.output / featured.social_url
    with Image.open(social) as image:
        assert image.format == "JPEG" and image.size == (480, 320)
    assert (featured.social_width, featured.social_height) == (480, 320)
    assert featured.social_length == social.stat().st_size
    wide = SourceImage("images/x.jpg", "/x.jpg", "0" * 64, 4000, 3000, False)
    catalogue = Catalogue("/", image_settings({}), "")
    assert (catalogue.social(wide).width, catalogue.social(wide).height) == (1200, 900)


def test_feeds_carry_the_featured_image_as_an_enclosure(imaged):
    """Atom: <link rel="enclosure">, RSS: <enclosure>, both the social JPEG with its length;
    feedparser sees it as entry.enclosures; the Atom feed stays valid RFC 4287."""
    featured = featured_of(imaged, "alias-isis")
    for feed in ("feeds/atom.xml", "feeds/rss.xml"):
        parsed = feedparser.parse((imaged.output / feed).read_bytes())
        assert not parsed.bozo, feed
        entry = next(e for e in parsed.entries if e.link.endswith("alias-isis/"))
        (enclosure,) = entry.enclosures
        assert enclosure.href.endswith("/" + featured.social_url)
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) == featured.social_length
        plain = next(e for e in parsed.entries if e.link.endswith("hostile-comment-target/"))
        assert not plain.get("enclosures")
    atom = sorted(imaged.output.rglob("atom.xml"))
    result = jing(*atom)
    assert result.returncode == 0, result.stdout + result.stderr


def test_news_search_note_names_narrow_featured_images(imaged):
    """A featured image under 1,200 px wide is named in the build's closing note (printed,
    never a warning, which production builds make fatal)."""
    (note,) = build_of(imaged.settings).notes
    assert "narrower than 1,200 px" in note
    assert "alias-shabaab.md: images/photos/small.jpg (800 px)" in note
    assert "oriented" in note  # 480 px


def test_production_builds_accept_images_and_warn_of_nothing(imaged, tmp_path, capfd):
    """Under publishconf (every warning fatal) the site with images builds, and the note is
    printed to standard output."""
    content = shutil.copytree(imaged.content, tmp_path / "content")
    build(content, tmp_path / "out", "publishconf.py", **SITE_ONLY)
    assert "narrower than 1,200 px" in capfd.readouterr().out


# ---- The pipeline's own rules --------------------------------------------------------


def test_widths_never_enlarge_the_upload():
    source = SourceImage("images/x.jpg", "/x.jpg", "0" * 64, 800, 500, False)
    assert widths_for(source, (360, 720, 1080, 1440)) == [360, 720, 800]
    wide = source.__class__("images/x.jpg", "/x.jpg", "0" * 64, 3000, 2000, False)
    assert widths_for(wide, (360, 720, 1080, 1440)) == [360, 720, 1080, 1440]
    tiny = source.__class__("images/x.jpg", "/x.jpg", "0" * 64, 100, 60, False)
    assert widths_for(tiny, (360, 720)) == [100]


def test_the_same_source_always_makes_the_same_bytes():
    """Encoders get every parameter explicitly: two encodes are one file."""
    image = Image.new("RGB", (400, 300), (20, 90, 160))
    ImageDraw.Draw(image).ellipse((50, 50, 300, 250), fill=(200, 40, 40))
    for kind in ("avif", "webp", "jpeg", "png"):
        assert encode(image, kind) == encode(image.copy(), kind), kind


def test_rendition_names_follow_the_source_and_the_settings():
    source = SourceImage("images/photos/x.jpg", "/x.jpg", "a" * 64, 1600, 900, False)
    first = rendition(source, 720, "avif")
    assert RENDITION.match(first.path.rsplit("/", 1)[1]) and first.path.startswith(
        "images/photos/x-720."
    )
    assert first == rendition(source, 720, "avif")
    changed = SourceImage("images/photos/x.jpg", "/x.jpg", "b" * 64, 1600, 900, False)
    assert rendition(changed, 720, "avif").path != first.path


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("images/photos/x.jpg", "images/photos/x.jpg"),
        ("{static}/images/photos/x.jpg", "images/photos/x.jpg"),
        ("../images/x.jpg", None),
        ("/images/x.jpg", None),
        ("articles/x.jpg", None),
        ("images/../articles/x.jpg", None),
        ("images//x.jpg", None),
        ("https://example.org/images/x.jpg", None),
    ],
)
def test_image_headers_name_files_in_the_image_folder(value, expected):
    assert header_path(value) == expected


def test_svg_sizes_come_from_width_height_or_viewbox(tmp_path):
    svg = tmp_path / "a.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400">')
    assert svg_size(svg) == (640, 400)
    svg.write_text('<svg width="30px" height="20" viewBox="0 0 3 2">')
    assert svg_size(svg) == (30, 20)
    svg.write_text("<svg>")
    assert svg_size(svg) is None


# ---- Bad images stop the build, naming the file ---------------------------------------


def png(size, mode="L", **save):
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG", **save)
    return buffer.getvalue()


def animated_gif():
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def feature(content, value, *more):
    add_header(content / "articles" / "alias-isis.md", f"Image: {value}", *more)


# Each case: what to do to the tiny site, then the problem's file (its name's end), field,
# line (None: the file as a whole) and a piece of its message.
BAD = {
    "not an image": (
        lambda c: (
            put(c, "images/photos/x.jpg", b"not a picture\n"),
            feature(c, "images/photos/x.jpg", "Image_alt: X"),
        ),
        ("images/photos/x.jpg", "image", None, "is not an image Pillow can read"),
    ),
    "truncated": (
        lambda c: (
            put(c, "images/photos/x.jpg", (IMAGES / "small.jpg").read_bytes()[:20_000]),
            feature(c, "images/photos/x.jpg", "Image_alt: X"),
        ),
        ("images/photos/x.jpg", "image", None, "truncated or damaged"),
    ),
    "decompression bomb (Pillow's warning)": (
        lambda c: (
            put(c, "images/photos/x.png", png((9000, 9000), "1")),
            feature(c, "images/photos/x.png", "Image_alt: X"),
        ),
        ("images/photos/x.png", "image", None, "decompression bomb"),
    ),
    "decompression bomb (Pillow's error)": (
        lambda c: (
            put(c, "images/photos/x.png", png((12000, 12000), "1")),
            feature(c, "images/photos/x.png", "Image_alt: X"),
        ),
        ("images/photos/x.png", "image", None, "decompression bomb"),
    ),
    "too wide": (
        lambda c: (
            put(c, "images/photos/x.png", png((12001, 16))),
            feature(c, "images/photos/x.png", "Image_alt: X"),
        ),
        (
            "images/photos/x.png",
            "image",
            None,
            "is 12,001 x 16 pixels; each side must be 16 to 12,000",
        ),
    ),
    "too small": (
        lambda c: (
            put(c, "images/photos/x.png", png((10, 10))),
            feature(c, "images/photos/x.png", "Image_alt: X"),
        ),
        ("images/photos/x.png", "image", None, "is 10 x 10 pixels"),
    ),
    "animated": (
        lambda c: (
            put(c, "images/photos/x.gif", animated_gif()),
            feature(c, "images/photos/x.gif", "Image_alt: X"),
        ),
        ("images/photos/x.gif", "image", None, "is animated (3 frames)"),
    ),
    "no alt text": (
        lambda c: (
            put(c, "images/photos/x.jpg", (IMAGES / "small.jpg").read_bytes()),
            feature(c, "images/photos/x.jpg"),
        ),
        ("articles/alias-isis.md", "Image_alt", None, "is missing: an article with an Image needs"),
    ),
    "alt text without an image": (
        lambda c: add_header(c / "articles" / "alias-isis.md", "Image_alt: A picture"),
        ("articles/alias-isis.md", "Image_alt", 8, "is given without Image"),
    ),
    "outside the image folder": (
        lambda c: feature(c, "../outside.jpg", "Image_alt: X"),
        ("articles/alias-isis.md", "Image", 8, "is not a file in content/images/"),
    ),
    "a Markdown file": (
        lambda c: feature(c, "articles/alias-shabaab.md", "Image_alt: X"),
        ("articles/alias-isis.md", "Image", 8, "is not a file in content/images/"),
    ),
    "missing": (
        lambda c: feature(c, "images/photos/nowhere.jpg", "Image_alt: X"),
        ("articles/alias-isis.md", "Image", 8, "'images/photos/nowhere.jpg' does not exist"),
    ),
    "an SVG": (
        lambda c: (
            put(c, "images/x.svg", SVG.encode()),
            feature(c, "images/x.svg", "Image_alt: X"),
        ),
        ("articles/alias-isis.md", "Image", 8, "is not a photograph"),
    ),
    "missing body image": (
        lambda c: add_body(
            c / "articles" / "alias-isis.md", "![A chart]({static}/images/charts/gone.png)"
        ),
        ("articles/alias-isis.md", "body", 11, "'{static}/images/charts/gone.png' does not exist"),
    ),
    "bad author photo": (
        lambda c: add_header(c / "authors" / "ada-reyes.md", "Photo: images/authors/nobody.jpg"),
        ("authors/ada-reyes.md", "Photo", 4, "is not a file in content/images/"),
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_image_stops_the_build_naming_the_file(built, case):
    """Each kind of bad image is one clear problem (file, field, line, what to do), never a
    traceback; the build stops before writing, and the last good output stays."""
    content, rebuild_fails = built
    change, (where, field, line, message) = BAD[case]
    change(content)
    problems = rebuild_fails()
    assert len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert problem.path.endswith(where) and problem.field == field, str(problem)
    assert problem.line == line, str(problem)
    assert message in problem.message, str(problem)
    if field == "image":
        assert "shown by" in problem.message and "alias-isis.md" in problem.message


def test_every_bad_image_is_reported_at_once(built):
    """Problems in images, headers and bodies come in one report."""
    content, rebuild_fails = built
    put(content, "images/photos/x.jpg", b"junk")
    feature(content, "images/photos/x.jpg")
    add_body(content / "articles" / "alias-shabaab.md", "![Gone]({static}/images/gone.jpg)")
    fields = sorted(p.field for p in rebuild_fails())
    assert fields == ["Image_alt", "body", "image"]


# ---- The speed layer's store ---------------------------------------------------------


def last_build(cache):
    return json.loads((Path(cache) / "newsroom-images" / "last-build.json").read_text())


@pytest.mark.speed_layer
def test_a_warm_build_encodes_nothing_it_made_before(tmp_path):
    """The store: a cold build encodes every rendition (in worker processes), a warm build
    none; a changed image only its own, under new names, the old ones gone; and the
    output is the site layer's, byte for byte."""
    content = with_images(shutil.copytree(FIXTURES / "tiny", tmp_path / "content"))
    output, cache = tmp_path / "output", tmp_path / "cache"
    cold = snapshot(build(content, output, cache=cache, **BOTH).output)
    first = last_build(cache)
    assert first["found"] == 0 and len(first["encoded"]) == first["wanted"] > 20
    assert sorted(first["encoded"]) == sorted(
        str(p.relative_to(output)) for p in renditions(output).values()
    )
    assert snapshot(build(content, output, cache=cache, **BOTH).output) == cold
    second = last_build(cache)
    assert second["encoded"] == [] and second["found"] == second["wanted"]
    # A new version of one photo: only its renditions are made again.
    with Image.open(IMAGES / "small.jpg") as image:
        buffer = io.BytesIO()
        image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(buffer, "JPEG", quality=80)
    (content / "images" / "photos" / "small.jpg").write_bytes(buffer.getvalue())
    before = set(renditions(output))
    warm = snapshot(build(content, output, cache=cache, **BOTH).output)
    third = last_build(cache)
    assert third["encoded"] and all(Path(p).name.startswith("small-") for p in third["encoded"])
    after = set(renditions(output))
    assert {n for n in before - after} == {n for n in before if n.startswith("small-")}
    alone = build(content, tmp_path / "alone", **SITE_ONLY)
    assert snapshot(alone.output) == warm
    assert not (tmp_path / "alone-cache").exists(), "the site layer alone keeps no cache"


@pytest.mark.speed_layer
def test_a_store_cut_short_is_rebuilt_never_fatal(tmp_path):
    """Store files deleted or emptied: the next build notices and encodes again."""
    content = with_images(shutil.copytree(FIXTURES / "tiny", tmp_path / "content"))
    output, cache = tmp_path / "output", tmp_path / "cache"
    cold = snapshot(build(content, output, cache=cache, **BOTH).output)
    stored = sorted((cache / "newsroom-images").glob("*/*"))
    stored[0].unlink()
    (cache / "newsroom-images" / "last-build.json").write_text("{")
    assert snapshot(build(content, output, cache=cache, **BOTH).output) == cold
    assert len(last_build(cache)["encoded"]) == 1


# ---- What a phone downloads ------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}
LEAD_BUDGET = 60_000  # bytes


def test_a_phone_downloads_at_most_60_kb_for_a_lead_image(browser, base_url, site):  # noqa: F811
    """At 390 x 844 and DPR 2, every featured article's lead image costs the phone at most
    60 KB: the browser takes the 720 px AVIF, as `sizes` (the reading column, 358 px)
    asks, and nothing else of it."""
    featured = [a for a in build_of(site.settings).articles if getattr(a, "featured", None)]
    assert len(featured) >= 6
    for article in featured:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        responses = []
        page.on("response", lambda r, found=responses: found.append(r))
        page.goto(f"{base_url}/{article.url}", wait_until="load")
        page.wait_for_function("document.querySelector('.lead-figure img').complete")
        lead = page.eval_on_selector(".lead-figure img", "img => img.currentSrc")
        stem = Path(article.featured.path).stem
        mine = [r for r in responses if r.request.resource_type == "image" and f"/{stem}-" in r.url]
        downloaded = sum(len(r.body()) for r in mine)
        assert [r.url for r in mine] == [lead], article.url
        assert re.search(rf"/{re.escape(stem)}-720\.[0-9a-f]{{10}}\.avif$", lead), lead
        assert downloaded <= LEAD_BUDGET, (article.url, downloaded)
        context.close()


# ---- The real site ------------------------------------------------------------------

IMG_TAG = re.compile(r"<img\b[^>]*>")
SRCSET = re.compile(r'\bsrcset="([^"]*)"')


def test_every_srcset_candidate_of_the_site_is_a_file_of_its_width(site):
    """The output checks follow `src`; here every `srcset` candidate of every page is
    checked too: a rendition of that width. And every <img> has a width and height."""
    checked = set()
    for page in site.output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in IMG_TAG.findall(text):
            assert ' width="' in tag and ' height="' in tag, (page, tag)
        for srcset in SRCSET.findall(text):
            for path, width in srcset_files(site, srcset):
                if path not in checked:
                    with Image.open(path) as image:
                        assert image.width == width, path
                    checked.add(path)
    featured = [a for a in build_of(site.settings).articles if getattr(a, "featured", None)]
    assert len(featured) >= 6 and len(checked) > 50
    for article in featured:
        assert article.featured.source_width >= 1200, article.source_path  # news search


def test_the_sample_images_are_the_ones_the_script_draws():
    """content/images/photos/ and tests/fixtures/images/ hold what
    tools/make_sample_images.py draws, byte for byte: our own pictures, reproducible."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_sample_images.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for photo in (ROOT / "content" / "images" / "photos").iterdir():
        assert photo.stat().st_size < 300_000, photo
        with Image.open(photo) as image:
            assert image.width >= 1600, photo


def upload(tmp_path, name, image, fmt, **save):
    path = tmp_path / name
    image.save(path, fmt, **save)
    return path


@pytest.mark.parametrize(
    ("name", "make", "fmt", "alpha"),
    [
        ("cmyk.jpg", lambda: Image.new("CMYK", (40, 30), (255, 0, 0, 0)), "JPEG", False),
        ("grey16.png", lambda: Image.new("I;16", (40, 30), 40000), "PNG", False),
        ("grey.jpg", lambda: Image.new("L", (40, 30), 128), "JPEG", False),
        ("palette.gif", lambda: Image.new("P", (40, 30), 0), "GIF", True),
        ("photo.webp", lambda: Image.new("RGB", (40, 30), (200, 20, 20)), "WEBP", False),
        ("disc.png", lambda: Image.new("LA", (40, 30), (90, 0)), "PNG", True),
    ],
)
def test_every_kind_of_upload_decodes_to_rgb_or_rgba(tmp_path, name, make, fmt, alpha):
    """CMYK, 16-bit grey, grey, palette with transparency, WebP, grey with alpha: each
    decodes to RGB (RGBA with transparency) and encodes in every format."""
    save = {"transparency": 0} if fmt == "GIF" else {}
    path = upload(tmp_path, name, make(), fmt, **save)
    source = inspect_file(str(path), f"images/{name}")
    assert source.alpha is alpha and (source.width, source.height) == (40, 30)
    clean = decode(source)
    assert clean.mode == ("RGBA" if alpha else "RGB") and not clean.info
    for kind in ("avif", "webp", "jpeg", "png"):
        with Image.open(io.BytesIO(encode(clean, kind))) as image:
            assert image.size == (40, 30)
    if name == "cmyk.jpg":  # cyan stays cyan
        red, green, blue = clean.getpixel((20, 15))
        assert red < 80 and green > 150 and blue > 150
    if name == "grey16.png":  # scaled to 8 bits, not clipped to white
        assert 140 < clean.getpixel((20, 15))[0] < 170
