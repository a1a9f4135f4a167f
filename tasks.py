"""Tasks for authors and maintainers: `invoke --list` shows them all."""

import datetime
import resource
import shlex
import shutil
import signal
import sys
from pathlib import Path

from invoke import task
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "plugins"))

from newsroom.checks import check_output  # noqa: E402
from newsroom.errors import BuildStopped  # noqa: E402
from newsroom.markup import slug_for  # noqa: E402

# Test tools from the npm registry, pinned; installed into node_modules/.
NPM_TOOLS = ("vnu-jar@26.9.27",)
# A build is bounded whatever the input: the content checks refuse what would
# make it slow, and these limits stop anything they did not foresee.
BUILD_SECONDS = 30 * 60
BUILD_MEMORY_BYTES = 8 * 1024**3
LOCAL = "pelicanconf.py"
PRODUCTION = "publishconf.py"
HOST, PORT = "127.0.0.1", 8000


def load(settings_file=LOCAL, **override):
    """Read Pelican settings from a file with overrides."""
    return read_settings(str(ROOT / settings_file), override=override or None)


def build_site(settings_file=LOCAL, **override):
    """Build once; return True on success, after printing what went wrong.

    The newsroom plugin builds into a staging folder, checks it, and only then
    replaces output/, so a failed build leaves the last good site in place.
    """

    def out_of_time(signum, frame):
        raise BuildStopped.because(f"the build ran longer than {BUILD_SECONDS} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = BUILD_MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(hard, BUILD_MEMORY_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(BUILD_SECONDS)
    try:
        Pelican(load(settings_file, **override)).run()
    except BuildStopped as stop:
        print(stop.code, file=sys.stderr)
        return False
    except MemoryError:
        print(f"Build stopped: it needed more than {limit:,} bytes of memory", file=sys.stderr)
        return False
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return True


def build_or_exit(settings_file=LOCAL, **override):
    """Build once and stop the task with a non-zero status if it failed."""
    if not build_site(settings_file, **override):
        sys.exit(1)


@task
def clean(c):
    """Remove the generated site."""
    shutil.rmtree(load()["OUTPUT_PATH"], ignore_errors=True)


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


@task
def serve(c, port=PORT):
    """Serve output/ at http://127.0.0.1:8000/ (Ctrl-C stops it)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    output = load()["OUTPUT_PATH"]
    server = RootedHTTPServer(output, (HOST, int(port)), ComplexHTTPRequestHandler)
    print(f"Serving {output} at http://{HOST}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def reserve(c, port=PORT):
    """Build, then serve."""
    build(c)
    serve(c, port)


@task
def preview(c):
    """Build with production settings (publishconf.py) into output/."""
    build_or_exit(PRODUCTION)


@task
def livereload(c, port=PORT):
    """Serve with live preview: the browser refreshes when you save a file."""
    from livereload import Server

    settings = load()

    def rebuild_quietly():
        # A content error is printed and the preview keeps the last good site.
        build_site()

    rebuild_quietly()
    server = Server()
    for pattern in (
        f"{settings['PATH']}/**/*",
        f"{settings['THEME']}/**/*",
        "plugins/**/*.py",
        LOCAL,
    ):
        server.watch(pattern, rebuild_quietly)
    server.serve(host=HOST, port=int(port), root=settings["OUTPUT_PATH"])


@task(
    help={"target": "rsync destination, e.g. user@host:/var/www/site/ (default: SITE_DEPLOY_RSYNC)"}
)
def publish(c, target=None, dry_run=False):
    """Build for production and upload with rsync; refuses a build that failed."""
    target = target or load(PRODUCTION).get("SITE_DEPLOY_RSYNC")
    if not target:
        sys.exit("publish: no target; set SITE_DEPLOY_RSYNC in publishconf.py or pass --target")
    build_or_exit(PRODUCTION)
    output = load(PRODUCTION)["OUTPUT_PATH"].rstrip("/") + "/"
    flags = "-rlptvzc --delete" + (" --dry-run" if dry_run else "")
    c.run(f"rsync {flags} {shlex.quote(output)} {shlex.quote(target)}")


def scaffold_article(content_path, title, authors, tags, category, now):
    """Write a new article skeleton; return its path, or None if it exists."""
    slug = slug_for(title, load())
    path = Path(content_path) / "articles" / f"{now:%Y}" / f"{slug}.md"
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {title}\n"
        f"Date: {now:%Y-%m-%d %H:%M}\n"
        f"Authors: {authors}\n"
        f"Category: {category}\n"
        f"Tags: {tags}\n"
        "Summary: One or two sentences for listings, feeds and search results.\n"
        f"Slug: {slug}\n"
        "\n"
        "Write the article here. Add `Status: draft` above to keep it out of every build.\n",
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
    """Scaffold a new article dated today; never overwrites a file."""
    content = ROOT / load()["PATH"]
    path = scaffold_article(content, title, authors, tags, category, datetime.datetime.now())
    if path is None:
        sys.exit(
            f"new: an article with the slug {slug_for(title, load())!r} exists this year; "
            "choose another title"
        )
    print(f"Created {path.relative_to(ROOT)}")


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


@task
def lint(c):
    """Check Python style and formatting with ruff."""
    c.run(f"{sys.executable} -m ruff check . && {sys.executable} -m ruff format --check .")


@task
def tools(c):
    """Install the pinned npm test tools (the Nu HTML Checker) if they are missing."""
    missing = [t for t in NPM_TOOLS if not (ROOT / "node_modules" / t.rsplit("@", 1)[0]).is_dir()]
    if missing:
        c.run("npm install --no-save --no-package-lock --no-audit --no-fund " + " ".join(missing))


@task(pre=[lint, tools])
def test(c):
    """Lint, install test tools if needed, then run the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=sys.stdout.isatty())
