"""Bad content stops the build with every problem named by file, line and fix."""

import json
import subprocess
import sys

import pytest

from conftest import LAYERS, ROOT, build, pelican_cli
from newsroom.errors import BuildStopped


def build_expecting_errors(content, tmp_path):
    """Build and return the problems the build stopped on."""
    with pytest.raises(BuildStopped) as stopped:
        build(content, tmp_path / "output")
    assert stopped.value.code.startswith("Build stopped:")
    return stopped.value.problems


def test_unknown_author_names_file_and_line(fixture_content, tmp_path):
    """An author without a record stops the build, naming file, line and known authors."""
    article = fixture_content / "articles" / "alias-isis.md"
    article.write_text(article.read_text().replace("Authors: Ada Reyes", "Authors: Ada Reyez"))
    problems = build_expecting_errors(fixture_content, tmp_path)
    assert len(problems) == 1
    message = str(problems[0])
    assert message.startswith(f"{article}:3: Authors: 'Ada Reyez' has no author record")
    assert "Ada Reyes" in message and "content/authors/" in message


def test_comment_on_missing_article_names_the_file(fixture_content, tmp_path):
    """A comment whose folder names no article is an error naming the comment file."""
    orphan = fixture_content / "comments" / "no-such-article"
    orphan.mkdir()
    (orphan / "01-x.md").write_text("Name: X\nDate: 2021-01-01 10:00\n\nHello.\n")
    problems = build_expecting_errors(fixture_content, tmp_path)
    assert [p.path for p in problems] == [str(orphan / "01-x.md")]
    assert "no-such-article" in problems[0].message


def test_all_problems_are_reported_at_once(fixture_content, tmp_path):
    """Several broken files produce one report listing all of them."""
    topic = fixture_content / "topics" / "al-shabaab.md"
    topic.write_text(topic.read_text().replace("Aliases: al-Shabaab", "Aliases: ISIS, al-Shabaab"))
    reply = fixture_content / "comments" / "hostile-comment-target" / "02-reply.md"
    reply.write_text(reply.read_text().replace("Reply-To: 01-mallory", "Reply-To: 09-nobody"))
    article = fixture_content / "articles" / "alias-shabaab.md"
    article.write_text(article.read_text().replace("Ben Cole", "Nobody Known"))
    problems = build_expecting_errors(fixture_content, tmp_path)
    fields = sorted(p.field for p in problems)
    assert fields == ["Aliases", "Authors", "Reply-To"]
    alias = next(p for p in problems if p.field == "Aliases")
    assert alias.line == 3 and "'ISIS' already leads to" in alias.message


def test_author_record_needs_a_name(fixture_content, tmp_path):
    """An author record without Name is reported with its file and field."""
    (fixture_content / "authors" / "nameless.md").write_text("Role: Ghost\n\nA bio.\n")
    problems = build_expecting_errors(fixture_content, tmp_path)
    assert [(p.field, p.message) for p in problems] == [("Name", "is missing or empty")]


def test_related_topic_must_exist(fixture_content, tmp_path):
    """A Related slug that is not a topic is reported with the known slugs."""
    topic = fixture_content / "topics" / "islamic-state.md"
    topic.write_text(topic.read_text().replace("Related: al-shabaab", "Related: al-shabab"))
    problems = build_expecting_errors(fixture_content, tmp_path)
    assert len(problems) == 1 and problems[0].line == 4
    assert "known: al-shabaab, islamic-state" in problems[0].message


def test_unknown_plugin_setting_is_refused(fixture_content, tmp_path):
    """A misspelled NEWSROOM key stops the build and lists the allowed keys."""
    with pytest.raises(Exception, match="unknown keys \\['topic_path'\\]"):
        build(fixture_content, tmp_path / "out", NEWSROOM={"topic_path": "x"})


def test_failed_build_reports_cleanly_from_the_command_line(fixture_content, tmp_path):
    """`pelican` exits non-zero and prints the problem without a traceback."""
    article = fixture_content / "articles" / "alias-isis.md"
    article.write_text(article.read_text().replace("Ada Reyes", "Ada Reyez"))
    result = pelican_cli(fixture_content, tmp_path / "out")
    assert result.returncode == 1
    assert "alias-isis.md:3: Authors: 'Ada Reyez' has no author record" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# What `invoke build` runs (tasks.build_or_exit), in a process of its own as there.
BUILD_BEFORE_EXIT = """
import json, sys
sys.path.insert(0, "plugins")
from newsroom_tools.build import build_before_exit
sys.exit(0 if build_before_exit("pelicanconf.py", **json.loads(sys.argv[1])) else 1)
"""


def test_command_line_build_exits_on_bad_content_and_keeps_the_last_good_site(
    fixture_content, tmp_path
):
    """The build behind `invoke build` succeeds, then on bad content exits 1 with the
    problem named, leaving the last good build's pages as they were."""
    output = tmp_path / "output"
    override = {"PATH": fixture_content, "OUTPUT_PATH": output, "CACHE_PATH": tmp_path / "cache"}
    override.update(LAYERS)
    command = [sys.executable, "-c", BUILD_BEFORE_EXIT, json.dumps(override, default=str)]

    def build_before_exit():
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)

    first = build_before_exit()
    assert first.returncode == 0, first.stderr
    page = output / "2020" / "01" / "alias-isis" / "index.html"
    good = page.read_bytes()
    article = fixture_content / "articles" / "alias-isis.md"
    article.write_text(article.read_text().replace("Ada Reyes", "Ada Reyez"))
    failed = build_before_exit()
    assert failed.returncode == 1
    assert "alias-isis.md:3: Authors: 'Ada Reyez' has no author record" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert page.read_bytes() == good
