"""What an author may write and what the build makes of it: slugs, hidden articles,
names, sections, the one-author key, byte-order marks, and every problem in one round.

Each test builds the tiny fixture site with one kind of input and asserts on the
problems reported or on the pages written.
"""

import pytest

from conftest import build, pelican_cli
from newsroom.errors import BuildStopped

HEADERS = {
    "Title": "Routes Across the Lake",
    "Date": "2022-05-04 10:00",
    "Authors": "Ada Reyes",
    "Category": "Analysis",
    "Tags": "Iraq",
    "Summary": "A short analysis for the rules tests.",
}


def write_article(content, name, body="Body text about the routes.\n", **headers):
    """Write an article into the fixture site; a header given as None is left out."""
    fields = {**HEADERS, **headers}
    lines = "".join(f"{key}: {value}\n" for key, value in fields.items() if value)
    path = content / "articles" / f"{name}.md"
    path.write_text(lines + "\n" + body, encoding="utf-8")
    return str(path)


def problems_of(content, tmp_path, **override):
    """Build, expecting the build to stop; return its problems."""
    with pytest.raises(BuildStopped) as stopped:
        build(content, tmp_path / "output", **override)
    return stopped.value.problems


def only(problems, path, field):
    """Return the one problem of a file and field."""
    found = [p for p in problems if p.path == path and p.field == field]
    assert len(found) == 1, problems
    return found[0]


# Slugs --------------------------------------------------------------------------


def test_long_title_gets_a_slug_cut_at_a_word(fixture_content, tmp_path):
    """A title far longer than a file name may be still builds: its slug is cut at a word."""
    title = " ".join(["Smuggling corridors and taxation checkpoints"] * 12)
    write_article(fixture_content, "long", Title=title)
    site = build(fixture_content, tmp_path / "output")
    folders = [p.name for p in (site.output / "2022" / "05").iterdir()]
    assert len(folders) == 1
    slug = folders[0]
    assert 40 < len(slug) <= 80 and not slug.endswith("-")
    assert "smuggling-corridors-and-taxation-checkpoints-smuggling".startswith(slug[:40])
    assert all(word in title.lower().split() for word in slug.split("-"))  # whole words only
    page = site.html(f"/2022/05/{slug}/")
    assert page.h1.get_text(" ", strip=True).startswith("Smuggling corridors")


def test_explicit_slug_over_the_limit_is_refused(fixture_content, tmp_path):
    """A Slug an author wrote is not cut: one over 80 characters is refused on its line."""
    path = write_article(fixture_content, "long-slug", Slug="-".join(["route"] * 30))
    problem = only(problems_of(fixture_content, tmp_path), path, "Slug")
    assert problem.line == 7 and "the limit is 80" in problem.message


@pytest.mark.parametrize("title", ["🔥🔥🔥", "?!… — ‼", "«»"])
def test_title_without_letters_needs_a_slug(fixture_content, tmp_path, title):
    """A title of emoji or punctuation gives no address: the build asks for a Slug."""
    path = write_article(fixture_content, "emoji", Title=title)
    problem = only(problems_of(fixture_content, tmp_path), path, "Title")
    assert problem.line == 1 and "Slug" in problem.message and "no letters" in problem.message


def test_title_without_letters_builds_with_a_slug(fixture_content, tmp_path):
    """Given a Slug, the same title builds."""
    write_article(fixture_content, "emoji", Title="🔥🔥🔥", Slug="fire-emoji-briefing")
    site = build(fixture_content, tmp_path / "output")
    assert site.html("/2022/05/fire-emoji-briefing/").h1.get_text(strip=True) == "🔥🔥🔥"


def test_one_slug_in_two_months_is_refused_naming_both(fixture_content, tmp_path):
    """Comments and redirects find an article by slug: two with one slug stop the build,
    even when their dates put them in different folders."""
    first = write_article(fixture_content, "one", Slug="lake-routes")
    second = write_article(fixture_content, "two", Slug="lake-routes", Date="2021-07-01 09:00")
    problems = problems_of(fixture_content, tmp_path)
    problem = only(problems, second, "Slug")
    assert first in problem.message and problem.line == 7


def test_derived_slugs_that_collide_are_refused(fixture_content, tmp_path):
    """The same holds for slugs derived from equal titles."""
    first = write_article(fixture_content, "one")
    second = write_article(fixture_content, "two", Date="2019-11-01 09:00")
    problem = only(problems_of(fixture_content, tmp_path), second, "Slug")
    assert first in problem.message and problem.line == 1


def test_long_url_part_is_refused(fixture_content, tmp_path):
    """A Url or Save_as whose part between slashes is longer than a file name may be
    is refused on its line."""
    path = write_article(fixture_content, "long-url", Save_as="x" * 300 + "/index.html")
    problem = only(problems_of(fixture_content, tmp_path), path, "Save_As")
    assert problem.line == 7 and "the limit is 100" in problem.message


def test_long_author_name_gets_a_cut_slug_and_a_bad_slug_is_refused(fixture_content, tmp_path):
    """An author record's slug is checked as an article's is: one derived from a very
    long name is cut at a word; a Slug that is not a slug is refused on its line."""
    name = "Adaeze " + " ".join(["Okonkwo-Reyes"] * 12)
    (fixture_content / "authors" / "long.md").write_text(f"Name: {name}\n\nA long name.\n")
    write_article(fixture_content, "by-long", Authors=name)
    site = build(fixture_content, tmp_path / "output")
    link = site.html("/2022/05/routes-across-the-lake/").select_one(".byline a")["href"]
    slug = link.rstrip("/").rsplit("/", 1)[1]
    assert 40 < len(slug) <= 80 and site.path(link).exists()
    bad = fixture_content / "authors" / "bad.md"
    bad.write_text("Name: Dana Bad\nSlug: ../../etc\n\nA bio.\n")
    problem = only(problems_of(fixture_content, tmp_path / "again"), str(bad), "Slug")
    assert problem.line == 2 and "not a slug" in problem.message


# Names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "words"),
    [
        ("<b>Bold</b>, Iraq", "holds markup"),
        ("Iraq, <script>x</script>", "holds markup"),
        ("Iraq & Syria", "holds markup"),
        ("Iraq, ???", "no letters or digits"),
        ("Iraq, " + "Lake Chad basin " * 10, "too long for an address"),
    ],
)
def test_tag_with_markup_or_no_letters_is_refused(fixture_content, tmp_path, tags, words):
    """A tag becomes a page's address and name: markup or a name with no letters is
    refused on the Tags line of the file, not as a clash of output pages."""
    path = write_article(fixture_content, "tagged", Tags=tags)
    problems = problems_of(fixture_content, tmp_path)
    problem = only(problems, path, "Tags")
    assert problem.line == 5 and words in problem.message
    assert not any("written twice" in p.message or "both write" in p.message for p in problems)


def test_pelican_author_key_is_the_one_author_form(fixture_content, tmp_path):
    """`Author:` names one author, exactly as `Authors:` with one name does."""
    write_article(fixture_content, "single", Authors=None, Author="Ben Cole")
    site = build(fixture_content, tmp_path / "output")
    page = site.html("/2022/05/routes-across-the-lake/")
    byline = page.select_one(".byline")
    assert byline.get_text(" ", strip=True) == "By Ben Cole"
    assert byline.a["href"].endswith("/authors/ben-cole/")
    listed = site.html("/authors/ben-cole/").get_text().replace("\xa0", " ")
    assert "Routes Across the Lake" in listed


def test_author_and_authors_together_are_refused(fixture_content, tmp_path):
    """Both keys in one file are one too many."""
    path = write_article(fixture_content, "both", Author="Ben Cole")
    problem = only(problems_of(fixture_content, tmp_path), path, "Author")
    assert problem.line == 7 and "keep one" in problem.message


def test_unknown_one_author_is_named(fixture_content, tmp_path):
    """An `Author:` without a record is reported as Authors are, on its line."""
    path = write_article(fixture_content, "single", Authors=None, Author="Nobody Known")
    problem = only(problems_of(fixture_content, tmp_path), path, "Authors")
    assert problem.line == 6 and "'Nobody Known' has no author record" in problem.message


# Sections ------------------------------------------------------------------------


def test_settings_map_other_section_names(fixture_content, tmp_path):
    """NEWSROOM["section_map"] files articles from another naming under a section."""
    write_article(fixture_content, "mapped", Category="News")
    site = build(
        fixture_content,
        tmp_path / "output",
        NEWSROOM={
            "categories": ["Analysis", "Reports"],
            "section_map": {"News": "Reports", "Commentary": "Analysis"},
        },
    )
    page = site.html("/2022/05/routes-across-the-lake/")
    assert page.select_one(".kicker").get_text(strip=True) == "Reports"
    listed = site.html("/category/reports/").get_text().replace("\xa0", " ")
    assert "Routes Across the Lake" in listed
    assert not site.path("/category/news/").exists()


def test_unmapped_section_is_refused_with_the_way_out(fixture_content, tmp_path):
    """A section neither listed nor mapped names the sections and the mapping setting."""
    path = write_article(fixture_content, "unmapped", Category="Opinion")
    problems = problems_of(
        fixture_content, tmp_path, NEWSROOM={"categories": ["Analysis", "Reports"]}
    )
    problem = only(problems, path, "Category")
    assert problem.line == 4
    assert "allowed: Analysis, Reports" in problem.message and "section_map" in problem.message


def test_section_map_onto_no_section_is_refused(fixture_content, tmp_path):
    """A mapping onto a name that is not a section is a settings error, said plainly."""
    with pytest.raises(Exception, match="section_map"):
        build(
            fixture_content,
            tmp_path / "output",
            NEWSROOM={"categories": ["Analysis"], "section_map": {"News": "Reportage"}},
        )


# Files -------------------------------------------------------------------------


def test_byte_order_mark_is_accepted(fixture_content, tmp_path):
    """Windows editors add a byte-order mark unseen: the file builds as if it had none."""
    path = fixture_content / "articles" / "bom.md"
    write_article(fixture_content, "bom")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    site = build(fixture_content, tmp_path / "output")
    page = site.html("/2022/05/routes-across-the-lake/")
    assert page.h1.get_text(strip=True).replace("\xa0", " ") == "Routes Across the Lake"
    assert "\ufeff" not in site.path("/2022/05/routes-across-the-lake/").read_text()


# One round ---------------------------------------------------------------------


def test_every_problem_is_reported_in_one_round(fixture_content, tmp_path):
    """A header typo, an unknown author in the same file, an image without alt text in
    another and a comment on a missing article: all in the first report."""
    typo = write_article(fixture_content, "typo", Catgory="Analysis", Authors="Ada Reyez")
    alt = write_article(
        fixture_content, "alt", Title="Another Article", body="![](/images/none.png)\n"
    )
    orphan = fixture_content / "comments" / "no-such-article"
    orphan.mkdir()
    (orphan / "01-x.md").write_text("Name: X\nDate: 2021-01-01 10:00\n\nHello.\n")
    problems = problems_of(fixture_content, tmp_path)
    found = {(p.path, p.field) for p in problems}
    assert (typo, "Catgory") in found
    assert (typo, "Authors") in found
    assert (alt, "body") in found
    assert (str(orphan / "01-x.md"), "file") in found or any(
        p.path == str(orphan / "01-x.md") for p in problems
    )


def test_one_round_from_the_command_line_is_quiet(fixture_content, tmp_path):
    """The plain command prints each problem once: no traceback, no Pelican line
    repeating a refused file."""
    write_article(fixture_content, "typo", Date="last Tuesday", Authors="Ada Reyez")
    result = pelican_cli(fixture_content, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "typo.md:2: Date:" in output and "'Ada Reyez' has no author record" in output
    assert "Traceback" not in output and "Could not process" not in output


# Hidden articles ---------------------------------------------------------------


def all_text(site):
    """Every text file of a build, joined, with its paths."""
    return {str(path.relative_to(site.output)): text for path, text in site.text_files()}


def test_hidden_article_is_reachable_by_address_only(fixture_content, tmp_path):
    """A hidden article builds at its address with noindex, appears in no listing, feed,
    sitemap, search index, related list or previous/next link, and links only to pages
    that exist, though its tag, section and author have no published article."""
    (fixture_content / "authors" / "cara-diaz.md").write_text(
        "Name: Cara Diaz\nRole: Partner briefer\n\nCara Diaz writes partner briefings.\n"
    )
    write_article(
        fixture_content,
        "hidden",
        Title="A Briefing Kept Off the Front Page",
        Tags="Sahel Smuggling, Iraq",
        Authors="Cara Diaz",
        Category="Podcasts",
        Status="hidden",
        # A Podcasts article is an episode (README, "Podcast"): it needs its audio.
        Audio="https://media.militancymonitor.example/podcast/briefing.mp3",
        Audio_length="4800000",
        Audio_duration="00:05:00",
    )
    site = build(
        fixture_content,
        tmp_path / "output",
        NEWSROOM={"categories": ["Analysis", "Reports", "Podcasts"]},
    )
    address = "2022/05/a-briefing-kept-off-the-front-page/"
    page = site.html("/" + address)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    for link in page.select("a[href]"):
        href = link["href"]
        if href.startswith("/") and not href.startswith("//"):
            assert site.path(href).exists(), f"{href} leads nowhere"
    tags = [li.get_text(strip=True) for li in page.select(".article-tags li")]
    assert tags == ["Sahel Smuggling", "Iraq"] or sorted(tags) == ["Iraq", "Sahel Smuggling"]
    assert not site.path("/topics/sahel-smuggling/").exists()
    elsewhere = {
        name: text for name, text in all_text(site).items() if not name.startswith(address)
    }
    assert [name for name, text in elsewhere.items() if "a-briefing-kept-off" in text] == []
    assert [name for name, text in elsewhere.items() if "Kept Off" in text] == []
    assert [name for name, text in elsewhere.items() if "Sahel Smuggling" in text] == []
    assert "sitemap.xml" in elsewhere and any(
        name.startswith("search-index/") for name in elsewhere
    )


def test_hidden_page_carries_noindex_and_is_not_in_the_sitemap(fixture_content, tmp_path):
    """A hidden page is built, marked noindex, and left out of the sitemap and menus."""
    (fixture_content / "pages" / "partners.md").write_text(
        "Title: For Partners\nStatus: hidden\n\nA page for partner newsrooms.\n"
    )
    site = build(fixture_content, tmp_path / "output")
    page = site.html("/for-partners/")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    others = [
        name
        for name, text in all_text(site).items()
        if "for-partners/" in text and name != "for-partners/index.html"
    ]
    assert others == []
