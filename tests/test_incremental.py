"""A warm rebuild reuses unchanged pages and never serves a stale one.

Each test builds a generated corpus, changes one source the way an editor
would (an article body, an author bio, a topic's aliases), rebuilds with the
caches and output of the first build, and checks three things: every page the
change shows on has the new text; the whole output equals a cold build of the
changed content (so no page anywhere is stale); and pages the change cannot
affect were reused, not rendered again (a reused page is a hard link to the
previous build's file, so it keeps its inode).
"""

import json
import re
import shutil
from pathlib import Path

import pytest
from test_determinism import differences, snapshot

from bench.corpus import generate
from conftest import ROOT, build

# What these tests check is the speed layer's (newsroom_speed): not run without it.
pytestmark = pytest.mark.speed_layer

MARK = "Incremental-rebuild marker sentence."
SHOWN = "Incremental-rebuild marker"  # typogrify joins the last two words with a no-break space


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("incremental") / "content", n=40, seed=5)


@pytest.fixture
def warm(corpus, tmp_path):
    """A private copy of the corpus, built once into output/ with a cache beside it."""
    content = tmp_path / "content"
    shutil.copytree(corpus.path, content)
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content, output, cache=cache)
    return content, output, cache


def inodes(folder):
    return {
        path.relative_to(folder).as_posix(): path.stat().st_ino
        for path in Path(folder).rglob("*")
        if path.is_file()
    }


def rebuild_and_compare(content, output, cache, tmp_path):
    """Rebuild warm; assert it equals a cold build; return (before, after) inodes."""
    before = inodes(output)
    build(content, output, cache=cache)
    cold = build(content, tmp_path / "cold", cache=tmp_path / "cold-cache").output
    assert differences(snapshot(cold), snapshot(output)) == []
    return before, inodes(output)


def pages_with(output, text):
    return sorted(
        path.relative_to(output).as_posix()
        for path in Path(output).rglob("*")
        if path.suffix in (".html", ".xml") and text in path.read_text(encoding="utf-8")
    )


def header(path, key):
    match = re.search(rf"^{key}:\s*(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1).strip()


def test_an_edited_article_renders_its_page_and_feeds_and_reuses_the_rest(warm, corpus, tmp_path):
    content, output, cache = warm
    source = content / corpus.edit_target.relative_to(corpus.path)
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{MARK}\n")
    before, after = rebuild_and_compare(content, output, cache, tmp_path)

    shown = pages_with(output, SHOWN)
    slug = corpus.edit_target.stem
    assert any(path.endswith(f"/{slug}/index.html") for path in shown), (slug, shown)
    assert any(path.endswith("atom.xml") for path in shown), shown
    rendered = {path for path in after if path.endswith((".html", ".xml"))}
    rendered = {path for path in rendered if before.get(path) != after[path]}
    # Only what shows the body: the article page and feeds that carry it.
    assert set(shown) <= rendered
    pages = [path for path in after if path.endswith("index.html")]
    reused = [path for path in pages if before.get(path) == after[path]]
    assert len(reused) >= len(pages) - 2, "most pages should be reused, not rendered again"


def spare(output):
    """The folder beside the output that holds the output the last build replaced."""
    return Path(output).with_name(f".{Path(output).name}.spare")


def test_a_warm_build_never_writes_through_to_the_output_it_replaces(warm, corpus, tmp_path):
    """The replaced output (now the spare) still holds the old page, byte for byte."""
    content, output, cache = warm
    slug = corpus.edit_target.stem
    page = next(Path(output).rglob(f"{slug}/index.html"))
    old = page.read_bytes()
    source = content / corpus.edit_target.relative_to(corpus.path)
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{MARK}\n")
    rebuild_and_compare(content, output, cache, tmp_path)
    assert SHOWN in page.read_text(encoding="utf-8")
    assert (spare(output) / page.relative_to(output)).read_bytes() == old


def test_a_deleted_article_leaves_no_page_behind(warm, corpus, tmp_path):
    """Starting from the spare, a warm build still drops the pages nothing writes now."""
    content, output, cache = warm
    build(content, output, cache=cache)  # the spare now holds a full earlier build
    source = content / corpus.edit_target.relative_to(corpus.path)
    slug = corpus.edit_target.stem
    assert list(Path(output).rglob(f"{slug}/index.html"))
    source.unlink()
    rebuild_and_compare(content, output, cache, tmp_path)
    assert not list(Path(output).rglob(f"{slug}")), "the deleted article's folder is gone"


def test_a_retitled_article_is_renamed_everywhere(warm, corpus, tmp_path):
    """A header edit (unlike a body edit) reaches every listing that shows the article."""
    content, output, cache = warm
    source = content / corpus.edit_target.relative_to(corpus.path)
    text = source.read_text(encoding="utf-8")
    source.write_text(
        re.sub(r"^Title: .*$", "Title: Retitled Marker Headline", text, count=1, flags=re.M),
        encoding="utf-8",
    )
    rebuild_and_compare(content, output, cache, tmp_path)
    shown = pages_with(output, "Retitled Marker")
    assert any(path.startswith("authors/") for path in shown), shown
    assert any(path.startswith("category/") for path in shown), shown


def test_a_new_article_reaches_listings_feeds_and_search(warm, corpus, tmp_path):
    """A newly published article, the newest, shows everywhere; the rest stays identical."""
    content, output, cache = warm
    source = content / corpus.edit_target.relative_to(corpus.path)
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^Title: .*$", "Title: A Freshly Filed Dispatch", text, count=1, flags=re.M)
    text = re.sub(r"^Date: .*$", "Date: 2026-12-01 08:00", text, count=1, flags=re.M)
    text = re.sub(r"^Slug: .*$", "Slug: freshly-filed-dispatch", text, count=1, flags=re.M)
    new = content / "articles" / "2026" / "freshly-filed-dispatch.md"
    new.write_text(text + f"\n\n{MARK}\n", encoding="utf-8")
    rebuild_and_compare(content, output, cache, tmp_path)
    assert "2026/12/freshly-filed-dispatch/index.html" in pages_with(output, "Freshly Filed")
    assert "index.html" in pages_with(output, "Freshly Filed")
    assert "feeds/atom.xml" in pages_with(output, "Freshly Filed")


def test_unreadable_caches_are_rebuilt_never_fatal(warm, tmp_path):
    """A cache cut short or from another version only costs work: the build still agrees."""
    content, output, cache = warm
    caches = [path for path in Path(cache).rglob("*") if path.is_file()]
    assert len(caches) >= 5
    for number, path in enumerate(caches):
        path.write_bytes(b"\x80\x04not a pickle" if number % 2 else b"{}")
    rebuild_and_compare(content, output, cache, tmp_path)


def test_a_stray_file_in_the_spare_is_not_published(warm, tmp_path):
    """Whatever else lies in the spare (not a page the records know) is deleted."""
    content, output, cache = warm
    build(content, output, cache=cache)
    (spare(output) / "stray.html").write_text("<p>not ours</p>", encoding="utf-8")
    (spare(output) / "theme" / "stray.css").write_text("body{}", encoding="utf-8")
    rebuild_and_compare(content, output, cache, tmp_path)
    assert not (Path(output) / "stray.html").exists()
    assert not (Path(output) / "theme" / "stray.css").exists()


def test_an_edited_author_bio_reaches_the_author_page_and_their_articles(warm, tmp_path):
    content, output, cache = warm
    by_author = {
        record: [path for path in pages_with(output, f">{header(record, 'Name')}</a>")]
        for record in sorted((content / "authors").glob("*.md"))
    }
    record = max(by_author, key=lambda record: len(by_author[record]))
    name = header(record, "Name")
    with open(record, "a", encoding="utf-8") as handle:
        handle.write(f"\n{MARK}\n")
    rebuild_and_compare(content, output, cache, tmp_path)

    shown = pages_with(output, SHOWN)
    author_page = f"authors/{header(record, 'Slug')}/index.html"
    assert author_page in shown
    bylines = pages_with(output, f">{name}</a>")
    articles = [path for path in bylines if re.match(r"\d{4}/\d{2}/", path)]
    assert articles, f"{name} should have articles in the corpus"
    assert set(articles) <= set(shown), "every article by the author shows the new bio"


def test_a_new_topic_alias_reaches_the_hub(warm, tmp_path):
    content, output, cache = warm
    record = content / "topics" / "al-qaeda.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("Aliases: ", "Aliases: Qaidat al-Marker, ", 1), encoding="utf-8")
    rebuild_and_compare(content, output, cache, tmp_path)

    assert "topics/al-qaeda/index.html" in pages_with(output, "Qaidat al-Marker")


def test_only_article_and_page_templates_show_what_keys_one_page():
    """incremental.py keys a body (and an article's contents list, comments, structured
    data, reading time and share links) to its own page only: no other template may
    show them."""
    own = re.compile(
        r"\b(?:article|page)\.(content|toc|comments|json_ld|reading_minutes|share_links)\b"
        r"|\.content\b"
    )
    allowed = {"article.html", "page.html", "partials/toc.html", "partials/comments.html"}
    allowed.add("partials/comment_form.html")
    allowed.add("partials/share.html")
    templates = ROOT / "theme" / "templates"
    users = {
        path.relative_to(templates).as_posix()
        for path in templates.rglob("*.html")
        if own.search(path.read_text(encoding="utf-8"))
    }
    assert users and users <= allowed, sorted(users - allowed)


def index_files(output):
    """{file below search-index/: (inode, parsed JSON)} of a build."""
    bundle = Path(output) / "search-index"
    return {
        path.relative_to(bundle).as_posix(): (path.stat().st_ino, json.loads(path.read_text()))
        for path in bundle.rglob("*.json")
    }


def test_an_edit_rewrites_only_the_index_files_that_hold_the_article(corpus, tmp_path):
    """Search files not holding the edited article are linked, not written again."""
    content = tmp_path / "content"
    shutil.copytree(corpus.path, content)
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content, output, cache=cache)
    before = index_files(output)
    source = content / corpus.edit_target.relative_to(corpus.path)
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(f"\n\n{MARK}\n")
    build(content, output, cache=cache)
    after = index_files(output)

    manifest = after["index.json"][1]
    urls = [row["url"] for table in manifest["tables"] for row in after[table][1]]
    number = next(n for n, url in enumerate(urls) if corpus.edit_target.stem in url)
    buckets = {name for name in after if name.startswith("t/")}
    assert "incremental" in after[manifest["buckets"]["in"]][1]  # the new words are found

    for name in buckets & before.keys():  # a bucket kept under its name is the same file
        assert after[name][0] == before[name][0], name
    for name in buckets - before.keys():  # a rewritten bucket holds the edited article
        assert any(number in postings[::2] for postings in after[name][1].values()), name
    assert len(buckets - before.keys()) < len(buckets)
