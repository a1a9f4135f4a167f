"""Legacy addresses: an article lists the URLs it had before, and each leads to it.

    Redirect_from: /archives/2018/03/islamic-state-claims-soldier.php, /old/story.html

For every old path the build writes a small page at that address (a canonical
link and an immediate refresh to the article, for any static host), and one
line of server rules in `.legacy-redirects.map`, which deploy/nginx.conf reads
to answer the old address with a 301. The header is checked with the other
headers (rules.py); which article claims which address, and whether a page,
listing or file of the site lives there, is checked once everything is read,
before writing. The pages are written last, after every other page and feed,
so an address taken by anything else is found then and never overwritten.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildStopped, Problem, display_path
from .frontmatter import parse_record
from .search import BUNDLE
from .state import build_of

KEY = "redirect_from"
FIELD = "Redirect_From"
# Beside the site's files, never served (nginx refuses dotfiles) and left out of
# the uploads that cannot use it; deploy/nginx.conf includes it in a map block.
REDIRECT_MAP = ".legacy-redirects.map"
_OLD_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")
MAX_LENGTH = 200  # deploy/nginx.conf sizes its map for this
EXAMPLE = "/archives/2018/03/islamic-state-claims-soldier.php"


@dataclass(frozen=True)
class Redirect:
    """One old address and the article it now leads to."""

    old: str  # root-relative, as the header gives it
    save_as: str  # the file written for it, below the output folder
    article: object
    location: str  # the article's URL as pages link to it (SITEURL + url)
    source: str  # the article's source file, for problems
    line: int | None

    @property
    def target(self):
        """Return the article's root-relative path, for server rules."""
        return "/" + self.article.url


def old_paths(value):
    """Split a Redirect_from header into its items, as written (may hold empty ones)."""
    return [item.strip() for item in value.split(",")]


def check_old_path(path):
    """Return why an old address cannot be redirected, or None."""
    if "://" in path or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
        return f"{path!r} has a scheme or host; give the path alone, such as {EXAMPLE!r}"
    if not path.startswith("/") or path.startswith("//"):
        return f"{path!r} is not root-relative; start it with one '/', such as {EXAMPLE!r}"
    if "?" in path or "#" in path:
        return f"{path!r} has a query or fragment; servers match the path alone, so drop it"
    if not _OLD_PATH.match(path):
        return (
            f"{path!r} has characters other than letters, digits, '-', '_', '.', '~' and '/'; "
            "write the address as the browser shows it, without %-escapes or spaces"
        )
    segments = path[1:].split("/")
    if path == "/" or any(not s for s in segments[:-1]):
        return f"{path!r} is the home page or has an empty segment ('//'); name a page"
    if any(s in (".", "..") for s in segments):
        return f"{path!r} has a '.' or '..' segment; give the address without them"
    if any(s.startswith(".") for s in segments):
        return f"{path!r} names a hidden file or folder, which servers never serve"
    if len(path) > MAX_LENGTH:
        return f"{path!r} is longer than {MAX_LENGTH} characters"
    return None


def check_redirect_from(record):
    """Return the problems of an article's Redirect_from header (rules.py calls this)."""
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
    problems, seen = [], set()
    for item in items:
        reason = check_old_path(item)
        if reason is None and item in seen:
            reason = f"{item!r} is listed twice; keep one"
        seen.add(item)
        if reason:
            problems.append(Problem(record.path, line, FIELD, reason))
    return problems


def redirect_file(old):
    """Return the output file for an old path: the file itself, or an index.html in it."""
    relative = old.lstrip("/")
    last = relative.rsplit("/", 1)[-1]
    if not last or "." not in last:
        return relative.rstrip("/") + "/index.html"
    return relative


def folders_of(path):
    """Return the folders a relative output path needs: a/b/c.html -> a, a/b."""
    parts = path.split("/")[:-1]
    return {"/".join(parts[: i + 1]) for i in range(len(parts))}


def clash(save_as, files, folders):
    """Return the output path an old address's file collides with, or None."""
    if save_as in files:
        return save_as
    if save_as in folders:
        return next(f for f in sorted(files) if f.startswith(save_as + "/"))
    return next((f for f in sorted(folders_of(save_as)) if f in files), None)


def claims(items, state):
    """Yield (item, source path, line, old path) for every Redirect_from item, by file.

    Only the few sources with the header are read again, for its line.
    """
    for item in sorted(items, key=lambda i: i.source_path):
        if KEY not in getattr(item, "metadata", {}):
            continue
        path = display_path(item.source_path)
        record = parse_record(state.text_of(path), path)
        if KEY in record.meta:
            for old in old_paths(record.meta[KEY]):
                yield item, path, record.line_of(KEY), old


def collect_redirects(items, output_paths, context, state):
    """Check which article claims which old address; keep the redirects to write.

    Two articles may not claim one address, and an old address may not be
    where the new site writes a page, feed or file (or need one as a folder).
    Drafts are checked too, so publishing one later cannot clash.
    """
    owners = {}
    for path, owner in output_paths:
        owners.setdefault(path, owner)
    reserved = (context.get("THEME_STATIC_DIR", "theme"), BUNDLE)
    files, folders = set(owners), set()
    for owned in owners:
        folders |= folders_of(owned)
    claimed, redirects = {}, []
    for item, path, line, old in claims(items, state):
        save_as = redirect_file(old)
        first = claimed.get(save_as)
        if first:
            same = "that address" if first[1] == old else f"{first[1]!r}, the same file"
            where = "itself" if first[0] == path else first[0]
            reason = f"{old!r} is already claimed by {where} ({same}); one old address, one article"
        elif save_as.split("/")[0] in reserved:
            folder = save_as.split("/")[0]
            reason = f"{old!r} is below /{folder}/, which the build fills (theme, search index)"
        elif other := clash(save_as, files, folders):
            reason = (
                f"{old!r} is where the site writes {other!r} ({owners.get(other, 'a redirect')}); "
                "an old address must be one the new site does not use"
            )
        else:
            reason = None
        if reason:
            state.problems.append(Problem(path, line, FIELD, reason))
            continue
        claimed[save_as] = (path, old)
        files.add(save_as)
        folders |= folders_of(save_as)
        if getattr(item, "status", "published") != "draft":
            location = f"{context.get('SITEURL', '')}/{item.url}"
            redirects.append(Redirect(old, save_as, item, location, path, line))
    context["legacy_redirects"] = redirects
    return redirects


def nginx_map(redirects):
    """Return the server rules: one `old new;` line per redirect, sorted."""
    lines = [
        "# Legacy addresses and where each article lives now; written by the build.",
        "# deploy/nginx.conf includes this file in: map $uri $legacy_redirect { ... }",
    ]
    lines += [f"{r.old} {r.target};" for r in sorted(redirects, key=lambda r: r.old)]
    return "\n".join(lines) + "\n"


def read_map(output):
    """Return {old path: new path} from a built site's redirect map (empty if none)."""
    path = Path(output, REDIRECT_MAP)
    if not path.is_file():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            old, new = line.rstrip(";").split()
            pairs[old] = new
    return pairs


def occupied(output, save_as):
    """Return what already occupies an old address's file in the output, or None."""
    path = Path(output, save_as)
    if path.exists():
        return save_as
    for parent in Path(save_as).parents:
        if parent != Path(".") and Path(output, parent).is_file():
            return parent.as_posix()
    return None


def render_redirects(generator, writer):
    """Render the redirect pages with the finished context; they are written at the end."""
    template = generator.get_template("redirect")
    build_of(generator.settings).redirect_pages = [
        (
            redirect,
            template.render(
                {**generator.context, "output_file": redirect.save_as, "redirect": redirect}
            ),
        )
        for redirect in generator.context.get("legacy_redirects", [])
    ]


def write_redirects(pelican):
    """Write the redirect pages and the server rules, once every other file is written.

    Every page, feed and file of the site exists by now, so an old address that
    one of them took is found here, never overwritten, whatever wrote it.
    """
    output = pelican.output_path
    pages = build_of(pelican.settings).redirect_pages
    problems = []
    for redirect, _ in pages:
        taken = occupied(output, redirect.save_as)
        if taken:
            problems.append(
                Problem(
                    redirect.source,
                    redirect.line,
                    FIELD,
                    f"{redirect.old!r} is where the site writes {taken!r}; "
                    "an old address must be one the new site does not use",
                )
            )
    if problems:
        raise BuildStopped(problems)
    for redirect, html in pages:
        path = Path(output, redirect.save_as)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    redirects = [redirect for redirect, _ in pages]
    Path(output, REDIRECT_MAP).write_text(nginx_map(redirects), encoding="utf-8")
