"""Pure functions of the plugin: parsing, alias keys, sanitising, threading, figures."""

import datetime

import markdown
import pytest

from newsroom.authors import AuthorRecord
from newsroom.comments import Comment, sanitize, thread
from newsroom.errors import ContentError
from newsroom.frontmatter import parse_record
from newsroom.markup import plain_text
from newsroom.prose import ProseExtension
from newsroom.topics import tag_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("al-Shabaab", "al shabaab"),
        ("Al Shabaab", "al shabaab"),
        ("AL SHABAAB", "al shabaab"),
        ("Jama'atu Ahlis Sunna", "jama atu ahlis sunna"),
        ("Daésh", "daesh"),
        ("  ISIS ", "isis"),
    ],
)
def test_tag_key_folds_case_diacritics_and_punctuation(name, key):
    """Names that differ only by case, accents or punctuation share one key."""
    assert tag_key(name) == key


def test_parse_record_keeps_lines_and_body():
    """Headers are read with their line numbers and the body follows the blank line."""
    record = parse_record("Name: A\nRole: B\n\nBody *text*.\n", "x.md")
    assert record.meta == {"name": "A", "role": "B"}
    assert record.lines == {"name": 1, "role": 2}
    assert record.body == "Body *text*."


@pytest.mark.parametrize(
    ("text", "field", "line"),
    [
        ("Name: A\nName: B\n\nx", "Name", 2),
        ("just prose\n", "header", 1),
    ],
)
def test_parse_record_rejects_bad_headers(text, field, line):
    """A duplicate key or a missing header block is an error with its line."""
    with pytest.raises(ContentError) as error:
        parse_record(text, "x.md")
    assert (error.value.problem.field, error.value.problem.line) == (field, line)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<p style="background:url(x)">x</p>',
        "<svg><script>alert(1)</script></svg>",
        '<object data="x"></object>',
    ],
)
def test_sanitize_removes_everything_executable(hostile):
    """Scripts, handlers, frames, styles and javascript: URLs never survive."""
    clean = sanitize(hostile).lower()
    for marker in ("<script", "onerror", "javascript", "<iframe", "style=", "<svg", "<object"):
        assert marker not in clean


def test_sanitize_keeps_reader_formatting():
    """Emphasis, quotes, lists and safe links survive with rel=nofollow ugc."""
    clean = sanitize("> quoted\n\n*em* and [link](https://example.org)\n\n- a\n- b")
    assert "<blockquote>" in clean and "<em>em</em>" in clean and "<li>a</li>" in clean
    assert 'rel="nofollow ugc"' in clean


def make_comment(id, reply_to=None, minute=0):
    """Build a comment for threading tests."""
    return Comment(id, "n", datetime.datetime(2020, 1, 1, 0, minute), "<p>x</p>", reply_to, id)


def test_thread_nests_replies_and_flattens_deeper_ones():
    """Replies join their top-level comment; a reply to a reply joins the same thread."""
    problems = []
    roots = thread(
        [
            make_comment("a"),
            make_comment("b", "a", 1),
            make_comment("c", "b", 2),
            make_comment("d", None, 3),
        ],
        problems,
    )
    assert [r.id for r in roots] == ["a", "d"]
    assert [r.id for r in roots[0].replies] == ["b", "c"]
    assert problems == []


def test_thread_reports_broken_and_circular_replies():
    """A reply to a missing comment, or a loop of replies, is reported."""
    problems = []
    thread([make_comment("a", "zz"), make_comment("b", "c"), make_comment("c", "b")], problems)
    assert sorted(p.path for p in problems) == ["a", "b", "c"]


def test_lone_titled_image_becomes_a_figure():
    """`![alt](src "caption")` alone in a paragraph renders as a figure with a caption."""
    html = markdown.markdown('![A chart](c.svg "Figure 1. Caption")', extensions=[ProseExtension()])
    assert html == (
        '<figure><img alt="A chart" src="c.svg" />'
        "<figcaption>Figure 1. Caption</figcaption></figure>"
    )
    inline = markdown.markdown('Text ![A](c.svg "T")', extensions=[ProseExtension()])
    assert "<figure>" not in inline


def test_plain_text_strips_typogrify_markup():
    """Typogrify's spans and entities come out as plain characters."""
    assert plain_text('<span class="caps">ISIS</span>&#8217;s &amp; Q&nbsp;A') == "ISIS’s & Q A"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Claire Dubois", "CD"),
        ("Amina Yusuf Hassan", "AH"),
        ("Plato", "P"),
    ],
)
def test_initials(name, initials):
    """Authors without photos show up to two initials."""
    assert AuthorRecord(name, "s", "", "", None).initials == initials


def test_reading_time_and_toc_threshold():
    """Reading time rounds up; a contents list needs at least four sections."""
    from newsroom.reading import reading_minutes, table_of_contents

    assert reading_minutes("<p>" + "word " * 221 + "</p>") == 2
    assert reading_minutes("") == 1
    three = "".join(f'<h2 id="s{i}">S{i}</h2><p>x</p>' for i in range(3))
    assert table_of_contents(three) == []
    four = three + '<h2 id="s3">S3<a class="headerlink" href="#s3">#</a></h2><h3 id="t">T</h3>'
    entries = table_of_contents(four)
    assert [(e.level, e.anchor, str(e.title)) for e in entries][-2:] == [
        (2, "s3", "S3"),
        (3, "t", "T"),
    ]


class Thing:
    """A stand-in for Pelican's Tag and Article, hashable by identity."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def related_site():
    """Five articles for the related ranking: (me, topic_old, topic_new, plain, other)."""

    def tag(name, topic=False):
        return Thing(name=name, topic=object() if topic else None)

    state, france, iraq = tag("Islamic State", True), tag("France"), tag("Iraq")

    def article(url, year, *tags):
        return Thing(
            url=url,
            source_path=url,
            date=datetime.datetime(year, 1, 1),
            tags=list(tags),
            category="Analysis",
        )

    return (
        article("me", 2018, state, france),
        article("topic-old", 2014, state),
        article("topic-new", 2024, state),
        article("plain", 2024, france),
        article("other", 2024, iraq),
    )


def test_related_prefers_shared_topics_and_recent_work():
    """Related ranks shared tracked topics above plain tags, newer above older, never itself."""
    from newsroom.related import attach_related

    me, topic_old, topic_new, _plain, other = site = related_site()
    attach_related(list(site))
    assert [a.url for a in me.related] == ["topic-new", "topic-old", "plain"]
    assert me.topic_newer is topic_new and me.topic_older is topic_old
    assert me.main_topic is me.tags[0]
    assert [a.url for a in other.related][:3] and other not in other.related


def test_related_results_are_taken_from_the_cache_only_while_their_inputs_stand(
    tmp_path, monkeypatch
):
    """A build with the same dates, sections and tags takes the last build's ranking, on
    this build's own articles; a changed tag ranks again."""
    from newsroom_speed import related_cache

    def results(site):
        return [
            (
                [r.url for r in a.related],
                a.main_topic and a.main_topic.name,
                a.topic_newer and a.topic_newer.url,
                a.topic_older and a.topic_older.url,
            )
            for a in site
        ]

    first = related_site()
    related_cache.attach_related_cached(list(first), tmp_path)
    assert (tmp_path / related_cache.RELATED_CACHE).is_file()

    def no_ranking(articles):
        raise AssertionError("ranked again")

    second = related_site()  # new objects, same inputs
    with monkeypatch.context() as patch:
        patch.setattr(related_cache, "attach_related", no_ranking)
        related_cache.attach_related_cached(list(second), tmp_path)
    assert results(second) == results(first)
    assert all(r in second for a in second for r in a.related)  # this build's articles
    assert second[0].main_topic is second[0].tags[0]

    third = related_site()
    third[3].tags.append(third[0].tags[0])  # "plain" now shares the tracked topic too
    related_cache.attach_related_cached(list(third), tmp_path)
    assert results(third) != results(first)
    assert [a.url for a in third[0].related][:2] == ["plain", "topic-new"]


def test_frozen_blocks_nest_and_the_outermost_gives_the_objects_back():
    """collector.frozen(): objects stay out of collections until the outermost block ends."""
    import gc

    from newsroom_speed.collector import frozen

    assert gc.get_freeze_count() == 0
    with frozen():
        outer = gc.get_freeze_count()
        with frozen():
            pass
        assert gc.get_freeze_count() >= outer > 0  # the inner block left them frozen
    assert gc.get_freeze_count() == 0


def test_dates_of_picks_what_pelicans_search_picks():
    """lookups.dates_of gives, for every list, Pelican's [a for a in dates if a in articles]:
    same articles, same order, duplicates and strangers included."""
    import random

    from newsroom_speed.lookups import dates_of

    rng = random.Random(7)
    dates = [object() for _ in range(200)]
    strangers = [object() for _ in range(5)]
    groups = []
    for _ in range(40):
        group = rng.sample(dates, rng.randint(0, 30)) + rng.sample(strangers, 1)
        groups.append(group + group[:3])  # an article listed twice
    groups.append([])
    expected = [[a for a in dates if a in group] for group in groups]
    assert dates_of(dates, groups) == expected
