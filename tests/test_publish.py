"""Going live: the production build, and `invoke publish` to rsync, S3 and GitHub Pages."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from pelican import signals
from pelican.settings import read_settings

from conftest import ROOT, build
from newsroom.errors import BuildStopped
from newsroom.redirects import QUERY_MAP, REDIRECT_MAP
from newsroom_tools.deploy import (
    CACHE_ASSET,
    CACHE_IMMUTABLE,
    CACHE_PAGE,
    DeployError,
    deploy_settings,
    publish,
    rsync_steps,
    site_files,
)

SITEURL = "https://militancymonitor.example"
ISIS = "2020/01/alias-isis/index.html"


@pytest.fixture
def production(fixture_content, tmp_path):
    """A production build of the tiny site (with a legacy address), and a way to rebuild it."""
    article = fixture_content / "articles" / "alias-shabaab.md"
    article.write_text(
        article.read_text().replace(
            "Slug: alias-shabaab\n", "Slug: alias-shabaab\nRedirect_from: /old/shabaab.php\n"
        )
    )

    def rebuild():
        return build(fixture_content, tmp_path / "output", "publishconf.py")

    return rebuild(), rebuild


def with_targets(site, **targets):
    """Return the site's settings with SITE_DEPLOY set to these targets, in order."""
    return {**site.settings, "SITE_DEPLOY": {"targets": list(targets), **targets}}


def said():
    """Return a `say` function that keeps what it is given, and the list it fills."""
    lines = []
    return lines.append, lines


def test_publishconf_changes_only_what_production_needs():
    """Production: absolute URLs and feeds, fatal warnings, compressed copies, deploy targets."""
    local = read_settings(str(ROOT / "pelicanconf.py"))
    production = read_settings(str(ROOT / "publishconf.py"))
    assert production["SITEURL"] == production["FEED_DOMAIN"] == SITEURL
    assert production["SITE_FATAL_WARNINGS"] and production["SITE_PRECOMPRESS"]
    assert not local.get("SITE_FATAL_WARNINGS") and not local.get("SITE_PRECOMPRESS")
    assert production["DRAFT_SAVE_AS"] == local["DRAFT_SAVE_AS"] == ""
    assert list(deploy_settings(production)) == production["SITE_DEPLOY"]["targets"]
    changed = {key for key in production if production[key] != local.get(key)}
    assert changed <= {
        "SITEURL",
        "FEED_DOMAIN",
        "RELATIVE_URLS",
        "DELETE_OUTPUT_DIRECTORY",
        "SITE_FATAL_WARNINGS",
        "SITE_PRECOMPRESS",
        "SITE_DEPLOY",
        "SITE_COMMENTS_API",  # the form posts to the comment server (tests/test_comment_server.py)
        "SITE_COMMENTS_SERVER",  # and publish pulls approved comments from it first
    }


def test_a_different_url_comes_from_extra_settings(fixture_content, tmp_path):
    """-e SITEURL=... moves canonical links and feeds together; no environment variables."""
    staging = "https://staging.militancymonitor.example"
    site = build(fixture_content, tmp_path / "out", "publishconf.py", SITEURL=staging)
    assert site.html("/").select_one("link[rel=canonical]")["href"] == staging + "/"
    links = [e.get("href") for e in site.xml("/feeds/atom.xml").iter("{*}link")]
    assert links and all(link.startswith(staging + "/") for link in links), links


def test_production_pages_and_feeds_use_full_urls(production):
    """Canonical links and feed links name the production host."""
    site, _ = production
    assert site.html(ISIS).select_one("link[rel=canonical]")["href"] == f"{SITEURL}/{ISIS[:-10]}"
    links = [e.get("href") for e in site.xml("/feeds/atom.xml").iter("{*}link")]
    assert links and all(link.startswith(SITEURL + "/") for link in links), links


def test_every_text_file_has_compressed_copies(production):
    """Beside each HTML, CSS, JS, XML and JSON file: a .gz and a .br of the same bytes."""
    site, _ = production
    checked = 0
    for path in sorted(site.output.rglob("*")):
        if path.suffix not in {".html", ".css", ".js", ".xml", ".json"}:
            continue
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(data) > 200:  # tiny files are left alone when compressing would not help
            assert gz.is_file() and br.is_file(), path
        if gz.is_file():
            assert gzip.decompress(gz.read_bytes()) == data, gz
            assert gz.read_bytes()[4:8] == b"\0\0\0\0", "gzip header carries a timestamp"
        if br.is_file():
            assert brotli.decompress(br.read_bytes()) == data, br
        checked += 1
    assert checked > 20


def test_local_builds_are_not_compressed(tiny_site):
    """Local builds skip the compression work; nothing .gz or .br is written."""
    assert not [p for p in tiny_site.output.rglob("*") if p.suffix in (".gz", ".br")]


WARNER = '''"""A test plugin that logs a warning when TEST_WARNING is set."""
import logging

from pelican import signals


def warn(generator):
    if generator.settings.get("TEST_WARNING"):
        logging.getLogger("pelican.test_warner").warning(generator.settings["TEST_WARNING"])


def register():
    signals.article_generator_finalized.connect(warn)
'''


@pytest.fixture
def warner(tmp_path):
    """Settings that load a plugin logging one warning; disconnected afterwards."""
    folder = tmp_path / "warner-plugin"
    folder.mkdir()
    (folder / "test_warner.py").write_text(WARNER)
    yield {
        "PLUGINS": ["newsroom", "test_warner"],
        "PLUGIN_PATHS": [str(ROOT / "plugins"), str(folder)],
        "TEST_WARNING": "Unable to find 'missing.md', skipping url replacement.",
    }
    module = sys.modules.pop("test_warner", None)
    if module:
        signals.article_generator_finalized.disconnect(module.warn)


def test_warnings_stop_a_production_build(fixture_content, tmp_path, warner):
    """A warning is printed in a local build but stops a production one, output untouched."""
    build(fixture_content, tmp_path / "local", **warner)
    with pytest.raises(BuildStopped) as stopped:
        build(fixture_content, tmp_path / "production", "publishconf.py", **warner)
    (problem,) = stopped.value.problems
    assert problem.field == "warning" and "Unable to find 'missing.md'" in problem.message
    assert not (tmp_path / "production").exists()


@pytest.mark.parametrize(
    ("deploy", "words"),
    [
        (None, "SITE_DEPLOY is not set"),
        ({"targets": ["ftp"], "ftp": {}}, "unknown keys ['ftp']"),
        ({"targets": ["ftp"]}, "'ftp' is not a target"),
        ({"targets": "rsync", "rsync": {"destination": "h:/x/"}}, "must list the targets"),
        ({"targets": []}, "must list the targets"),
        ({"targets": ["rsync"]}, "SITE_DEPLOY['rsync'] is missing"),
        ({"targets": ["rsync"], "rsync": {}}, "['destination'] must be a non-empty string"),
        ({"targets": ["rsync"], "rsync": {"destination": "h:/x/", "dest": 1}}, "unknown keys"),
        ({"targets": ["rsync", "rsync"], "rsync": {"destination": "/x/"}}, "listed twice"),
        ({"targets": ["s3"], "s3": {"bucket": "s3://Bucket"}}, "is not a bucket name"),
        ({"targets": ["s3"], "s3": {"bucket": "b-1", "endpoint_url": "x"}}, "https://"),
        ({"targets": ["ghpages"], "ghpages": {"branch": "-f"}}, "is not a git name"),
    ],
)
def test_deploy_settings_are_checked(deploy, words):
    """A wrong SITE_DEPLOY is refused with what is wrong and what would be right."""
    with pytest.raises(DeployError) as error:
        deploy_settings({"SITE_DEPLOY": deploy})
    assert words in str(error.value)


def test_rsync_uploads_assets_first_and_deletes_last(production, tmp_path):
    """Pass one lists only assets, pass two adds pages without deleting, pass three deletes."""
    site, _ = production
    files = site_files(site.output)
    steps = rsync_steps(site.output, {"destination": "h:/www/"}, files, tmp_path)
    listed = Path(next(a for a in steps[0].argv if a.startswith("--files-from=")).split("=")[1])
    first = listed.read_text().split()
    assert any(name.endswith(".css") for name in first)
    assert any(name.startswith("theme/images/") for name in first)
    documents = [
        name
        for name in first
        if Path(name.removesuffix(".gz").removesuffix(".br")).suffix in {".html", ".xml", ".php"}
    ]
    assert documents == [] and REDIRECT_MAP not in first and QUERY_MAP not in first
    assert ["--delete" in step.argv for step in steps] == [False, False, True]
    assert {"--existing", "--ignore-existing"} <= set(steps[2].argv)
    assert all(step.argv[-2:] == [f"{site.output}/", "h:/www/"] for step in steps)


def test_rsync_publishes_and_a_second_publish_deletes(production, fixture_content, tmp_path):
    """Through the real rsync: a full copy, then a removed article's page is gone."""
    site, rebuild = production
    www = tmp_path / "www"
    settings = with_targets(site, rsync={"destination": str(www)})
    publish(settings, say=lambda line: None)
    assert (www / ISIS).read_bytes() == (site.output / ISIS).read_bytes()
    assert (www / "old" / "shabaab.php").is_file() and (www / REDIRECT_MAP).is_file()
    assert (www / QUERY_MAP).is_file()  # nginx includes it, empty or not
    assert (www / "index.html.br").is_file()
    (fixture_content / "articles" / "alias-isis.md").unlink()
    site = rebuild()
    publish(settings, say=lambda line: None)
    assert not (www / ISIS).exists()
    remaining = sorted(p.relative_to(www) for p in www.rglob("*") if p.is_file())
    assert remaining == sorted(
        p.relative_to(site.output) for p in site.output.rglob("*") if p.is_file()
    )


def test_rsync_dry_run_lists_changes_and_changes_nothing(production, fixture_content, capfd):
    """--dry-run names the page it would delete, and the destination stays as it was."""
    site, rebuild = production
    www = site.output.parent / "www"
    settings = with_targets(site, rsync={"destination": str(www)})
    publish(settings, say=lambda line: None)
    (fixture_content / "articles" / "alias-isis.md").unlink()
    rebuild()
    capfd.readouterr()
    say, lines = said()
    publish(settings, dry_run=True, say=say)
    out = capfd.readouterr().out
    assert f"*deleting   {ISIS}" in out
    assert (www / ISIS).is_file()
    assert lines[-1] == "Dry run finished; nothing was changed."


def test_remote_dry_run_explains_without_the_network(production):
    """For host:path destinations a dry run prints the three commands and asks no server."""
    site, _ = production
    say, lines = said()
    settings = with_targets(site, rsync={"destination": "deploy@host.invalid:/var/www/site"})
    publish(settings, dry_run=True, say=say)
    text = "\n".join(lines)
    assert text.count("$ rsync ") == 3 and "deploy@host.invalid:/var/www/site/" in text
    assert "--compare asks it" in text


def test_a_failed_build_is_never_published(production, fixture_content, tmp_path):
    """After a build that stopped, or with output failing the checks, nothing is uploaded."""
    site, rebuild = production
    www = tmp_path / "www"
    settings = with_targets(site, rsync={"destination": str(www)})
    article = fixture_content / "articles" / "alias-isis.md"
    good = article.read_text()
    article.write_text(good.replace("Category: Analysis", "Category: Nonsense"))
    with pytest.raises(BuildStopped):
        rebuild()
    assert (site.output / "index.html").is_file()  # the last good build is still there
    with pytest.raises(DeployError, match="stopped before it finished"):
        publish(settings, say=lambda line: None)
    article.write_text(good)
    rebuild()
    page = site.output / ISIS
    page.write_text(page.read_text().replace("</main>", '<a href="/gone/">x</a></main>'))
    with pytest.raises(DeployError, match="fails the output checks"):
        publish(settings, say=lambda line: None)
    assert not www.exists()


FAKE_AWS = """#!{python}
import json, os, sys
with open(os.environ["AWS_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.fixture
def fake_aws(tmp_path, monkeypatch):
    """An `aws` first on PATH that records each command line; returns a reader of them."""
    folder = tmp_path / "bin"
    folder.mkdir()
    aws = folder / "aws"
    aws.write_text(FAKE_AWS.format(python=sys.executable))
    aws.chmod(0o755)
    log = tmp_path / "aws.log"
    monkeypatch.setenv("AWS_LOG", str(log))
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return lambda: [json.loads(line) for line in log.read_text().splitlines()]


def option(argv, name):
    """Return the value after an option in a command line."""
    return argv[argv.index(name) + 1]


def test_s3_uploads_in_order_with_cache_headers(production, fake_aws):
    """aws s3: hashed assets and search files (a year), assets, pages, redirects as 301s,
    then deletions."""
    site, _ = production
    s3 = {"bucket": "mm-site", "prefix": "www", "endpoint_url": "https://s3.example", "region": "x"}
    publish(with_targets(site, s3=s3), say=lambda line: None)
    calls = fake_aws()
    assert all(c[:4] == ["--endpoint-url", "https://s3.example", "--region", "x"] for c in calls)
    commands = [c[4:] for c in calls]
    assert [c[:2] for c in commands] == [["s3", "sync"]] * 3 + [["s3", "cp"], ["s3", "sync"]]
    assert all("s3://mm-site/www/" in c[3] for c in commands)
    immutable, assets, pages, redirect, delete = commands
    assert option(immutable, "--cache-control") == CACHE_IMMUTABLE
    included = [immutable[i + 1] for i, a in enumerate(immutable) if a == "--include"]
    assert included and all(name.startswith("theme/") for name in included[:-1])
    assert included[-1] == "search-index/*/*"  # every index file, named by its contents
    assert {"*.gz", "*.br"} <= set(immutable[immutable.index("search-index/*/*") :])
    assert option(assets, "--cache-control") == CACHE_ASSET and "*.html" in assets
    assert "search-index/index.json" in assets  # the manifest goes with the pages
    assert option(pages, "--cache-control") == CACHE_PAGE and "*.html" not in pages
    for command in (assets, pages, delete):
        assert {"*.gz", "*.br", REDIRECT_MAP, QUERY_MAP, "old/shabaab.php"} <= set(command)
    assert redirect[3] == "s3://mm-site/www/old/shabaab.php"
    assert option(redirect, "--website-redirect") == f"{SITEURL}/2020/02/alias-shabaab/"
    assert option(redirect, "--content-type") == "text/html; charset=utf-8"
    assert "--delete" in delete and all("--delete" not in c for c in commands[:-1])


def test_s3_compare_is_the_same_commands_dry(production, fake_aws):
    """--dry-run --compare runs every aws command with --dryrun and nothing else."""
    site, _ = production
    settings = with_targets(site, s3={"bucket": "mm-site"})
    publish(settings, dry_run=True, compare=True, say=lambda line: None)
    calls = fake_aws()
    assert len(calls) == 5 and all(call[-1] == "--dryrun" for call in calls)


def test_s3_without_the_aws_cli(production, tmp_path, monkeypatch):
    """Without aws on PATH a dry run still explains; a real publish stops before uploading."""
    site, _ = production
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    settings = with_targets(site, s3={"bucket": "mm-site"})
    say, lines = said()
    publish(settings, dry_run=True, say=say)
    assert any("aws s3 sync" in line for line in lines)
    assert any("not installed here" in line for line in lines)
    with pytest.raises(DeployError, match="needs the AWS CLI"):
        publish(settings, say=lambda line: None)


@pytest.fixture
def git_repos(tmp_path, monkeypatch):
    """A working repository whose `origin` is a local bare repository, with a git identity."""
    home = tmp_path / "git-home"
    home.mkdir()
    (home / ".gitconfig").write_text("")
    for key, value in {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }.items():
        monkeypatch.setenv(key, value)
    bare, work = tmp_path / "pages.git", tmp_path / "work"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "remote", "add", "origin", str(bare)], check=True)
    return bare, work


def branch_files(bare, branch="gh-pages"):
    """Return the file names on a branch of a bare repository."""
    listing = subprocess.run(
        ["git", "--git-dir", str(bare), "ls-tree", "-r", "--name-only", branch],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(listing.stdout.split())


def test_github_pages_publish_into_a_bare_repository(production, fixture_content, git_repos):
    """ghp-import commits the site (no .gz/.br, no nginx map) and a republish drops a page."""
    site, rebuild = production
    bare, work = git_repos
    settings = with_targets(site, ghpages={"cname": "militancymonitor.example"})
    publish(settings, repo=work, say=lambda line: None)
    files = branch_files(bare)
    assert {"index.html", ISIS, ".nojekyll", "CNAME", "old/shabaab.php"} <= files
    assert not [f for f in files if f.endswith((".gz", ".br")) or f in (REDIRECT_MAP, QUERY_MAP)]
    (fixture_content / "articles" / "alias-isis.md").unlink()
    rebuild()
    say, lines = said()
    publish(settings, dry_run=True, repo=work, say=say)
    assert f"    - {ISIS}" in lines and ISIS in branch_files(bare)
    publish(settings, repo=work, say=lambda line: None)
    assert ISIS not in branch_files(bare)
    log = subprocess.run(
        ["git", "--git-dir", str(bare), "rev-list", "--count", "gh-pages"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert log.stdout.strip() == "2"  # history kept: the second publish follows the first


def test_invoke_publish_dry_run_explains_each_target(fixture_content, tmp_path):
    """`invoke publish --dry-run` builds, checks, and explains every configured target."""
    deploy = {
        "targets": ["rsync", "s3", "ghpages"],
        "rsync": {"destination": str(tmp_path / "www")},
        "s3": {"bucket": "mm-site"},
        "ghpages": {},
    }
    overrides = {
        "PATH": str(fixture_content),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "SITE_DEPLOY": deploy,
    }
    extra = [arg for k, v in overrides.items() for arg in ("-e", f"{k}={json.dumps(v)}")]
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--dry-run", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for words in ("rsync to ", "S3 bucket s3://mm-site/", "GitHub Pages: branch 'gh-pages'"):
        assert words in result.stdout
    assert result.stdout.rstrip().endswith("Dry run finished; nothing was changed.")
    assert not (tmp_path / "www").exists()


def test_invoke_publish_refuses_an_unknown_target_before_building(tmp_path):
    """A target that SITE_DEPLOY does not know stops the task before any build."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "publish",
            "--dry-run",
            "--target",
            "ftp",
            "-e",
            f"OUTPUT_PATH={json.dumps(str(tmp_path / 'output'))}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "publish: 'ftp' is not a target" in result.stderr
    assert not (tmp_path / "output").exists()
