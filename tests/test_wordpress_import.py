"""Moving in from WordPress: import an export shaped like WordPress's own, build the
result with the site's strict rules, and read the pages, redirects and files.

The exports are written here with bench/wxr.py, after WordPress's exporter
(wp-admin/includes/export.php) and the shapes its importer's fixtures cover.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bench.wxr import Author, Comment, Meta, Post, Raw, Site, Term, write_wxr
from conftest import FIXTURES, ROOT, build
from newsroom.redirects import REDIRECT_MAP, read_map

SITE = "https://old.example.org"
EMAIL = "private-reader@example.net"

AUTHORS = [
    Author(1, "hmarchetti", "helene@example.net", "Hélène Marchetti"),
    Author(2, "kobi", "kobi@example.net", "Kobina Mensah"),
    Author(3, "wpadmin", "admin@example.net", ""),  # no display name: the login stands
]
NEWS = Term(10, "category", "news", "News")
ANALYSIS = Term(11, "category", "analysis", "Analysis")
OPINION = Term(12, "category", "opinion", "Opinion")
SAHEL = Term(13, "category", "sahel", "Sahel", parent="news")
UNCATEGORIZED = Term(1, "category", "uncategorized", "Uncategorized")
SHABAAB = Term(20, "post_tag", "al-shabaab", "Al-Shabaab")
SHABAAB_2 = Term(21, "post_tag", "al-shabaab-2", "Al Shabaab")
SOMALIA = Term(23, "post_tag", "somalia", "Somalia")
CAP_HELENE = Term(30, "author", "cap-hmarchetti", "hmarchetti")
CAP_KOBI = Term(31, "author", "cap-kobi", "kobi")


def image(path, size, colour):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, quality=80)


def attachment(id, file, title, alt="", caption="", parent=0, date="2019-03-14 10:00:00"):
    return Post(
        id,
        title,
        excerpt=caption,
        creator="hmarchetti",
        date=date,
        name=Path(file).stem,
        status="inherit",
        type="attachment",
        parent=parent,
        attachment_url=f"{SITE}/wp-content/uploads/{file}",
        link=f"{SITE}/2019/03/14/market-attack/{Path(file).stem}/" if parent else None,
        meta=[Meta("_wp_attached_file", file)]
        + ([Meta("_wp_attachment_image_alt", alt)] if alt else []),
    )


def comments():
    visitor = {"author_email": EMAIL, "author_ip": "203.0.113.9"}
    return [
        Comment(
            501,
            "First, a question about the timeline.",
            "Amal R.",
            **visitor,
            author_url="https://amal.example.net/",
            date="2019-03-15 08:00:00",
        ),
        Comment(
            502,
            "Thank you, Amal: the timeline is in the second table.",
            "Hélène Marchetti",
            user_id=1,
            parent=501,
            date="2019-03-15 09:00:00",
        ),
        Comment(
            503,
            "But the second table stops in **2018**?",
            "Amal R.",
            **visitor,
            parent=502,
            date="2019-03-15 10:00:00",
        ),
        Comment(
            504,
            "HELD-FOR-MODERATION text",
            "Pending Person",
            **visitor,
            approved="0",
            date="2019-03-15 11:00:00",
        ),
        Comment(505, "SPAM-TEXT buy now", "Spammer", approved="spam", date="2019-03-15 11:30:00"),
        Comment(506, "TRASHED-TEXT", "Someone", approved="trash", date="2019-03-15 12:00:00"),
        Comment(
            507,
            "PINGBACK-TEXT",
            "Other blog",
            type="pingback",
            author_url="https://blog.example.com/",
            date="2019-03-15 13:00:00",
        ),
        Comment(
            508,
            '<script>alert(1)</script>Plain words <a href="javascript:alert(2)">x</a>',
            "<b>Mallory</b>",
            date="2019-03-15 14:00:00",
        ),
    ]


def posts():
    market_body = (
        "The attack on the market began shortly after ten in the morning.\n\n"
        '[caption id="attachment_900" align="alignnone" width="1600"]'
        f'<img class="size-full wp-image-900" src="{SITE}/wp-content/uploads/2019/03/'
        'market-1024x576.jpg" alt="" width="1024" height="576" /> The market square, '
        "drawn from witness accounts.[/caption]\n\n"
        f'Read our <a href="{SITE}/2019/03/20/shabaab-finance/">finance analysis</a> and '
        f'<a href="{SITE}/?p=102">the same by id</a>.\n\n'
        '<iframe src="https://www.youtube.com/embed/abcdefghijk" width="560"></iframe>\n\n'
        '<script>document.write("bad")</script><img src="x.png" onerror="alert(1)">\n\n'
        "<!--more-->\n\nThe rest of the report."
    )
    block_body = (
        "<!-- wp:paragraph -->\n<p>Financing is the group's quiet strength.</p>\n"
        "<!-- /wp:paragraph -->\n\n<!-- wp:heading -->\n<h2>Taxes and tolls</h2>\n"
        "<!-- /wp:heading -->\n\n<!-- wp:paragraph -->\n<p>Checkpoints raise money daily.</p>\n"
        "<!-- /wp:paragraph -->"
    )
    return [
        attachment(
            900, "2019/03/market.jpg", "Market square", caption="The market square.", parent=101
        ),
        attachment(901, "2019/03/cover.png", "Cover drawing", alt="A drawn map of the coast."),
        attachment(902, "../../../etc/passwd.jpg", "Climbing"),
        attachment(903, "2019/03/missing.jpg", "Not in uploads"),
        Post(
            101,
            "The Market Attack",
            market_body,
            creator="hmarchetti",
            name="market-attack",
            date="2019-03-14 11:00:00",
            date_gmt="2019-03-14 10:00:00",
            modified="2019-03-16 09:00:00",
            modified_gmt="2019-03-16 08:00:00",
            terms=[NEWS, SHABAAB, SOMALIA],
            comments=comments(),
            meta=[Meta("_thumbnail_id", "900")],
            link=f"{SITE}/2019/03/14/market-attack/",
        ),
        Post(
            102,
            "Shabaab Finance",
            block_body,
            creator="kobi",
            excerpt="How the group raises money, in one paragraph.",
            name="shabaab-finance",
            date="2019-03-20 12:00:00",
            link=f"{SITE}/2019/03/20/shabaab-finance/",
            terms=[ANALYSIS, SHABAAB_2, CAP_HELENE, CAP_KOBI],
            meta=[Meta("_thumbnail_id", "901")],
        ),
        Post(
            103,
            "Café « Sahel » notes",
            "Notes from Bamako.\nA second line.",
            creator="wpadmin",
            name="caf%c3%a9-sahel-notes",
            date="2020-01-05 08:00:00",
            link=f"{SITE}/2020/01/05/caf%c3%a9-sahel-notes/",
            terms=[SAHEL, OPINION],
        ),
        Post(
            104,
            "The Market Attack",
            "Same title, another post.",
            creator="kobi",
            name="market-attack",
            date="2021-06-01 08:00:00",
            terms=[UNCATEGORIZED],
            link=f"{SITE}/2021/06/01/market-attack/",
        ),
        Post(
            105,
            "Unfinished draft",
            "DRAFT-BODY-TEXT",
            creator="kobi",
            status="draft",
            date="2021-07-01 08:00:00",
            date_gmt="0000-00-00 00:00:00",
        ),
        Post(
            106,
            "Pending review",
            "PENDING-BODY-TEXT",
            creator="kobi",
            status="pending",
            name="pending-review",
            date="2021-07-02 08:00:00",
        ),
        Post(
            107,
            "Private note",
            "PRIVATE-BODY-TEXT",
            creator="kobi",
            status="private",
            name="private-note",
            date="2021-07-03 08:00:00",
        ),
        Post(
            108,
            "Garbled date",
            "GARBLED-DATE-TEXT",
            creator="kobi",
            name="garbled",
            date="not a date",
            date_gmt="not a date either",
        ),
        Post(
            109,
            "Trashed post",
            "TRASH-BODY-TEXT",
            creator="kobi",
            status="trash",
            name="trashed",
            date="2021-07-04 08:00:00",
        ),
        Post(
            201,
            "About us",
            "<p>We are a newsroom.</p>",
            creator="wpadmin",
            type="page",
            name="about-us",
            date="2015-01-01 00:00:00",
            link=f"{SITE}/about-us/",
        ),
        Post(
            202,
            "Our team",
            "<p>Who we are.</p>",
            creator="wpadmin",
            type="page",
            name="team",
            parent=201,
            date="2015-01-02 00:00:00",
            link=f"{SITE}/about-us/team/",
        ),
    ]


def write_export(path, items=None, site=None, **options):
    site = site or Site(
        title="Old Monitor",
        link=SITE,
        authors=AUTHORS,
        terms=[
            UNCATEGORIZED,
            NEWS,
            ANALYSIS,
            OPINION,
            SAHEL,
            SHABAAB,
            SHABAAB_2,
            SOMALIA,
            CAP_HELENE,
            CAP_KOBI,
        ],
    )
    with open(path, "wb") as out:
        write_wxr(site, posts() if items is None else items, out, **options)
    return path


def run_import(export, into, state, *extra, uploads=None, sections=None):
    command = [
        sys.executable,
        "-m",
        "plugins.newsroom_tools.wordpress",
        "--export",
        str(export),
        "--into",
        str(into),
        "--state",
        str(state),
        *extra,
    ]
    command += ["--uploads", str(uploads)] if uploads else []
    command += ["--sections", str(sections)] if sections else []
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    base = tmp_path_factory.mktemp("wordpress")
    uploads = base / "uploads"
    image(uploads / "2019/03/market.jpg", (1600, 900), (150, 120, 90))
    image(uploads / "2019/03/cover.png", (1400, 800), (40, 80, 120))
    (base / "etc").mkdir()
    content = base / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    sections = base / "sections.json"
    sections.write_text(json.dumps({"News": "Reports"}), encoding="utf-8")
    export = write_export(base / "export.xml")
    done = run_import(export, content, base / "state", uploads=uploads, sections=sections)
    assert done.returncode == 0, done.stderr
    site = build(content, base / "output")
    return base, site, done


def article_file(content, slug):
    found = list(content.glob(f"articles/*/{slug}.md"))
    assert len(found) == 1, (slug, found)
    return found[0]


def test_posts_become_articles_with_their_headers(imported):
    _base, site, _ = imported
    text = article_file(site.content, "market-attack").read_text(encoding="utf-8")
    assert "Title: The Market Attack\n" in text
    assert "Date: 2019-03-14 10:00 +00:00\n" in text  # the GMT field
    assert "Modified: 2019-03-16 08:00 +00:00\n" in text
    assert "Category: Reports\n" in text  # News, through --sections
    assert "Summary: The attack on the market began shortly after ten in the morning." in text
    assert "Image: images/wordpress/2019/03/market.jpg\n" in text
    assert "Image_alt: The market square.\n" in text  # no alt: the caption
    finance = article_file(site.content, "shabaab-finance").read_text(encoding="utf-8")
    assert "Summary: How the group raises money, in one paragraph.\n" in finance
    assert "Category: Analysis\n" in finance
    assert "Image_alt: A drawn map of the coast.\n" in finance


def test_coauthors_make_one_byline(imported):
    _, site, _ = imported
    page = site.html("/2019/03/shabaab-finance/")
    byline = " ".join(a.get_text(" ", strip=True) for a in page.select("a[rel~=author]"))
    assert "Hélène Marchetti" in byline and "Kobina Mensah" in byline
    assert site.path("/authors/helene-marchetti/").is_file()
    assert site.path("/authors/wpadmin/").is_file()  # no display name: the login


def test_authors_come_without_an_invented_bio(imported):
    _, site, _ = imported
    record = (site.content / "authors/kobina-mensah.md").read_text(encoding="utf-8")
    assert record == "Name: Kobina Mensah\nSlug: kobina-mensah\n"
    assert "kobi@example.net" not in record


def test_tag_spellings_fold_to_the_most_used(imported):
    _base, site, _ = imported
    finance = article_file(site.content, "shabaab-finance").read_text(encoding="utf-8")
    market = article_file(site.content, "market-attack").read_text(encoding="utf-8")
    # The fixture's topic "Al Shabaab" claims every spelling that folds to it.
    assert "Tags: Al Shabaab\n" in finance
    assert "Tags: Al Shabaab, Somalia\n" in market
    assert site.path("/topics/al-shabaab/").is_file()
    # A post with no tags takes its categories'; "Uncategorized" is never one.
    cafe = article_file(site.content, "cafe-sahel-notes").read_text(encoding="utf-8")
    assert "Tags: Sahel, Opinion\n" in cafe
    duplicate = article_file(site.content, "market-attack-2").read_text(encoding="utf-8")
    assert "Tags: Analysis\n" in duplicate  # nothing else: the default section


def test_unmapped_categories_go_to_the_default_section_and_are_reported(imported):
    base, site, _ = imported
    cafe = article_file(site.content, "cafe-sahel-notes").read_text(encoding="utf-8")
    assert "Category: Analysis\n" in cafe
    report = (base / "state/report.md").read_text(encoding="utf-8")
    assert "Opinion (1)" in report and "Sahel (1)" in report


def test_slugs_are_transliterated_and_made_unique(imported):
    base, site, _ = imported
    assert site.path("/2020/01/cafe-sahel-notes/").is_file()
    assert site.path("/2021/06/market-attack-2/").is_file()
    report = (base / "state/report.md").read_text(encoding="utf-8")
    assert "'market-attack' is taken: written as 'market-attack-2'" in report


def test_comments_keep_their_threads_and_only_approved_ones(imported):
    _base, site, _ = imported
    page = site.html("/2019/03/market-attack/")
    section = page.select_one("#comments")
    text = section.get_text(" ", strip=True).replace("\xa0", " ")
    assert "First, a question about the timeline." in text
    assert "Thank you, Amal" in text
    assert "But the second table stops in" in text
    for held in ("HELD-FOR-MODERATION", "SPAM-TEXT", "TRASHED-TEXT", "PINGBACK-TEXT"):
        assert held not in text
    replies = section.select(".comment-replies > li")
    assert len(replies) == 2  # the reply and the reply to it, in one thread
    assert "In reply to Hélène Marchetti (author)" in replies[1].get_text(" ", strip=True)
    assert "Hélène Marchetti (author)" in replies[0].get_text(" ", strip=True)
    assert section.select_one('a[href="https://amal.example.net/"]') is not None
    assert "alert" not in str(section) and "<script" not in str(section)
    assert "Mallory" in text


def test_nothing_unapproved_or_private_is_published(imported):
    _base, site, _ = imported
    everything = "".join(text for _, text in site.text_files())
    for secret in (
        "HELD-FOR-MODERATION",
        "SPAM-TEXT",
        "TRASHED-TEXT",
        "PINGBACK-TEXT",
        "DRAFT-BODY-TEXT",
        "PENDING-BODY-TEXT",
        "PRIVATE-BODY-TEXT",
        "TRASH-BODY-TEXT",
        EMAIL,
        "203.0.113.9",
    ):
        assert secret not in everything, secret
    content = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.content.rglob("*.md")
    )
    for secret in (
        "HELD-FOR-MODERATION",
        "SPAM-TEXT",
        "TRASHED-TEXT",
        "PINGBACK-TEXT",
        "TRASH-BODY-TEXT",
        EMAIL,
        "203.0.113.9",
        "kobi@example.net",
    ):
        assert secret not in content, secret
    drafts = [article_file(site.content, s) for s in ("pending-review", "private-note")]
    assert all("Status: draft\n" in p.read_text(encoding="utf-8") for p in drafts)


def test_undatable_and_unsafe_items_are_refused_by_name(imported):
    base, _, done = imported
    report = (base / "state/report.md").read_text(encoding="utf-8")
    assert "post 108 'Garbled date'" in report and "no publication date" in report
    assert "attachment 902 'Climbing'" in report and "climbs out of --uploads" in report
    assert "attachment 903 'Not in uploads'" in report
    assert not (base / "passwd.jpg").exists() and not list(base.rglob("passwd*"))
    assert "Refused: 3 items" in done.stdout


def test_bodies_keep_figures_links_and_drop_what_the_site_forbids(imported):
    _, site, _ = imported
    page = site.html("/2019/03/market-attack/")
    body = page.select_one(".prose") or page
    figure = body.select_one("figure")
    assert figure is not None and "The market square" in figure.get_text()
    assert figure.select_one("picture img[alt]") is not None
    links = {a["href"] for a in body.select("a[href]")}
    assert any(href.endswith("/2019/03/shabaab-finance/") for href in links)
    assert "https://www.youtube.com/watch?v=abcdefghijk" in links
    html = str(body)
    assert "<iframe" not in html and "<script" not in html and "onerror" not in html


def test_old_addresses_redirect(imported):
    _, site, _ = imported
    rules = read_map(site.output)
    assert rules["/2019/03/14/market-attack/"] == "/2019/03/market-attack/"
    assert rules["/2020/01/05/café-sahel-notes/"] == "/2020/01/cafe-sahel-notes/"
    assert rules["/about-us/team/"] == "/team/"
    assert rules["/category/news/"] == "/category/reports/"
    assert rules["/category/news/sahel/"] == "/category/analysis/"
    assert rules["/tag/al-shabaab-2/"] == "/topics/al-shabaab/"
    assert rules["/author/kobi/"] == "/authors/kobina-mensah/"
    assert rules["/2019/03/"] == "/archives/2019/"
    assert rules["/feed/"] == "/feeds/atom.xml"
    assert rules["/wp-content/uploads/2019/03/market.jpg"].startswith("/images/wordpress/")
    page = site.html("/2019/03/14/market-attack/")
    assert page.select_one('link[rel="canonical"]')["href"].endswith("/2019/03/market-attack/")
    queries = (site.output / ".legacy-query-redirects.map").read_text(encoding="utf-8")
    assert '"p=101" /2019/03/market-attack/;' in queries
    assert (site.output / REDIRECT_MAP).is_file()


def test_a_second_run_changes_nothing(imported, tmp_path):
    base, site, _ = imported
    before = snapshot(site.content)
    state = (base / "state/state.json").read_bytes()
    done = run_import(
        base / "export.xml",
        site.content,
        base / "state",
        uploads=base / "uploads",
        sections=base / "sections.json",
    )
    assert done.returncode == 0, done.stderr
    assert snapshot(site.content) == before
    assert (base / "state/state.json").read_bytes() == state
    assert "0 new, 0 updated" in done.stdout


def test_a_newer_export_updates_but_never_overwrites_an_editor(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    items = [
        Post(
            301,
            "First title",
            "<p>One.</p>",
            creator="kobi",
            name="first",
            date="2022-01-01 10:00:00",
            terms=[ANALYSIS],
        ),
        Post(
            302,
            "Second title",
            "<p>Two.</p>",
            creator="kobi",
            name="second",
            date="2022-01-02 10:00:00",
            terms=[ANALYSIS],
        ),
    ]
    export = write_export(tmp_path / "one.xml", items)
    assert run_import(export, content, tmp_path / "state").returncode == 0
    edited = article_file(content, "second")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's note.\n", "utf-8")
    items[0].title, items[1].title = "First title, revised", "Second title, revised"
    items.append(
        Post(
            303,
            "Third",
            "<p>Three.</p>",
            creator="kobi",
            name="third",
            date="2022-01-03 10:00:00",
            terms=[ANALYSIS],
        )
    )
    export = write_export(tmp_path / "two.xml", items)
    done = run_import(export, content, tmp_path / "state")
    assert done.returncode == 0, done.stderr
    assert "First title, revised" in article_file(content, "first").read_text(encoding="utf-8")
    kept = edited.read_text(encoding="utf-8")
    assert "An editor's note." in kept and "revised" not in kept
    assert article_file(content, "third").is_file()
    report = (tmp_path / "state/report.md").read_text(encoding="utf-8")
    assert "was changed since the last import: kept as it is" in report
    build(content, tmp_path / "output")


@pytest.mark.parametrize(
    "prolog, expected",
    [
        (
            b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n',
            "declares entities",
        ),
        (b'<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n', "declares"),
    ],
)
def test_entity_declarations_are_refused(tmp_path, prolog, expected):
    content = tmp_path / "content"
    content.mkdir()
    export = write_export(tmp_path / "bomb.xml", posts()[4:5], prolog=prolog)
    done = run_import(export, content, tmp_path / "state")
    assert done.returncode == 1
    assert expected in done.stderr and "bomb.xml" in done.stderr
    assert "Traceback" not in done.stderr
    assert not any(content.iterdir())


def test_a_broken_or_foreign_file_is_refused_with_its_line(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    export = write_export(tmp_path / "cut.xml")
    data = export.read_bytes()
    export.write_bytes(data[: len(data) // 2])
    done = run_import(export, content, tmp_path / "state")
    assert done.returncode == 1 and "line " in done.stderr and "broken" in done.stderr
    assert "Traceback" not in done.stderr and not any(content.iterdir())
    page = tmp_path / "page.xml"
    page.write_text("<html><body>not an export</body></html>", encoding="utf-8")
    done = run_import(page, content, tmp_path / "state")
    assert done.returncode == 1 and "not a WordPress export" in done.stderr


def test_bytes_that_are_not_utf8_cost_one_character(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    post = Post(
        401,
        Raw(b"Bad \xff byte and a \x0c form feed"),
        "<p>Body \xe9 text.</p>",
        creator="kobi",
        name="bad-bytes",
        date="2022-02-02 10:00:00",
        terms=[ANALYSIS],
    )
    export = write_export(tmp_path / "bad.xml", [post])
    done = run_import(export, content, tmp_path / "state")
    assert done.returncode == 0, done.stderr
    text = article_file(content, "bad-bytes").read_text(encoding="utf-8")
    assert "Title: Bad \ufffd byte and a \ufffd form feed\n" in text
    assert "U+FFFD" in (tmp_path / "state/report.md").read_text(encoding="utf-8")
    build(content, tmp_path / "output")


def test_the_export_is_streamed(tmp_path):
    """Reading an export of 60 MB needs a small part of that in memory."""
    body = "<p>" + "Analysis of the insurgency's finances. " * 2000 + "</p>"
    items = (
        Post(
            1000 + n,
            f"Post {n}",
            body,
            creator="kobi",
            name=f"post-{n}",
            date="2022-03-01 10:00:00",
        )
        for n in range(750)
    )
    export = write_export(tmp_path / "big.xml", items)
    assert export.stat().st_size > 55_000_000
    script = (
        "import resource, sys; sys.path[:0] = ['plugins', '.'];"
        "from plugins.newsroom_tools.wordpress.wxr import read_export;"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        f"n = sum(type(r).__name__ == 'Item' for r in read_export({str(export)!r}));"
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    count, grown_kib = map(int, done.stdout.split())
    assert count == 750
    assert grown_kib < 20_000  # a few items at a time, not 60 MB


def test_a_large_redirect_map_is_split_into_files_the_build_accepts():
    from plugins.newsroom_tools.wordpress.run import chunks

    lines = [f"/2019/03/{n:05d}/  /archives/2019/" for n in range(40_000)]
    runs = list(chunks(lines, 524_288))
    assert [line for run in runs for line in run] == lines
    assert len(runs) > 1
    assert all(sum(len(line) + 1 for line in run) <= 524_288 for run in runs)


def test_an_item_missing_its_fields_is_imported_with_them_filled(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    bare = Post(601, "", "", date="2022-04-04 10:00:00", link=f"{SITE}/2022/04/04/601/")
    done = run_import(write_export(tmp_path / "bare.xml", [bare]), content, tmp_path / "state")
    assert done.returncode == 0, done.stderr
    text = article_file(content, "post-601").read_text(encoding="utf-8")
    assert "Title: Untitled post 601\n" in text and "Authors: Editors\n" in text
    assert "Summary: Untitled post 601\n" in text and "Tags: Analysis\n" in text
    report = (tmp_path / "state/report.md").read_text(encoding="utf-8")
    assert "had no title" in report and "had no author" in report
    assert "has no text for a summary" in report
    assert "a static host cannot redirect on a query" in report
    site = build(content, tmp_path / "output")
    assert site.path("/2022/04/post-601/").is_file()


def test_an_upload_linked_from_outside_the_uploads_folder_is_refused(tmp_path):
    content, uploads = tmp_path / "content", tmp_path / "uploads"
    shutil.copytree(FIXTURES / "tiny", content)
    secret = tmp_path / "elsewhere" / "secret.jpg"
    image(secret, (1400, 800), (10, 10, 10))
    (uploads / "2019/03").mkdir(parents=True)
    (uploads / "2019/03/linked.jpg").symlink_to(secret)
    items = [attachment(950, "2019/03/linked.jpg", "Linked out")]
    done = run_import(
        write_export(tmp_path / "x.xml", items), content, tmp_path / "state", uploads=uploads
    )
    assert done.returncode == 0, done.stderr
    report = (tmp_path / "state/report.md").read_text(encoding="utf-8")
    assert "attachment 950 'Linked out'" in report and "climbs out of --uploads" in report
    assert not list(content.rglob("linked*"))


def test_a_wxr_1_1_export_imports_the_same(tmp_path):
    """WordPress 3.x wrote WXR 1.1: another namespace, bare text, no modified dates."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    site = Site(
        title="Old Monitor", link=SITE, authors=AUTHORS, terms=[ANALYSIS], wxr_version="1.1"
    )
    post = Post(
        701,
        "From 2012",
        "<p>An older post &amp; its <em>markup</em>.</p>",
        creator="kobi",
        name="from-2012",
        date="2012-05-06 10:00:00",
        terms=[ANALYSIS],
        link=f"{SITE}/2012/05/06/from-2012/",
    )
    done = run_import(
        write_export(tmp_path / "old.xml", [post], site=site), content, tmp_path / "state"
    )
    assert done.returncode == 0, done.stderr
    text = article_file(content, "from-2012").read_text(encoding="utf-8")
    assert "Authors: Kobina Mensah\n" in text and "Date: 2012-05-06 10:00 +00:00\n" in text
    assert "An older post & its *markup*." in text
    built = build(content, tmp_path / "output")
    assert read_map(built.output)["/2012/05/06/from-2012/"] == "/2012/05/from-2012/"
