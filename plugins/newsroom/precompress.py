"""Precompressed copies for servers that send them as they are (nginx gzip_static/brotli_static).

With SITE_PRECOMPRESS = True (publishconf.py sets it; local builds skip the
work), every HTML, CSS, JS, XML, JSON, SVG and text file in the staged site
gets a `.gz` (zlib, level 9) and a `.br` (Brotli, quality 11) beside it, unless
compression would not make it smaller. Both are deterministic: no timestamps
or names inside, so two builds stay byte-identical.
"""

import gzip
from pathlib import Path

import brotli

COMPRESSIBLE = {".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".webmanifest"}


def compressed_copies(data):
    """Return {suffix: bytes} for each encoding that makes data smaller."""
    copies = {
        ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        ".br": brotli.compress(data, mode=brotli.MODE_TEXT, quality=11),
    }
    return {suffix: blob for suffix, blob in copies.items() if len(blob) < len(data)}


def compress_site(output):
    """Write the compressed copies beside every compressible file below output."""
    for path in sorted(Path(output).rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        for suffix, blob in compressed_copies(path.read_bytes()).items():
            path.with_name(path.name + suffix).write_bytes(blob)


def precompress(pelican):
    """Compress the staged site when SITE_PRECOMPRESS is set."""
    if pelican.settings.get("SITE_PRECOMPRESS"):
        compress_site(pelican.output_path)
