"""Draw the site's sample photographs and the image test fixtures with Pillow.

Every raster image in content/images/photos/ and tests/fixtures/images/ is made
here, from seeded noise and geometry: editorial illustrations of our own (a
river city, contour maps, a coast at night...), not photographs from anywhere
else. They are illustrations, not data: no image claims a number or a place's
true shape. Run it again and the same files come out, byte for byte:

    .venv/bin/python tools/make_sample_images.py            # both sets
    .venv/bin/python tools/make_sample_images.py --check    # fail if a file would change

The photos are drawn 1,800 px wide or more (news search wants featured images of
at least 1,200 px) and saved as JPEG at a quality that keeps each under 300 KB.
The fixtures are small: one carries an EXIF orientation and GPS position (written
with Pillow's Exif API) and an ICC profile, so the tests can prove that the
pipeline turns it upright and keeps none of it; one has an alpha channel.
"""

import argparse
import io
import itertools
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageOps
from PIL.ExifTags import GPS, IFD, Base

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "content" / "images" / "photos"
FIXTURES = ROOT / "tests" / "fixtures" / "images"
JPEG = {"quality": 84, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
LIMIT = 300_000  # bytes, each photo


# ---- Building blocks ---------------------------------------------------------------


def value_noise(size, seed, cells=4, octaves=6, persistence=0.55):
    """Smooth fractal noise (grey, full range): random grids of growing detail, each
    scaled up bicubically and blended over the coarser ones."""
    rng = random.Random(seed)
    width, height = size
    result = None
    weight_sum = 0.0
    for octave in range(octaves):
        across = cells * 2**octave
        down = max(2, round(across * height / width))
        grid = Image.new("L", (across + 3, down + 3))
        grid.putdata([rng.randrange(256) for _ in range((across + 3) * (down + 3))])
        # A margin of cells beyond the edges, so the bicubic edges do not smear.
        layer = grid.resize(
            (width + 2 * width // across, height + 2 * height // down), Image.BICUBIC
        )
        layer = layer.crop(
            (width // across, height // down, width // across + width, height // down + height)
        )
        weight = persistence**octave
        weight_sum += weight
        result = layer if result is None else Image.blend(result, layer, weight / weight_sum)
    return ImageOps.autocontrast(result, cutoff=0.5)


def ramp(stops):
    """A 256-entry colour ramp through (position 0..1, (r, g, b)) stops."""
    table = []
    for index in range(256):
        t = index / 255
        for (p0, c0), (p1, c1) in itertools.pairwise(stops):
            if p0 <= t <= p1:
                f = 0 if p1 == p0 else (t - p0) / (p1 - p0)
                table.append(tuple(round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True)))
                break
        else:
            table.append(stops[-1][1] if t > stops[-1][0] else stops[0][1])
    return table


def colourise(grey, stops):
    """Map a grey image through a colour ramp."""
    table = ramp(stops)
    channels = [grey.point([colour[i] for colour in table]) for i in range(3)]
    return Image.merge("RGB", channels)


def grain(image, seed, amount=10):
    """Fine film-like grain, so large flat areas do not band (amount: its strength, 0-24)."""
    rng = random.Random(seed)
    tile = Image.new("L", (256, 256))
    tile.putdata([max(0, min(255, round(rng.gauss(128, amount * 0.4)))) for _ in range(256 * 256)])
    noise = Image.new("L", image.size)
    for y in range(0, image.height, 256):
        for x in range(0, image.width, 256):
            noise.paste(tile, (x, y))
    return ImageChops.add(image, Image.merge("RGB", [noise] * 3), scale=1, offset=-128)


def contours(grey, bands, width=1):
    """Lines where a grey image crosses each of `bands` levels (a contour map)."""
    stepped = grey.point(lambda v: (v * bands // 256) * (256 // bands))
    edges = stepped.filter(ImageFilter.FIND_EDGES).point(lambda v: 255 if v > 0 else 0)
    return edges.filter(ImageFilter.MaxFilter(width)) if width > 1 else edges


def vignette(image, strength=0.35):
    """Darken the corners a little."""
    mask = Image.radial_gradient("L").resize(image.size, Image.BICUBIC)
    mask = mask.point(lambda v: 255 - round(v * strength))
    dark = Image.new("RGB", image.size, (0, 0, 0))
    return Image.composite(image, dark, mask)


def smooth_path(points, steps=24):
    """A Catmull-Rom curve through points."""
    path = []
    padded = [points[0], *points, points[-1]]
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1 : i + 3]
        for step in range(steps):
            t = step / steps
            t2, t3 = t * t, t * t * t
            path.append(
                tuple(
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3
                    )
                    for k in (0, 1)
                )
            )
    path.append(points[-1])
    return path


# ---- The illustrations --------------------------------------------------------------


def river_city(seed=14):
    """A city on both banks of a river: terrain, the river, blocks and bridges."""
    size = (1800, 1200)
    terrain = colourise(
        value_noise(size, seed),
        [(0, (96, 84, 66)), (0.5, (168, 146, 110)), (1, (214, 196, 160))],
    )
    rng = random.Random(seed)
    river = smooth_path([(-50, 380), (420, 520), (760, 470), (1080, 690), (1420, 760), (1850, 980)])
    draw = ImageDraw.Draw(terrain)
    draw.line(river, fill=(182, 170, 140), width=150, joint="curve")
    draw.line(river, fill=(62, 88, 98), width=110, joint="curve")
    draw.line(river, fill=(84, 112, 120), width=70, joint="curve")
    blocks = Image.new("L", size, 0)
    block_draw = ImageDraw.Draw(blocks)
    density = value_noise(size, seed + 1, cells=3, octaves=3)
    for _ in range(5200):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        if density.getpixel((x, y)) < 110:
            continue
        w, h = rng.randrange(10, 34), rng.randrange(10, 30)
        block_draw.rectangle((x, y, x + w, y + h), fill=rng.randrange(150, 255))
    river_mask = Image.new("L", size, 0)
    ImageDraw.Draw(river_mask).line(river, fill=255, width=170, joint="curve")
    blocks = ImageChops.subtract(blocks, river_mask)
    roofs = colourise(blocks, [(0, (0, 0, 0)), (0.6, (206, 190, 160)), (1, (236, 226, 204))])
    terrain = Image.composite(roofs, terrain, blocks.point(lambda v: 255 if v else 0))
    for along in (0.3, 0.52, 0.74):
        x, y = river[int(len(river) * along)]
        draw.line((x - 40, y - 120, x + 40, y + 120), fill=(54, 50, 46), width=9)
    return vignette(grain(terrain.filter(ImageFilter.SMOOTH), seed), 0.3)


def contour_basin(seed=21, size=(1800, 1200)):
    """A basin drawn as a contour map, a shallow lake at its low point, hatched zones."""
    height_field = value_noise(size, seed, cells=3, octaves=5)
    bowl = Image.radial_gradient("L").resize(size, Image.BICUBIC)
    height_field = Image.blend(height_field, bowl, 0.45)
    land = colourise(
        height_field,
        [(0, (70, 120, 122)), (0.28, (118, 158, 142)), (0.3, (198, 186, 140)), (1, (150, 112, 76))],
    )
    lines = contours(height_field, 14)
    land = Image.composite(
        Image.new("RGB", size, (74, 58, 44)), land, lines.point(lambda v: v // 3)
    )
    hatch = Image.new("L", size, 0)
    hatch_draw = ImageDraw.Draw(hatch)
    for offset in range(-size[1], size[0], 22):
        hatch_draw.line((offset, 0, offset + size[1], size[1]), fill=120, width=3)
    zone = Image.new("L", size, 0)
    ImageDraw.Draw(zone).ellipse((1080, 180, 1620, 620), fill=255)
    zone = zone.filter(ImageFilter.GaussianBlur(30))
    land = Image.composite(
        Image.new("RGB", size, (138, 34, 30)), land, ImageChops.multiply(hatch, zone)
    )
    return grain(land, seed, 8)


def coast_at_night(seed=33):
    """A coastal city at night from above: lights thick along roads, a dark sea."""
    size = (1920, 1080)
    rng = random.Random(seed)
    base = colourise(value_noise(size, seed, cells=5), [(0, (8, 12, 24)), (1, (30, 34, 52))])
    sea = Image.new("L", size, 0)
    coast = smooth_path([(1100, -20), (1250, 300), (1380, 520), (1600, 760), (1940, 900)])
    ImageDraw.Draw(sea).polygon([*coast, (1940, -20)], fill=255)
    base = Image.composite(
        Image.new("RGB", size, (4, 10, 22)), base, sea.filter(ImageFilter.GaussianBlur(6))
    )
    lights = Image.new("L", size, 0)
    light_draw = ImageDraw.Draw(lights)
    density = value_noise(size, seed + 7, cells=3, octaves=4)
    roads = [
        smooth_path(
            [
                (rng.randrange(0, 1200), -10),
                (rng.randrange(200, 1100), 540),
                (rng.randrange(0, 1400), 1090),
            ]
        )
        for _ in range(7)
    ]
    for road in roads:
        for x, y in road[::2]:
            light_draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=230)
    for _ in range(15000):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        if sea.getpixel((x, y)) or density.getpixel((x, y)) < rng.randrange(60, 255):
            continue
        r = rng.choice((1, 1, 1, 2))
        light_draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randrange(120, 256))
    glow = lights.filter(ImageFilter.GaussianBlur(5))
    warm = Image.new("RGB", size, (255, 196, 120))
    base = Image.composite(warm, base, ImageChops.add(glow, lights))
    return grain(base, seed, 6)


def rings(seed=45):
    """Two sources sending rings that interfere: a broadcast, drawn in two inks."""
    size = (1800, 1200)
    field = Image.new("L", size)
    sources = [(560, 640, 38.0), (1260, 420, 52.0)]
    step = 4  # draw on a coarse grid, then scale up: smooth, and quick
    small = (size[0] // step, size[1] // step)
    values = []
    for y in range(small[1]):
        for x in range(small[0]):
            total = 0.0
            for sx, sy, wavelength in sources:
                distance = math.hypot(x * step - sx, y * step - sy)
                total += math.cos(distance / wavelength * 2 * math.pi) / (1 + distance / 900)
            values.append(round(127 + 60 * total))
    field = Image.new("L", small)
    field.putdata([max(0, min(255, v)) for v in values])
    field = field.resize(size, Image.BICUBIC)
    texture = value_noise(size, seed, cells=6, octaves=4)
    field = Image.blend(field, texture, 0.22)
    image = colourise(
        field, [(0, (34, 30, 30)), (0.45, (92, 36, 34)), (0.7, (176, 70, 56)), (1, (236, 210, 190))]
    )
    return vignette(grain(image, seed, 8), 0.4)


def dunes(seed=57):
    """Dune ridges warped by wind, a green river band across them."""
    size = (1800, 1200)
    warp = value_noise(size, seed, cells=2, octaves=4)
    step = 4
    small = (size[0] // step, size[1] // step)
    warp_small = warp.resize(small, Image.BILINEAR)
    values = []
    for y in range(small[1]):
        for x in range(small[0]):
            w = warp_small.getpixel((x, y)) / 255
            phase = (x * 0.9 + y * 0.45) * step / 46 + w * 9
            values.append(round(128 + 110 * math.sin(phase) * (0.6 + 0.4 * w)))
    ridges = Image.new("L", small)
    ridges.putdata([max(0, min(255, v)) for v in values])
    ridges = ridges.resize(size, Image.BICUBIC)
    sand = colourise(ridges, [(0, (142, 98, 62)), (0.5, (206, 160, 108)), (1, (240, 214, 170))])
    river = smooth_path([(-40, 980), (500, 860), (900, 900), (1300, 760), (1840, 700)])
    band = Image.new("L", size, 0)
    ImageDraw.Draw(band).line(river, fill=255, width=120, joint="curve")
    band = band.filter(ImageFilter.GaussianBlur(26))
    green = colourise(
        value_noise(size, seed + 3, cells=8, octaves=3), [(0, (58, 84, 48)), (1, (112, 140, 82))]
    )
    sand = Image.composite(green, sand, band)
    ImageDraw.Draw(sand).line(river, fill=(70, 96, 104), width=22, joint="curve")
    return grain(sand, seed, 7)


def dot_field(seed=69):
    """A grid of dots whose size follows a field, over a band from green to sand."""
    size = (1800, 1200)
    background = colourise(
        Image.linear_gradient("L").resize(size, Image.BICUBIC).rotate(180),
        [(0, (226, 206, 160)), (0.55, (196, 178, 128)), (1, (110, 132, 88))],
    )
    field = value_noise(size, seed, cells=3, octaves=3)
    draw = ImageDraw.Draw(background)
    spacing = 44
    for row, y in enumerate(range(spacing // 2, size[1], spacing)):
        for x in range(spacing // 2 + (row % 2) * spacing // 2, size[0], spacing):
            r = field.getpixel((x, y)) / 255 * spacing * 0.48
            if r > 3:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=(122, 36, 30))
    return grain(background, seed, 3)


def ridgelines(seed=81):
    """Mountain ridges in layers at dusk, each layer paler with distance."""
    size = (1920, 1080)
    sky = colourise(
        Image.linear_gradient("L").resize(size, Image.BICUBIC),
        [(0, (238, 196, 150)), (0.6, (176, 128, 118)), (1, (96, 80, 96))],
    )
    rng = random.Random(seed)
    layers = 6
    for layer in range(layers):
        depth = layer / (layers - 1)
        ridge = value_noise((size[0], 64), seed + layer, cells=4 + layer * 2, octaves=4)
        heights = [ridge.getpixel((x, 32)) for x in range(size[0])]
        base = 300 + layer * 120
        amplitude = 260 - layer * 30
        outline = [
            (x, base - (h - 128) / 128 * amplitude + rng.random() * 2)
            for x, h in enumerate(heights)
        ]
        colour = tuple(
            round(c1 + (c2 - c1) * depth)
            for c1, c2 in zip((150, 120, 126), (40, 34, 44), strict=True)
        )
        ImageDraw.Draw(sky).polygon([*outline, (size[0], size[1]), (0, size[1])], fill=colour)
    return grain(sky.filter(ImageFilter.SMOOTH), seed, 6)


def fading_bars(seed=93):
    """Columns of bars that thin out to the right: a signal losing strength."""
    size = (1800, 1200)
    image = colourise(value_noise(size, seed, cells=4), [(0, (24, 26, 30)), (1, (52, 54, 60))])
    rng = random.Random(seed)
    draw = ImageDraw.Draw(image)
    columns = 40
    for column in range(columns):
        x0 = 90 + column * 41
        strength = (1 - column / columns) ** 1.4
        for row in range(26):
            if rng.random() > 0.25 + 0.75 * strength:
                continue
            y0 = 120 + row * 37
            shade = round(90 + 150 * strength * rng.uniform(0.7, 1))
            draw.rectangle(
                (x0, y0, x0 + 30, y0 + 24), fill=(shade, round(shade * 0.42), round(shade * 0.36))
            )
    return vignette(grain(image, seed, 8), 0.35)


# The site's photos: file name, drawing, and what each shows (for the alt text).
PHOTOS_TO_MAKE = {
    "mosul-river-city.jpg": river_city,
    "lake-chad-contours.jpg": contour_basin,
    "mogadishu-coast-at-night.jpg": coast_at_night,
    "broadcast-rings.jpg": rings,
    "euphrates-dunes.jpg": dunes,
    "sahel-dot-field.jpg": dot_field,
    "puntland-ridgelines.jpg": ridgelines,
    "signal-fading-bars.jpg": fading_bars,
    "lake-chad-shoreline-figure.jpg": lambda: contour_basin(seed=5, size=(1600, 1000)),
}


def jpeg_bytes(image, **extra):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **JPEG, **extra)
    return buffer.getvalue()


def photo_bytes(draw):
    """The drawing as JPEG, at the best quality that keeps it under the size limit."""
    image = draw()
    data = jpeg_bytes(image)
    quality = JPEG["quality"]
    while len(data) > LIMIT and quality > 50:
        quality -= 2
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", **{**JPEG, "quality": quality})
        data = buffer.getvalue()
    return data, quality


# ---- Test fixtures ------------------------------------------------------------------


def fixed_date(icc):
    """An ICC profile with the creation date lcms stamps in its header (bytes 24-35)
    set to 2020-01-01 and no profile ID (bytes 84-99), so the file is the same each run."""
    date = (2020, 1, 1, 0, 0, 0)
    header = b"".join(part.to_bytes(2, "big") for part in date)
    return icc[:24] + header + icc[36:84] + bytes(16) + icc[100:]


def oriented_with_gps():
    """A 480 x 320 picture, stored on its side (320 x 480) with EXIF Orientation 6 (rotate
    90 degrees clockwise to view), a GPS position, a camera name, an XMP packet and an
    ICC profile: all of it must be gone from every rendition, and the picture upright.

    Upright, its top third is red and the rest blue, so a test can tell which way is up.
    """
    upright = Image.new("RGB", (480, 320), (30, 60, 200))
    ImageDraw.Draw(upright).rectangle((0, 0, 479, 106), fill=(220, 30, 30))
    # Orientation 6 says "rotate 90 degrees clockwise to view": store it turned back.
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[Base.Orientation] = 6
    exif[Base.Make] = "Fixture Camera Co"
    exif[Base.Model] = "Secret Model 1"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (11.0, 50.0, 30.0)
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (13.0, 9.0, 15.0)
    srgb = fixed_date(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><secret>FIXTURE-XMP</secret></x:xmpmeta>'
    return jpeg_bytes(stored, exif=exif, icc_profile=srgb, xmp=xmp)


def with_alpha():
    """A 400 x 300 PNG with a transparent background and an opaque disc."""
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((100, 50, 300, 250), fill=(200, 40, 40, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def small_photo():
    """An 800 x 500 JPEG: narrower than news search's 1,200 px, so a note names it."""
    return jpeg_bytes(contour_basin(seed=9, size=(800, 500)))


FIXTURES_TO_MAKE = {
    "oriented-gps.jpg": oriented_with_gps,
    "alpha.png": with_alpha,
    "small.jpg": small_photo,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail if a file differs"
    )
    args = parser.parse_args(argv)
    made = {
        PHOTOS / name: lambda d=draw: photo_bytes(d)[0] for name, draw in PHOTOS_TO_MAKE.items()
    }
    made.update({FIXTURES / name: make for name, make in FIXTURES_TO_MAKE.items()})
    differing = []
    for path, make in made.items():
        data = make()
        if path.suffix == ".jpg" and path.parent == PHOTOS:
            assert len(data) <= LIMIT, f"{path.name} is {len(data):,} bytes"
        if path.exists() and path.read_bytes() == data:
            continue
        differing.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        print(
            f"{'differs' if args.check else 'wrote'} {path.relative_to(ROOT)} ({len(data):,} bytes)"
        )
    return 1 if args.check and differing else 0


if __name__ == "__main__":
    sys.exit(main())
