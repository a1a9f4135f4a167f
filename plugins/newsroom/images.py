"""Every raster image the site shows, through one pipeline on Pillow.

A featured image (the `Image` header of an article or page), a raster image in a
body (`![alt]({static}/images/x.jpg)`) and a raster author photo are each:

1. inspected when first met (its headers only): a real image, not animated, each
   side 16 to 12,000 pixels, at most MAX_PIXELS (more is a decompression bomb);
2. decoded in full before anything is written, so a truncated or corrupt file
   stops the build with the rest of its problems (Engine.check_images);
3. turned upright (its EXIF orientation), converted to sRGB through its embedded
   ICC profile, and copied into a new image, so no EXIF, GPS, XMP or ICC data of
   the upload survives;
4. resized to each width of SITE_IMAGES that it is not narrower than (never
   enlarged) and encoded as AVIF, WebP and a JPEG fallback (PNG for an image with
   transparency), every encoder parameter explicit, so the same source always
   makes the same bytes (Engine.write_images, into the staging folder); plus one
   JPEG of at most 1,200 pixels for social cards.

Pages show them as <picture> elements whose `sizes` follow the layout
(SITE_IMAGES["sizes"]). A rendition's name carries a hash of everything its bytes
depend on: images/photos/x-720.<hash>.avif. The uploads themselves are never
published (withhold_originals): only renditions are.

The readers (reader.py, and the speed layer's) call show_body_images on each body;
prepare_images attaches `featured` to articles and pages and collects every
problem; write_images makes the renditions once the build's checks have passed.
"""

import hashlib
import html
import io
import os
import posixpath
import re
import warnings
from dataclasses import dataclass, field

from markupsafe import Markup
from PIL import Image, ImageCms, ImageOps
from PIL.ExifTags import Base

from .errors import BuildStopped, Problem, display_path
from .feed_html import attributes
from .frontmatter import header_line, text_line
from .image_rules import (
    ENCODERS,
    IMAGE_FOLDER,
    IMAGE_KEYS,
    MAX_PIXELS,
    MAX_SIDE,
    MIN_SIDE,
    MODERN_FORMATS,
    NEWS_WIDTH,
    PIPELINE_VERSION,
    RASTER_FORMATS,
    SOCIAL_WIDTH,
    SUFFIXES,
    featured_headers,
    header_path,
    image_settings,
    is_raster,
    under_images,
)
from .markup import typographic
from .state import build_of

# EXIF orientations that turn the picture on its side (width and height swap).
SIDEWAYS = {5, 6, 7, 8}
# What Pillow's decoders raise on a broken file (a C decoder's bad day included).
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    MemoryError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


class ImageError(Exception):
    """A source image the site cannot show; the message says why and what to do."""


NO_MARKUP = Markup("")


@dataclass(frozen=True)
class SourceImage:
    """An uploaded raster image that passed inspection."""

    path: str  # below PATH: images/photos/x.jpg
    full: str  # absolute path of the file
    digest: str  # sha256 of its bytes
    width: int  # upright (EXIF orientation applied)
    height: int
    alpha: bool  # has transparency: PNG fallback, not JPEG


@dataclass(frozen=True)
class Rendition:
    """One file the pipeline makes of a source: a width in one format."""

    source: SourceImage
    width: int
    height: int
    kind: str  # a key of image_rules.ENCODERS
    path: str  # in the output: images/photos/x-720.<hash>.avif
    key: str  # a digest of everything its bytes depend on (the speed layer's store key)

    @property
    def media_type(self):
        return ENCODERS[self.kind][2]


def rendition(source, width, kind):
    """The Rendition of a source at a width (no wider than the source) in one format."""
    width = min(width, source.width)
    height = max(1, round(source.height * width / source.width))
    _, params, _ = ENCODERS[kind]
    identity = (PIPELINE_VERSION, source.digest, width, height, kind, sorted(params.items()))
    key = hashlib.sha256(repr(identity).encode()).hexdigest()
    stem = posixpath.splitext(source.path)[0]
    return Rendition(source, width, height, kind, f"{stem}-{width}.{key[:10]}{SUFFIXES[kind]}", key)


def widths_for(source, widths):
    """The widths a source is made at: each of `widths` it is wider than, and its own width
    where it is narrower than the widest (never enlarged)."""
    chosen = [width for width in widths if width < source.width]
    chosen.append(min(source.width, widths[-1]))
    return sorted(set(chosen))


@dataclass(frozen=True)
class Picture:
    """A source at several widths in each format: what one <picture> offers."""

    formats: tuple  # ((kind, (Rendition, ...) by width), ...), best format first
    fallback: tuple  # the <img>'s (Rendition, ...) by width: JPEG, or PNG with transparency
    src: Rendition  # the <img>'s src: the widest fallback at most 1,080 px

    def html(self, siteurl, alt, sizes, *, lead=False, css_class=None, keep=()):
        """Return the <picture> element. lead: the page's main image (loaded at once, with
        high priority), else loaded lazily. keep: more (name, value) attributes for <img>."""

        def srcset(renditions):
            return ", ".join(f"{siteurl}/{r.path} {r.width}w" for r in renditions)

        parts = [f"<picture{attribute('class', css_class + '-picture') if css_class else ''}>"]
        for kind, renditions in self.formats:
            parts.append(
                f'<source type="{ENCODERS[kind][2]}"{attribute("srcset", srcset(renditions))}'
                f"{attribute('sizes', sizes)}>"
            )
        img = [
            ("src", f"{siteurl}/{self.src.path}"),
            ("srcset", srcset(self.fallback)),
            ("sizes", sizes),
            ("width", str(self.src.width)),
            ("height", str(self.src.height)),
            ("alt", alt),
        ]
        if css_class:
            img.append(("class", css_class))
        img += list(keep)
        img += [("loading", "eager"), ("fetchpriority", "high")] if lead else [("loading", "lazy")]
        img.append(("decoding", "async"))
        parts.append("<img" + "".join(attribute(name, value) for name, value in img) + ">")
        parts.append("</picture>")
        return Markup("".join(parts))


def attribute(name, value):
    """One HTML attribute, its value escaped."""
    return f' {name}="{html.escape(value, quote=True)}"'


@dataclass
class Featured:
    """An article's or page's featured image (its `Image` headers), as `item.featured`.

    What pages, cards, structured data and feeds show of it: plain texts, the
    social JPEG (og:image, twitter:image, JSON-LD image) and ready <picture> markup.
    """

    path: str  # the source below content/: images/photos/x.jpg
    alt: str  # Image_alt, plain text
    caption: str  # Image_caption, plain text ("" when not given)
    credit: str  # Image_credit, plain text ("" when not given)
    source_width: int  # the upload, upright, in pixels
    source_height: int
    social_url: str  # site-relative (no leading "/"): a JPEG of at most 1,200 px wide
    social_width: int
    social_height: int
    social_type: str = "image/jpeg"
    social_length: int = 0  # its bytes, once the build has made it (feeds' enclosures)
    caption_html: Markup = NO_MARKUP  # typeset, for pages
    credit_html: Markup = NO_MARKUP
    lead: Markup = NO_MARKUP  # <picture> at the top of its own page
    lead_card: Markup = NO_MARKUP  # <picture> of the home page's top story (decorative)
    card: Markup = NO_MARKUP  # <picture> thumbnail in listing cards (decorative)


@dataclass
class Catalogue:
    """One build's raster images: each source inspected once, the renditions the written
    pages show, who shows each source (for error messages), what was written."""

    content: str  # PATH, absolute
    options: dict  # image_rules.image_settings
    siteurl: str
    inspected: dict = field(default_factory=dict)  # path below PATH -> SourceImage | ImageError
    wanted: dict = field(default_factory=dict)  # output path -> Rendition
    users: dict = field(default_factory=dict)  # path below PATH -> {display path of a user}
    shown: dict = field(default_factory=dict)  # path below PATH -> SourceImage, of written pages
    faults: dict = field(default_factory=dict)  # path below PATH -> message, from decoding
    featured: list = field(default_factory=list)  # (Featured, social Rendition), written pages
    sizes: dict = field(default_factory=dict)  # output path -> bytes, once written

    def inspect(self, relative):
        """Return the SourceImage at a path below PATH; raise ImageError."""
        if relative not in self.inspected:
            try:
                self.inspected[relative] = inspect_file(
                    os.path.join(self.content, relative), relative
                )
            except ImageError as fault:
                self.inspected[relative] = fault
        found = self.inspected[relative]
        if isinstance(found, ImageError):
            raise found
        return found

    def exists(self, relative):
        """Whether a path below PATH is a file (the scan refused anything stranger)."""
        return os.path.isfile(os.path.join(self.content, relative))

    def use(self, relative, user):
        """Note that a source (path below PATH) is shown by a file (its display path)."""
        self.users.setdefault(relative, set()).add(user)

    def picture(self, source, widths):
        """The Picture of a source at some widths (not yet wanted: see want())."""
        widths = widths_for(source, widths)
        formats = tuple(
            (kind, tuple(rendition(source, w, kind) for w in widths)) for kind in MODERN_FORMATS
        )
        fallback = tuple(rendition(source, w, "png" if source.alpha else "jpeg") for w in widths)
        src = [r for r in fallback if r.width <= 1080] or fallback[:1]
        return Picture(formats, fallback, src[-1])

    def social(self, source):
        """The JPEG social cards show: the source at most SOCIAL_WIDTH wide (an image with
        transparency is laid on white)."""
        return rendition(source, SOCIAL_WIDTH, "jpeg")

    def want(self, source, renditions):
        """Make these renditions in this build: a written page shows them."""
        self.shown[source.path] = source
        for item in renditions:
            self.wanted[item.path] = item


def renditions_of(picture):
    """Every Rendition a Picture offers."""
    return [r for _, renditions in picture.formats for r in renditions] + list(picture.fallback)


def catalogue_of(settings):
    """Return the build's Catalogue, made on first use."""
    build = build_of(settings)
    if build.images is None:
        build.images = Catalogue(
            os.path.abspath(settings["PATH"]), image_settings(settings), settings.get("SITEURL", "")
        )
    return build.images


# ---- Reading a file ------------------------------------------------------------------


def read_bytes(full):
    """Return a file's bytes and their sha256; raise ImageError if it cannot be read."""
    try:
        with open(full, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ImageError("does not exist") from None
    except OSError as error:
        raise ImageError(f"cannot be read ({error.strerror})") from None
    return data, hashlib.sha256(data).hexdigest()


def open_image(data):
    """Open image bytes under the pipeline's limits (headers only); raise ImageError."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(bomb_message()) from None
        except Image.UnidentifiedImageError:
            raise ImageError(
                "is not an image Pillow can read (JPEG, PNG, WebP, AVIF, GIF, TIFF or BMP); "
                "export it again"
            ) from None
        except DECODE_ERRORS as error:
            raise ImageError(f"is damaged and cannot be read ({error}); export it again") from None
    if image.format not in RASTER_FORMATS:
        raise ImageError(f"is a {image.format} file; use JPEG, PNG, WebP or AVIF")
    return image


def bomb_message():
    return (
        f"has more than {MAX_PIXELS:,} pixels: a decompression bomb, or far larger than "
        f"the site needs; export it at most {MAX_SIDE:,} pixels a side"
    )


def upright_size(image):
    """The size of an opened image once its EXIF orientation is applied."""
    try:
        orientation = image.getexif().get(Base.Orientation, 1)
    except DECODE_ERRORS:
        orientation = 1  # unreadable EXIF: decoding says more, or it is simply ignored
    width, height = image.size
    return (height, width) if orientation in SIDEWAYS else (width, height)


def inspect_file(full, relative):
    """Inspect a source image's headers; return its SourceImage or raise ImageError."""
    data, digest = read_bytes(full)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = open_image(data)
            frames = getattr(image, "n_frames", 1)
            width, height = upright_size(image)
            alpha = image.has_transparency_data
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(bomb_message()) from None
        except DECODE_ERRORS as error:
            raise ImageError(f"is damaged and cannot be read ({error}); export it again") from None
    if frames > 1:
        raise ImageError(f"is animated ({frames} frames); the site shows still images: export one")
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ImageError(
            f"is {width:,} x {height:,} pixels; each side must be {MIN_SIDE} to {MAX_SIDE:,}"
        )
    if width * height > MAX_PIXELS:
        raise ImageError(bomb_message())
    return SourceImage(relative, full, digest, width, height, alpha)


# ---- Decoding and encoding ----------------------------------------------------------


def decode(source):
    """Decode a source in full: upright, sRGB, RGB or RGBA, in a new image that carries
    none of the file's metadata. Raise ImageError."""
    data, digest = read_bytes(source.full)
    if digest != source.digest:
        raise ImageError("changed while the build ran; build again")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = open_image(data)
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
            image = to_srgb(image, source.alpha)
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(bomb_message()) from None
        except DECODE_ERRORS as error:
            raise ImageError(
                f"is truncated or damaged and cannot be decoded ({error}); export it again"
            ) from None
    # A new image from the pixels alone: EXIF, GPS, XMP, ICC and comments stay behind.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if clean.size != (source.width, source.height):
        raise ImageError(f"decodes to {clean.size}, not the size its headers give; export it again")
    return clean


def to_srgb(image, alpha):
    """Return an image in RGB (or RGBA with transparency), through its ICC profile to sRGB."""
    mode = "RGBA" if alpha else "RGB"
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        raise ImageError("has floating-point pixels; export it as an 8-bit image")
    icc = image.info.get("icc_profile")
    if not icc:
        return image if image.mode == mode else image.convert(mode)
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
        transparency = image.convert("RGBA").getchannel("A") if alpha else None
        colour = {"CMYK": "CMYK", "GRAY": "L"}.get(space, "RGB")
        if image.mode != colour:
            image = image.convert(colour)
        srgb = ImageCms.createProfile("sRGB")
        image = ImageCms.profileToProfile(
            image, profile, srgb, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as error:
        raise ImageError(
            f"has a colour profile that cannot be used ({error}); export it again as sRGB"
        ) from None
    if transparency is not None:
        image.putalpha(transparency)
    return image


def resized(clean, width, height):
    """A decoded source at a rendition's size (Lanczos; itself at its own size)."""
    if clean.size == (width, height):
        return clean
    return clean.resize((width, height), Image.Resampling.LANCZOS)


def encode(image, kind):
    """Encode an image (already at its rendition's size) in one format; return the bytes."""
    encoder, params, _ = ENCODERS[kind]
    if kind == "jpeg" and image.mode == "RGBA":  # laid on white: JPEG has no transparency
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    image.save(buffer, encoder, **params)
    return buffer.getvalue()


def encode_all(source, renditions):
    """Decode a source once and yield (Rendition, bytes) for each of its renditions.
    Raise ImageError (before anything is yielded) if it cannot be decoded."""
    clean = decode(source)
    sized = {}
    for item in renditions:
        size = (item.width, item.height)
        if size not in sized:
            sized[size] = resized(clean, *size)
        yield item, encode(sized[size], item.kind)


def by_source(renditions):
    """Group renditions by source: {SourceImage: [Rendition, ...]}, in path order."""
    groups = {}
    for item in sorted(renditions, key=lambda r: r.path):
        groups.setdefault(item.source, []).append(item)
    return dict(sorted(groups.items(), key=lambda pair: pair[0].path))


def decode_faults(sources):
    """Decode every source; return {path below PATH: what is wrong} for those that fail."""
    faults = {}
    for source in sorted(sources, key=lambda s: s.path):
        try:
            decode(source)
        except ImageError as fault:
            faults[source.path] = str(fault)
    return faults


def write_file(path, data):
    """Write a new file (never through an existing one: it may be a hard link)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.unlink(path)
    with open(path, "wb") as handle:
        handle.write(data)


def write_renditions(renditions, folder):
    """Encode every rendition into a folder; return {output path: bytes written}."""
    written = {}
    for source, items in by_source(renditions).items():
        try:
            for item, data in encode_all(source, items):
                write_file(os.path.join(folder, item.path), data)
                written[item.path] = len(data)
        except ImageError as fault:  # it decoded when checked: changed since
            raise BuildStopped(
                [Problem(display_path(source.full), None, "image", str(fault))]
            ) from None
    return written


# ---- Bodies -----------------------------------------------------------------------

_IMG = re.compile(r"<img\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_ANY_IMG = re.compile(r"<img\b", re.IGNORECASE)
_LINK = re.compile(r"^(?:\{(?:static|filename|attach)\}|\|(?:static|filename|attach)\|)(.*)$")
# What a body image keeps of the <img> its author wrote; the pipeline gives the rest.
_REPLACED = {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"}


def body_image_path(src, source_path, content):
    """Return the path below PATH an <img src> names ({static}/images/x.jpg, a path
    relative to the source after {static}, or /images/x.jpg), or None."""
    match = _LINK.match(src)
    if match:
        value = match[1].split("#")[0].split("?")[0]
        if not value.startswith("/"):
            folder = os.path.relpath(os.path.dirname(os.path.abspath(source_path)), content)
            value = posixpath.join(folder.replace(os.sep, "/"), value)
    elif src.startswith("/") and not src.startswith("//"):
        value = src.split("#")[0].split("?")[0]
    else:
        return None
    relative = posixpath.normpath(value.lstrip("/"))
    return relative if under_images(relative) else None


def show_body_images(html_text, source_path, settings):
    """Return a body's HTML with its raster images as <picture> elements, and what it names:
    ((src as written, path below PATH, source digest or None when it cannot be shown), ...),
    for prepare_images to want the renditions and report what is missing.

    Called by the site's readers with the rendered body, once per read.
    """
    if not _ANY_IMG.search(html_text):
        return html_text, ()
    catalogue = catalogue_of(settings)
    uses = []

    def replace(match):
        found = {name: value for name, value, _ in attributes(match[1]) if value is not None}
        src = html.unescape(found.get("src", ""))
        relative = body_image_path(src, source_path, catalogue.content)
        if relative is None:
            return match[0]
        if not catalogue.exists(relative):
            uses.append((src, relative, None))
            return match[0]  # reported by prepare_images
        if not is_raster(relative):  # an SVG, published as it is: given its size
            uses.append((src, relative, ""))
            size = svg_size(os.path.join(catalogue.content, relative))
            if size is None or "width" in found or "height" in found:
                return match[0]
            end = -1 if match[1].rstrip().endswith("/") else len(match[1])
            sized = f'{match[1][:end].rstrip()} width="{size[0]}" height="{size[1]}"'
            return f"<img{sized}>"
        try:
            source = catalogue.inspect(relative)
        except ImageError:
            uses.append((src, relative, None))
            return match[0]
        uses.append((src, relative, source.digest))
        keep = [
            (name, html.unescape(value))
            for name, value, _ in attributes(match[1])
            if value is not None and name not in _REPLACED and name != "alt"
        ]
        picture = catalogue.picture(source, catalogue.options["widths"])
        alt = html.unescape(found.get("alt", ""))
        sizes = catalogue.options["sizes"]["body"]
        return picture.html(catalogue.siteurl, alt, sizes, keep=keep)

    return _IMG.sub(replace, html_text), tuple(uses)


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")


def svg_size(full):
    """The intrinsic size of an SVG (its root's width and height in pixels, else its
    viewBox), rounded, or None: an <img> of it then keeps its proportions as it loads."""
    try:
        with open(full, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    root = _SVG_ROOT.search(head)
    if root is None:
        return None
    values = {
        name.lower(): html.unescape(value)
        for name, value, _ in attributes(root[0][4:-1].decode("utf-8", "replace"))
        if value is not None
    }
    width, height = (_SVG_LENGTH.match(values.get(k, "")) for k in ("width", "height"))
    if width and height:
        size = float(width[1]), float(height[1])
    else:
        box = values.get("viewbox", "").replace(",", " ").split()
        try:
            size = float(box[2]), float(box[3])
        except (IndexError, ValueError):
            return None
    if not all(0 < side <= 100_000 for side in size):
        return None
    return tuple(max(1, round(side)) for side in size)


def body_images_of(item):
    """The images an item's body names (show_body_images), as its reader noted them."""
    return getattr(item, "body_images", None) or ()


# ---- Receivers ----------------------------------------------------------------------


def withhold_originals(generator):
    """Pelican's static generator has listed the files it will copy: take the raster images
    below the image folder off the list. Only their renditions are published."""
    folder = IMAGE_FOLDER + "/"
    withheld = {
        static.get_relative_source_path()
        for static in generator.staticfiles
        if static.get_relative_source_path().startswith(folder)
        and is_raster(static.get_relative_source_path())
    }
    if not withheld:
        return
    generator.staticfiles[:] = [
        s for s in generator.staticfiles if s.get_relative_source_path() not in withheld
    ]
    listed = generator.context.get("staticfiles")
    if listed is not None and listed is not generator.staticfiles:
        listed[:] = [s for s in listed if s.get_relative_source_path() not in withheld]
    for path in withheld:
        generator.context["static_content"].pop(path, None)


def prepare_images(generators):
    """Everything is read: attach featured images and author photos, check every image
    the site shows (decoding each), and note what news search will not show large.

    Problems join the build's, which stop it before anything is written.
    """
    from .enrich import articles_generator, every_item  # enrich imports reader imports this

    articles = articles_generator(generators)
    settings = articles.settings
    build = build_of(settings)
    catalogue = catalogue_of(settings)
    problems = []
    items = [item for generator in generators for item in every_item(generator)]
    for item in items:
        written = getattr(item, "status", "published") != "draft"
        problems += attach_featured(item, catalogue, build, written)
        problems += want_body_images(item, catalogue, build, written)
    problems += attach_photos(items, articles, catalogue, build)
    shown = [catalogue.shown[path] for path in sorted(catalogue.shown)]
    catalogue.faults = build.engine.check_images(
        build, shown, sorted_renditions(catalogue), settings
    )
    problems += source_problems(catalogue)
    build.problems += problems
    published = {id(article) for article in articles.articles}
    narrow = sorted(
        {
            (display_path(item.source_path), featured.path, featured.source_width)
            for item in items
            if (featured := getattr(item, "featured", None))
            and featured.source_width < NEWS_WIDTH
            and id(item) in published
        }
    )
    if narrow:
        build.notes.append(
            f"Note: {len(narrow)} featured {'image is' if len(narrow) == 1 else 'images are'} "
            f"narrower than {NEWS_WIDTH:,} px, the least news search shows large: "
            + "; ".join(f"{path}: {image} ({width:,} px)" for path, image, width in narrow)
        )


def sorted_renditions(catalogue):
    return [catalogue.wanted[path] for path in sorted(catalogue.wanted)]


def attach_featured(item, catalogue, build, written):
    """Give an item with `Image` headers its Featured (item.featured, None if they are
    wrong); return problems. An item without them is left as it is."""
    if not any(key in item.metadata for key in IMAGE_KEYS):
        return []
    path = display_path(item.source_path)
    relative, problems = featured_headers(item.metadata, path, lambda: build.text_of(path))
    item.featured = None
    if relative is None:
        return problems
    if not catalogue.exists(relative):
        line = header_line(build.text_of(path), "image")
        problems.append(
            Problem(path, line, "Image", f"{relative!r} does not exist in content/{IMAGE_FOLDER}/")
        )
        return problems
    catalogue.use(relative, path)
    try:
        source = catalogue.inspect(relative)
    except ImageError:
        return problems  # reported once for the file (source_problems)
    if problems:
        return problems
    alt = item.metadata["image_alt"].strip()
    caption = (item.metadata.get("image_caption") or "").strip()
    credit = (item.metadata.get("image_credit") or "").strip()
    picture = catalogue.picture(source, catalogue.options["widths"])
    social = catalogue.social(source)
    sizes, siteurl = catalogue.options["sizes"], catalogue.siteurl
    featured = Featured(
        path=relative,
        alt=alt,
        caption=caption,
        credit=credit,
        source_width=source.width,
        source_height=source.height,
        social_url=social.path,
        social_width=social.width,
        social_height=social.height,
        social_type=social.media_type,
        caption_html=typographic(caption, item.settings) if caption else NO_MARKUP,
        credit_html=typographic(credit, item.settings) if credit else NO_MARKUP,
        lead=picture.html(siteurl, alt, sizes["lead"], lead=True),
        lead_card=picture.html(siteurl, "", sizes["lead_card"], lead=True),
        card=picture.html(siteurl, "", sizes["card"]),
    )
    item.featured = featured
    if written:
        catalogue.want(source, [*renditions_of(picture), social])
        catalogue.featured.append((featured, social))
    return problems


def want_body_images(item, catalogue, build, written):
    """Want the renditions of the raster images an item's body shows; return the
    problems of the images it names that cannot be shown."""
    path = display_path(item.source_path)
    problems = []
    for src, relative, digest in body_images_of(item):
        if digest is None and not catalogue.exists(relative):
            problems.append(
                Problem(
                    path,
                    text_line(build.text_of(path), src) if src else None,
                    "body",
                    f"the image {src!r} does not exist: there is no content/{relative}",
                )
            )
            continue
        catalogue.use(relative, path)
        if not digest:  # an SVG, or an image whose own problem is reported once
            continue
        try:
            source = catalogue.inspect(relative)
        except ImageError:
            continue
        if source.digest != digest:  # Pelican's content cache kept an older reading
            problems.append(
                Problem(
                    path,
                    text_line(build.text_of(path), src),
                    "body",
                    f"{src!r} changed since this file was read into Pelican's content cache; "
                    "delete the cache (invoke clean) and build again",
                )
            )
        elif written:
            picture = catalogue.picture(source, catalogue.options["widths"])
            catalogue.want(source, renditions_of(picture))
    return problems


def author_records(items, articles):
    """Every author record a written page shows (bylines, bios, author pages)."""
    records = {}
    for author, _ in articles.authors:
        record = getattr(author, "record", None)
        if record is not None:
            records[id(record)] = record
    for item in items:
        if getattr(item, "status", "published") == "draft":
            continue
        for author in getattr(item, "authors", None) or ():
            record = getattr(author, "record", None)
            if record is not None:
                records[id(record)] = record
    return sorted(records.values(), key=lambda record: record.slug)


def attach_photos(items, articles, catalogue, build):
    """Give each author record with a raster Photo its <picture> (record.photo_html);
    return problems."""
    problems = []
    for record in author_records(items, articles):
        record.photo_html = None
        if not record.photo or not is_raster(record.photo):
            continue
        relative = header_path(record.photo)
        if relative is None or not catalogue.exists(relative):
            problems.append(
                Problem(
                    record.source_path,
                    header_line(build.text_of(record.source_path), "photo"),
                    "Photo",
                    f"{record.photo!r} is not a file in content/{IMAGE_FOLDER}/; write its path "
                    f"from content/, such as `Photo: {IMAGE_FOLDER}/authors/name.jpg`",
                )
            )
            continue
        catalogue.use(relative, record.source_path)
        try:
            source = catalogue.inspect(relative)
        except ImageError:
            continue
        picture = catalogue.picture(source, catalogue.options["avatar_widths"])
        sizes = catalogue.options["sizes"]["avatar"]
        record.photo_html = picture.html(catalogue.siteurl, "", sizes, css_class="avatar")
        catalogue.want(source, renditions_of(picture))
    return problems


def source_problems(catalogue):
    """One problem per image file the site would show that cannot be shown, naming the
    files that show it."""
    problems = []
    for relative in sorted(catalogue.users):
        found = catalogue.inspected.get(relative)
        message = str(found) if isinstance(found, ImageError) else catalogue.faults.get(relative)
        if message:
            users = ", ".join(sorted(catalogue.users[relative]))
            full = os.path.join(catalogue.content, relative)
            problems.append(
                Problem(display_path(full), None, "image", f"{message} (shown by {users})")
            )
    return problems


def write_images(generators):
    """The build's checks passed: make every rendition the written pages show, in the
    staging folder, and note each social JPEG's size (feeds give it)."""
    from .enrich import articles_generator

    settings = articles_generator(generators).settings
    build = build_of(settings)
    catalogue = catalogue_of(settings)
    catalogue.sizes = build.engine.write_images(build, sorted_renditions(catalogue), settings)
    for featured, social in catalogue.featured:
        featured.social_length = catalogue.sizes[social.path]
