"""What a first-time author meets around the build: `invoke new`, failed builds,
`invoke clean`, `invoke serve`, and installing the pinned requirements."""

import contextlib
import datetime
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from invoke import Context
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import tasks
from conftest import ROOT, build, pelican_cli, snapshot
from newsroom.errors import BuildStopped
from newsroom.rules import parse_date
from newsroom_tools.build import build_site

SITE_LAYER = ["newsroom"]
BOTH_LAYERS = pytest.param(["newsroom", "newsroom_speed"], marks=pytest.mark.speed_layer)
PLACEHOLDER = "One or two sentences for listings, feeds and search results."


def use_folders(monkeypatch, content, output, cache):
    """Make the tasks read and write these folders instead of the project's own."""
    monkeypatch.setattr(
        tasks,
        "load",
        functools.partial(
            tasks.load, PATH=str(content), OUTPUT_PATH=str(output), CACHE_PATH=str(cache)
        ),
    )


@contextlib.contextmanager
def local_time_zone(zone):
    """Run with the process's local time in a POSIX time zone such as "KIR-14" (UTC+14)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def headers_of(path):
    """Return the headers of a Markdown source as a dict."""
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def staging_folders(folder):
    return sorted(path.name for path in Path(folder).iterdir() if ".staging-" in path.name)


# invoke new


def test_new_scaffolds_a_draft_dated_in_utc_that_no_build_publishes(
    fixture_content, tmp_path, monkeypatch, capsys
):
    """`invoke new`, run where local time is 14 hours ahead of UTC, dates the article
    now in UTC, says so, and writes a draft; the next build leaves it out of the home
    page, the feeds and every other file."""
    use_folders(monkeypatch, fixture_content, tmp_path / "output", tmp_path / "cache")
    with local_time_zone("KIR-14"):
        tasks.new(Context(), title="A First Draft", authors="Ada Reyes", tags="ISIS, Iraq")
        now = datetime.datetime.now(datetime.UTC)
    assert "draft" in capsys.readouterr().out
    [path] = fixture_content.glob("articles/*/a-first-draft.md")
    headers = headers_of(path)
    assert headers["Status"] == "draft"
    assert headers["Date"].endswith("+00:00"), headers["Date"]
    dated = parse_date(headers["Date"], "Pacific/Kiritimati")  # the offset written wins
    assert abs(dated - now) < datetime.timedelta(minutes=2), (headers["Date"], now)
    assert path.parent.name == f"{dated:%Y}"

    site = build(fixture_content, tmp_path / "output")
    home = site.path("/").read_text(encoding="utf-8")
    assert "alias-isis" in home  # the published articles are listed
    assert "a-first-draft" not in home and "A First Draft" not in home
    feeds = sorted((site.output / "feeds").glob("*.xml"))
    assert feeds
    for output_file, text in site.text_files():
        for leak in ("a-first-draft", "A First Draft", PLACEHOLDER):
            assert leak not in text, f"{leak!r} is in {output_file}"
    assert not list(site.output.glob("*/*/a-first-draft"))


# A failed build leaves no staging folder


def break_date(content):
    """An article dated "yesterday": refused when the sources are scanned."""
    article = content / "articles" / "alias-isis.md"
    article.write_text(article.read_text().replace("Date: 2020-01-02 10:00", "Date: yesterday"))


def break_author(content):
    """An unknown author: refused once everything is read (prepare_site)."""
    article = content / "articles" / "alias-isis.md"
    article.write_text(article.read_text().replace("Ada Reyes", "Ada Reyez"))


def break_link(theme):
    """A link to no page in the 404 page: refused by the checks of the staged output."""
    template = theme / "templates" / "404.html"
    template.write_text(
        template.read_text().replace(
            "{% endblock content %}", '<a href="/no-such-page/">x</a>{% endblock content %}'
        )
    )


def break_template(theme):
    """A template that raises while Pelican writes the pages (no receiver of ours runs)."""
    template = theme / "templates" / "404.html"
    template.write_text(
        template.read_text().replace("{% endblock content %}", "{{ 1 // 0 }}{% endblock content %}")
    )


BREAKS = {"scan": break_date, "prepare": break_author, "finish": break_link}


@pytest.mark.parametrize("layers", [SITE_LAYER, BOTH_LAYERS])
@pytest.mark.parametrize("where", sorted(BREAKS))
def test_a_failed_build_removes_its_staging_folder(fixture_content, tmp_path, layers, where):
    """Stopped while scanning, before writing or after writing, a build leaves the last
    good output as it was and no .output.staging-<pid> folder beside it."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output = tmp_path / "out" / "output"
    build(fixture_content, output, PLUGINS=layers, THEME=str(theme))
    before = snapshot(output)
    BREAKS[where](theme if where == "finish" else fixture_content)
    with pytest.raises(BuildStopped):
        build(fixture_content, output, PLUGINS=layers, THEME=str(theme))
    assert staging_folders(output.parent) == []
    assert snapshot(output) == before


@pytest.mark.parametrize("layers", [SITE_LAYER, BOTH_LAYERS])
def test_a_build_pelican_stops_removes_its_staging_folder(fixture_content, tmp_path, layers):
    """The build runner (invoke build) cleans up after an error raised in Pelican's own
    code too, where no receiver of the site layer runs."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    break_template(theme)
    output = tmp_path / "out" / "output"
    override = {
        "PATH": str(fixture_content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(tmp_path / "cache"),
        "THEME": str(theme),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "PLUGINS": layers,
    }
    with pytest.raises(ZeroDivisionError):
        build_site(ROOT / "pelicanconf.py", **override)
    assert staging_folders(output.parent) == []
    assert not output.exists()


def pelican_cli_with_theme(content, output, layers, theme):
    """conftest.pelican_cli, with another theme folder."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "-s",
            str(ROOT / "pelicanconf.py"),
            str(content),
            "-o",
            str(output),
            "-e",
            f"THEME={json.dumps(str(theme))}",
            f"PLUGIN_PATHS={json.dumps([str(ROOT / 'plugins')])}",
            f"CACHE_PATH={json.dumps(f'{output}-cache')}",
            f"PLUGINS={json.dumps(layers)}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize("layers", [SITE_LAYER, BOTH_LAYERS])
@pytest.mark.parametrize("broken", ["content", "template"])
def test_a_failed_pelican_command_removes_its_staging_folder(
    fixture_content, tmp_path, layers, broken
):
    """The plain `pelican` command leaves no staging folder either, whether the site
    layer stopped it or Pelican itself did."""
    output = tmp_path / "out" / "output"
    if broken == "content":
        break_date(fixture_content)
        result = pelican_cli(fixture_content, output, layers)
    else:
        theme = tmp_path / "theme"
        shutil.copytree(ROOT / "theme", theme)
        break_template(theme)
        result = pelican_cli_with_theme(fixture_content, output, layers, theme)
    assert result.returncode != 0, result.stdout + result.stderr
    assert staging_folders(output.parent) == []
    assert not output.exists()


# invoke clean


@pytest.mark.speed_layer
def test_clean_removes_output_caches_spare_and_stale_staging(
    fixture_content, tmp_path, monkeypatch
):
    """After `invoke clean` the next build starts from scratch: no output, no cache, no
    spare output; staging folders of dead builds go, a running build's stays."""
    site = tmp_path / "site"
    site.mkdir()
    output, cache = site / "output", site / "cache"
    layers = ["newsroom", "newsroom_speed"]
    build(fixture_content, output, cache=cache, PLUGINS=layers)
    build(fixture_content, output, cache=cache, PLUGINS=layers)  # keeps the first as spare
    spare = site / ".output.spare"
    stale = [site / ".output.staging-999999999", site / ".output.staging-999999999-previous"]
    running = site / f".output.staging-{os.getpid()}"
    for folder in [*stale, running]:
        folder.mkdir()
        (folder / "index.html").write_text("<p>half a site")
    (site / "notes.txt").write_text("not the build's")
    assert output.is_dir() and spare.is_dir() and any(cache.iterdir())

    use_folders(monkeypatch, fixture_content, output, cache)
    tasks.clean(Context())

    assert sorted(path.name for path in site.iterdir()) == [running.name, "notes.txt"]
    assert (fixture_content / "articles" / "alias-isis.md").is_file()


def test_clean_never_deletes_the_sources(fixture_content, tmp_path, monkeypatch):
    """A cache setting pointing at the content folder does not make clean delete it."""
    use_folders(monkeypatch, fixture_content, tmp_path / "output", fixture_content)
    (tmp_path / "output").mkdir()
    tasks.clean(Context())
    assert not (tmp_path / "output").exists()
    assert (fixture_content / "articles" / "alias-isis.md").is_file()


# invoke serve


def fetch(url, method="GET"):
    """Return (status, headers, body) of a request, whatever the status."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def test_serve_answers_a_missing_path_with_the_sites_404_page(
    fixture_content, tmp_path, monkeypatch
):
    """`invoke serve` on 127.0.0.1 answers a page with 200 and a missing path with the
    site's own 404.html and status 404, as the live host does."""
    output = tmp_path / "output"
    build(fixture_content, output)
    not_found = (output / "404.html").read_bytes()
    use_folders(monkeypatch, fixture_content, output, tmp_path / "cache")
    servers = []
    real_server = tasks.site_server

    def recorded(*args, **kwargs):
        servers.append(real_server(*args, **kwargs))
        return servers[-1]

    monkeypatch.setattr(tasks, "site_server", recorded)
    task = threading.Thread(target=tasks.serve, args=(Context(),), kwargs={"port": 0})
    task.daemon = True
    task.start()
    deadline = time.monotonic() + 10
    while not servers and time.monotonic() < deadline:
        time.sleep(0.01)
    assert servers, "the serve task started no server"
    server = servers[0]
    try:
        host, port = server.server_address
        assert host == "127.0.0.1"
        base = f"http://127.0.0.1:{port}"
        status, headers, body = fetch(base + "/")
        assert status == 200 and b"alias-isis" in body
        status, headers, body = fetch(base + "/about")  # found without its trailing slash
        assert status in (200, 301)
        for path in ("/no/such/page/", "/missing.html", "/2020/01/nope"):
            status, headers, body = fetch(base + path)
            assert (status, body) == (404, not_found), path
            assert headers["Content-Type"].startswith("text/html")
        status, headers, body = fetch(base + "/no/such/page/", "HEAD")
        assert (status, body) == (404, b"")
        assert int(headers["Content-Length"]) == len(not_found)
    finally:
        server.shutdown()
        task.join(timeout=10)
        server.server_close()
    assert not task.is_alive()


# Requirements


def pinned(name):
    """Return {canonical name: (requirement, file)} of a requirements file and the files
    it includes (-r) or constrains with (-c)."""
    path = ROOT / name
    pins = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        if not line:
            continue
        where = f"{name}:{number}"
        option = re.match(r"(-r|-c|--requirement|--constraint)[\s=]+(\S+)$", line)
        if option:
            pins.update(pinned(option[2]))
            continue
        assert not line.startswith("-"), f"{where}: an option where only pins belong: {line}"
        requirement = Requirement(line)
        assert requirement.url is None and "://" not in line, f"{where}: a download address"
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{where}: not == {line}"
        assert "*" not in specifiers[0].version, f"{where}: not one exact version: {line}"
        key = canonicalize_name(requirement.name)
        assert key not in pins, f"{where}: {requirement.name} is pinned twice"
        pins[key] = (requirement, where)
    return pins


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned_with_all_it_needs(name):
    """Every pin is exact, installed at that version, and everything it needs here
    (its requirements whose markers hold, with the extras asked for) is pinned in the
    same set of files: the site installs from requirements.txt alone, the tests from
    requirements-dev.txt, and nothing floats."""
    pins = pinned(name)
    missing = []
    for key, (requirement, where) in sorted(pins.items()):
        wanted = next(iter(requirement.specifier)).version
        try:
            installed = distribution(requirement.name)
        except PackageNotFoundError:
            pytest.fail(f"{where}: {requirement.name} is pinned but not installed here")
        assert installed.version == wanted, f"{where}: {key} {installed.version} is installed"
        for needed in map(Requirement, installed.requires or []):
            environments = [{"extra": extra} for extra in requirement.extras or [""]]
            if needed.marker and not any(needed.marker.evaluate(e) for e in environments):
                continue
            if canonicalize_name(needed.name) not in pins:
                missing.append(f"{needed.name} (needed by {requirement.name})")
    assert missing == [], f"not pinned in {name}: {', '.join(sorted(set(missing)))}"
