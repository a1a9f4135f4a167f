"""Our faster typogrify gives typogrify's output byte for byte.

newsroom_speed.typography skips work typogrify's filters would do for nothing and reads
each block's end backwards instead of trying widont()'s pattern everywhere. The
reference here is typogrify.filters.typogrify itself, with SmartyPants set up
as Pelican sets it, on three kinds of input: every body of the sample site, the
benchmark's generated articles, and generated markup made to break the
shortcuts (quotes, dashes, capitals, inline and block tags, comments, code,
unusual spaces, tags left open).
"""

import random
from pathlib import Path

import pytest
import smartypants
from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.settings import read_settings
from typogrify.filters import typogrify as reference

from bench.corpus import generate
from newsroom_speed import typography

ROOT = Path(__file__).resolve().parent.parent
SITE_IGNORES = ["pre", "code", "title", "script", "style"]
DASHES = {"default": smartypants.Attr.set1, "oldschool": smartypants.Attr.set2}
FILTERS = ("amp", "smartypants", "caps", "initial_quotes", "widont")


@pytest.fixture(params=sorted(DASHES))
def dashes(request, monkeypatch):
    """SmartyPants' defaults as Pelican sets them for TYPOGRIFY_DASHES."""
    monkeypatch.setattr(smartypants.Attr, "default", DASHES[request.param] | smartypants.Attr.w)
    return request.param


def assert_same(html, ignore_tags=SITE_IGNORES, **omitted):
    ours = typography.typogrify(html, ignore_tags, **omitted)
    assert ours == reference(html, ignore_tags, **omitted), html


def markdown_bodies(folder):
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    MarkdownReader(settings)  # adds the meta extension, as a build does
    converter = Markdown(**settings["MARKDOWN"])
    paths = sorted(Path(folder).rglob("*.md"))
    return [converter.reset().convert(path.read_text(encoding="utf-8")) for path in paths]


def test_sample_site_bodies(dashes):
    bodies = markdown_bodies(ROOT / "content")
    assert len(bodies) > 20
    for html in bodies:
        assert_same(html)


def test_benchmark_articles(dashes, tmp_path):
    generate(tmp_path / "corpus", n=40, seed=7, words=600)
    bodies = markdown_bodies(tmp_path / "corpus" / "articles")
    assert len(bodies) == 40
    for html in bodies:
        assert_same(html)


WORDS = [
    "Shabaab", "ISIS", "AQIM", "U.S.", "D.O.T.", "U. N. ", "2KU2", "JIMMY'S", "A1B", "NATO's",
    "it's", "'90s", '"quoted"', "'single'", "``tick''", "`one'", '"', "'", "--", "---", "...",
    ". . .", '\\"', "\\'", "\\\\", "\\-", "\\.", "\\`", "&", "&amp;", "&#38;", "&quot;",
    "&#8220;", "&ldquo;", "&lsquo;", "&#8216;", "&nbsp;", "x>y", "a<b", "Mr.", "e.g.", "I", "A",
    "word", "two words", "Boko Haram", "A.B", "CAPS.",
]  # fmt: skip
SPACES = [" ", " ", " ", "", "\n", "  ", "\t", "\xa0", "\u2003", "\x85", " \n "]
INLINE = [
    "<em>", "</em>", "<strong>", "</strong>", "<i>", "</i>", "<b>", "</b>", "<span>",
    '<span class="caps">', "</span>", '<a href="https://example.test/a b?c=1&d=2" title="x y">',
    "</a>", "<br>", "<br />", '<abbr title="A B">', "</abbr>", "<code>", "</code>", "<kbd>",
    "</kbd>", "<script>", "</script>", "<style>", "</style>", '<img alt="a b" src="c">',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>', "<!-- note -->",
    "<!-- a -- b -->", "<!-- AQIM -- NATO -->", "<!-- -- -->", "<bfoo>", "<emx y>", "<b", "<",
    ">", "</EM>",
    '<a class="headerlink" href="#x" title="Link to this section">#</a>',
]  # fmt: skip
BLOCKS = [
    ("<p>", "</p>"), ('<h2 id="x">', "</h2>"), ("<h3>", "</h3>"), ("<li>", "</li>"),
    ("<dt>", "</dt>"), ("<dd>", "</dd>"), ("<div>", "</div>"), ("<blockquote>", "</blockquote>"),
    ("<pre>", "</pre>"), ("<td>", "</td>"), ("<P>", "</P>"), ("<ul>\n<li>", "</li>\n</ul>"),
    ("<title>", "</title>"), ("", ""),
]  # fmt: skip


def generated_markup(rng):
    """A few blocks of random words, spaces and tags: valid, broken and odd."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        opening, closing = rng.choice(BLOCKS)
        parts.append(opening)
        for _ in range(rng.randint(0, 12)):
            pick = rng.random()
            source = WORDS if pick < 0.6 else SPACES if pick < 0.8 else INLINE
            parts.append(rng.choice(source))
            parts.append(rng.choice(SPACES))
        parts.append(closing)
        parts.append(rng.choice(["", "\n", " "]))
    return "".join(parts)


def test_generated_markup(dashes):
    rng = random.Random(20261202)
    for _ in range(2500):
        html = generated_markup(rng)
        assert_same(html)
        assert_same(html, ignore_tags=[])
        assert_same(html, **{rng.choice(FILTERS): False})


@pytest.mark.parametrize(
    "html",
    [
        "<p>one two</p>",
        "<p>one two </em> </p>",
        "<p>one <em>two</em></p>",
        "<p>one<em> two</em></p>",
        '<p>one <a href="#">two</a> </p>',
        "<p>one\xa0two</p><p>three four</p>",
        "<p>single</p>",
        "<p> lead</p>",
        "<p>x<b</p> word</p>",  # a tag left open swallows the close
        "<p>a <b x<b y> two</p>",  # a "<" inside a tag
        '<p>see<sup id="fnref:1"><a href="#fn:1">1</a></sup></p>',
        '<h2>Title<a class="headerlink" href="#t">#</a></h2>',
        "A title with no block",
        "A title ending in a newline\n",
        "<li>one two</li></ul> tail words",
    ],
)
def test_widont_cases(html):
    assert_same(html)
    only_widont = dict.fromkeys(FILTERS[:-1], False)
    assert typography.widont(html) == reference(html, [], **only_widont)


@pytest.mark.parametrize(
    "html",
    [
        "<p>AQIM <!-- note -- AQIM --> AQIM</p>",  # SmartyPants reads the comment as text
        "<p><kbd>AB <!-- x -- y --> CD</kbd> EF</p>",  # caps() reads it as a tag, ending <kbd>
        "<p><kbd>AB <b>CD</b></kbd> U.S. D.O.T. 2KU2 JIMMY'S A1B</p>",
        "<p>`one' ``two'' \\\" \\-- &quot;x&quot; . . . ...</p>",
    ],
)
def test_smartypants_and_caps_cases(html, dashes):
    assert_same(html)
    assert_same(html, smartypants=False)


def test_shortcuts_still_do_the_work(monkeypatch):
    """Curls, dashes (the site's oldschool: -- en, --- em), caps and widows."""
    monkeypatch.setattr(smartypants.Attr, "default", DASHES["oldschool"] | smartypants.Attr.w)
    html = '<p>The "AQIM" claim -- made in 2014 --- was false</p><pre>"AQIM" --</pre>'
    assert typography.typogrify(html, SITE_IGNORES) == (
        '<p>The &#8220;<span class="caps">AQIM</span>&#8221; claim &#8211; made in 2014 '
        '&#8212; was&nbsp;false</p><pre>"AQIM" --</pre>'
    )
