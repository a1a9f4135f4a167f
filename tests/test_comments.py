"""Reader comments: counts, one level of replies, and hostile input made inert."""

import dataclasses
import gzip
import re
import shutil

import brotli
import pytest

from conftest import FIXTURES, ROOT, build
from newsroom.comments import comment_from_record, safe_website
from newsroom.frontmatter import parse_record
from sources import source_articles

TARGET = "/2020/03/hostile-comment-target/"
# Commenters' email addresses: each local part is unique, so a copy of it anywhere
# (however the @ is escaped) is found.
EMAILS = {
    "http": "zq-http-reader@mail.example",
    "https": "zq-https-reader@mail.example",
    "javascript": "zq-js-reader@mail.example",
    "relative": "zq-relative-reader@mail.example",
    "data": "zq-data-reader@mail.example",
    "mailto": "zq-mailto-reader@mail.example",
}
WEBSITES = {
    "http": "http://http-reader.example/blog?a=1&b=2",
    "https": "https://https-reader.example/",
    "javascript": "javascript:alert('HOSTILE-WEBSITE')",
    "relative": "/2020/03/hostile-comment-target/",
    "data": "data:text/html,<script>alert(1)</script>",
    "mailto": "mailto:zq-mailto-reader@mail.example",
}


def comment_files(slug):
    """Return the comment files written for an article."""
    return sorted((ROOT / "content" / "comments" / slug).glob("*.md"))


def test_comment_counts_match_the_files(site):
    """Each article shows as many comments as it has files, with a correct heading."""
    seen = 0
    for article in source_articles(ROOT / "content"):
        count = len(comment_files(article.slug))
        page = site.html(article.url)
        assert len(page.select(".comment")) == count
        heading = page.select_one("#comments-title").get_text(strip=True)
        if count:
            seen += 1
            assert heading == f"{count} {'Comment' if count == 1 else 'Comments'}"
        else:
            assert heading == "Comments"
    assert seen >= 2


def test_replies_nest_one_level(site):
    """A reply is rendered inside its parent's thread, one level deep."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    replies = page.select(".comment-list > li > .comment-replies > li > .comment")
    assert replies
    assert not page.select(".comment-replies .comment-replies")


def test_comment_heading_singular(tiny_site):
    """Two comments (one a reply) read '2 Comments'; threads keep their order."""
    page = tiny_site.html("/2020/03/hostile-comment-target/")
    assert page.select_one("#comments-title").get_text(strip=True) == "2 Comments"
    assert page.select_one(".comment-replies .comment-author").get_text() == "Ben Cole (author)"


def test_hostile_comment_is_inert(tiny_site):
    """No script, handler, style, iframe or javascript: URL survives a hostile comment."""
    page = tiny_site.html("/2020/03/hostile-comment-target/")
    comments = page.select_one(".comments")
    assert "HOSTILE" not in str(page.select("script"))
    for element in comments.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), element
            assert attribute != "style", element
            values = value if isinstance(value, list) else [value]
            assert not any(re.match(r"\s*javascript:", v, re.I) for v in values), element
    for tag in ("script", "iframe", "style", "svg", "img"):
        assert not comments.select(tag), tag
    assert "HOSTILE-JS-URL" not in str(comments.select("a[href]"))
    author = comments.select_one(".comment-author").get_text()
    assert author.startswith("<script>")  # shown as text, escaped, not executed
    fair = comments.select_one('a[href="https://example.org/source"]')
    assert fair["rel"] == ["nofollow", "ugc"]


def write_comment(content, name, headers, body="A comment with contact details.\n"):
    """Write a comment on the tiny site's target article."""
    path = content / "comments" / "hostile-comment-target" / f"{name}.md"
    path.write_text(headers + "\n" + body, encoding="utf-8")
    return path


def output_texts(output):
    """Yield (path, bytes) for every file of the output, compressed copies decompressed."""
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        elif path.suffix == ".br":
            data = brotli.decompress(data)
        yield path, data


@pytest.fixture
def contact_site(fixture_content, tmp_path):
    """The tiny site with comments that carry an Email and a Website of each kind."""
    for number, kind in enumerate(EMAILS, start=3):
        write_comment(
            fixture_content,
            f"0{number}-{kind}",
            f"Name: The {kind} <reader>\n"
            f"Date: 2020-03-05 1{number}:00\n"
            f"Email: {EMAILS[kind]}\n"
            f"Website: {WEBSITES[kind]}\n",
        )
    return build(fixture_content, tmp_path / "output", SITE_PRECOMPRESS=True)


def test_comments_with_email_and_website_build(contact_site):
    """Email and Website headers are accepted: every comment is shown."""
    page = contact_site.html(TARGET)
    assert len(page.select(".comment")) == 2 + len(EMAILS)


def test_a_commenter_email_reaches_no_output_file(contact_site):
    """No page, feed, index, sitemap or compressed copy holds any part of an email address."""
    files = list(output_texts(contact_site.output))
    assert any(path.suffix == ".br" for path, _ in files)  # the compressed copies were made
    for path, data in files:
        for email in EMAILS.values():
            local = email.split("@")[0].encode()
            assert local not in data, f"{email} is in {path}"


def test_an_http_website_links_the_name(contact_site):
    """An http(s) website links the commenter's name, rel="nofollow ugc", escaped."""
    page = contact_site.html(TARGET)
    for kind in ("http", "https"):
        author = page.select_one(f"#comment-0{list(EMAILS).index(kind) + 3}-{kind} .comment-author")
        (link,) = author.select("a")
        assert link["href"] == WEBSITES[kind]
        assert link["rel"] == ["nofollow", "ugc"]
        assert link.get_text() == f"The {kind} <reader>"  # the name is text, not markup
    raw = contact_site.path(TARGET).read_text(encoding="utf-8")
    assert 'href="http://http-reader.example/blog?a=1&amp;b=2"' in raw


def test_other_websites_are_not_linked(contact_site):
    """javascript:, data:, mailto: and relative websites leave the name unlinked, without error."""
    page = contact_site.html(TARGET)
    for kind in ("javascript", "relative", "data", "mailto"):
        author = page.select_one(f"#comment-0{list(EMAILS).index(kind) + 3}-{kind} .comment-author")
        assert author.get_text() == f"The {kind} <reader>"
        assert not author.select("a"), author
    raw = contact_site.path(TARGET).read_text(encoding="utf-8")
    assert "HOSTILE-WEBSITE" not in raw and "data:text/html" not in raw


def test_the_email_is_not_kept_on_the_comment():
    """A Comment holds no email address: it is left behind with the record."""
    record = parse_record(
        "Name: A Reader\nDate: 2020-03-05 10:00\nEmail: zq-kept@mail.example\n"
        "Website: https://reader.example/\n\nHello.\n",
        "comments/x/01.md",
    )
    comment = comment_from_record(record, {"TIMEZONE": "UTC"})
    assert comment.website == "https://reader.example/"
    values = dataclasses.asdict(comment)
    assert "zq-kept" not in repr(values) and "email" not in values


@pytest.mark.parametrize(
    ("value", "linked"),
    [
        ("http://reader.example", True),
        ("https://reader.example/path?q=1#top", True),
        ("HTTPS://Reader.Example/", True),
        ("  https://reader.example/  ", True),
        ("https://bücher.example/", True),
        ("http://192.0.2.1:8080/", True),
        ("http://[2001:db8::1]/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("mailto:reader@mail.example", False),
        ("ftp://reader.example/", False),
        ("/relative/path", False),
        ("reader.example", False),
        ("//reader.example/", False),
        ("http://", False),
        ("https:///path", False),
        ("http://user:secret@reader.example/", False),
        ("https://bank.example@evil.example/", False),
        ("https://reader .example/", False),
        ("https://reader.example/\tx", False),
        ("https://reader.example:port/", False),
        ("http://[2001:db8::1/", False),
        ("https://-reader-.example/", False),
        ("https://reader..example/", False),
        ("https:\\\\evil.example", False),
        ("http://<script>/", False),
        ("", False),
        (None, False),
    ],
)
def test_only_absolute_http_websites_are_linked(value, linked):
    """safe_website keeps an absolute http(s) URL with a real host, and nothing else."""
    assert (safe_website(value) is not None) == linked


def test_comments_are_typeset_like_the_site(site):
    """Reader comments get the site's typography: curly apostrophes, no straight ones in
    their text."""
    page = site.html("/2018/03/islamic-state-claims-trebes-attack/")
    texts = [c.get_text() for c in page.select(".comment-body")]
    assert texts and any("Doesn\u2019t" in text for text in texts)
    assert not any("'" in text for text in texts)


@pytest.fixture(scope="module")
def reply_chain(tmp_path_factory):
    """The tiny site with replies to replies: 03 answers 02 (itself a reply to 01), 04
    answers 03."""
    content = tmp_path_factory.mktemp("chain") / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    for name, who, answers in (("03-cleo", "Cleo", "02-reply"), ("04-dev", "Dev", "03-cleo")):
        write_comment(
            content,
            name,
            f"Name: {who}\nDate: 2020-03-07 1{name[1]}:00\nReply-To: {answers}\n",
            f"{who} answers {answers}.\n",
        )
    return build(content, tmp_path_factory.mktemp("chain-out"))


def test_a_reply_to_a_reply_names_whom_it_answers(reply_chain):
    """Replies to replies join the thread and say "In reply to" the comment they answer,
    linking to it; a reply to the top-level comment needs no such line."""
    page = reply_chain.html(TARGET)
    replies = page.select(".comment-list > li > .comment-replies > li")
    names = [li.select_one(".comment-author").get_text() for li in replies]
    assert names == ["Ben Cole (author)", "Cleo", "Dev"]
    first, cleo, dev = replies
    assert not first.select(".comment-context")
    for reply, name, anchor in ((cleo, "Ben Cole (author)", "02-reply"), (dev, "Cleo", "03-cleo")):
        context = reply.select_one(".comment-context")
        assert context.get_text(" ", strip=True) == f"In reply to {name}"
        link = context.select_one("a")
        assert link["href"] == f"#comment-{anchor}" and page.select_one(link["href"])
    assert not page.select(".comment-replies .comment-replies")
    assert page.select_one("#comments-title").get_text(strip=True) == "4 Comments"


@pytest.mark.speed_layer
def test_the_speed_layer_makes_each_comment_once(fixture_content, tmp_path, monkeypatch):
    """A second build finds every comment's HTML made: it sanitises nothing, and its pages
    are the first build's, byte for byte, and the site layer's alone."""
    import newsroom.comments

    cache = tmp_path / "cache"
    first = build(fixture_content, tmp_path / "first", cache=cache)
    alone = build(fixture_content, tmp_path / "alone", PLUGINS=["newsroom"])

    def refuse(*args, **kwargs):
        raise AssertionError("a comment was sanitised again")

    monkeypatch.setattr(newsroom.comments, "sanitize", refuse)
    second = build(fixture_content, tmp_path / "second", cache=cache)
    page = first.path(TARGET).read_bytes()
    assert b"comment-replies" in page or b'class="comment' in page
    assert second.path(TARGET).read_bytes() == page == alone.path(TARGET).read_bytes()
