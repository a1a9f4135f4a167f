"""What the image pipeline takes and makes: the limits on a source image, the widths and
encoders of its renditions, the SITE_IMAGES setting, and the rules for the `Image`
headers of articles and pages (images.py does the work).
"""

import posixpath

from .errors import Problem
from .frontmatter import header_line

# Every image the site shows lives below this folder of PATH.
IMAGE_FOLDER = "images"
# Raster images: never published as uploaded, only as renditions. (SVGs are our own
# vector figures and are published as they are, as static files.)
RASTER_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".tif", ".tiff", ".bmp"}
)
# What Pillow may find inside one (by its content, whatever the name says).
RASTER_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "AVIF", "GIF", "TIFF", "BMP"})
# A side shorter than this is no picture; longer than this is no upload we want
# (and a decoder's worst case). Past MAX_PIXELS an image is treated as a
# decompression bomb: Pillow warns (an error here) and refuses at twice as many.
MIN_SIDE, MAX_SIDE = 16, 12_000
MAX_PIXELS = 50_000_000
# News search (Google Discover, Top Stories) shows large previews only of images at
# least this wide; narrower featured images are named in the build's closing note.
NEWS_WIDTH = 1200
# The width of the JPEG that social cards and structured data use (og:image): at most
# this, never wider than the source.
SOCIAL_WIDTH = 1200
# Bump when decoding or resizing changes: rendition names (and the speed layer's
# store) then change with it.
PIPELINE_VERSION = 1

# Each rendition format: Pillow's encoder and every parameter, given explicitly so
# the same source always gives the same bytes (one thread for AVIF: aom's output
# depends on the thread count), and its media type. AVIF at speed 8 encodes four
# times as fast as the default 6 for about 3% more bytes; at quality 56 a 720 px
# rendition of a textured illustration is 25-45 KB.
ENCODERS = {
    "avif": (
        "AVIF",
        {
            "quality": 56,
            "speed": 8,
            "subsampling": "4:2:0",
            "range": "full",
            "codec": "auto",
            "max_threads": 1,
            "autotiling": False,
        },
        "image/avif",
    ),
    "webp": ("WEBP", {"quality": 76, "method": 4, "lossless": False, "exact": False}, "image/webp"),
    "jpeg": (
        "JPEG",
        {"quality": 80, "optimize": True, "progressive": True, "subsampling": "4:2:0"},
        "image/jpeg",
    ),
    "png": ("PNG", {"optimize": True, "compress_level": 9}, "image/png"),
}
# What a <picture> offers, best first; the <img> fallback is JPEG, or PNG for an
# image with transparency.
MODERN_FORMATS = ("avif", "webp")
SUFFIXES = {"avif": ".avif", "webp": ".webp", "jpeg": ".jpg", "png": ".png"}

# SITE_IMAGES, merged over these. `sizes` must follow the theme's layout (the CSS in
# theme/static/css): the browser picks a rendition from them before any CSS loads.
DEFAULTS = {
    # Rendition widths of featured and body images, in pixels (never wider than the source).
    "widths": [360, 720, 1080, 1440],
    # Rendition widths of author photos (shown at 4 to 6rem).
    "avatar_widths": [96, 192, 288],
    "sizes": {
        # The reading column: the viewport less 1rem gutters, then 4vw gutters, then 68ch
        # (at most 40.4rem), as measured in Chromium.
        "lead": "(min-width: 44rem) 41rem, (min-width: 25rem) 92vw, calc(100vw - 2rem)",
        "body": "(min-width: 44rem) 41rem, (min-width: 25rem) 92vw, calc(100vw - 2rem)",
        # The home page's top story: as wide as the reading column.
        "lead_card": "(min-width: 44rem) 41rem, (min-width: 25rem) 92vw, calc(100vw - 2rem)",
        # Listing cards: a thumbnail beside the headline.
        "card": "(min-width: 40rem) 12rem, 7.5rem",
        "avatar": "6rem",
    },
}
SIZE_USES = tuple(DEFAULTS["sizes"])


class ImageSettingsError(Exception):
    """SITE_IMAGES holds a key or value the pipeline does not take."""


def image_settings(settings):
    """Return SITE_IMAGES merged over DEFAULTS, refusing what the pipeline cannot use."""
    given = settings.get("SITE_IMAGES") or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ImageSettingsError(
            f"SITE_IMAGES has unknown keys {unknown!r}; allowed: {sorted(DEFAULTS)!r}"
        )
    merged = {**DEFAULTS, **given, "sizes": {**DEFAULTS["sizes"], **given.get("sizes", {})}}
    for name in ("widths", "avatar_widths"):
        widths = merged[name]
        if (
            not isinstance(widths, list | tuple)
            or not widths
            or any(type(w) is not int or not MIN_SIDE <= w <= MAX_SIDE for w in widths)
        ):
            raise ImageSettingsError(
                f"SITE_IMAGES[{name!r}] is {widths!r}; give a list of widths in pixels, "
                f"each {MIN_SIDE} to {MAX_SIDE}"
            )
        merged[name] = tuple(sorted(set(widths)))
    unknown = sorted(set(merged["sizes"]) - set(SIZE_USES))
    if unknown or any(not isinstance(v, str) or not v for v in merged["sizes"].values()):
        raise ImageSettingsError(
            f"SITE_IMAGES['sizes'] must give a `sizes` text for each of {list(SIZE_USES)}"
        )
    return merged


def is_raster(path):
    """Whether a file name is a raster image's (by its suffix)."""
    return posixpath.splitext(str(path))[1].lower() in RASTER_SUFFIXES


def under_images(relative):
    """Whether a normalised path below PATH is in the image folder."""
    return relative.startswith(IMAGE_FOLDER + "/")


def header_path(value):
    """Return the path below PATH that an `Image` header names, or None if it is not a
    plain path into the image folder. `images/x.jpg` and `{static}/images/x.jpg` are
    the two ways to write one."""
    value = value.strip()
    for prefix in ("{static}/", "{static}", "|static|/", "|static|"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    if not value or value.startswith("/") or "\\" in value or "://" in value:
        return None
    normal = posixpath.normpath(value)
    if normal != value.rstrip("/") or not under_images(normal):
        return None  # `..`, `.`, `//` or outside the folder
    return normal


IMAGE_KEYS = ("image", "image_alt", "image_credit", "image_caption")


def featured_headers(meta, path, text_of):
    """Check an item's Image headers (meta: its metadata, lower-case keys; text_of(): its
    source, read only for a problem's line); return (the image's path below PATH or
    None, problems)."""
    image = (meta.get("image") or "").strip()
    problems = []

    def problem(key, message):
        problems.append(Problem(path, header_line(text_of(), key), key.capitalize(), message))

    if not image:
        for key in ("image_alt", "image_credit", "image_caption"):
            if key in meta:
                problem(key, "is given without Image; add `Image: images/...` or remove it")
        return None, problems
    relative = header_path(image)
    if relative is None:
        problem(
            "image",
            f"{image!r} is not a file in content/{IMAGE_FOLDER}/; write its path from "
            f"content/, such as `Image: {IMAGE_FOLDER}/photos/name.jpg`",
        )
    elif not is_raster(relative):
        problem(
            "image",
            f"{image!r} is not a photograph; a featured image is a JPEG, PNG, WebP or AVIF "
            "file (social cards cannot show SVG)",
        )
        relative = None
    if not (meta.get("image_alt") or "").strip():
        problem(
            "image_alt",
            "is missing: an article with an Image needs `Image_alt:`, a sentence saying "
            "what the image shows for readers who cannot see it",
        )
    return relative, problems
