"""Tasks for authors and maintainers: `invoke --list` shows them all."""

import base64
import datetime
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task
from pelican.settings import read_settings

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "plugins"))

from newsroom.checks import check_output  # noqa: E402
from newsroom.markup import slug_for  # noqa: E402
from newsroom.output import remove_abandoned, stopped_note  # noqa: E402
from newsroom_speed.spare import spare_path  # noqa: E402
from newsroom_tools.build import build_before_exit  # noqa: E402
from newsroom_tools.build import build_site as build_with  # noqa: E402
from newsroom_tools.comments_pull import PullError  # noqa: E402
from newsroom_tools.comments_pull import pull as pull_comments  # noqa: E402
from newsroom_tools.deploy import DeployError, deploy_settings, parse_extra_settings  # noqa: E402
from newsroom_tools.deploy import publish as deploy  # noqa: E402

# Tools from the npm registry, pinned; each in its own folder under .tools/ so
# that installing one never prunes another.
TOOLS = ROOT / ".tools"
NPM_TOOLS = {"vnu-jar": "26.9.27", "lighthouse": "12.8.2"}


def npm_tool(c, name):
    """Install a pinned npm tool into .tools/<name>/ if missing; return its folder."""
    folder = TOOLS / name
    if not (folder / "node_modules" / name).is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        c.run(
            f"npm install --prefix {folder} --no-save --no-package-lock --no-audit --no-fund "
            f"{name}@{NPM_TOOLS[name]}"
        )
    return folder / "node_modules"


LOCAL = "pelicanconf.py"
PRODUCTION = "publishconf.py"
HOST, PORT = "127.0.0.1", 8000


def load(settings_file=LOCAL, **override):
    """Read Pelican settings from a file with overrides."""
    return read_settings(str(ROOT / settings_file), override=override or None)


def build_site(settings_file=LOCAL, **override):
    """Build once (newsroom_tools/build.py); return True on success, else print why."""
    return build_with(ROOT / settings_file, **override)


def build_or_exit(settings_file=LOCAL, **override):
    """Build once in a process that exits soon after, and stop the task with a non-zero
    status if it failed."""
    if not build_before_exit(ROOT / settings_file, **override):
        sys.exit(1)


def remove_generated(settings):
    """Delete what builds leave beside the sources: the output, the caches (CACHE_PATH),
    the speed layer's spare copy of the output, and staging folders of builds that are
    no longer running (a build running now keeps its own)."""
    output = Path(settings["OUTPUT_PATH"])
    sources = Path(settings["PATH"]).resolve()
    for folder in (output, Path(settings["CACHE_PATH"]), Path(spare_path(output))):
        folder = folder.resolve()
        if folder in (ROOT.resolve(), sources) or folder in sources.parents:
            continue  # a setting pointing at the sources: never delete those
        shutil.rmtree(folder, ignore_errors=True)
    remove_abandoned(output)
    Path(stopped_note(output)).unlink(missing_ok=True)  # no output left to hold back


@task
def clean(c):
    """Remove the generated site, the build caches and every leftover of past builds."""
    remove_generated(load())


@task
def build(c):
    """Build the site with local settings into output/; checks run before it is replaced."""
    build_or_exit()


@task
def rebuild(c):
    """Remove the output, then build from scratch."""
    clean(c)
    build(c)


@task
def regenerate(c):
    """Rebuild whenever content, theme or settings change (no server)."""
    c.run(f"{sys.executable} -m pelican --autoreload -s {LOCAL}", pty=sys.stdout.isatty())


def site_server(output, port=PORT, host=HOST):
    """Return an HTTP server for a built site that answers as the live host does: a
    path that leads to no file gets the site's own 404.html, with status 404.

    Pelican's development server finds /about/ for /about and the like, but answers
    a path it cannot find with no response at all. port 0 takes any free port.
    """
    from http import HTTPStatus
    from http.server import SimpleHTTPRequestHandler

    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    class SiteRequestHandler(ComplexHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server names its handlers so)
            self.answer(SimpleHTTPRequestHandler.do_GET)

        def do_HEAD(self):  # noqa: N802
            self.answer(SimpleHTTPRequestHandler.do_HEAD)

        def answer(self, respond):
            found = self.get_path_that_exists(self.path.split("?", 1)[0])
            if found is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            self.path = found
            respond(self)

        def send_error(self, code, message=None, explain=None):
            page = Path(self.base_path, "404.html")
            if code != HTTPStatus.NOT_FOUND or not page.is_file():
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(code, message)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return RootedHTTPServer(str(output), (host, int(port)), SiteRequestHandler)


@task
def serve(c, port=PORT):
    """Serve output/ at http://127.0.0.1:8000/ (Ctrl-C stops it)."""
    output = load()["OUTPUT_PATH"]
    server = site_server(output, port)
    print(f"Serving {output} at http://{HOST}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@task
def reserve(c, port=PORT):
    """Build, then serve."""
    build(c)
    serve(c, port)


def production_overrides(extra_settings):
    """Parse `-e KEY=JSON` overrides (Pelican's --extra-settings syntax) or stop."""
    try:
        return parse_extra_settings(extra_settings)
    except DeployError as error:
        sys.exit(f"publish: {error}")


EXTRA_SETTINGS_HELP = (
    "override a production setting for this run, as Pelican's --extra-settings: "
    "SITEURL='\"https://staging.example\"' (repeatable)"
)


@task(iterable=["extra_settings"], help={"extra_settings": EXTRA_SETTINGS_HELP})
def preview(c, extra_settings=None):
    """Build with production settings (publishconf.py) into output/."""
    build_or_exit(PRODUCTION, **production_overrides(extra_settings))


# The inline script python-livereload (2.7.1) injects into every page it
# serves. Preview builds allow exactly this script by its hash, so the site's
# Content-Security-Policy keeps out 'unsafe-inline' even while previewing.
LIVERELOAD_SNIPPET = (
    '(function(){var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);})();"
)


def preview_csp(policy):
    """Return the site's CSP with the live-reload snippet allowed by its sha256."""
    digest = base64.b64encode(hashlib.sha256(LIVERELOAD_SNIPPET.encode()).digest()).decode()
    return policy.replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'", 1)


def live_preview(port=PORT, **override):
    """Build, serve on 127.0.0.1 and rebuild on every save, refreshing the browser (blocks).

    A saved article's page is rendered first and the browser refreshed at once
    (newsroom_speed/preview.py); the full build follows and refreshes it again.
    Builds after the first run on a thread of their own (PreviewBuilds), so the
    server answers, with that first page, while the full build runs.
    """
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    from newsroom_speed.preview import PreviewBuilds

    class QuickWatcher(Watcher):
        """Poll for saves every 100 ms (livereload's own poll waits 800 ms)."""

        def start(self, callback):
            ioloop.PeriodicCallback(callback, 100).start()
            return True

    settings = load(**override)
    override["SITE_CSP"] = preview_csp(settings["SITE_CSP"])
    if not build_site(LOCAL, **override):
        print("The preview shows the last good build; fix the problems above and save.")
    # Later builds run beside the server: no worker processes forked from its threads.
    speed = {**(settings.get("NEWSROOM_SPEED") or {}), "workers": 1}
    builds = PreviewBuilds(
        lambda: build_site(LOCAL, **override, NEWSROOM_SPEED=speed),
        reload=LiveReloadHandler.reload_waiters,
    )
    server = Server(watcher=QuickWatcher())
    for pattern in (
        f"{settings['PATH']}/**/*",
        f"{settings['THEME']}/**/*",
        str(ROOT / "plugins" / "**" / "*.py"),
        str(ROOT / LOCAL),
    ):
        server.watch(pattern, builds.request)
    server.serve(host=HOST, port=int(port), root=settings["OUTPUT_PATH"])


@task
def livereload(c, port=PORT):
    """Serve with live preview: the browser refreshes when you save a file."""
    live_preview(port)


def take_comments(settings, server=None, dry_run=False, task_name="comments-pull"):
    """Pull the approved comments from the comment server into the content folder and
    print what changed; stop the task, having changed nothing, if the server cannot be
    read (newsroom_tools/comments_pull.py). Return False when no server is configured."""
    server = server or settings.get("SITE_COMMENTS_SERVER")
    if not server:
        return False
    try:
        report = pull_comments(settings["PATH"], settings, server, dry_run=dry_run)
    except PullError as error:
        hint = (
            "\nTo publish the comments already on disk without asking the server: "
            "invoke publish --no-pull"
            if task_name == "publish"
            else ""
        )
        sys.exit(f"{task_name}: {error}{hint}")
    for line in report.lines(ROOT):
        print(line)
    return True


@task(
    iterable=["extra_settings"],
    help={
        "server": "the comment server to read (default: SITE_COMMENTS_SERVER in publishconf.py)",
        "dry_run": "say what would be written or removed; change nothing",
        "extra_settings": EXTRA_SETTINGS_HELP,
    },
)
def comments_pull(c, server=None, dry_run=False, extra_settings=None):
    """Write the comment server's approved comments into content/comments/ (Isso: <id>)."""
    settings = load(PRODUCTION, **production_overrides(extra_settings))
    if not take_comments(settings, server, dry_run):
        sys.exit(
            "comments-pull: no comment server is configured; set SITE_COMMENTS_SERVER in "
            "publishconf.py or give --server http://127.0.0.1:8080/"
        )


@task(
    help={
        "port": "the port on 127.0.0.1 to answer on (default 8080)",
        "data": "the folder of the database and the merged configuration (default data/comments)",
        "production": "run exactly as deploy/isso.cfg says (mail, public address); needs the "
        "admin password in deploy/isso-secrets.cfg",
    }
)
def comments_server(c, port=8080, data=None, production=False):
    """Run the comment server (Isso) on 127.0.0.1 with deploy/isso.cfg; Ctrl-C stops it."""
    import os

    from newsroom_tools import comments_server as isso

    folder = Path(data).resolve() if data else isso.DATA
    try:
        config, made_up = isso.runtime_config(port, folder, production=production)
    except (isso.ServerSetupError, OSError, ValueError) as error:
        sys.exit(f"comments-server: {error}")
    runtime = isso.write_runtime(config, folder)
    print(f"Comment server (Isso) at http://{HOST}:{port}/, database {folder / isso.DATABASE}")
    if not production:
        print(f'Moderate at http://{HOST}:{port}/admin/ (README: "The comment server")')
    if made_up:
        print(
            f"Admin password for this run: {made_up} "
            f"(set [admin] password in {isso.SECRETS.relative_to(ROOT)} to keep one)"
        )
    sys.stdout.flush()
    command = isso.isso_command(runtime)
    os.execve(command[0], command, isso.isso_environment())  # Isso takes this process over


@task(
    iterable=["target", "extra_settings"],
    help={
        "target": "use this SITE_DEPLOY target (rsync, s3, ghpages) instead of its "
        "'targets' list (repeatable)",
        "dry_run": "build and check, then explain each target's steps and what would change; "
        "upload and delete nothing (and pull no comments)",
        "compare": "with --dry-run, also ask remote destinations what would change (read-only)",
        "extra_settings": EXTRA_SETTINGS_HELP,
        "pull": "first pull the approved comments from the comment server (the default); "
        "--no-pull publishes the comments on disk as they are",
        "offline": "the same as --no-pull",
    },
)
def publish(
    c, target=None, dry_run=False, compare=False, extra_settings=None, pull=True, offline=False
):
    """Pull approved comments, production build, checked, then upload to each SITE_DEPLOY
    target (--dry-run explains; --no-pull leaves the comments on disk as they are)."""
    overrides = production_overrides(extra_settings)
    try:
        deploy_settings(load(PRODUCTION, **overrides), target or None)  # fail before building
    except DeployError as error:
        sys.exit(f"publish: {error}")
    if dry_run and pull and not offline:
        print(
            "publish --dry-run: the comment server is not asked (a dry run touches no server); "
            "`invoke comments-pull --dry-run` shows what a pull would change"
        )
    elif pull and not offline:
        take_comments(load(PRODUCTION, **overrides), task_name="publish")
    build_or_exit(PRODUCTION, **overrides)
    try:
        deploy(load(PRODUCTION, **overrides), target or None, dry_run, compare, repo=ROOT)
    except DeployError as error:
        sys.exit(f"publish: {error}")


def scaffold_article(content_path, title, authors, tags, category, now):
    """Write a new article skeleton, a draft dated `now` in UTC; return its path, or None
    if it exists. now: an aware datetime (a naive one is taken as local time)."""
    now = now.astimezone(datetime.UTC)
    slug = slug_for(title, load())
    path = Path(content_path) / "articles" / f"{now:%Y}" / f"{slug}.md"
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {title}\n"
        f"Date: {now:%Y-%m-%d %H:%M} +00:00\n"
        f"Authors: {authors}\n"
        f"Category: {category}\n"
        f"Tags: {tags}\n"
        "Summary: One or two sentences for listings, feeds and search results.\n"
        f"Slug: {slug}\n"
        "Status: draft\n"
        "\n"
        "Write the article here. It is a draft, left out of every build, until you delete\n"
        "the `Status: draft` line above.\n",
        encoding="utf-8",
    )
    return path


@task(
    help={
        "title": "the article's title",
        "authors": "comma-separated author names, as in content/authors/",
        "tags": "comma-separated tags or topic names",
        "category": "Analysis, Threat Matrix, Reports or Podcasts",
    }
)
def new(c, title, authors, tags="", category="Analysis"):
    """Scaffold a new draft article dated now (UTC); never overwrites a file."""
    content = ROOT / load()["PATH"]
    now = datetime.datetime.now(datetime.UTC)
    path = scaffold_article(content, title, authors, tags, category, now)
    if path is None:
        sys.exit(
            f"new: an article with the slug {slug_for(title, load())!r} exists this year; "
            "choose another title"
        )
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"Created {shown}, a draft: delete its `Status: draft` line to publish it.")


@task(
    help={
        "export": "the WordPress export (WXR), from Tools > Export or `wp export`",
        "uploads": "a copy of the site's wp-content/uploads/ (files are never downloaded)",
        "into": "the content folder to write (default content/)",
        "sections": 'JSON mapping WordPress categories onto sections: {"News": "Reports"}',
        "default-section": "the section of posts in no mapped category (default: the first)",
        "state": "where the report and the import's state go (default .wordpress-import/)",
    }
)
def import_wordpress(
    c, export, uploads=None, into=None, sections=None, default_section=None, state=None
):
    """Import a WordPress archive: posts, pages, authors, comments, files, old addresses."""
    options = {
        "--export": export,
        "--uploads": uploads,
        "--into": into or str(ROOT / load()["PATH"]),
        "--sections": sections,
        "--default-section": default_section,
        "--state": state,
    }
    command = [sys.executable, "-m", "plugins.newsroom_tools.wordpress"]
    command += [part for name, value in options.items() if value for part in (name, value)]
    # A process of its own: it reads the export twice and is measured so by the bench.
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode:
        sys.exit(done.returncode)  # the importer has said why


@task
def check(c):
    """Check output/: links, #anchors, titles, descriptions, canonical links, feeds."""
    settings = load()
    problems = check_output(settings["OUTPUT_PATH"], settings["SITEURL"])
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print(f"{settings['OUTPUT_PATH']}: no problems found.")


@task(
    help={
        "n": "articles in the generated corpus (default 1000)",
        "runs": "interleaved runs of each build (default 3)",
        "out": "report path (default bench/results/report-<n>.md)",
        "profile": "instead, profile one of our cold builds with pyinstrument",
        "site-layer": "also build with the site layer alone (--no-site-layer: skip it)",
        "media": "also measure image encoding, social cards and lead images "
        "(--no-media: skip them)",
        "wordpress": "instead, import a generated WordPress site of this many posts and "
        "build it, ours and plain (time, memory, posts per second, ratios)",
    }
)
def bench(c, n=1000, runs=3, out=None, profile=False, site_layer=True, media=True, wordpress=0):
    """Time our full build (with the speed layer, and with the site layer alone) against
    plain Pelican + typogrify on a generated corpus; then, on its own, the image encoding
    and social cards of the same corpus with featured images (--no-media skips them).
    --wordpress N instead times the WordPress importer on a generated site of N posts and
    the builds of what it imported."""
    sys.path.insert(0, str(ROOT))
    if profile:
        from bench.profile import main as profile_main

        profile_main(["--n", str(n)])
        return
    options = ["--n", str(n), "--runs", str(runs), *(["--out", out] if out else [])]
    options += [] if site_layer else ["--no-site-layer"]
    options += [] if media else ["--no-media"]
    options += ["--wordpress", str(wordpress)] if wordpress else []
    # In a fresh interpreter, not this one: Linux starts a child's peak memory (ru_maxrss)
    # from its parent's, and this process has Pelican and the plugins loaded, so every
    # build the benchmark started from here would read at least its size.
    done = subprocess.run([sys.executable, "-m", "bench.run", *options], cwd=ROOT)
    if done.returncode:
        sys.exit(done.returncode)  # bench.run has said why (a build failed)


@task
def lint(c):
    """Check Python style and formatting with ruff."""
    c.run(f"{sys.executable} -m ruff check . && {sys.executable} -m ruff format --check .")


AUDITED = {"home": "/", "article": "/2018/03/islamic-state-claims-trebes-attack/"}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


@task(help={"port": "local port to serve the site on while auditing"})
def lighthouse(c, port=8123):
    """Audit home and an article with Lighthouse; fails below 100 in a11y, practices, SEO."""
    import json
    import tempfile
    import threading

    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    lighthouse_bin = npm_tool(c, "lighthouse") / ".bin" / "lighthouse"
    # Audit the production build, served at the address its canonical links name.
    site = f"http://{HOST}:{port}"
    output = tempfile.mkdtemp(prefix="lighthouse-site-")
    if not build_site(PRODUCTION, OUTPUT_PATH=output, SITEURL=site, FEED_DOMAIN=site):
        sys.exit(1)
    server = RootedHTTPServer(output, (HOST, int(port)), ComplexHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failed = []
    try:
        for name, path in AUDITED.items():
            with tempfile.TemporaryDirectory() as profile:
                report = Path(profile) / "report.json"
                c.run(
                    f"CHROME_PATH={shutil.which('chromium') or '/usr/bin/chromium'} "
                    f"{lighthouse_bin} http://{HOST}:{port}{path} --quiet "
                    "--only-categories=performance,accessibility,best-practices,seo "
                    f"--output=json --output-path={report} "
                    f"--chrome-flags='{CHROME_FLAGS} --user-data-dir={profile}/chrome'"
                )
                result = json.loads(report.read_text())
            categories, audits = result["categories"], result["audits"]
            scores = {key: round(value["score"] * 100) for key, value in categories.items()}
            print(f"{name:8} " + "  ".join(f"{key} {score}" for key, score in scores.items()))
            for key in ("accessibility", "best-practices", "seo"):
                for ref in categories[key]["auditRefs"]:
                    audit = audits[ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        print(f"  {key}: {audit['title']}")
            failed += [
                f"{name} {key}"
                for key in ("accessibility", "best-practices", "seo")
                if scores[key] < 100
            ]
    finally:
        server.shutdown()
        shutil.rmtree(output, ignore_errors=True)
    if failed:
        sys.exit("below 100: " + ", ".join(failed))


@task
def tools(c):
    """Install the pinned Nu HTML Checker (npm's vnu-jar) that the tests use, if missing."""
    npm_tool(c, "vnu-jar")


@task(pre=[lint, tools])
def test(c):
    """Lint, install test tools if needed, run the whole test suite, then run it again on
    the site layer alone (PLUGINS = ["newsroom"]): the site must not need the speed layer."""
    pty = sys.stdout.isatty()
    c.run(f"{sys.executable} -m pytest", pty=pty)
    c.run(
        f"{sys.executable} -m pytest -m 'not speed_layer' --deselect tests/test_bench.py",
        env={"NEWSROOM_PLUGINS": "newsroom"},
        pty=pty,
    )
