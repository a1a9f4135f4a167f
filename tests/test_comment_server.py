"""Reader comments through the comment server (Isso), end to end.

Isso runs on 127.0.0.1 from deploy/isso.cfg (a temporary database); the site is
built with the form pointing at /comments-api/ and served by a small server that
proxies that path to Isso, as nginx does in production. Chromium (Playwright)
sends comments through the real form; one is approved through Isso's own admin
interface and moderation links; `comments-pull` writes it into a copy of the
content; the rebuilt page shows it, sanitised, and nothing unapproved or any email.
deploy/nginx.conf's comment locations are checked under Debian's nginx against
the same Isso. The pull's failure modes run against a fake server.
"""

import functools
import gzip
import http.client
import http.cookiejar
import http.server
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import brotli
import pytest
from pelican.settings import read_settings
from playwright.sync_api import expect
from test_browser import ARGS, CHROMIUM, SiteHandler, axe_violations, watch
from test_nginx import MAIN, nginx_paths, render

from conftest import ROOT, build, snapshot
from newsroom.errors import BuildStopped
from newsroom_tools import comments_server
from newsroom_tools.comments_pull import PullError, pull

API = "/comments-api/"
TREBES = "/2018/03/islamic-state-claims-trebes-attack/"
TREBES_SLUG = "islamic-state-claims-trebes-attack"
THANKS = "Thank you: your comment will appear after an editor approves it."
ADMIN_PASSWORD = "a-test-admin-password-0123456789"
EDITOR = ("editor", "an-editors-nginx-password")
EMAILS = ("zq-e2e-ann@mail.example", "zq-e2e-eve@mail.example", "zq-e2e-cy@mail.example")
SECONDS = 30  # every wait is bounded


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answers(url, process, log, seconds=SECONDS):
    """Wait until url answers 200; fail with the log if the process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{Path(log).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {seconds} s:\n{Path(log).read_text()[-3000:]}")


def stop(process):
    """Stop a process we started, for sure."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# Isso -----------------------------------------------------------------------


class Isso:
    """A running comment server: its address, admin password and log."""

    def __init__(self, port, log):
        self.port, self.log = port, log
        self.url = f"http://127.0.0.1:{port}/"

    def admin(self):
        """Log in to Isso's admin interface; return an opener that carries the session."""
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        form = urllib.parse.urlencode({"password": ADMIN_PASSWORD}).encode()
        opener.open(self.url + "login/", data=form, timeout=10).read()
        return opener

    def moderate(self, comment_id, action):
        """Approve ('activate') or delete a comment with the key Isso's admin page gives."""
        opener = self.admin()
        page = ""
        for mode in (2, 1):
            with opener.open(f"{self.url}admin/?mode={mode}", timeout=10) as response:
                page += response.read().decode()
        function = {"activate": "validate_com", "delete": "delete_com"}[action]
        keys = dict(re.findall(rf"{function}\((\d+), '([^']+)'", page))
        assert str(comment_id) in keys, f"comment {comment_id} is not on the admin page"
        request = urllib.request.Request(
            f"{self.url}id/{comment_id}/{action}/{keys[str(comment_id)]}", method="POST"
        )
        with opener.open(request, timeout=10) as response:
            return response.read().decode()


@pytest.fixture(scope="module")
def isso(tmp_path_factory):
    """Isso on a free port of 127.0.0.1 from deploy/isso.cfg, with a temporary database
    and a secrets file giving the admin password; stopped when the module ends."""
    base = tmp_path_factory.mktemp("isso")
    secrets = base / "isso-secrets.cfg"
    secrets.write_text(f"[admin]\npassword = {ADMIN_PASSWORD}\n")
    secrets.chmod(0o600)
    port = free_port()
    config, made_up = comments_server.runtime_config(
        port, base / "data", secrets_path=secrets, sites=("http://127.0.0.1",)
    )
    assert made_up is None and config.get("moderation", "enabled") == "true"
    runtime = comments_server.write_runtime(config, base / "data")
    log = base / "isso.log"
    with open(log, "wb") as out:
        process = comments_server.start(runtime, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/config", process, log)
        yield Isso(port, log)
    finally:
        stop(process)


# The site, served with /comments-api/ proxied to Isso ---------------------------


class ProxyingSiteHandler(SiteHandler):
    """Serve the built site; send /comments-api/ on to Isso as nginx does."""

    isso_port = None

    def do_GET(self):  # noqa: N802
        if self.path.startswith(API):
            return self.proxy()
        return super().do_GET()

    def do_POST(self):  # noqa: N802
        if self.path.startswith(API):
            return self.proxy()
        self.send_error(405)
        return None

    def proxy(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 64 * 1024:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else None
        headers = {
            key: self.headers[key]
            for key in ("Content-Type", "Accept", "Cookie")
            if key in self.headers
        }
        # Readers are told apart by address; the tests name theirs in X-Forwarded-For.
        headers["X-Forwarded-For"] = self.headers.get("X-Forwarded-For") or self.client_address[0]
        headers["X-Script-Name"] = API.rstrip("/")
        headers["Host"] = self.headers.get("Host", "127.0.0.1")
        connection = http.client.HTTPConnection("127.0.0.1", self.isso_port, timeout=30)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in (
                "transfer-encoding",
                "connection",
                "content-length",
                "server",
                "date",
            ):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class CommentSite:
    """The content copy, its output folder, the server in front of both, and a rebuild."""

    def __init__(self, content, output, url):
        self.content, self.output, self.url = content, output, url
        self.settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})

    def rebuild(self):
        return build(self.content, self.output, SITE_COMMENTS_API=API, SITE_PRECOMPRESS=True)

    def pull(self, isso):
        return pull(self.content, self.settings, isso.url)


@pytest.fixture(scope="module")
def comment_site(isso, tmp_path_factory):
    """A copy of content/ built with the form on, served on a free port with /comments-api/
    proxied to Isso."""
    base = tmp_path_factory.mktemp("comment-site")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    output = base / "output"
    handler = type("Handler", (ProxyingSiteHandler,), {"isso_port": isso.port})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = CommentSite(content, output, f"http://127.0.0.1:{server.server_port}")
    site.rebuild()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium with the flags that keep it offline."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("needs Chromium: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


def reader(browser, address):
    """A browser context for one reader, known to the server by its own address."""
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": address})
    context.set_default_timeout(SECONDS * 1000)
    return context


def send_comment(page, name, email, text, website=None, reply_to=None):
    """Fill the form as a reader does, send it with the keyboard; return Isso's answer."""
    if reply_to:
        page.locator(f'button[data-reply-to="{reply_to}"]').click()
        assert page.evaluate("document.activeElement.id") == "respond-text"
        assert page.locator("#respond-parent").input_value() == str(reply_to)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email (optional)", exact=True).fill(email)
    if website:
        page.get_by_label("Website (optional)", exact=True).fill(website)
    page.get_by_label("Comment", exact=True).fill(text)
    page.locator(".comment-submit").focus()
    with page.expect_response(lambda r: "/comments-api/new" in r.url) as answer:
        page.keyboard.press("Enter")
    expect(page.locator("#respond-status")).to_have_text(THANKS)
    assert page.get_by_label("Comment", exact=True).input_value() == ""  # the form was reset
    return answer.value.json()


def output_texts(output):
    """Yield (path, bytes) for every output file, compressed copies decompressed."""
    for path in sorted(output.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            elif path.suffix == ".br":
                data = brotli.decompress(data)
            yield path, data


def test_the_form_is_accessible_and_answers_to_the_keyboard(browser, comment_site):
    """The form (shown by comments.js) passes axe on phones and desktops in both schemes;
    every field has a label; Tab goes through the fields in order; no console errors."""
    for width in (390, 1280):
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            page = context.new_page()
            problems = watch(page)
            page.goto(comment_site.url + TREBES, wait_until="networkidle")
            expect(page.locator("#respond")).to_be_visible()
            assert axe_violations(page) == [], (width, scheme)
            assert problems == []
            context.close()
    page = browser.new_page()
    page.goto(comment_site.url + TREBES, wait_until="networkidle")
    for label in ("Name", "Email (optional)", "Website (optional)"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_label("Comment", exact=True)).to_have_attribute("required", "")
    assert page.locator("#respond-status").get_attribute("role") == "status"
    page.get_by_label("Name", exact=True).focus()
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
    assert order == ["respond-email", "respond-website", "respond-text", "comment-submit"]
    page.close()


def test_without_javascript_the_email_path_stays(browser, comment_site):
    """Without JavaScript the form stays hidden and the section says where to email."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(comment_site.url + TREBES)
    assert not page.locator("#respond").is_visible()
    assert not page.locator("button.comment-reply").first.is_visible()
    policy = page.locator(".comment-policy a[href^='mailto:']")
    expect(policy).to_be_visible()
    context.close()


def test_comments_from_the_form_reach_the_page_only_when_approved(browser, comment_site, isso):
    """Two readers comment through the form; an editor approves one in Isso's admin; the
    pull writes it (no email), the rebuilt page shows it sanitised and not the other; a
    second pull changes nothing; a reply through the form nests under it; a comment the
    editor deletes is removed by the next pull."""
    handwritten = snapshot(comment_site.content / "comments")
    ann_context = reader(browser, "198.51.100.7")
    page = ann_context.new_page()
    problems = watch(page)
    page.goto(comment_site.url + TREBES, wait_until="networkidle")
    ann = send_comment(
        page,
        "Ann <script>alert('HOSTILE-NAME')</script>",
        EMAILS[0],
        "Approved **text** <script>alert('HOSTILE-SCRIPT')</script>\n\n"
        "<img src=x onerror=\"alert('HOSTILE-ONERROR')\"> [a link](javascript:alert('HOSTILE-JS'))"
        " and [a fair one](https://example.org/fair)",
        website="https://ann.example/",
    )
    assert ann["mode"] == 2 and "email" not in ann  # held for moderation
    assert problems == []
    ann_context.close()
    eve_context = reader(browser, "203.0.113.9")
    page = eve_context.new_page()
    page.goto(comment_site.url + TREBES, wait_until="networkidle")
    eve = send_comment(page, "Eve", EMAILS[1], "UNAPPROVED-MARKER: never shown.")
    eve_context.close()

    assert "activated" in isso.moderate(ann["id"], "activate")
    report = comment_site.pull(isso)
    folder = comment_site.content / "comments" / TREBES_SLUG
    written = folder / f"isso-{ann['id']}.md"
    assert report.written == [written], report.lines()
    text = written.read_text(encoding="utf-8")
    assert f"Isso: {ann['id']}" in text and "Website: https://ann.example/" in text
    assert not any(email.split("@")[0] in text for email in EMAILS)
    assert "UNAPPROVED-MARKER" not in "".join(
        p.read_text() for p in comment_site.content.rglob("*.md")
    )
    site = comment_site.rebuild()
    page_html = site.html(TREBES)
    comment = page_html.select_one(f"#comment-isso-{ann['id']}")
    assert comment is not None
    assert comment.select_one(".comment-author a")["href"] == "https://ann.example/"
    assert comment.select_one(".comment-author").get_text() == (
        "Ann <script>alert('HOSTILE-NAME')</script>"
    )
    assert comment.select_one(".comment-body strong").get_text() == "text"
    assert not comment.select("script, img, [onerror]")
    assert comment.select_one('a[href="https://example.org/fair"]')["rel"] == ["nofollow", "ugc"]
    assert "javascript" not in str(comment.select("a")).lower()
    for path, data in output_texts(site.output):
        assert b"UNAPPROVED-MARKER" not in data, path
        for email in EMAILS:
            assert email.split("@")[0].encode() not in data, f"{email} in {path}"
    assert page_html.select_one("#comments-title").get_text(strip=True) == "4 Comments"

    second = comment_site.pull(isso)
    assert (second.written, second.removed, second.unchanged) == ([], [], 1), second.lines()

    # A reply through the form, to the approved comment.
    cy_context = reader(browser, "192.0.2.44")
    page = cy_context.new_page()
    page.goto(comment_site.url + TREBES, wait_until="networkidle")
    reply = send_comment(page, "Cy", EMAILS[2], "A reply to Ann.", reply_to=ann["id"])
    cy_context.close()
    assert reply["parent"] == ann["id"]
    isso.moderate(reply["id"], "activate")
    comment_site.pull(isso)
    reply_file = folder / f"isso-{reply['id']}.md"
    assert f"Reply-To: isso-{ann['id']}" in reply_file.read_text()
    site = comment_site.rebuild()
    nested = site.html(TREBES).select(f"#comment-isso-{ann['id']} ~ .comment-replies .comment")
    assert [c["id"] for c in nested] == [f"comment-isso-{reply['id']}"]

    # The editor deletes the reply on the server: the next pull removes its file.
    isso.moderate(reply["id"], "delete")
    third = comment_site.pull(isso)
    assert [path for path, _ in third.removed] == [reply_file] and not reply_file.exists()
    assert eve["id"] not in (ann["id"], reply["id"])
    # Hand-written comments were never touched.
    after = snapshot(comment_site.content / "comments")
    assert {k: v for k, v in after.items() if not Path(k).name.startswith("isso-")} == handwritten


# deploy/nginx.conf in front of Isso ---------------------------------------------


@pytest.fixture(scope="module")
def nginx(isso, tmp_path_factory):
    """Debian's nginx with deploy/nginx.conf, its comment server being the test's Isso."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).is_file():
        pytest.fail("needs nginx: Debian `apt-get install nginx` (.ci/run installs it)")
    base = tmp_path_factory.mktemp("nginx-comments")
    root = base / "srv"
    root.mkdir()
    (root / "index.html").write_text("<!DOCTYPE html><title>home</title>")
    (root / "404.html").write_text("<!DOCTYPE html><title>404</title>")
    (root / ".legacy-redirects.map").write_text("")
    (root / ".legacy-query-redirects.map").write_text("")
    htpasswd = base / "editors.htpasswd"
    htpasswd.write_text(f"{EDITOR[0]}:{{PLAIN}}{EDITOR[1]}\n")
    mime, module = nginx_paths(binary)
    port = free_port()
    text = render((ROOT / "deploy" / "nginx.conf").read_text(), root, port, module.is_file())
    for shipped, ours in (
        ("server 127.0.0.1:8080;", f"server 127.0.0.1:{isso.port};"),
        ("/etc/nginx/militancymonitor-editors.htpasswd", str(htpasswd)),
    ):
        assert text.count(shipped) == 1, shipped
        text = text.replace(shipped, ours)
    (base / "site.conf").write_text(text)
    (base / "nginx.conf").write_text(
        MAIN.format(
            load_module=f"load_module {module};" if module.is_file() else "",
            user="user root;" if os.geteuid() == 0 else "",
            prefix=base,
            mime=mime,
        )
    )
    log = base / "error.log"
    with open(base / "nginx.out", "wb") as out:
        process = subprocess.Popen(
            [binary, "-p", str(base), "-c", str(base / "nginx.conf"), "-e", str(log)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answers(f"http://127.0.0.1:{port}/", process, log)
        yield port
    finally:
        stop(process)


def request(port, path, method="GET", body=None, **headers):
    """Send one request to nginx; return (status, lower-cased headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def editor_auth():
    """The Authorization header of an editor (nginx's basic auth)."""
    import base64

    token = base64.b64encode(f"{EDITOR[0]}:{EDITOR[1]}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def new_comment(text, **fields):
    """A JSON body for POST /comments-api/new."""
    return json.dumps({"text": text, "author": "Reader", "title": "T", **fields}).encode()


def test_nginx_takes_a_comment_and_nothing_else_from_readers(nginx):
    """POST /comments-api/new reaches Isso (held for moderation), with the site's headers
    and no caching; GET there, and every other Isso address, needs an editor."""
    status, headers, body = request(
        nginx,
        f"{API}new?uri=/2019/01/nairobi-dusitd2-threat-assessment/",
        "POST",
        new_comment("Through nginx, held for moderation."),
        **{"Content-Type": "application/json", "Accept": "application/json"},
    )
    assert status == 202, body
    assert json.loads(body)["mode"] == 2
    assert headers["cache-control"] == "no-store"
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert request(nginx, f"{API}new")[0] == 403
    for path in ("admin/", "latest?limit=5", "?uri=/", "id/1", "login/", "demo/", "js/admin.js"):
        assert request(nginx, API + path)[0] == 401, path


def test_nginx_gives_isso_admin_its_own_policy_for_editors(nginx):
    """With the editors' password the admin page answers, under a CSP of its own that allows
    its inline script and nothing from elsewhere, and is never cached or framed."""
    status, headers, body = request(nginx, f"{API}admin/", **editor_auth())
    assert status == 200 and b"password" in body  # Isso's own login comes next
    policy = headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy and "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy and "http" not in policy
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    wrong = {"Authorization": "Basic " + "ZWRpdG9yOndyb25n"}  # editor:wrong
    assert request(nginx, f"{API}admin/", **wrong)[0] == 401


def test_nginx_refuses_oversized_comments_and_floods(nginx):
    """A body over 64 KiB is refused before Isso; a flood from one address meets 429."""
    big = new_comment("x" * (70 * 1024))
    status, _, _ = request(
        nginx, f"{API}new?uri=/x/", "POST", big, **{"Content-Type": "application/json"}
    )
    assert status == 413
    statuses = [
        request(nginx, f"{API}new?uri=/x/", "POST", b"{}", **{"Content-Type": "application/json"})[
            0
        ]
        for _ in range(12)
    ]
    assert 429 in statuses, statuses
    assert statuses[-1] == 429


# The pull against a fake server: failure modes and hostile data -----------------


class FakeIsso:
    """Answers as Isso's public API does, from what a test puts in it."""

    def __init__(self):
        self.threads = {}  # uri -> list of comment objects (replies nested)
        self.latest_enabled = True
        self.held = set()  # ids /id/<id> answers 403 for (held, not shown)
        self.raw = None  # (path prefix, status, bytes) answered as they are
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}/"
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def handler(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                if fake.raw and parts.path == fake.raw[0]:
                    return self.answer(fake.raw[1], fake.raw[2])
                if parts.path == "/latest":
                    if not fake.latest_enabled:
                        return self.answer(404, b'{"message": "404 Not Found"}')
                    found = [
                        {**c, "uri": uri}
                        for uri, comments in fake.threads.items()
                        for c in flatten(comments)
                        if c["mode"] == 1
                    ]
                    return self.answer(200, json.dumps(found).encode())
                if parts.path == "/":
                    replies = fake.threads.get(query.get("uri"), [])
                    return self.answer(200, json.dumps({"id": None, "replies": replies}).encode())
                match = re.fullmatch(r"/id/(\d+)", parts.path)
                if match:
                    held = int(match[1]) in fake.held or any(
                        c["id"] == int(match[1])
                        for comments in fake.threads.values()
                        for c in flatten(comments)
                    )
                    return self.answer(403 if held else 404, b"{}")
                return self.answer(404, b"{}")

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                """Quiet."""

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def flatten(comments):
    """Every comment of a nested list."""
    for comment in comments:
        yield comment
        yield from flatten(comment.get("replies", []))


CREATED = 1583500000.25  # 2020-03-06 13:06:40 UTC, after the tiny site's target article


def isso_comment(cid, text="A fair comment.", parent=None, mode=1, **fields):
    """A comment object as Isso's GET /?uri= lists it (plus an email, which it never sends:
    the pull must ignore it anyway)."""
    return {
        "id": cid,
        "parent": parent,
        "mode": mode,
        "created": CREATED + cid,
        "modified": None,
        "text": text,
        "author": f"Reader {cid}",
        "website": None,
        "likes": 0,
        "dislikes": 0,
        "hash": "abc",
        "email": f"zq-fake-{cid}@mail.example",
        "replies": [],
        **fields,
    }


TARGET = "/2020/03/hostile-comment-target/"
TARGET_SLUG = "hostile-comment-target"


@pytest.fixture
def fake():
    server = FakeIsso()
    yield server
    server.close()


@pytest.fixture
def settings(fixture_content):
    return read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(fixture_content)})


def comment_files(content, slug=TARGET_SLUG):
    """{name: text} of an article's comment files."""
    folder = content / "comments" / slug
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def test_pull_writes_approved_comments_once(fake, fixture_content, settings, tmp_path):
    """Approved comments become files with their Isso id; a reply chain of any depth
    joins its top-level comment; a second pull changes nothing; hand-written comment
    files are left as they were, and no email reaches any file; the site builds."""
    handwritten = snapshot(fixture_content / "comments")
    deep = isso_comment(13, "Deepest reply.", parent=12)
    middle = isso_comment(12, "A reply to a reply.", parent=11, replies=[deep])
    fake.threads[TARGET] = [
        isso_comment(10, "First *comment*.", website="https://reader.example/?a=1&amp;b=2"),
        isso_comment(11, "Second comment.", replies=[middle]),
    ]
    report = pull(fixture_content, settings, fake.url)
    files = comment_files(fixture_content)
    assert {"isso-10.md", "isso-11.md", "isso-12.md", "isso-13.md"} <= set(files)
    assert files["isso-10.md"] == (
        "Name: Reader 10\nDate: 2020-03-06 13:06:50 +00:00\n"
        "Website: https://reader.example/?a=1&b=2\nIsso: 10\n\nFirst *comment*.\n"
    )
    assert "Reply-To: isso-11\n" in files["isso-12.md"]
    assert "Reply-To: isso-11\n" in files["isso-13.md"]  # one level, as pages show them
    assert len(report.written) == 4 and report.removed == []
    assert not any("zq-fake" in text for text in files.values())
    again = pull(fixture_content, settings, fake.url)
    assert (again.written, again.removed, again.unchanged) == ([], [], 4)
    after = snapshot(fixture_content / "comments")
    assert {k: after[k] for k in handwritten} == handwritten
    page = build(fixture_content, tmp_path / "out").html(TARGET)
    replies = page.select("#comment-isso-11 ~ .comment-replies .comment")
    assert [r["id"] for r in replies] == ["comment-isso-12", "comment-isso-13"]


def test_old_addresses_lead_comments_to_their_article(fake, fixture_content, settings):
    """A thread at an article's old address (Redirect_from) is that article's; a thread at
    no article's address is reported, not pulled."""
    article = fixture_content / "articles" / "hostile-comment-target.md"
    article.write_text(
        article.read_text().replace("Slug: ", "Redirect_from: /old/story.php\nSlug: ", 1)
    )
    fake.threads["/old/story.php"] = [isso_comment(21, "Said at the old address.")]
    fake.threads["/2020/01/gone/"] = [isso_comment(22, "Said about nothing we have.")]
    report = pull(fixture_content, settings, fake.url)
    assert "isso-21.md" in comment_files(fixture_content)
    assert not list(fixture_content.rglob("isso-22.md"))
    assert any("/2020/01/gone/" in note for note in report.notes)


def test_without_the_latest_list_every_address_is_asked(fake, fixture_content, settings):
    """With /latest switched off the pull asks each article's address."""
    fake.latest_enabled = False
    fake.threads[TARGET] = [isso_comment(31)]
    pull(fixture_content, settings, fake.url)
    assert "isso-31.md" in comment_files(fixture_content)


def test_hostile_comments_are_made_inert_or_refused(fake, fixture_content, settings, tmp_path):
    """Names cannot add headers; control, format and line-break characters go; unsafe
    websites are dropped; text the build would refuse is not written (and said why);
    replies to other articles' comments and loops of replies are top-level; the site
    builds with everything written."""
    other = "/2020/01/alias-isis/"
    fake.threads[other] = [isso_comment(40, "On another article.")]
    fake.threads[TARGET] = [
        isso_comment(
            41,
            "Text with a NUL\x00, a bell\x07 and a\u2028line separator.\r\nWindows line.",
            author="Bob\nReply-To: 01-mallory\u2028Email: zq-x@mail.example\u202e\x1b[31m",
            website="javascript:alert(1)",
        ),
        isso_comment(42, "x" * 25_000),
        isso_comment(43, "*" * 80 + " emphasis storm"),
        isso_comment(44, "A reply to another article's comment.", parent=40),
        isso_comment(45, "Loop one.", parent=46),
        isso_comment(46, "Loop two.", parent=45),
        isso_comment(47, "Too early.", created=1500000000),
        isso_comment(48, "<script>alert('x')</script>", author=None, website="data:text/html,x"),
    ]
    report = pull(fixture_content, settings, fake.url)
    files = comment_files(fixture_content)
    bob = files["isso-41.md"]
    headers = bob.split("\n\n", 1)[0].splitlines()
    assert [h.split(":")[0] for h in headers] == ["Name", "Date", "Isso"]
    assert headers[0] == "Name: Bob Reply-To: 01-mallory Email: zq-x@mail.example[31m"
    assert "\x00" not in bob and "\x07" not in bob and "\u2028" not in bob and "\r" not in bob
    for refused in ("isso-42.md", "isso-43.md", "isso-47.md"):
        assert refused not in files
    notes = " ".join(report.notes)
    assert "comment 42" in notes and "comment 43" in notes and "comment 47" in notes
    for top_level in ("isso-44.md", "isso-45.md", "isso-46.md", "isso-48.md"):
        assert "Reply-To" not in files[top_level], top_level
    assert "Name: Anonymous\n" in files["isso-48.md"] and "Website" not in files["isso-48.md"]
    page = build(fixture_content, tmp_path / "out").html(TARGET)
    assert not page.select(".comments script")
    assert page.select_one("#comment-isso-41 .comment-author").get_text().startswith("Bob Reply-To")


def test_deleted_comments_go_only_when_the_server_says_so(fake, fixture_content, settings):
    """Deleted on the server (mode 4, or no such id) removes the file; held but not shown,
    or merely missing from a list, keeps it; a reply to a deleted comment stands alone."""
    fake.threads[TARGET] = [
        isso_comment(51, replies=[isso_comment(52, "Reply to 51.", parent=51)]),
        isso_comment(53),
        isso_comment(54),
        isso_comment(55),
    ]
    pull(fixture_content, settings, fake.url)
    assert "Reply-To: isso-51" in comment_files(fixture_content)["isso-52.md"]
    fake.threads[TARGET] = [
        isso_comment(
            51, "", mode=4, author=None, replies=[isso_comment(52, "Reply to 51.", parent=51)]
        ),
        isso_comment(55),
    ]
    fake.held.add(54)  # on the server, not shown: kept
    report = pull(fixture_content, settings, fake.url)
    files = comment_files(fixture_content)
    assert "isso-51.md" not in files and "isso-53.md" not in files
    assert "isso-54.md" in files and "isso-55.md" in files
    assert "Reply-To" not in files["isso-52.md"]
    assert sorted(path.name for path, _ in report.removed) == ["isso-51.md", "isso-53.md"]


def test_a_fresh_database_deletes_nothing(fake, fixture_content, settings):
    """An empty answer (a new database) removes no file, and the pull says so."""
    fake.threads[TARGET] = [isso_comment(61), isso_comment(62)]
    pull(fixture_content, settings, fake.url)
    before = snapshot(fixture_content)
    fake.threads = {}
    report = pull(fixture_content, settings, fake.url)
    assert report.removed == [] and snapshot(fixture_content) == before
    assert any("none of the 2 comments pulled before" in note for note in report.notes)


def test_a_different_database_stops_the_pull(fake, fixture_content, settings):
    """Ids that now name other comments (other dates) stop the pull; nothing changes."""
    fake.threads[TARGET] = [isso_comment(71)]
    pull(fixture_content, settings, fake.url)
    before = snapshot(fixture_content)
    fake.threads[TARGET] = [isso_comment(71, created=CREATED + 5000)]
    with pytest.raises(PullError, match="same database"):
        pull(fixture_content, settings, fake.url)
    assert snapshot(fixture_content) == before


def test_a_server_that_is_down_changes_nothing(fixture_content, settings, tmp_path):
    """No server at the address: a clear error, and every file as it was; the site still
    builds from what is on disk."""
    before = snapshot(fixture_content)
    with pytest.raises(PullError, match="cannot reach the comment server"):
        pull(fixture_content, settings, f"http://127.0.0.1:{free_port()}/")
    assert snapshot(fixture_content) == before
    assert build(fixture_content, tmp_path / "out").html(TARGET).select(".comment")


@pytest.mark.parametrize(
    ("path", "status", "body", "message"),
    [
        ("/", 200, b"<!DOCTYPE html><title>Welcome to nginx</title>", "not JSON"),
        ("/", 200, b'{"replies": "none"}', "Isso's API"),
        ("/", 200, b'{"replies": [{"id": "1", "mode": 1}]}', "comment id"),
        ("/", 200, b'{"replies": [{"id": 1, "mode": 1, "created": NaN}]}', "not JSON"),
        ("/", 200, b'{"replies": [{"id": 1, "mode": 1, "created": 1, "text": 5}]}', "not text"),
        ("/", 200, b'{"replies": ' + b"[" * 5000 + b"]" * 5000 + b"}", "Isso"),
        ("/", 500, b"Internal Server Error", "answered 500"),
        ("/latest", 200, b'{"not": "a list"}', "list of comments"),
        ("/latest", 200, b"\xff\xfe garbage", "not JSON"),
        ("/latest", 502, b"Bad Gateway", "answered 502"),
    ],
)
def test_garbage_answers_change_nothing(
    fake, fixture_content, settings, path, status, body, message
):
    """Anything that is not Isso's API stops the pull with a clear message; no file changes."""
    fake.threads[TARGET] = [isso_comment(81)]
    pull(fixture_content, settings, fake.url)
    before = snapshot(fixture_content)
    fake.raw = (path, status, body)
    with pytest.raises(PullError, match=re.escape(message)) as stopped:
        pull(fixture_content, settings, fake.url)
    assert "nothing was changed" in str(stopped.value).lower()
    assert snapshot(fixture_content) == before


def test_a_dry_run_changes_nothing(fake, fixture_content, settings):
    """--dry-run says what it would write and writes nothing."""
    fake.threads[TARGET] = [isso_comment(91)]
    before = snapshot(fixture_content)
    report = pull(fixture_content, settings, fake.url, dry_run=True)
    assert [p.name for p in report.written] == ["isso-91.md"]
    assert "would write" in report.lines()[0] and snapshot(fixture_content) == before


def test_a_hand_written_file_is_never_overwritten(fake, fixture_content, settings):
    """A hand-written file at the name a pulled comment would take keeps its text."""
    path = fixture_content / "comments" / TARGET_SLUG / "isso-95.md"
    path.write_text("Name: An Editor\nDate: 2020-03-07 10:00\n\nWritten by hand.\n")
    fake.threads[TARGET] = [isso_comment(95)]
    report = pull(fixture_content, settings, fake.url)
    assert path.read_text().endswith("Written by hand.\n")
    assert any("written by hand" in note for note in report.notes)


def test_a_bad_isso_header_stops_the_build(fixture_content, tmp_path):
    """The Isso header is a whole number; anything else is a problem the build reports."""
    path = fixture_content / "comments" / TARGET_SLUG / "03-bad.md"
    path.write_text("Name: X\nDate: 2020-03-07 10:00\nIsso: 4x\n\nText.\n")
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "out")
    assert any(p.field == "Isso" for p in stopped.value.problems)


def test_without_a_comment_server_articles_are_as_before(tiny_site):
    """With SITE_COMMENTS_API unset (pelicanconf.py): no form, no reply buttons, no script;
    the email path is all there is."""
    assert tiny_site.settings["SITE_COMMENTS_API"] is None
    page = tiny_site.html(TARGET)
    assert not page.select("form.comment-form, button.comment-reply, script[src]")
    assert page.select_one(".comment-policy a[href^='mailto:']")


def test_production_posts_to_its_own_host():
    """publishconf.py's form address is on the site's own host, which connect-src 'self'
    allows; the pull reads Isso on this machine."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        production = read_settings(str(ROOT / "publishconf.py"))
    finally:
        os.chdir(cwd)
    assert production["SITE_COMMENTS_API"].startswith("/")
    assert "connect-src 'self'" in production["SITE_CSP"]
    assert urllib.parse.urlsplit(production["SITE_COMMENTS_SERVER"]).hostname == "127.0.0.1"


def invoke(*arguments, timeout=120):
    """Run an invoke task as an editor would; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_tasks_stop_clearly_when_the_server_is_down(fixture_content, tmp_path):
    """`invoke comments-pull` and `invoke publish` stop with what to do; publish builds and
    uploads nothing, and says how to publish what is on disk."""
    dead = f"http://127.0.0.1:{free_port()}/"
    before = snapshot(fixture_content)
    settings = [
        "-e",
        f"PATH={json.dumps(str(fixture_content))}",
        "-e",
        f"OUTPUT_PATH={json.dumps(str(tmp_path / 'output'))}",
        "-e",
        f"SITE_COMMENTS_SERVER={json.dumps(dead)}",
        "-e",
        'SITE_DEPLOY={"targets": ["rsync"], "rsync": {"destination": '
        + json.dumps(str(tmp_path / "www"))
        + "}}",
    ]
    pulled = invoke("comments-pull", *settings)
    assert pulled.returncode == 1 and "cannot reach the comment server" in pulled.stderr
    published = invoke("publish", *settings)
    assert published.returncode == 1
    assert "cannot reach the comment server" in published.stderr
    assert "invoke publish --no-pull" in published.stderr
    assert not (tmp_path / "output").exists() and not (tmp_path / "www").exists()
    assert snapshot(fixture_content) == before


# The server's own configuration ---------------------------------------------------


def test_the_server_configuration_is_moderated_and_local(tmp_path):
    """deploy/isso.cfg: moderation on, the admin page on, only 127.0.0.1, the database in
    the data folder; the merged file is private; secrets come only from the secrets file."""
    config = comments_server.read_config(ROOT / "deploy" / "isso.cfg")
    assert config.get("moderation", "enabled") == "true"
    assert config.get("server", "listen").startswith("http://127.0.0.1:")
    assert config.get("admin", "password") == ""  # the secret is not committed
    assert config.get("general", "dbpath").startswith("data/")
    assert "data" in (ROOT / ".gitignore").read_text()
    secrets = tmp_path / "secrets.cfg"
    secrets.write_text("[admin]\npassword = short\n")
    merged, made_up = comments_server.runtime_config(8123, tmp_path / "data", secrets_path=secrets)
    assert made_up and merged.get("admin", "password") == made_up  # local: one made up
    path = comments_server.write_runtime(merged, tmp_path / "data")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert merged.get("general", "dbpath") == str((tmp_path / "data" / "comments.db").resolve())
    with pytest.raises(comments_server.ServerSetupError, match="admin password"):
        comments_server.runtime_config(
            8123, tmp_path / "data", secrets_path=secrets, production=True
        )
    secrets.write_text("[moderation]\nenabled = false\n")
    with pytest.raises(comments_server.ServerSetupError, match="not a secret"):
        comments_server.runtime_config(8123, tmp_path / "data", secrets_path=secrets)
    secrets.write_text("[admin]\npassword = has-a-$dollar-sign-in-it\n")
    with pytest.raises(comments_server.ServerSetupError, match=re.escape("'$'")):
        comments_server.runtime_config(8123, tmp_path / "data", secrets_path=secrets)
