"""The search index: what the build writes, and what the browser's search finds in it.

The index files are read as a reader's browser would fetch them. The finding
half runs theme/static/js/search.js itself in Node (tests/search_runner.mjs),
on the real site's index, so ranking, filters, stemming and excerpts are
tested on what ships; tests/test_browser.py drives the search page in Chromium.
"""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from newsroom.search import split_buckets
from newsroom.words import STOP_WORDS, fold, plain_body, terms
from sources import hub_articles, source_articles

ARTICLES = source_articles(ROOT / "content")
TREBES = "/2018/03/islamic-state-claims-trebes-attack/"
RUNNER = Path(__file__).resolve().parent / "search_runner.mjs"


def manifest(site):
    """The index's manifest, as the browser reads it first."""
    return json.loads((site.output / "search-index" / "index.json").read_text(encoding="utf-8"))


def index_file(site, name):
    """One file of the index, parsed."""
    return json.loads((site.output / "search-index" / name).read_text(encoding="utf-8"))


def rows(site):
    """Every article the index numbers, in number order (oldest first)."""
    return [row for table in manifest(site)["tables"] for row in index_file(site, table)]


@pytest.fixture(scope="module")
def search(site, tmp_path_factory):
    """Ask the browser's search code questions about the built index, in Node."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the search code (apt-get install nodejs)"
    module = tmp_path_factory.mktemp("search-js") / "search.mjs"
    shutil.copy(ROOT / "theme" / "static" / "js" / "search.js", module)

    def ask(*requests):
        done = subprocess.run(
            [node, str(RUNNER), str(module), str(site.output / "search-index")],
            input=json.dumps(requests),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(done.stdout)

    return ask


def query(search, text, top=5, **filters):
    return search({"op": "search", "query": text, "filters": filters, "top": top})[0]


def test_every_published_article_is_numbered_once_oldest_first(site):
    """The index lists each published article once, oldest first; drafts never."""
    listed = [row["url"] for row in rows(site)]
    assert listed == [article.url for article in reversed(ARTICLES)]
    assert manifest(site)["docs"] == len(ARTICLES)
    everything = source_articles(ROOT / "content", include_drafts=True)
    drafts = [a for a in everything if a.status != "published"]
    assert drafts and not {d.url for d in drafts} & set(listed)
    trebes = next(row for row in rows(site) if row["url"] == TREBES)
    assert trebes["title"].startswith("Why the Islamic State Claimed Tr")
    assert trebes["section"] == "Analysis" and trebes["summary"]


def test_every_file_is_named_by_its_contents(site):
    """Only the manifest keeps its name; every other file carries a hash of its bytes."""
    index = manifest(site)
    named = [*index["buckets"].values(), *index["tables"]]
    named += [f["file"] for f in index["filters"].values()]
    files = {
        p.relative_to(site.output / "search-index").as_posix()
        for p in (site.output / "search-index").rglob("*")
        if p.is_file()
    }
    assert files == {*named, "index.json"}
    for name in named:
        digest = hashlib.sha256((site.output / "search-index" / name).read_bytes()).hexdigest()
        assert name.endswith(f".{digest[:10]}.json"), name


def test_buckets_hold_the_terms_they_are_named_for(site):
    """A term sits in the bucket of its longest listed prefix, with valid postings."""
    buckets = manifest(site)["buckets"]
    count = manifest(site)["docs"]
    for prefix, name in buckets.items():
        for term, postings in index_file(site, name).items():
            owner = max((p for p in buckets if term.startswith(p)), key=len)
            assert owner == prefix, (term, prefix)
            numbers, weights = postings[::2], postings[1::2]
            assert numbers == sorted(set(numbers)) and all(0 <= n < count for n in numbers)
            assert all(isinstance(w, int) and 1 <= w <= 22 for w in weights)


def test_filters_list_every_article_of_each_value(site):
    index = manifest(site)
    numbers = {row["url"]: n for n, row in enumerate(rows(site))}
    authors = index_file(site, index["filters"]["author"]["file"])
    for article in ARTICLES:
        for author in article.authors:
            assert numbers[article.url] in authors[author]
    for kind, entry in index["filters"].items():
        members = index_file(site, entry["file"])
        assert entry["counts"] == {value: len(ids) for value, ids in members.items()}, kind


def test_the_index_is_plain_static_data(site):
    """No code or WebAssembly: the search page's script reads JSON."""
    files = [p for p in (site.output / "search-index").rglob("*") if p.is_file()]
    assert files and all(p.suffix == ".json" for p in files)
    page = site.html("/search/")
    form = page.select_one("form.search-form")
    assert form["data-search-index"] == "/search-index/"
    assert page.select_one('script[type="module"][src^="/theme/js/search."]')
    assert "wasm" not in site.settings["SITE_CSP"]


def test_buckets_split_when_large_and_keep_every_term():
    postings = {f"co{chr(97 + i)}{chr(97 + j)}": [0, 1] * 400 for i in range(6) for j in range(6)}
    postings["co"] = [1, 1]
    buckets = split_buckets(postings)
    assert sorted(t for bucket in buckets.values() for t in bucket) == sorted(postings)
    assert "co" in buckets and buckets["co"] == {"co": [1, 1]}  # exactly the prefix stays
    assert all(len(prefix) >= 3 for prefix in buckets if prefix != "co")


def test_terms_fold_case_accents_and_drop_stop_words():
    assert terms("The attack on Trèbes, and the CAFÉ’s staff") == [
        "attack",
        "trebes",
        "cafe",
        "staff",
    ]
    assert fold("Ḥaqqānī") == "haqqani"
    assert not set(terms(" ".join(sorted(STOP_WORDS))))


def test_plain_body_drops_footnote_marks_and_permalinks():
    body = (
        '<h2 id="x">What happened<a class="headerlink" href="#x" title="Link">#</a></h2>'
        '<p>A claim<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>, '
        "<em>Amaq</em>’s wording.</p><ol><li><p>Source.&#160;"
        '<a class="footnote-backref" href="#fnref:1" title="Back">&#8617;</a></p></li></ol>'
    )
    assert plain_body(body) == "What happened A claim, Amaq’s wording. Source."


def test_browser_folds_and_splits_words_as_the_index_does(search):
    samples = [
        "Trèbes",
        "Ḥaqqānī network",
        "Al-Shabaab’s “governors”",
        "naïve café, Straße",
        "İstanbul 2014–2016",
        "ISWAP's tax-collectors",
        "Jamā‘at Nuṣrat al-Islām",
    ]
    answers = search(*({"op": "words", "text": text} for text in samples))
    for text, words in zip(samples, answers, strict=True):
        assert [w for w in words if len(w) > 1 and w not in STOP_WORDS] == terms(text), text


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("attacks", "attack"),
        ("attacked", "attack"),
        ("bombing", "bomb"),
        ("taxes", "tax"),
        ("militias", "militia"),
        ("casualties", "casualt"),
        ("isis", "isis"),
        ("focus", "focus"),
        ("boss", "boss"),
    ],
)
def test_query_words_are_cut_to_stems(search, word, expected):
    assert search({"op": "stem", "word": word}) == [expected]


def test_a_name_finds_its_article_first(search):
    assert query(search, "Beltrame")["urls"][0] == TREBES


def test_excerpts_cut_around_the_first_match_and_mark_every_one(search):
    text = " ".join(f"word{n}" for n in range(60)) + " Attacked twice, the attackers fled."
    text += " " + " ".join(f"tail{n}" for n in range(40))
    parts = search({"op": "excerpt", "text": text, "query": "attacks"})[0]
    marked = [part["text"] for part in parts if part["mark"]]
    assert marked == ["Attacked", "attackers"]
    assert parts[0]["text"] == "… " and parts[-1]["text"] == " …"
    assert search({"op": "excerpt", "text": "nothing here", "query": "attacks"})[0] is None


def test_accents_and_word_forms_need_not_match(search):
    assert query(search, "trebes")["urls"][0] == TREBES
    attacks, attack = query(search, "attacks"), query(search, "attack")
    assert attacks["count"] > 3 and attacks["count"] == attack["count"]


def test_every_word_must_match(search):
    one = query(search, "Beltrame")["count"]
    assert query(search, "Beltrame Mogadishu")["count"] < one
    assert query(search, "zzzqqq")["count"] == 0
    assert query(search, "the of and")["count"] == 0  # only stop words: nothing to find


def test_a_topic_alias_finds_the_topics_articles(search):
    found = query(search, "Daesh", top=100)
    hub = {a.url for a in hub_articles(ROOT / "content", "islamic-state")}
    assert hub and hub <= set(found["urls"])


def test_filters_narrow_and_work_without_words(search):
    everything = query(search, "attacks", top=100)
    hub = {a.url for a in hub_articles(ROOT / "content", "al-shabaab")}
    narrowed = query(search, "attacks", top=100, topic="Al Shabaab")
    assert 0 < narrowed["count"] < everything["count"]
    assert set(narrowed["urls"]) <= hub
    author = ARTICLES[0].authors[0]
    theirs = [a.url for a in ARTICLES if author in a.authors]
    listed = query(search, "", top=100, author=author)
    assert listed["urls"] == theirs  # no words: every match, newest first
    counts = search({"op": "filters"})[0]
    assert counts["author"][author] == len(theirs)
    assert counts["section"] == {
        section: sum(a.category == section for a in ARTICLES)
        for section in {a.category for a in ARTICLES}
    }


@pytest.mark.parametrize(("text", "filters"), [("Amaq", {}), ("attacks", {"section": "Analysis"})])
def test_filter_counts_follow_the_query(search, text, filters):
    """Each menu entry counts the results choosing it would give: the query and the other
    filters applied, as the search itself then finds."""
    counts = search({"op": "counts", "query": text, "filters": filters})[0]
    everything = search({"op": "filters"})[0]
    assert counts != everything
    for kind, values in counts.items():
        assert set(values) == set(everything[kind])
        for value, count in values.items():
            chosen = {**filters, kind: value}
            assert count == query(search, text, top=0, **chosen)["count"], (kind, value)
