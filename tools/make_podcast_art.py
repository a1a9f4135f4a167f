"""Make the podcast's show art: a 3000 x 3000 PNG in the site's colours.

    .venv/bin/python tools/make_podcast_art.py   # writes theme/static/images/podcast-cover.png

Apple Podcasts wants square art of 1400 to 3000 pixels, RGB, PNG or JPEG; the
feed names it in <itunes:image> (SITE_PODCAST["image"] in pelicanconf.py). The
design is the site's: paper (#fbfaf7), the accent red (#8a1c1c), ink (#1a1a1a),
a waveform of bars and the show's name set in DejaVu Sans. The PNG is committed,
so the build needs neither this script, nor Pillow, nor the font. It is drawn
at 3000 pixels in 16 flat colours, stored as RGB: under 200 KB.
"""

import argparse
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "theme" / "static" / "images" / "podcast-cover.png"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SIZE = 3000
PAPER, ACCENT, INK, RULE = "#fbfaf7", "#8a1c1c", "#1a1a1a", "#dcd7ce"


def font(name, size):
    """A DejaVu face (Debian: fonts-dejavu-core)."""
    return ImageFont.truetype(str(FONTS / name), size)


def centred(draw, y, text, face, fill):
    """Draw one line of text centred across the square, its top at y."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    draw.text(((SIZE - (right - left)) / 2 - left, y - top), text, font=face, fill=fill)
    return y + (bottom - top)


def waveform(draw, top, height):
    """A row of rounded bars whose heights follow two slow waves: a voice's rhythm."""
    count, gap = 29, 34
    width = (SIZE - 2 * 420 - (count - 1) * gap) / count
    middle = top + height / 2
    for n in range(count):
        x = 420 + n * (width + gap)
        shape = abs(math.sin(n * 0.55) * 0.65 + math.sin(n * 1.7 + 1) * 0.35)
        half = max(0.12, shape) * height / 2
        draw.rounded_rectangle(
            (x, middle - half, x + width, middle + half), radius=width / 2, fill=ACCENT
        )


def draw_art():
    """Return the show art, RGB."""
    image = Image.new("RGB", (SIZE, SIZE), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE, 260), fill=ACCENT)  # the masthead band
    draw.rectangle((0, SIZE - 120, SIZE, SIZE), fill=ACCENT)
    y = centred(draw, 560, "MILITANCY", font("DejaVuSans-Bold.ttf", 380), INK)
    y = centred(draw, y + 90, "MONITOR", font("DejaVuSans-Bold.ttf", 380), INK)
    draw.rectangle((420, y + 150, SIZE - 420, y + 166), fill=RULE)
    waveform(draw, y + 280, 600)
    centred(draw, SIZE - 760, "PODCAST", font("DejaVuSans-Bold.ttf", 300), ACCENT)
    centred(draw, SIZE - 390, "Analysis of jihadist movements", font("DejaVuSans.ttf", 120), INK)
    # Sixteen flat colours compress far better than every shade of the edges; Apple
    # asks for RGB, so the palette is spent back into RGB.
    return image.quantize(colors=16, dither=Image.Dither.NONE).convert("RGB")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    draw_art().save(args.output, optimize=True)
    print(f"{args.output}: {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
