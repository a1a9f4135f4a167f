"""Addresses in post HTML, read as a browser reads them, and judged before they are kept.

The export is untrusted: an href or src may hide `javascript:` behind spaces and
tabs, or spell one of Pelican's `{filename}` placeholders. These functions read an
address as the browser would, say which schemes may stay, and name addresses in
the editor's notes. No parsed tree here: plain strings in, plain strings out.
"""

import re
from urllib.parse import parse_qs, urlsplit

# How an imported upload is linked: Pelican's placeholder for a file below content/.
STATIC = "{static}/"

# Browsers drop ASCII whitespace and control characters at a URL's ends and tabs
# and newlines anywhere in it.
_URL_NOISE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# The schemes an href may keep: any other (javascript:, data:, vbscript:...) could run
# code or show a page of the attacker's making.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
# The image files the site publishes only as renditions (newsroom/images.py), never as such.
RASTER = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|heic)$", re.IGNORECASE)
# A web address in text: a URL alone in a paragraph, or what an embed block holds.
BARE_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def squeeze_url(value):
    """Return an attribute's URL as a browser reads it: trimmed, without tabs and newlines."""
    return _URL_NOISE.sub("", str(value or "")).strip(" \t\n\r\x0c")


def scheme_of(url):
    """Return a URL's scheme, lowercased, however disguised with spaces; None if relative."""
    match = _SCHEME.match(re.sub(r"[\x00-\x20]+", "", url))
    return match[1].lower() if match else None


def web_url(value):
    """Return value as an absolute http(s) URL (protocol-relative ones get https), or None."""
    url = squeeze_url(value)
    if url.startswith("//"):
        url = "https:" + url
    if scheme_of(url) in ("http", "https") and host_of(url):
        return url
    return None


def fetchable(url):
    """Whether url may name an upload: an http(s) or relative address (not data:, javascript:)."""
    return bool(url) and scheme_of(url) in (None, "http", "https")


def host_of(url):
    """Return a URL's host name, lowercased, or ""."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def address_label(url):
    """A link's text for an address with no better one: its host, without www."""
    host = host_of(url)
    return host.removeprefix("www.") or url


def is_upload(url):
    """Whether a URL points into WordPress's uploads folder."""
    return "wp-content/uploads/" in path_of(url)


def path_of(url):
    """Return the path of a URL, or "" if it cannot be parsed."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def describe(url):
    """Name an address in a note: from wp-content/ on when it has one, and never too long."""
    if url.lower().startswith("data:"):
        return "(a data: URL)"
    start = url.find("wp-content/")
    shown = url[start:] if start >= 0 else url
    return shown if len(shown) <= 120 else shown[:117] + "..."


def neutral_href(url):
    """Return an address kept from the post, unable to pass for a Pelican placeholder.

    `{filename}`, `{static}` or `|filename|` at the start of an href is Pelican's
    link syntax; in a post's own href it could reach any file of the site.
    """
    return url.replace("{", "%7B").replace("}", "%7D").replace("|", "%7C")


def embed_target(url):
    """Return the page an embedded player's address stands for (a YouTube embed: the
    watch page), or the address itself."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    if host in ("youtube.com", "youtube-nocookie.com"):
        video = re.match(r"/embed/([\w-]{6,})", parts.path)
        if video and video[1] != "videoseries":
            return f"https://www.youtube.com/watch?v={video[1]}"
        if parts.path.startswith("/embed/videoseries") and "list" in query:
            return f"https://www.youtube.com/playlist?list={query['list'][0]}"
    if host == "player.vimeo.com":
        video = re.match(r"/video/(\d+)", parts.path)
        if video:
            return f"https://vimeo.com/{video[1]}"
    if host == "open.spotify.com" and parts.path.startswith("/embed/"):
        return "https://open.spotify.com/" + parts.path.removeprefix("/embed/")
    # Players that carry the page they show as a parameter.
    for player, parameter in (("w.soundcloud.com", "url"), ("facebook.com", "href")):
        if host == player and parameter in query and web_url(query[parameter][0]):
            return web_url(query[parameter][0])
    return url


def file_name(path):
    """Return the last part of a path or URL, for a link's text."""
    name = path_of(path).rstrip("/").rsplit("/", 1)[-1]
    return name or path
