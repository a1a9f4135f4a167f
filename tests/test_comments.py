"""Reader comments: counts, one level of replies, and hostile input made inert."""

import re

from conftest import ROOT
from sources import source_articles


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
