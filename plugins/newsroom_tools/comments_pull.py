"""Pull approved reader comments from the comment server (Isso) into content/comments/.

Readers send comments through the form under each article to Isso, which keeps
them until an editor approves them (moderation is on: deploy/isso.cfg). This
module, run by `invoke comments-pull` and before `invoke publish` builds, reads
the approved comments over Isso's HTTP API and writes each as a comment file,

    content/comments/<article slug>/isso-<id>.md

with an `Isso: <id>` header, so the next pull knows the file as that comment and
rewrites it only when the server's copy changed: a second pull changes nothing.

What it reads (Isso 0.14's API, read from its source):
- `GET /latest?limit=N` (`[general] latest-enabled`): every approved comment with
  the address (`uri`) of its thread, to learn which threads hold comments. Without
  it, every address of every article is asked instead.
- `GET /?uri=<address>&plain=1`: a thread's public comments (mode 1, approved; mode
  4, deleted but still replied to; never mode 2, awaiting moderation) with their
  Markdown as written (`plain=1`) and their replies.
- `GET /id/<id>`: 404 when the server holds no comment with that id (it was
  deleted), 403 when it holds one it will not show.

A thread is matched to an article by the article's address or any of its old
addresses (Redirect_from), so a changed slug orphans nothing. Isso threads nest,
our pages show one level: a reply is attached to the top-level comment of its
chain (`Reply-To`). Emails are never read from the answers, let alone written.

Deletion is only ever what the server says: a comment it reports deleted (mode 4,
or 404 for its id) has its file removed; a comment that is merely absent from an
answer is kept. A server that holds none of the comments pulled before (a fresh or
wrong database) deletes nothing, and the pull says so. Files without an Isso
header (written by hand, imported) are never touched.

Every answer is checked before anything is written: a server that cannot be
reached, answers with an error or with something that is not the API's JSON
stops the pull with PullError, and no file is changed. A comment the build would
refuse (shaped to exhaust the parser, dated before its article) is not written,
and the report says why; what is written passes the site layer's own checks.
"""

import contextlib
import datetime
import html
import json
import math
import os
import re
import tempfile
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from newsroom.comments import comment_from_record, safe_website
from newsroom.config import plugin_settings
from newsroom.errors import ContentError
from newsroom.frontmatter import parse_record
from newsroom.redirects import old_paths
from newsroom.rules import parse_date
from newsroom.scan import MAX_SOURCE_BYTES, check_markdown_shape, decode, is_ignored
from newsroom.slugs import derived_slug

HEADER = "Isso"
FILE_PREFIX = "isso-"
TIMEOUT_SECONDS = 20
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # one answer; a flood is the server's to refuse
MAX_NESTING = 200  # reply levels in one answer (Isso itself keeps one)
MAX_NAME_CHARS = 80
MAX_URI_CHARS = 2000
LATEST_LIMIT = 1_000_000_000
ANONYMOUS = "Anonymous"
USER_AGENT = "militancymonitor-comments-pull"
# Isso's comment modes: approved, awaiting moderation, deleted but still replied to.
APPROVED, PENDING, DELETED = 1, 2, 4
# Format characters kept in names: zero-width (non-)joiners, which scripts need.
_KEPT_FORMAT = {"\u200c", "\u200d"}
_ID = re.compile(r"[1-9][0-9]{0,17}")


class PullError(Exception):
    """The pull stopped and changed nothing; the message says why and what to do."""


@dataclass
class Article:
    """What the pull needs of an article: where its comments go and its addresses."""

    slug: str
    url: str  # root-relative, "/2018/03/slug/"
    addresses: list  # url and every Redirect_from path
    date: datetime.datetime
    path: str


@dataclass
class ServerComment:
    """One comment as the server's public listing gives it (never an email)."""

    id: int
    parent: int | None
    mode: int
    created: float
    text: str
    author: str | None
    website: str | None
    uri: str

    @property
    def moment(self):
        """Return when it was created, in UTC, to the second (as its file's Date)."""
        return datetime.datetime.fromtimestamp(int(self.created), datetime.UTC)


@dataclass
class PulledFile:
    """A comment file the pull wrote before: its Isso id, where it is and its Date."""

    id: int
    path: Path
    slug: str
    date: datetime.datetime | None


@dataclass
class Report:
    """What a pull did (or, with dry_run, would do)."""

    server: str
    approved: int = 0
    threads: int = 0
    written: list = field(default_factory=list)  # paths
    removed: list = field(default_factory=list)  # (path, why)
    unchanged: int = 0
    notes: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self):
        """Whether any file was (or would be) written or removed."""
        return bool(self.written or self.removed)

    def lines(self, root=None):
        """Describe the pull for a person, one line each."""

        def shown(path):
            path = Path(path)
            return str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)

        verb = ("would write", "would remove") if self.dry_run else ("wrote", "removed")
        lines = [
            f"comments-pull: {self.server}: {self.approved} approved "
            f"{'comment' if self.approved == 1 else 'comments'} in {self.threads} "
            f"{'thread' if self.threads == 1 else 'threads'} matched to articles; "
            f"{verb[0]} {len(self.written)}, {verb[1]} {len(self.removed)}, "
            f"{self.unchanged} unchanged"
        ]
        lines += [f"  {verb[0]} {shown(path)}" for path in self.written]
        lines += [f"  {verb[1]} {shown(path)}: {why}" for path, why in self.removed]
        lines += [f"  note: {note}" for note in self.notes]
        return lines


# The server -----------------------------------------------------------------


def server_base(address):
    """Return the server's address ending in '/', or raise PullError if it is not one."""
    parts = urllib.parse.urlsplit(address or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PullError(
            f"{address!r} is not a comment server address; give one such as "
            "http://127.0.0.1:8080/ (SITE_COMMENTS_SERVER, or --server)"
        )
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", "")
    )


class Server:
    """Isso's HTTP API, read-only. Every failure is a PullError that names the request."""

    def __init__(self, address, timeout=TIMEOUT_SECONDS):
        self.base = server_base(address)
        self.timeout = timeout

    def request(self, path, query=None, expect=(200,)):
        """GET base+path; return (status, parsed JSON or None) for an expected status."""
        url = urllib.parse.urljoin(self.base, path)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        shown = f"GET {url}"
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, body = response.status, response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
            if status not in expect:
                raise PullError(
                    f"the comment server answered {status} {error.reason} to {shown}; "
                    "nothing was changed"
                ) from None
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise PullError(
                f"cannot reach the comment server at {self.base} ({reason}): is it running? "
                "(`invoke comments-server` here; `systemctl status militancymonitor-comments` "
                "on the server). Nothing was changed"
            ) from None
        if status not in expect:
            raise PullError(f"the comment server answered {status} to {shown}; nothing was changed")
        if status != 200:
            return status, None
        if len(body) > MAX_ANSWER_BYTES:
            raise PullError(
                f"the comment server's answer to {shown} is over {MAX_ANSWER_BYTES:,} bytes; "
                "nothing was changed"
            )
        try:
            return status, json.loads(body.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise PullError(
                f"the comment server answered {shown} with something that is not JSON "
                f"({str(error)[:120]}); is {self.base} Isso? Nothing was changed"
            ) from None

    def latest(self):
        """Return every approved comment's (id, uri), or None when /latest is switched off."""
        status, answer = self.request("latest", {"limit": LATEST_LIMIT}, expect=(200, 404))
        if status == 404:
            return None
        where = f"GET {self.base}latest"
        if not isinstance(answer, list):
            raise garbage(where, "a list of comments was expected")
        found = []
        for item in answer:
            if not isinstance(item, dict):
                raise garbage(where, "a comment is not an object")
            found.append((check_id(item.get("id"), where), check_uri(item.get("uri"), where)))
        return found

    def thread(self, uri):
        """Return every public comment of the thread at `uri`, replies flattened."""
        status, answer = self.request("", {"uri": uri, "plain": "1"}, expect=(200, 404))
        if status == 404:  # Isso answers 404 for a thread it does not know
            return []
        where = f"GET {self.base}?uri={uri}"
        if not isinstance(answer, dict) or not isinstance(answer.get("replies"), list):
            raise garbage(where, "an object with a list of replies was expected")
        comments, stack = [], [(item, 1) for item in reversed(answer["replies"])]
        while stack:
            item, depth = stack.pop()
            if depth > MAX_NESTING:
                raise garbage(where, f"replies nest over {MAX_NESTING} levels")
            comments.append(server_comment(item, uri, where))
            replies = item.get("replies", [])
            if not isinstance(replies, list):
                raise garbage(where, "a comment's replies are not a list")
            stack.extend((reply, depth + 1) for reply in reversed(replies))
        return comments

    def holds(self, comment_id):
        """Tell whether the server holds a comment with this id (403: yes, not shown; 404: no)."""
        status, _ = self.request(f"id/{comment_id}", expect=(200, 403, 404))
        return status != 404


def _no_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def garbage(where, what):
    """The PullError for an answer that is not Isso's API."""
    return PullError(
        f"the comment server answered {where} with something that is not Isso's API ({what}); "
        "nothing was changed"
    )


def check_id(value, where):
    """Return a comment id (a whole number from 1), or raise."""
    if type(value) is not int or value < 1 or value >= 10**18:
        raise garbage(where, f"a comment id is {value!r}")
    return value


def check_uri(value, where):
    """Return a thread's address (any text: one that is no article's is reported), or raise."""
    if not isinstance(value, str) or len(value) > MAX_URI_CHARS:
        raise garbage(where, f"a thread address is {str(value)[:80]!r}")
    return value


def server_comment(item, uri, where):
    """Check one comment object of a thread listing; return a ServerComment."""
    if not isinstance(item, dict):
        raise garbage(where, "a comment is not an object")
    comment_id = check_id(item.get("id"), where)
    parent = item.get("parent")
    if parent is not None:
        parent = check_id(parent, where)
    mode, created = item.get("mode"), item.get("created")
    if type(mode) is not int:
        raise garbage(where, f"comment {comment_id} has the mode {mode!r}")
    if type(created) not in (int, float) or not math.isfinite(created) or created < 0:
        raise garbage(where, f"comment {comment_id} has the date {created!r}")
    for key in ("text", "author", "website"):
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise garbage(where, f"comment {comment_id}'s {key} is not text")
    return ServerComment(
        id=comment_id,
        parent=parent,
        mode=mode,
        created=float(created),
        text=item.get("text") or "",
        author=item.get("author"),
        website=item.get("website"),
        uri=uri,
    )


# The site -------------------------------------------------------------------


def address_key(uri):
    """Return the form of a page address that threads are matched by."""
    path = urllib.parse.urlsplit(uri).path or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:
        path += "/"
    return path


def article_files(content, settings):
    """Yield every article source file below the article folders (no symlinks, no hidden)."""
    for folder in settings["ARTICLE_PATHS"]:
        root = Path(content, folder)
        for dirpath, dirs, files in os.walk(root, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not is_ignored(d))
            for name in sorted(files):
                path = Path(dirpath, name)
                wanted = name.endswith(".md") and not is_ignored(name)
                if wanted and not path.is_symlink() and path.is_file():
                    yield path


def site_articles(content, settings, notes):
    """Return the articles that have a page, from their headers; problems become notes
    (the build reports them)."""
    articles = []
    for path in article_files(content, settings):
        try:
            text, problem = decode(path.read_bytes(), str(path))
            if problem:
                raise ContentError(problem)
            record = parse_record(text, str(path))
            if record.meta.get("status", "published").strip().lower() == "draft":
                continue
            title = record.meta.get("title", "").strip()
            slug = record.meta.get("slug", "").strip()
            if not slug and settings.get("SLUGIFY_SOURCE", "title") == "basename":
                slug = derived_slug(path.stem, settings)
            slug = slug or (derived_slug(title, settings) if title else "")
            date = parse_date(record.meta.get("date", ""), settings.get("TIMEZONE"))
        except (ContentError, ValueError, OSError) as error:
            notes.append(f"{path}: skipped, the build will say why ({error})")
            continue
        if not slug:
            notes.append(f"{path}: skipped: it has no slug")
            continue
        given = record.meta.get("url", "").strip()
        try:
            url = "/" + (given or settings["ARTICLE_URL"].format(slug=slug, date=date))
        except (KeyError, IndexError, ValueError) as error:
            raise PullError(
                f"ARTICLE_URL {settings['ARTICLE_URL']!r} uses {error}, which the pull cannot "
                "fill in; it knows {slug} and {date}"
            ) from None
        old = [item for item in old_paths(record.meta.get("redirect_from", "")) if item]
        articles.append(Article(slug, url, [url, *old], date, str(path)))
    return articles


def comments_folder(content, settings):
    """Return the folder comment files live in (NEWSROOM's comments_path)."""
    return Path(content, plugin_settings(settings)["comments_path"])


def pulled_files(folder, notes):
    """Return {Isso id: PulledFile} for every comment file with an Isso header, and the
    paths of every comment file (hand-written ones included)."""
    pulled, every = {}, set()
    if not folder.is_dir():
        return pulled, every
    for article in sorted(folder.iterdir()):
        if is_ignored(article.name) or article.is_symlink() or not article.is_dir():
            continue
        for path in sorted(article.iterdir()):
            if is_ignored(path.name) or path.suffix != ".md":
                continue
            every.add(path)
            if path.is_symlink() or not path.is_file():
                continue
            try:
                text, _ = decode(path.read_bytes(), str(path))
                record = parse_record(text, str(path)) if text is not None else None
            except (ContentError, OSError):
                continue
            value = (record.meta.get("isso") or "").strip() if record else ""
            if not _ID.fullmatch(value):
                continue  # hand-written or imported: never touched
            try:
                date = parse_date(record.meta.get("date", ""), "UTC")
            except ValueError:
                date = None
            comment_id = int(value)
            if comment_id in pulled:
                raise PullError(
                    f"{pulled[comment_id].path} and {path} both say `Isso: {comment_id}`; "
                    "delete the one that is not that comment, then pull again. Nothing was changed"
                )
            pulled[comment_id] = PulledFile(comment_id, path, article.name, date)
    return pulled, every


# Comment files --------------------------------------------------------------


def header_value(value, limit=None):
    """Make untrusted text one safe header line: no line breaks or control or format
    characters (which could start a header of their own or reorder the text), spaces
    collapsed, at most `limit` characters."""
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if char in _KEPT_FORMAT:
            kept.append(char)
        elif category in ("Zs", "Zl", "Zp") or char.isspace():
            kept.append(" ")
        elif category[0] != "C":
            kept.append(char)
    text = " ".join("".join(kept).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def body_text(value):
    """Make untrusted comment text a Markdown body: Unix line breaks, no control
    characters but tabs, no surrogates or private-use characters, one final newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
    kept = [
        char
        for char in value
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Co")
    ]
    return "".join(kept).strip() + "\n"


def file_text(comment, reply_to):
    """Return the comment file for a server comment (never its email)."""
    name = header_value(html.unescape(comment.author or ""), MAX_NAME_CHARS) or ANONYMOUS
    website = safe_website(header_value(html.unescape(comment.website or "")))
    lines = [f"Name: {name}", f"Date: {comment.moment:%Y-%m-%d %H:%M:%S} +00:00"]
    if reply_to:
        lines.append(f"Reply-To: {reply_to}")
    if website:
        lines.append(f"Website: {website}")
    lines.append(f"{HEADER}: {comment.id}")
    return "\n".join(lines) + "\n\n" + body_text(comment.text)


def refusal(text, path, settings, article):
    """Return why the build would refuse this comment file, or None."""
    data = text.encode("utf-8")
    if len(data) > MAX_SOURCE_BYTES:
        return f"it is {len(data):,} bytes; comment files hold at most {MAX_SOURCE_BYTES:,}"
    decoded, problem = decode(data, str(path))
    if problem:
        return problem.message
    problems = check_markdown_shape(decoded, str(path))
    if problems:
        return problems[0].message
    try:
        comment = comment_from_record(parse_record(decoded, str(path)), settings)
    except ContentError as error:
        return f"{error.problem.field}: {error.problem.message}"
    if comment.date < article.date:
        return f"it is dated {comment.date:%Y-%m-%d %H:%M}, before its article was published"
    return None


def write_atomically(path, data):
    """Write a file whole or not at all (a temporary file beside it, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pull-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# The pull -------------------------------------------------------------------


def gather(server, articles, pulled, report):
    """Ask the server for every thread that matters; return {id: ServerComment} of the
    threads matched to articles, and {id: article} for them."""
    by_address = {}
    for article in articles:
        for address in article.addresses:
            by_address.setdefault(address_key(address), article)
    latest = server.latest()
    if latest is None:
        addresses = {address for article in articles for address in article.addresses}
    else:
        addresses, unmatched = set(), {}
        for _, uri in latest:
            if address_key(uri) in by_address:
                addresses.add(uri)
            else:
                unmatched[uri] = unmatched.get(uri, 0) + 1
        for uri, count in sorted(unmatched.items()):
            report.notes.append(
                f"{count} approved {'comment' if count == 1 else 'comments'} on {uri}, which is "
                "no article's address or old address (Redirect_from): not pulled"
            )
        slugs_with_files = {found.slug for found in pulled.values()}
        for article in articles:
            if article.slug in slugs_with_files:
                addresses.update(article.addresses)
    comments, where = {}, {}
    for uri in sorted(addresses):
        article = by_address.get(address_key(uri))
        listed = server.thread(uri)
        if listed:
            report.threads += 1
        for comment in listed:
            if comment.id in comments and comments[comment.id] != comment:
                raise garbage(
                    f"GET {server.base}?uri={uri}", f"comment {comment.id} is listed twice"
                )
            comments[comment.id], where[comment.id] = comment, article
    return comments, where


def plan(comments, where, pulled, every, folder, settings, report):
    """Return ({Isso id: (path, text)} to have on disk, {Isso id: path} kept as they are)."""
    approved = {
        cid: comment
        for cid, comment in sorted(comments.items())
        if comment.mode == APPROVED and where.get(cid) is not None
    }
    report.approved = len(approved)
    paths = {}
    for cid in approved:
        existing, slug = pulled.get(cid), where[cid].slug
        if existing and existing.slug == slug:
            paths[cid] = existing.path  # wherever an editor put it in its article's folder
        else:
            paths[cid] = folder / slug / f"{FILE_PREFIX}{cid}.md"
    # A path a hand-written file holds is never taken.
    owned = {found.path for found in pulled.values()}
    writable = set()
    for cid in approved:
        if paths[cid] in every and paths[cid] not in owned:
            report.notes.append(
                f"comment {cid} not written: {paths[cid]} is a file written by hand "
                "(no Isso header); rename that file, then pull again"
            )
        else:
            writable.add(cid)
    # Refuse what the build would; a reply then attaches to what is left.
    kept, texts = {}, {}
    for _ in range(len(approved) + 1):  # refusing a comment may move its replies
        texts = {}
        for cid in sorted(writable):
            target = reply_target(approved[cid], comments, where, writable)
            texts[cid] = file_text(approved[cid], paths[target].stem if target else None)
        refused = {}
        for cid, text in texts.items():
            reason = refusal(text, paths[cid], settings, where[cid])
            if reason:
                refused[cid] = reason
        if not refused:
            break
        for cid, reason in sorted(refused.items()):
            writable.discard(cid)
            if cid in pulled:
                kept[cid] = pulled[cid].path
                report.notes.append(
                    f"comment {cid} on {where[cid].url} changed on the server and the build "
                    f"would refuse it now ({reason}); {pulled[cid].path} was kept as it was"
                )
            else:
                report.notes.append(
                    f"comment {cid} on {where[cid].url} not written: the build would refuse it "
                    f"({reason}); edit or delete it on the server"
                )
    return {cid: (paths[cid], texts[cid]) for cid in sorted(writable)}, kept


def reply_target(comment, comments, where, writable):
    """Return the id of the top-level comment a reply joins (the first of its chain), or
    None for a top-level comment, one whose parent is not written on its article, or
    one in a loop of replies."""
    seen, current = {comment.id}, comment
    while current.parent is not None:
        parent = comments.get(current.parent)
        if (
            parent is None
            or parent.id not in writable
            or where.get(parent.id) is not where.get(comment.id)
        ):
            break
        if parent.id in seen:
            return None
        seen.add(parent.id)
        current = parent
    return None if current is comment else current.id


def deletions(server, comments, pulled, wanted, kept, report):
    """Return the pulled files to remove, each with why: only those whose comment the
    server reports deleted (or that moved to another article's folder), and only when
    the server is known to hold comments pulled before (same id, same date)."""
    confirmed, mismatched, removals = [], [], []
    for cid, found in sorted(pulled.items()):
        comment = comments.get(cid)
        if comment is not None and found.date is not None and comment.moment != found.date:
            mismatched.append(cid)  # the id names another comment now
        elif comment is not None:
            confirmed.append(cid)
        if cid in wanted:
            if wanted[cid][0] != found.path:
                removals.append((found, f"comment {cid} moved to {wanted[cid][0]}"))
            continue
        if cid in kept:
            continue
        if comment is not None:
            if cid in mismatched:
                removals.append((found, f"its id {cid} names another comment on the server now"))
            elif comment.mode == DELETED:
                removals.append((found, f"the server reports comment {cid} deleted"))
            elif comment.mode != APPROVED:
                removals.append((found, f"the server lists comment {cid} as not approved"))
        elif not server.holds(cid):
            removals.append((found, f"the server holds no comment {cid}: deleted"))
        else:
            report.notes.append(
                f"{found.path}: the server holds comment {cid} but does not show it on any "
                "address of an article; kept"
            )
    if mismatched and not confirmed:
        raise PullError(
            f"the server's comments {', '.join(map(str, mismatched[:10]))} are not the ones "
            "pulled before (other dates): is this the same database? Nothing was changed"
        )
    if removals and not confirmed:
        report.notes.append(
            f"the server holds none of the {len(pulled)} comments pulled before: a new, empty "
            "or different database? Nothing was removed; check the server's dbpath, or delete "
            "the files by hand"
        )
        return []
    return removals


def pull(content, settings, server_address, dry_run=False, server=None):
    """Bring content/comments/ in line with the server's approved comments; return a Report.

    Raises PullError, having changed nothing, when the server cannot be read or its
    answers are not Isso's API.
    """
    server = server or Server(server_address)
    report = Report(server=server.base, dry_run=dry_run)
    folder = comments_folder(content, settings)
    articles = site_articles(content, settings, report.notes)
    pulled, every = pulled_files(folder, report.notes)
    comments, where = gather(server, articles, pulled, report)
    wanted, kept = plan(comments, where, pulled, every, folder, settings, report)
    removals = deletions(server, comments, pulled, wanted, kept, report)
    writes = []
    for path, text in wanted.values():
        data = text.encode("utf-8")
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if same:
            report.unchanged += 1
        else:
            writes.append((path, data))
    for path, data in sorted(writes):
        report.written.append(path)
        if not dry_run:
            write_atomically(path, data)
    for found, why in removals:
        report.removed.append((found.path, why))
        if not dry_run:
            found.path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                found.path.parent.rmdir()  # only when that left the folder empty
    return report
