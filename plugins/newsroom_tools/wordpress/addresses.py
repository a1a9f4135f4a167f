"""The old site's addresses: recognising them, and where each leads on the new site.

One table, built once every slug is decided, answers both questions the
import asks: what a link in a post body becomes (converter.Site.link) and
which old addresses the redirect map lists. Targets are the site's own link
forms ({filename}, {category}, {tag}, {author}, {static}) or a root-relative
path, so the build resolves and checks them against the finished site.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from newsroom.redirects import check_old_path

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
UPLOADS = "/wp-content/uploads/"


def key(path):
    """What two spellings of one path share: decoded, lower case, no trailing slash."""
    return unquote(path, errors="replace").lower().rstrip("/") or "/"


def hosts_of(*urls):
    """The host names an old site answered on, with and without www."""
    found = set()
    for url in urls:
        host = urlsplit(url.strip()).hostname if url else None
        if host:
            bare = host.removeprefix("www.")
            found |= {bare, "www." + bare}
    return found


def strip_size(path):
    """`x-300x200.jpg` -> `x.jpg`: WordPress's resized copies lead to the upload."""
    return _SIZE_SUFFIX.sub("", path)


@dataclass
class Addresses:
    """Old address -> new target, for paths, queries and uploads."""

    hosts: set
    paths: dict = field(default_factory=dict)  # key(path) -> target
    queries: dict = field(default_factory=dict)  # "p=123" -> target
    uploads: dict = field(default_factory=dict)  # key(path below uploads) -> Media
    media_by_id: dict = field(default_factory=dict)  # attachment id -> Media
    lines: dict = field(default_factory=dict)  # old path or ?query -> target, for the map

    def split(self, url):
        """Return (path, query, fragment) of an address of the old site, else None."""
        url = (url or "").strip()
        if not url or url.startswith("#"):
            return None
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if parts.netloc and (parts.hostname or "").lower() not in self.hosts:
            return None
        if not parts.netloc and not url.startswith("/") and not url.startswith("?"):
            return None  # relative to a page that no longer exists: left alone
        return parts.path or "/", parts.query, parts.fragment

    def link(self, url):
        """The new href of an old address (a post, page, term, author), or None."""
        found = self.split(url)
        if not found:
            return None
        path, query, fragment = found
        target = None
        if query and key(path) in ("/", "/index.php"):
            target = self.queries.get(query.split("&")[0])
        if target is None and not query:
            target = self.paths.get(key(path))
        if target is None:
            media = self.upload(path)
            target = "{static}/" + media.static if media else None
        if target is None:
            return None
        return target + (f"#{fragment}" if fragment and not target.startswith("{static}") else "")

    def upload(self, path):
        if UPLOADS not in path:
            return None
        below = path.split(UPLOADS, 1)[1]
        return self.uploads.get(key(below)) or self.uploads.get(key(strip_size(below)))

    def media(self, url, attachment_id):
        if attachment_id is not None and attachment_id in self.media_by_id:
            return self.media_by_id[attachment_id]
        found = self.split(url)
        return self.upload(found[0]) if found else None

    def add(self, old, target, on_map=True):
        """Lead an old path or `?query` to a target: in links, and (on_map) in the map."""
        if old.startswith("?"):
            self.queries.setdefault(old[1:], target)
        else:
            self.paths.setdefault(key(old), target)
        if on_map:
            self.lines.setdefault(old, target)

    def map_lines(self, taken, report):
        """The redirect map's lines: old addresses the rules accept and the site does not
        use (`taken`: keys of the site's own paths and of Redirect_from paths)."""
        lines, seen = [], set(taken)
        for old, target in sorted(self.lines.items()):
            if not old.startswith("?"):
                reason = check_old_path(old)
                if reason:
                    report.site(f"old address left without a redirect: {reason}")
                    continue
                if key(old) in seen:
                    continue
                seen.add(key(old))
            lines.append(f"{old}  {target}")
        return lines
