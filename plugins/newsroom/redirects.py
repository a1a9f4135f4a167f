"""Legacy addresses: an article or page lists the URLs it had before, and each leads to it.

    Redirect_from: /archives/2018/03/islamic-state-claims-soldier.php, /2019/03/caf%C3%A9/

Site-wide redirect maps (content/redirects/*.txt, redirect_map.py) add old
addresses that are no one item's, leading to sections, tags, authors, files or
any page the site writes, and old queries (`?p=123`) of the home page.

For every old path the build writes a small page at that address (a canonical
link and an immediate refresh to where it leads, for any static host), and one
line of server rules in `.legacy-redirects.map`, which deploy/nginx.conf reads
to answer the old address with a 301; old queries get a line in
`.legacy-query-redirects.map` only (a static host cannot match a query).

Servers match an address with its %-escapes decoded (nginx's $uri; a static
host looks for the decoded file name), and nginx's map ignores the case of
ASCII letters: so the redirect page is written at the decoded path, the server
rules hold the decoded path, and two spellings of one address (`%C3%A9` and
`%c3%a9`, `/Old/` and `/old/`) are one claim.

The header is checked with the other headers (rules.py); which item claims
which address, and whether a page, listing or file of the site lives there, is
checked once everything is read, before writing. The pages are written last,
after every other page and feed, so an address taken by anything else is found
then and never overwritten, and a target given as a path is found written.
"""

import os
import re
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from pelican.contents import Article

from .errors import BuildStopped, Problem, display_path
from .frontmatter import header_line
from .search import BUNDLE
from .state import build_of

KEY = "redirect_from"
FIELD = "Redirect_From"
# Beside the site's files, never served (nginx refuses dotfiles) and left out of
# the uploads that cannot use it; deploy/nginx.conf includes each in a map block.
REDIRECT_MAP = ".legacy-redirects.map"
QUERY_MAP = ".legacy-query-redirects.map"
# What an address may hold as written: these characters, and %-escapes for the rest.
_OLD_PATH = re.compile(r"^/[A-Za-z0-9._~/%-]*$")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SLASH_OR_NUL = re.compile(r"%(2[Ff]|00)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What a server rule holds as it is; anything else is written "quoted".
_PLAIN = re.compile(r"^[A-Za-z0-9._~/-]+$")
MAX_LENGTH = 200  # bytes, decoded: deploy/nginx.conf sizes its map for this
EXAMPLE = "/archives/2018/03/islamic-state-claims-soldier.php"
# nginx's map lowers ASCII letters only, on both sides.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True)
class Target:
    """Where an old address leads: a path of the site and what lives there."""

    path: str  # root-relative and %-encoded, as server rules and pages give it
    item: object = None  # the article or page, or None for another page or a file
    about: object = None  # the section, topic or author whose page it is (its card)
    name: str = ""  # what it is, in plain text, when it is no article or page
    noun: str = "page"  # "article", "page" or "file", for the redirect page's heading
    written: bool = True  # False: a path given as such, found in the finished site


@dataclass(frozen=True)
class Redirect:
    """One old address (or old query) and where it now leads."""

    old: str  # the old path, %-escapes decoded (or the query, `?p=123`)
    save_as: str | None  # the file written for it, below the output folder (None: a query)
    target: Target
    location: str  # where it leads, as pages link to it (SITEURL + path)
    source: str  # the file that claims it, for problems
    line: int | None
    field: str = FIELD

    @property
    def article(self):
        """Return the article or page it leads to, or None."""
        return self.target.item

    @property
    def path(self):
        """Return where it leads, root-relative and %-encoded, for server rules."""
        return self.target.path

    @property
    def title(self):
        """Return what it leads to, in plain text."""
        return self.article.plain_title if self.article else self.target.name

    @property
    def title_html(self):
        """Return what it leads to, typeset for pages (escaped by the template)."""
        return self.article.title_html if self.article else self.target.name

    @property
    def lang(self):
        """Return the language of what it leads to, or None for the site's."""
        return getattr(self.article, "lang", None)

    @property
    def card(self):
        """Return the social card of what it leads to, or None."""
        return getattr(self.article or self.target.about, "social_card", None)

    @property
    def noun(self):
        return self.target.noun


def fold(path):
    """Return a path as nginx's map compares it: ASCII letters in lower case."""
    return path.translate(_ASCII_LOWER)


def old_paths(value):
    """Split a Redirect_from header into its items, as written (may hold empty ones)."""
    return [item.strip() for item in value.split(",")]


def check_escapes(path):
    """Return why a path's %-escapes cannot be decoded safely, or None."""
    if _LONE_PERCENT.search(path):
        return (
            f"{path!r} has a '%' that starts no %-escape; a '%' is followed by two hex "
            "digits (%20, %C3%A9): copy the address again from the browser"
        )
    escape = _SLASH_OR_NUL.search(path)
    if escape:
        what = "an encoded '/'" if escape[1] != "00" else "an encoded NUL"
        return f"{path!r} has {what} ({escape[0]}), which servers do not agree on"
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return f"{path!r} has %-escapes that do not decode to UTF-8 text"
    control = _CONTROL.search(decoded)
    if control:
        return f"{path!r} decodes to the control character U+{ord(control[0]):04X}"
    return None


def check_old_path(path):
    """Return why an old address cannot be redirected, or None.

    %-escapes are accepted where they decode to UTF-8 text (not '/', NUL or a
    control character); the rules on segments apply to the decoded path, the
    one servers match.
    """
    if "://" in path or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
        return f"{path!r} has a scheme or host; give the path alone, such as {EXAMPLE!r}"
    if not path.startswith("/") or path.startswith("//"):
        return f"{path!r} is not root-relative; start it with one '/', such as {EXAMPLE!r}"
    if "?" in path or "#" in path:
        return f"{path!r} has a query or fragment; servers match the path alone, so drop it"
    if not _OLD_PATH.match(path):
        return (
            f"{path!r} has characters other than letters, digits, '-', '_', '.', '~', '/' "
            "and %-escapes; write the address with %-escapes as the browser gives it when "
            "you copy it (a space as %20, é as %C3%A9)"
        )
    reason = check_escapes(path)
    if reason:
        return reason
    decoded = unquote(path)
    segments = decoded[1:].split("/")
    if decoded == "/" or any(not s for s in segments[:-1]):
        return f"{path!r} is the home page or has an empty segment ('//'); name a page"
    if any(s in (".", "..") for s in segments):
        return f"{path!r} has a '.' or '..' segment (once decoded); give the address without them"
    if any(s.startswith(".") for s in segments):
        return f"{path!r} names a hidden file or folder, which servers never serve"
    if len(decoded.encode()) > MAX_LENGTH:
        return f"{path!r} is longer than {MAX_LENGTH} bytes (its %-escapes decoded)"
    return None


def claim_key(old):
    """Return what makes two spellings of an old path one address: its file, folded."""
    return fold(redirect_file(unquote(old)))


def check_redirect_from(record):
    """Return the problems of an article's or page's Redirect_from header (rules.py)."""
    value = record.meta.get(KEY)
    if value is None:
        return []
    line = record.line_of(KEY)
    items = old_paths(value)
    if not value.strip() or any(not item for item in items):
        return [
            Problem(
                record.path,
                line,
                FIELD,
                f"{value!r} has an empty item; list old addresses separated by commas",
            )
        ]
    problems, seen = [], {}
    for number, item in enumerate(items):
        reason = check_old_path(item)
        if reason is None:
            first, at = seen.setdefault(claim_key(item), (item, number))
            if at != number:
                same = "" if first == item else f" ({first!r} is the same address)"
                reason = f"{item!r} is listed twice{same}; keep one"
        if reason:
            problems.append(Problem(record.path, line, FIELD, reason))
    return problems


def redirect_file(old):
    """Return the output file for an old path (decoded): the file itself, or an index.html
    in it."""
    relative = old.lstrip("/")
    last = relative.rsplit("/", 1)[-1]
    if not last or "." not in last:
        return relative.rstrip("/") + "/index.html"
    return relative


def target_file(path):
    """Return the output file a root-relative path (decoded) is served from."""
    return redirect_file(path) if path.strip("/") else "index.html"


def folders_of(path):
    """Return the folders a relative output path needs: a/b/c.html -> a, a/b."""
    parts = path.split("/")[:-1]
    return {"/".join(parts[: i + 1]) for i in range(len(parts))}


class Addresses:
    """The files the site writes and the folders they need, as nginx's map compares them
    (folded): an old address that differs from a live one by case alone would still
    take it over."""

    def __init__(self, paths):
        self.files, self.folders = {}, set()
        for path in paths:
            self.add(path)

    def add(self, path):
        self.files.setdefault(fold(path), path)
        self.folders |= folders_of(fold(path))

    def clash(self, save_as):
        """Return the output path an old address's file (folded) collides with, or None."""
        if save_as in self.files:
            return self.files[save_as]
        if save_as in self.folders:
            return next(self.files[f] for f in sorted(self.files) if f.startswith(save_as + "/"))
        return next((self.files[f] for f in sorted(folders_of(save_as)) if f in self.files), None)


def overlaps(save_as, other):
    """Whether two output paths are one file, or one needs the other as a folder."""
    return save_as == other or other.startswith(save_as + "/") or save_as.startswith(other + "/")


@dataclass(frozen=True)
class Claim:
    """An old address (or old query) as a file claims it."""

    source: str  # the file, as problems name it
    line: int | None
    field: str  # Redirect_From, or redirect for a line of a redirect map
    old: str  # as written
    target: Target | None  # None: reserved only (a draft, or a target already refused)


def item_target(item):
    """Return the Target of an article or page."""
    noun = "article" if isinstance(item, Article) else "page"
    return Target("/" + quote(item.url), item=item, noun=noun)


def header_claims(items, state):
    """Yield a Claim for every Redirect_from item of every article and page, by file.

    The header's value is Pelican's, as read; its line is found in the source's text,
    for problems. A draft
    reserves its old addresses and leads nowhere.
    """
    for item in sorted(items, key=lambda i: i.source_path):
        value = getattr(item, "metadata", {}).get(KEY)
        if not isinstance(value, str):
            continue
        path = display_path(item.source_path)
        line = header_line(state.text_of(path), KEY)
        draft = getattr(item, "status", "published") == "draft"
        target = None if draft else item_target(item)
        for old in old_paths(value):
            yield Claim(path, line, FIELD, old, target)


def settle_target(target, owners, by_file):
    """Return (Target, problem text or None) for a target given as a path: what lives
    there, when the site's pages and files known before writing hold it."""
    if target is None or target.written:
        return target, None
    file = target_file(unquote(target.path))
    item = by_file.get(file)
    if item is not None:
        if getattr(item, "status", "published") == "hidden":
            return None, f"leads to {target.path!r}, a hidden page (Status: hidden); lead elsewhere"
        return item_target(item), None
    if file in owners:
        return Target(target.path, name=target.name, noun=target.noun), None
    return target, None  # looked for in the finished site (write_redirects)


def already(first, claim):
    """Say which claim came first."""
    if first.source != claim.source:
        where = first.source if first.field == FIELD else f"{first.source}:{first.line}"
    elif first.line == claim.line:
        where = "itself"
    else:
        where = f"line {first.line}"
    same = "that address" if first.old == claim.old else f"{first.old!r}, the same address"
    return f"{claim.old!r} is already claimed by {where} ({same}); one old address, one target"


def collect_redirects(items, output_paths, context, state):
    """Check who claims which old address; keep the redirects to write.

    Claims are the Redirect_from headers of articles and pages (items) and the
    lines of the redirect maps (state.redirect_map, redirect_map.py). One
    address is claimed once, and never where the new site writes a page, feed
    or file (or needs one as a folder); an old address never leads to itself.
    Drafts are checked too, so publishing one later cannot clash. Old queries
    go to state.query_redirects; the pages to write to context["legacy_redirects"].
    """
    owners = {}
    for path, owner in output_paths:
        owners.setdefault(path, owner)
    reserved = {fold(context.get("THEME_STATIC_DIR", "theme")), fold(BUNDLE)}
    site = Addresses(owners)
    by_file = {item.save_as: item for item in items if getattr(item, "save_as", "")}
    siteurl = context.get("SITEURL", "")
    claimed, redirects, queries = {}, [], []
    every = [*header_claims(items, state), *state.redirect_map]
    for claim in sorted(every, key=lambda c: (c.source, c.line or 0)):
        target, reason = settle_target(claim.target, owners, by_file)
        query = claim.old.startswith("?")
        save_as = None if query else redirect_file(unquote(claim.old))
        key = fold(claim.old if query else save_as)
        first = claimed.get(key)
        if reason:
            reason = f"{claim.old!r} {reason}"
        elif first:
            reason = already(first, claim)
        elif query:
            pass
        elif key.split("/")[0] in reserved:
            folder = save_as.split("/")[0]
            reason = (
                f"{claim.old!r} is below /{folder}/, which the build fills (theme, search index)"
            )
        elif target and fold(target_file(unquote(target.path))) == key:
            reason = (
                f"{claim.old!r} leads to itself ({target.path!r}); an old address must lead "
                "to another one"
            )
        elif other := site.clash(key):
            owner = owners.get(other, "a redirect")
            case = "" if overlaps(save_as, other) else "; nginx ignores the case of letters"
            reason = (
                f"{claim.old!r} is where the site writes {other!r} ({owner}); "
                f"an old address must be one the new site does not use{case}"
            )
        if reason:
            state.problems.append(Problem(claim.source, claim.line, claim.field, reason))
            continue
        claimed[key] = claim
        if not query:
            site.add(save_as)
        if target is None:
            continue
        old = claim.old if query else unquote(claim.old)
        redirect = Redirect(
            old, save_as, target, siteurl + target.path, claim.source, claim.line, claim.field
        )
        (queries if query else redirects).append(redirect)
    context["legacy_redirects"] = redirects
    state.query_redirects = queries
    return redirects


def server_string(value):
    """Return a value for an nginx map file: as it is when plain, else "quoted"."""
    if _PLAIN.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_map(redirects):
    """Return the server rules: one `old new;` line per redirect, sorted."""
    lines = [
        "# Legacy addresses (decoded) and where each leads now; written by the build.",
        "# deploy/nginx.conf includes this file in: map $uri $militancymonitor_legacy { ... }",
    ]
    lines += [
        f"{server_string(r.old)} {server_string(r.path)};"
        for r in sorted(redirects, key=lambda r: r.old)
    ]
    return "\n".join(lines) + "\n"


def nginx_query_map(redirects):
    """Return the server rules for old queries of the home page: one `"p=1" new;` line each."""
    lines = [
        "# Old queries of the home page (/?p=123, /index.php?p=123) and where each leads now;",
        "# written by the build. deploy/nginx.conf includes this file in:",
        "# map $args $militancymonitor_legacy_query { ... }",
    ]
    lines += [
        f"{server_string(r.old[1:])} {server_string(r.path)};"
        for r in sorted(redirects, key=lambda r: r.old)
    ]
    return "\n".join(lines) + "\n"


_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([^\s";]+)')


def read_map(output, name=REDIRECT_MAP):
    """Return {old: new} from a built site's server rules (empty if there are none): old
    paths decoded from .legacy-redirects.map, or queries (`p=123`) from QUERY_MAP."""
    path = Path(output, name)
    if not path.is_file():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            tokens = _TOKEN.findall(line.strip().removesuffix(";"))
            old, new = (re.sub(r"\\(.)", r"\1", quoted) or plain for quoted, plain in tokens)
            pairs[old] = new
    return pairs


def occupied(output, save_as):
    """Return what already occupies an old address's file in the output, or None."""
    if os.path.exists(os.path.join(output, save_as)):
        return save_as
    parent = os.path.dirname(save_as)
    while parent:
        if os.path.isfile(os.path.join(output, parent)):
            return parent
        parent = os.path.dirname(parent)
    return None


def missing_target(output, path, old_files):
    """Return why a target given as a path is not in the finished site, or None."""
    file = target_file(unquote(path))
    if fold(file) in old_files:
        return f"leads to {path!r}, itself an old address; give where that one leads"
    if not Path(output, file).is_file():
        return (
            f"leads to {path!r}, which the site does not write; give a page or file of the "
            "site, such as /archives/2019/ or /feeds/atom.xml (an image: {static}/images/...)"
        )
    return None


def render_redirects(generator, writer):
    """Render the redirect pages with the finished context; they are written at the end.

    A redirect page says only where it leads, so each target's page is rendered once,
    however many old addresses lead there (a year archive's date addresses, an upload's
    resized copies, an article's permalink and attachment pages). It belongs to no
    section of the site: no navigation link is marked current on it.
    """
    template = generator.get_template("redirect")
    rendered = {}
    pages = []
    for redirect in generator.context.get("legacy_redirects", []):
        target = redirect.target  # its item and topic, section or author compare by identity
        key = (redirect.location, target.path, target.name, target.noun)
        key += (id(target.item), id(target.about))
        if key not in rendered:
            context = {**generator.context, "output_file": "", "redirect": redirect}
            rendered[key] = template.render(context).encode("utf-8")
        pages.append((redirect, rendered[key]))
    build_of(generator.settings).redirect_pages = pages


def write_redirects(pelican):
    """Write the redirect pages and the server rules, once every other file is written.

    Every page, feed and file of the site exists by now, so an old address that
    one of them took is found here, never overwritten, whatever wrote it; and a
    target given as a path is found written, or reported.
    """
    output = pelican.output_path
    build = build_of(pelican.settings)
    pages = build.redirect_pages
    redirects = [redirect for redirect, _ in pages]
    in_place = build.engine.redirect_pages_in_place(build, pelican.settings)
    problems = []
    for redirect in redirects:
        if redirect.save_as in in_place:
            continue  # the page itself, as rendered (the speed layer's, from the spare)
        taken = occupied(output, redirect.save_as)
        if taken:
            problems.append(
                Problem(
                    redirect.source,
                    redirect.line,
                    redirect.field,
                    f"{redirect.old!r} is where the site writes {taken!r}; "
                    "an old address must be one the new site does not use",
                )
            )
    old_files = {fold(redirect.save_as) for redirect in redirects}
    for redirect in [*redirects, *build.query_redirects]:
        if redirect.target.written:
            continue
        reason = missing_target(output, redirect.path, old_files)
        if reason:
            message = f"{redirect.old!r} {reason}"
            problems.append(Problem(redirect.source, redirect.line, redirect.field, message))
    if problems:
        raise BuildStopped(problems)
    folders = set()
    for redirect, html in pages:
        if redirect.save_as in in_place:
            continue
        path = os.path.join(output, redirect.save_as)
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        with open(path, "wb") as page:
            page.write(html)
    Path(output, REDIRECT_MAP).write_text(nginx_map(redirects), encoding="utf-8")
    Path(output, QUERY_MAP).write_text(nginx_query_map(build.query_redirects), encoding="utf-8")
