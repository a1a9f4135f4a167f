"""The search index: what the build writes, and what the browser's search finds in it.

The index files are read as a reader's browser would fetch them. The finding
half runs theme/static/js/search.js itself in Node (tests/search_runner.mjs),
on the real site's index, so ranking, filters, stemming and excerpts are
tested on what ships; tests/test_browser.py drives the search page in Chromium.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SEARCH_SHARD_PAGES
from newsroom.search import STOP_WORDS, fold, plain_body, split_buckets, terms
from sources import hub_articles, source_articles

ARTICLES = source_articles(ROOT / "content")
TREBES = "/2018/03/islamic-state-claims-trebes-attack/"
RUNNER = Path(__file__).resolve().parent / "search_runner.mjs"


def index_files(site):
    """The manifest and {shard: meta} of the built index."""
    bundle = site.output / "search-index"
    manifest = json.loads((bundle / "index.json").read_text(encoding="utf-8"))
    metas = {
        name: json.loads((bundle / name / "meta.json").read_text(encoding="utf-8"))
        for name in manifest["shards"]
    }
    return manifest, metas


def fragments(site, shard):
    """Every article document of one shard, by number."""
    folder = site.output / "search-index" / shard / "f"
    return {
        int(path.stem): json.loads(path.read_text(encoding="utf-8"))
        for path in folder.glob("*.json")
    }


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


def test_every_published_article_is_indexed_once(site):
    _, metas = index_files(site)
    urls = [doc["url"] for shard in metas for doc in fragments(site, shard).values()]
    assert sorted(urls) == sorted(article.url for article in ARTICLES)
    assert sum(meta["docs"] for meta in metas.values()) == len(ARTICLES)
    for shard, meta in metas.items():
        assert sorted(fragments(site, shard)) == list(range(meta["docs"]))
        assert len(meta["lengths"]) == meta["docs"]
    everything = source_articles(ROOT / "content", include_drafts=True)
    drafts = [a for a in everything if a.status != "published"]
    assert drafts and not {d.url for d in drafts} & set(urls)


def test_shards_hold_whole_years_newest_first(site):
    manifest, metas = index_files(site)
    years = []
    for shard in manifest["shards"]:
        dates = [doc["url"].split("/")[1] for doc in fragments(site, shard).values()]
        years.append(sorted(set(dates), reverse=True))
    assert len(years) > 2
    # Newest first; no year is split between shards.
    flat = [year for shard in years for year in shard]
    assert flat == sorted(flat, reverse=True) and len(flat) == len(set(flat))
    # Older shards close once full; only the newest may hold fewer.
    assert all(metas[s]["docs"] >= SEARCH_SHARD_PAGES for s in manifest["shards"][1:])
    # Within a shard, article 0 is the newest.
    for shard in manifest["shards"]:
        docs = fragments(site, shard)
        order = [docs[n]["url"] for n in sorted(docs)]
        by_date = [a.url for a in ARTICLES if a.url in order]
        assert order == by_date


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


def test_a_name_finds_its_article_first_with_the_match_marked(search):
    found = query(search, "Beltrame")
    assert found["urls"][0] == TREBES
    marked = [part["text"] for part in found["excerpt"] if part["mark"]]
    assert "Beltrame" in marked


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
