"""Put the checked production build online: rsync over SSH, an S3 bucket, GitHub Pages.

One setting, SITE_DEPLOY (publishconf.py), names the targets `invoke publish`
uses and holds each one's settings. Every target uploads assets (stylesheets,
scripts, images, the search index) before the pages that reference them, and
deletes what the site no longer has only after everything else is in place,
so a reader never gets a page whose stylesheet is not there yet. A build that
failed (its staging folder is still there) or whose output fails the checks
is never uploaded.

`--dry-run` explains each target without touching the network: the steps in
order with the exact commands, and what would change wherever that can be
known here (a destination folder on this machine, the local gh-pages branch).
`--compare` also asks remote destinations (rsync --dry-run over SSH,
aws s3 sync --dryrun), which is read-only.
"""

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from newsroom.assets import FINGERPRINT
from newsroom.checks import check_output
from newsroom.output import is_running, staging_path, stopped_note
from newsroom.redirects import QUERY_MAP, REDIRECT_MAP, read_map, redirect_file
from newsroom.search import BUNDLE as SEARCH_INDEX
from newsroom.search import MANIFEST as SEARCH_MANIFEST

TARGETS = ("rsync", "s3", "ghpages")
SETTINGS = {
    "rsync": {"destination": True, "ssh": False},
    "s3": {
        "bucket": True,
        "prefix": False,
        "endpoint_url": False,
        "region": False,
        "profile": False,
    },
    "ghpages": {"remote": False, "branch": False, "cname": False},
}
GHPAGES_DEFAULTS = {"remote": "origin", "branch": "gh-pages"}
EXAMPLES = {
    "rsync": "{'destination': 'deploy@host:/var/www/militancymonitor/'}",
    "s3": "{'bucket': 'militancymonitor-site'}",
    "ghpages": "{'remote': 'origin', 'branch': 'gh-pages'}",
}
# Caching, the same as deploy/nginx.conf sends: fingerprinted names never
# change content, so a year; other assets a day; pages, feeds and redirects
# five minutes, so a correction reaches readers quickly.
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_ASSET = "public, max-age=86400"
CACHE_PAGE = "public, max-age=300"
# What readers and crawlers enter by address; everything else is an asset.
DOCUMENT_SUFFIXES = {".html", ".xml", ".txt", ".webmanifest"}
# The search index: its files (in folders below it) are named by their contents,
# immutable like fingerprinted files; its manifest changes with the site, like a page.
SEARCH_FILE = re.compile(rf"^{SEARCH_INDEX}/.+/[^/]+\.[0-9a-f]{{10}}\.json$")
SEARCH_LIST = f"{SEARCH_INDEX}/{SEARCH_MANIFEST}"
COMPRESSED_SUFFIXES = (".gz", ".br")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class DeployError(Exception):
    """Nothing (more) can be uploaded; the message says why and what to do."""


@dataclass
class Step:
    """One command of a target's plan, with what it is for."""

    title: str
    argv: list
    cwd: str | None = None


@dataclass
class SiteFiles:
    """A built site's files by how they are uploaded (paths relative to the output)."""

    fingerprinted: list = field(default_factory=list)
    assets: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    redirects: dict = field(default_factory=dict)

    @property
    def all_assets(self):
        """Return every asset, fingerprinted or not, sorted."""
        return sorted(self.fingerprinted + self.assets)


# Settings -----------------------------------------------------------------


def deploy_settings(settings, names=None):
    """Return {target: its settings} for the targets to use, refusing anything unclear."""
    given = settings.get("SITE_DEPLOY")
    if not isinstance(given, dict):
        raise DeployError(
            "SITE_DEPLOY is not set; add it to publishconf.py, for example "
            "SITE_DEPLOY = {'targets': ['rsync'], 'rsync': " + EXAMPLES["rsync"] + "}"
        )
    unknown = sorted(set(given) - {"targets", *TARGETS})
    if unknown:
        raise DeployError(
            f"SITE_DEPLOY has unknown keys {unknown}; allowed: targets, {', '.join(TARGETS)}"
        )
    chosen = names or given.get("targets")
    if isinstance(chosen, str) or not chosen or not isinstance(chosen, list | tuple):
        raise DeployError(
            "SITE_DEPLOY['targets'] must list the targets to use, such as ['rsync']; "
            f"known targets: {', '.join(TARGETS)}"
        )
    targets = {}
    for name in chosen:
        if name not in TARGETS:
            raise DeployError(f"{name!r} is not a target; known targets: {', '.join(TARGETS)}")
        if name in targets:
            raise DeployError(f"the target {name!r} is listed twice")
        targets[name] = target_settings(name, given.get(name))
    return targets


def target_settings(name, values):
    """Check one target's settings; return them with defaults filled in."""
    where = f"SITE_DEPLOY[{name!r}]"
    if not isinstance(values, dict):
        raise DeployError(f"{where} is missing; for example {EXAMPLES[name]}")
    allowed = SETTINGS[name]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise DeployError(f"{where} has unknown keys {unknown}; allowed: {', '.join(allowed)}")
    result = {**GHPAGES_DEFAULTS, **values} if name == "ghpages" else dict(values)
    for key, required in allowed.items():
        value = result.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, str) or (required and not value.strip()):
            raise DeployError(f"{where}[{key!r}] must be a non-empty string; {EXAMPLES[name]}")
    if name == "rsync":
        result["destination"] = result["destination"].rstrip("/") + "/"
    if name == "s3":
        if not _BUCKET.match(result["bucket"]):
            raise DeployError(
                f"{where}['bucket'] {result['bucket']!r} is not a bucket name: lower-case "
                "letters, digits, '.' and '-', 3 to 63 characters, without 's3://'"
            )
        prefix = result.get("prefix", "").strip("/")
        if prefix and any(part in ("", ".", "..") for part in prefix.split("/")):
            raise DeployError(f"{where}['prefix'] {prefix!r} must be a plain folder path")
        result["prefix"] = prefix
        url = result.get("endpoint_url")
        if url and not re.match(r"^https?://[^\s/]+", url):
            raise DeployError(
                f"{where}['endpoint_url'] {url!r} must start with https:// (or http://)"
            )
    if name == "ghpages":
        for key in ("remote", "branch"):
            if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", result[key]):
                raise DeployError(f"{where}[{key!r}] {result[key]!r} is not a git name")
    return result


# The build ------------------------------------------------------------------


def unfinished_builds(output):
    """Yield (staging folder, pid) for every build of output that has not been swapped in."""
    prefix = Path(staging_path(output, "")).name
    parent = Path(output).resolve().parent
    for folder in sorted(parent.glob(prefix + "*")) if parent.is_dir() else []:
        pid = folder.name.removeprefix(prefix)
        if pid.isdigit():
            yield folder, int(pid)


def check_build(output, site_url):
    """Refuse a build that failed, is still running, or whose output fails the checks."""
    output = Path(output)
    for folder, pid in unfinished_builds(output):
        if pid != os.getpid() and is_running(pid):
            raise DeployError(
                f"a build of {output} is running (process {pid}); publish once it has "
                "finished. Nothing was uploaded."
            )
        raise DeployError(
            f"the last build stopped before it finished ({folder} is still there); "
            "fix what it reported and build again. Nothing was uploaded."
        )
    if os.path.exists(stopped_note(output)):
        raise DeployError(
            f"the last build stopped before it finished ({stopped_note(output)} says so); "
            "fix what it reported and build again. Nothing was uploaded."
        )
    if not (output / "index.html").is_file():
        raise DeployError(f"{output} holds no built site; build it first. Nothing was uploaded.")
    problems = check_output(output, site_url)
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems[:20])
        raise DeployError(
            f"{output} fails the output checks ({len(problems)} problems); "
            f"nothing was uploaded:\n{listed}"
        )


def base_name(relative):
    """Return a path without a .gz or .br suffix: what a compressed copy is a copy of."""
    for suffix in COMPRESSED_SUFFIXES:
        if relative.endswith(suffix):
            return relative[: -len(suffix)]
    return relative


def site_files(output):
    """Sort a built site's files into fingerprinted assets, other assets and documents."""
    output = Path(output)
    redirects = read_map(output)
    redirect_files = {redirect_file(old) for old in redirects}
    files = SiteFiles(redirects=redirects)
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(output).as_posix()
        base = base_name(relative)
        page = PurePosixPath(base).suffix in DOCUMENT_SUFFIXES or base == SEARCH_LIST
        if page or base in (REDIRECT_MAP, QUERY_MAP) or base in redirect_files:
            files.documents.append(relative)
        elif FINGERPRINT.search(base) or SEARCH_FILE.match(base):
            files.fingerprinted.append(relative)
        else:
            files.assets.append(relative)
    return files


def count(items, noun, plural=None):
    """Return '1 file' or '3 files'."""
    return f"{len(items)} {noun if len(items) == 1 else plural or noun + 's'}"


# rsync ----------------------------------------------------------------------


def is_remote(destination):
    """Tell whether rsync would reach a destination over the network (host:path)."""
    head = destination.split("/", 1)[0]
    return ":" in head


def rsync_steps(output, config, files, work):
    """Return the three rsync passes: assets, everything, then deletions."""
    source = str(output).rstrip("/") + "/"
    destination = config["destination"]
    assets_list = Path(work, "rsync-assets.txt")
    assets_list.write_text("".join(f"{name}\n" for name in files.all_assets), encoding="utf-8")
    base = [
        "rsync",
        "--recursive",
        "--checksum",
        "--times",
        "--omit-dir-times",
        "--chmod=D0755,F0644",
        "--compress",
        "--itemize-changes",
        "--filter=P /.well-known/",  # the host's ACME challenges are not ours to delete
    ]
    if config.get("ssh"):
        base += ["--rsh", config["ssh"]]
    return [
        Step(
            f"Assets first ({count(files.all_assets, 'file')}: stylesheets, scripts, images, "
            "search index), so no page points at a file that is not there yet; nothing deleted",
            [*base, f"--files-from={assets_list}", source, destination],
        ),
        Step(
            f"Then everything else ({count(files.documents, 'file')}: pages, feeds, redirects "
            "and their compressed copies); nothing deleted",
            [*base, source, destination],
        ),
        Step(
            "Last, delete what the site no longer has (uploads nothing)",
            [*base, "--delete", "--existing", "--ignore-existing", source, destination],
        ),
    ]


# S3 -------------------------------------------------------------------------


def s3_steps(output, config, files, site_url):
    """Return the aws CLI commands: immutable assets, assets, pages, redirects, deletions."""
    source = str(output).rstrip("/") + "/"
    prefix = config["prefix"]
    bucket = f"s3://{config['bucket']}/" + (prefix + "/" if prefix else "")
    aws = ["aws"]
    for key, option in (
        ("endpoint_url", "--endpoint-url"),
        ("region", "--region"),
        ("profile", "--profile"),
    ):
        if config.get(key):
            aws += [option, config[key]]
    # S3 sends files as stored: the .gz/.br copies and the nginx rules stay home.
    skip = ["--exclude", "*.gz", "--exclude", "*.br"]
    skip += ["--exclude", REDIRECT_MAP, "--exclude", QUERY_MAP]
    redirect_files = sorted(redirect_file(old) for old in files.redirects)
    keep_redirects = [arg for name in redirect_files for arg in ("--exclude", name)]
    pages = [arg for suffix in sorted(DOCUMENT_SUFFIXES) for arg in ("--exclude", f"*{suffix}")]
    sync = [*aws, "s3", "sync", source, bucket, "--no-progress"]
    steps = []
    if files.fingerprinted:
        names = [name for name in files.fingerprinted if not name.endswith(COMPRESSED_SUFFIXES)]
        if any(SEARCH_FILE.match(name) for name in names):  # one pattern for all of them
            names = [name for name in names if not SEARCH_FILE.match(name)]
            names.append(f"{SEARCH_INDEX}/*/*")
        includes = [arg for name in names for arg in ("--include", name)]
        steps.append(
            Step(
                "Fingerprinted stylesheets and scripts and search index files, cached for a year",
                [*sync, "--exclude", "*", *includes, *skip, "--cache-control", CACHE_IMMUTABLE],
            )
        )
    steps.append(
        Step(
            "Other assets (images), cached for a day; nothing deleted",
            [
                *sync,
                *skip,
                *pages,
                *keep_redirects,
                *("--exclude", SEARCH_LIST),
                *("--cache-control", CACHE_ASSET),
            ],
        )
    )
    steps.append(
        Step(
            "Pages, feeds and the list of search shards, cached for five minutes; nothing deleted",
            [*sync, *skip, *keep_redirects, "--cache-control", CACHE_PAGE],
        )
    )
    for old, new in sorted(files.redirects.items()):
        name = redirect_file(old)
        steps.append(
            Step(
                f"Legacy address {old}: S3 website hosting answers it with a 301",
                [
                    *aws,
                    "s3",
                    "cp",
                    str(Path(output, name)),
                    bucket + name,
                    "--no-progress",
                    "--website-redirect",
                    site_url.rstrip("/") + new,
                    "--content-type",
                    "text/html; charset=utf-8",
                    "--cache-control",
                    CACHE_PAGE,
                ],
            )
        )
    steps.append(
        Step(
            "Last, delete what the site no longer has",
            [*sync, *skip, *keep_redirects, "--delete"],
        )
    )
    return steps


# GitHub Pages ---------------------------------------------------------------


def ghpages_tree(output, work):
    """Copy the site without what GitHub Pages cannot use (.gz/.br copies, nginx rules)."""
    tree = Path(work, "ghpages")
    shutil.copytree(
        output,
        tree,
        ignore=shutil.ignore_patterns("*.gz", "*.br", REDIRECT_MAP, QUERY_MAP),
        symlinks=True,
    )
    return tree


def git(repo, *args, check=True):
    """Run git in repo and return its stdout (stripped)."""
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, timeout=600, check=False
    )
    if check and result.returncode != 0:
        raise DeployError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip() if result.returncode == 0 else None


def ghpages_steps(tree, config, repo, site_url):
    """Return the ghp-import command (commit the tree to the branch and push it)."""
    commit = git(repo, "rev-parse", "--short", "HEAD", check=False)
    message = f"Publish {site_url}" + (f" from {commit}" if commit else "")
    argv = [
        sys.executable,
        "-m",
        "ghp_import",
        "--no-jekyll",
        "--remote",
        config["remote"],
        "--branch",
        config["branch"],
        "--message",
        message,
        "--push",
    ]
    if config.get("cname"):
        argv += ["--cname", config["cname"]]
    return [
        Step(
            f"Commit the site as the whole of {config['branch']!r} and push it to "
            f"{config['remote']!r}: one push, so GitHub serves assets, pages and deletions "
            "together",
            [*argv, str(tree)],
            cwd=str(repo),
        )
    ]


def blob_id(data):
    """Return the git blob id of some bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def ghpages_changes(tree, config, repo):
    """Return (added, changed, removed, ref) between the tree and the branch as git has it."""
    ref = None
    for candidate in (
        f"refs/remotes/{config['remote']}/{config['branch']}",
        f"refs/heads/{config['branch']}",
    ):
        if git(repo, "rev-parse", "--verify", "--quiet", candidate, check=False):
            ref = candidate
            break
    current = {}
    if ref:
        listing = git(repo, "ls-tree", "-r", "-z", ref) or ""
        for entry in listing.split("\0"):
            if entry:
                meta, name = entry.split("\t", 1)
                current[name] = meta.split()[2]
    new = {
        path.relative_to(tree).as_posix(): blob_id(path.read_bytes())
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }
    new[".nojekyll"] = blob_id(b"")
    if config.get("cname"):
        new["CNAME"] = blob_id(config["cname"].encode() + b"\n")
    added = sorted(set(new) - set(current))
    changed = sorted(n for n in set(new) & set(current) if new[n] != current[n])
    removed = sorted(set(current) - set(new))
    return added, changed, removed, ref


def fetch_ghpages(config, repo, say):
    """Bring the remote's branch into refs/remotes so the new commit follows it."""
    remote, branch = config["remote"], config["branch"]
    say(f"  $ git fetch {remote} {branch}")
    if git(repo, "ls-remote", "--heads", remote, branch):
        git(repo, "fetch", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")


# Running --------------------------------------------------------------------


def run(step, dry_flag=None):
    """Run a step's command (with a dry-run flag added); stop everything if it fails."""
    argv = [*step.argv]
    if dry_flag and argv[0] == "rsync":
        argv = [*argv[:-2], dry_flag, *argv[-2:]]  # options before source and destination
    elif dry_flag:
        argv.append(dry_flag)
    result = subprocess.run(argv, cwd=step.cwd, check=False)
    if result.returncode != 0:
        raise DeployError(
            f"{shlex.join(argv)} exited with status {result.returncode}; "
            "later steps (and deletions) were not run"
        )


def show_plan(steps, say):
    """Print each step and its command."""
    for number, step in enumerate(steps, start=1):
        say(f"  {number}. {step.title}")
        say(f"     $ {shlex.join(step.argv)}")


def deploy_rsync(output, config, files, work, dry_run, compare, say):
    """Upload with rsync in three passes; a dry run lists changes when it can."""
    remote = is_remote(config["destination"])
    say(f"rsync to {config['destination']} ({'over SSH' if remote else 'a folder here'})")
    steps = rsync_steps(output, config, files, work)
    show_plan(steps, say)
    explain_only = dry_run and remote and not compare
    if not shutil.which("rsync"):
        if explain_only:
            say("  rsync is not installed here; publishing with this target needs it.")
            return
        raise DeployError("rsync is not installed here (Debian: apt-get install rsync)")
    if not dry_run:
        for step in steps:
            run(step)
        return
    if explain_only:
        say("  What would change is known only to the server: --compare asks it")
        say("  (the same commands with --dry-run, over SSH; nothing is changed).")
        return
    say("  What would change (rsync --dry-run; '<f' uploads, '*deleting' deletions):")
    for step in steps[1:]:
        run(step, "--dry-run")


def deploy_s3(output, config, files, site_url, dry_run, compare, say):
    """Upload with the AWS CLI in order; a dry run explains, --compare asks the bucket."""
    say(f"S3 bucket s3://{config['bucket']}/{config['prefix']}")
    steps = s3_steps(output, config, files, site_url)
    show_plan(steps, say)
    have_aws = shutil.which("aws") is not None
    if dry_run and not compare:
        say("  What would change is known only to the bucket: --compare asks it (aws --dryrun).")
        if not have_aws:
            say("  The AWS CLI (aws) is not installed here; publishing to S3 needs it.")
        return
    if not have_aws:
        raise DeployError(
            "the s3 target needs the AWS CLI (`aws`) on PATH: `pip install awscli` or "
            "`apt-get install awscli`, then `aws configure`; nothing was uploaded"
        )
    for step in steps:
        run(step, "--dryrun" if dry_run else None)


def deploy_ghpages(output, config, work, repo, site_url, dry_run, compare, say):
    """Commit the site to the Pages branch and push it; a dry run compares with the branch."""
    say(f"GitHub Pages: branch {config['branch']!r} of remote {config['remote']!r} in {repo}")
    if not shutil.which("git"):
        raise DeployError("git is not installed here (Debian: apt-get install git)")
    if git(repo, "rev-parse", "--git-dir", check=False) is None:
        raise DeployError(f"{repo} is not a git repository; GitHub Pages publishes from one")
    tree = ghpages_tree(output, work)
    steps = ghpages_steps(tree, config, repo, site_url)
    show_plan(steps, say)
    say("  GitHub Pages has no server rules: legacy addresses get their refresh pages.")
    if not dry_run or compare:
        fetch_ghpages(config, repo, say)
    if dry_run:
        added, changed, removed, ref = ghpages_changes(tree, config, repo)
        if ref is None:
            say(f"  What would change: a first publish; all {count(added, 'file')} are new.")
            return
        say(
            f"  What would change against {ref}: {len(added)} added, {len(changed)} changed, "
            f"{len(removed)} removed"
        )
        for sign, names in (("+", added), ("~", changed), ("-", removed)):
            for name in names:
                say(f"    {sign} {name}")
        return
    for step in steps:
        run(step)


def publish(settings, names=None, dry_run=False, compare=False, repo=".", say=print):
    """Upload the built output to each target in SITE_DEPLOY (or to the named ones)."""
    targets = deploy_settings(settings, names)
    output = Path(settings["OUTPUT_PATH"])
    site_url = settings.get("SITEURL", "")
    check_build(output, site_url)
    files = site_files(output)
    say(
        f"The checked build in {output} ({site_url or 'no SITEURL'}): "
        f"{count(files.all_assets, 'asset')}, {count(files.documents, 'page or feed file')}, "
        f"{count(list(files.redirects), 'legacy address', 'legacy addresses')}."
    )
    if dry_run:
        say("Dry run: nothing is uploaded or deleted.")
    with tempfile.TemporaryDirectory(prefix="newsroom-deploy-") as work:
        for name, config in targets.items():
            say("")
            if name == "rsync":
                deploy_rsync(output, config, files, work, dry_run, compare, say)
            elif name == "s3":
                deploy_s3(output, config, files, site_url, dry_run, compare, say)
            else:
                deploy_ghpages(output, config, work, Path(repo), site_url, dry_run, compare, say)
    say("")
    say("Dry run finished; nothing was changed." if dry_run else "Published.")
    return targets


def parse_extra_settings(values):
    """Parse Pelican-style -e KEY=VALUE overrides, VALUE being JSON (a quoted string, a dict)."""
    overrides = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.isupper():
            raise DeployError(f"{item!r}: write KEY=VALUE, such as SITEURL='\"https://x.example\"'")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError as error:
            raise DeployError(f"{item!r}: the value is not JSON ({error}); quote strings") from None
    return overrides
