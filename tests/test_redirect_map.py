"""Site-wide redirect maps (content/redirects/*.txt): targets resolved against the build,
server rules for old paths and old queries, and every bad line named with its line."""

import shutil

import pytest
from PIL import Image

from conftest import FIXTURES, build, snapshot
from newsroom.errors import BuildStopped
from newsroom.redirects import QUERY_MAP, REDIRECT_MAP, read_map

SECTIONS = {"categories": ["Analysis", "Threat Matrix", "Reports", "Podcasts"]}
ISIS = "/2020/01/alias-isis/"
SHABAAB = "/2020/02/alias-shabaab/"
# old address as written -> (decoded old address, where it leads)
GOOD = {
    "/category/old-news/": ("/category/old-news/", "/category/reports/"),
    "/category/news/": ("/category/news/", "/category/reports/"),  # through section_map
    "/2019/03/caf%C3%A9-attack/": ("/2019/03/café-attack/", ISIS),
    "/%D8%AF%D8%A7%D8%B9%D8%B4/": ("/داعش/", "/topics/islamic-state/"),  # an alias
    "/tag/testing/": ("/tag/testing/", "/topics/testing/"),  # a plain tag
    "/author/ada/": ("/author/ada/", "/authors/ada-reyes/"),
    "/about-us/": ("/about-us/", "/about/"),  # a page
    "/feed/": ("/feed/", "/feeds/atom.xml"),
    "/archives/2020.html": ("/archives/2020.html", "/archives/2020/"),
    "/category/analysis/feed/": ("/category/analysis/feed/", "/category/analysis/atom.xml"),
    "/old%20home/": ("/old home/", "/"),
    "/wp-content/uploads/chart.svg": ("/wp-content/uploads/chart.svg", "/images/wp/chart.svg"),
}
MAP = """\
# The old WordPress site's addresses
/category/old-news/   {category}Reports
/category/news/       {category}News

/2019/03/caf%C3%A9-attack/   {filename}/articles/alias-isis.md
/%D8%AF%D8%A7%D8%B9%D8%B4/   {tag}Daesh
/tag/testing/   {tag}Testing
/author/ada/    {author}Ada Reyes
/about-us/      {filename}../pages/about.md
/feed/          /feeds/atom.xml
/archives/2020.html   /archives/2020/
/category/analysis/feed/   /category/analysis/atom.xml
/old%20home/    /
/wp-content/uploads/chart.svg   {static}/images/wp/chart.svg
/wp-content/uploads/photo.jpg   {static}/images/wp/photo.jpg
?p=123          {filename}/articles/alias-shabaab.md
?page_id=7      /about/
?cat=4          {category}Reports
?attachment_id=9   {static}/images/wp/photo.jpg
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>\n'


def tiny_with_map(folder, text=MAP, name="wordpress.txt"):
    """The tiny fixture site with a redirect map and the images it names."""
    content = folder / "content"
    shutil.copytree(FIXTURES / "tiny", content)
    images = content / "images" / "wp"
    images.mkdir(parents=True)
    (images / "chart.svg").write_text(SVG)
    Image.new("RGB", (1600, 900), (120, 40, 40)).save(images / "photo.jpg", quality=80)
    (content / "redirects").mkdir()
    (content / "redirects" / name).write_text(text, encoding="utf-8")
    return content


def build_map_site(folder, text=MAP, **override):
    content = tiny_with_map(folder, text)
    settings = {"NEWSROOM": {**SECTIONS, "section_map": {"News": "Reports"}}, **override}
    return build(content, folder / "output", **settings)


@pytest.fixture(scope="module")
def map_site(tmp_path_factory):
    """The tiny site with a redirect map holding every kind of target."""
    return build_map_site(tmp_path_factory.mktemp("redirect-map"))


def problems_of(folder, text, **override):
    """Build the tiny site with a redirect map that must stop the build; return its
    problems as (line, message) of the map file, and the map's path."""
    with pytest.raises(BuildStopped) as stopped:
        build_map_site(folder, text, **override)
    path = str(folder / "content" / "redirects" / "wordpress.txt")
    problems = stopped.value.problems
    assert {p.path for p in problems} == {path}, problems
    assert {p.field for p in problems} == {"redirect"}
    return [(p.line, p.message) for p in problems]


def rendition(site):
    """The one rendition made of photo.jpg: its largest JPEG."""
    (found,) = sorted((site.output / "images" / "wp").glob("photo-*.jpg"))
    return found


@pytest.mark.parametrize("written", sorted(GOOD))
def test_each_old_address_leads_where_its_target_is(map_site, written):
    """Every old path gets a redirect page at its decoded address and a server rule."""
    old, new = GOOD[written]
    page = map_site.html(old)
    assert page.select_one('meta[http-equiv="refresh"]')["content"] == f"0; url={new}"
    assert page.select_one("link[rel=canonical]")["href"] == map_site.settings["SITE_BASE"] + new
    assert [a["href"] for a in page.select("main a")] == [new]
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert read_map(map_site.output)[old] == new


def test_a_raster_image_leads_to_its_largest_jpeg(map_site):
    """An uploaded raster image is never published as it is: its old address leads to the
    largest JPEG rendition, which the build then makes."""
    jpeg = rendition(map_site)
    new = "/" + jpeg.relative_to(map_site.output).as_posix()
    assert read_map(map_site.output)["/wp-content/uploads/photo.jpg"] == new
    with Image.open(jpeg) as image:
        assert (image.format, image.width) == ("JPEG", 1440)
    assert not (map_site.output / "images" / "wp" / "photo.jpg").exists()


def test_old_queries_have_server_rules_only(map_site):
    """Old queries of the home page go to the query map, quoted; no page is written."""
    jpeg = "/" + rendition(map_site).relative_to(map_site.output).as_posix()
    assert read_map(map_site.output, QUERY_MAP) == {
        "p=123": SHABAAB,
        "page_id=7": "/about/",
        "cat=4": "/category/reports/",
        "attachment_id=9": jpeg,
    }
    text = (map_site.output / QUERY_MAP).read_text(encoding="utf-8")
    assert f'"p=123" {SHABAAB};' in text.splitlines()


def test_server_rules_quote_what_is_not_plain(map_site):
    """Decoded addresses with spaces or non-ASCII letters are "quoted" for nginx."""
    lines = (map_site.output / REDIRECT_MAP).read_text(encoding="utf-8").splitlines()
    assert '"/2019/03/café-attack/" /2020/01/alias-isis/;' in lines
    assert '"/old home/" /;' in lines
    assert "/feed/ /feeds/atom.xml;" in lines


def test_a_moved_section_shares_the_sections_card(map_site):
    """The redirect page of a section says what it leads to and shows its card."""
    page = map_site.html("/category/old-news/")
    section = map_site.html("/category/reports/")
    card = 'meta[property="og:image"]'
    assert page.select_one(card)["content"] == section.select_one(card)["content"]
    assert page.select_one("h1").get_text() == "This page has moved"
    assert page.select_one("main a").get_text() == "Reports"


def test_the_map_is_no_content_of_the_site(map_site):
    """The map file is read by the build only: no page, article or copy of it."""
    assert not list(map_site.output.rglob("*wordpress*"))
    assert not (map_site.output / "redirects").exists()
    titles = [a.get_text() for a in map_site.html("/archives/").select("main a")]
    assert not any("WordPress" in title for title in titles)


BAD = """\
/ok/ {filename}/articles/alias-isis.md
/no-target/
/old story/   /about/
/caf%2Fe/   /about/
?p=1&q=2    /about/
?p=1;drop   /about/
/unknown/   {filename}/articles/missing.md
/section/   {category}Nonsense
/tag/       {tag}Nobody Tagged This
/who/       {author}Nobody
/file/      {static}/images/wp/missing.jpg
/scheme/    https://elsewhere.example/
/form/      {index}
/ok/        {category}Reports
/OK/        {category}Reports
/2020/01/Alias-Isis/   {category}Reports
/2020/02/alias-shabaab/   {category}Reports
/loop/      /loop/
/topics/    {tag}Daesh
?p=9        {category}Reports
?P=9        {category}Analysis
/frag/      /about/#team
/unpublished/   {static}/redirects/wordpress.txt
"""


def test_every_bad_line_is_named_together(tmp_path):
    """Bad syntax, unknown targets, two claims of one address and old addresses the site
    uses are each reported with the map's path and line, all in one round."""
    found = problems_of(tmp_path, BAD)
    expected = [
        (2, "has no target"),
        (3, "more than an old address and a target"),
        (4, "encoded '/'"),
        (5, "not an old query"),
        (6, "not an old query"),
        (7, "no article or page"),
        (8, "{category}Nonsense has no page"),
        (9, "{tag}Nobody Tagged This has no page"),
        (10, "{author}Nobody has no page"),
        (11, "no such file"),
        (12, "another site's address"),
        (13, "is not a target"),
        (14, "already claimed by line 1"),
        (15, "already claimed by line 1"),
        (16, "ignores the case of letters"),
        (17, "is where the site writes '2020/02/alias-shabaab/index.html'"),
        (18, "leads to itself"),
        (19, "is where the site writes 'topics/index.html'"),
        (21, "already claimed by line 20"),
        (22, "query or fragment"),
        (23, "not a file the site publishes"),
    ]
    assert len(found) == len(expected), found
    for (line, message), (want_line, words) in zip(found, expected, strict=True):
        assert line == want_line and words in message, (line, message)


def test_drafts_and_hidden_pages_are_no_target(tmp_path):
    """A target must be published: a draft or a hidden article is refused, by line."""
    text = "/a/ {filename}/articles/alias-isis.md\n/b/ {filename}/articles/alias-shabaab.md\n"
    content = tiny_with_map(tmp_path, text)
    for name, status in (("alias-isis.md", "draft"), ("alias-shabaab.md", "hidden")):
        article = content / "articles" / name
        article.write_text(article.read_text().replace("Slug:", f"Status: {status}\nSlug:"))
    with pytest.raises(BuildStopped) as stopped:
        build(content, tmp_path / "output")
    found = [(p.line, p.message) for p in stopped.value.problems]
    assert [line for line, _ in found] == [1, 2], found
    assert "is a draft" in found[0][1] and "is hidden" in found[1][1]


def test_a_path_target_must_be_written_by_the_site(tmp_path):
    """A target given as a path is looked for in the finished site: a page it does not
    write, or another old address, is named with its line."""
    text = "/a/ /no/such/page/\n/b/ /about/\n/c/ /a/\n?p=1 /archives/1999/\n"
    found = problems_of(tmp_path, text)
    assert [line for line, _ in found] == [1, 3, 4], found
    assert "'/no/such/page/', which the site does not write" in found[0][1]
    assert "itself an old address" in found[1][1]
    assert "'/archives/1999/', which the site does not write" in found[2][1]


def test_a_map_line_and_a_header_cannot_claim_one_address(tmp_path):
    """Old addresses are one namespace across the map files and Redirect_from headers."""
    content = tiny_with_map(tmp_path, "/old/story.php {category}Reports\n")
    article = content / "articles" / "alias-isis.md"
    article.write_text(article.read_text().replace("Slug:", "Redirect_from: /Old/Story.php\nSlug:"))
    with pytest.raises(BuildStopped) as stopped:
        build(content, tmp_path / "output")
    (problem,) = stopped.value.problems
    assert (problem.path, problem.line, problem.field) == (
        str(content / "redirects" / "wordpress.txt"),
        1,
        "redirect",
    )
    assert "already claimed by" in problem.message and str(article) in problem.message


def test_only_text_maps_belong_in_the_redirects_folder(tmp_path):
    """A file there that is not .txt is refused, as Markdown elsewhere is."""
    content = tiny_with_map(tmp_path, "/old/ /about/\n")
    (content / "redirects" / "notes.md").write_text("Title: x\n\nbody\n")
    with pytest.raises(BuildStopped) as stopped:
        build(content, tmp_path / "output")
    (problem,) = stopped.value.problems
    assert problem.path.endswith("notes.md") and "only redirect maps (.txt)" in problem.message


@pytest.mark.speed_layer
def test_the_speed_layer_follows_an_edited_map(tmp_path):
    """With the speed layer, a warm build sees an edited map (its scan memo knows the
    file changed) and both layers write the same site, byte for byte."""
    both = {"PLUGINS": ["newsroom", "newsroom_speed"]}
    content = tiny_with_map(tmp_path, "/old/ {category}Reports\n?p=1 /about/\n")
    settings = {"NEWSROOM": SECTIONS, "cache": tmp_path / "cache"}
    build(content, tmp_path / "out", **settings, **both)
    (content / "redirects" / "wordpress.txt").write_text("/old/ {category}Analysis\n")
    warm = build(content, tmp_path / "out", **settings, **both)
    assert read_map(warm.output) == {"/old/": "/category/analysis/"}
    assert read_map(warm.output, QUERY_MAP) == {}
    refresh = warm.html("/old/").select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh == "0; url=/category/analysis/"
    alone = build(content, tmp_path / "alone", NEWSROOM=SECTIONS, PLUGINS=["newsroom"])
    assert snapshot(alone.output) == snapshot(warm.output)


@pytest.mark.speed_layer
def test_the_speed_layer_leaves_unchanged_redirect_pages_in_place(tmp_path):
    """Warm builds keep the redirect pages the spare holds as they render (the same files,
    not written again), write the one whose target moved, and drop the one taken out."""
    both = {"PLUGINS": ["newsroom", "newsroom_speed"]}
    content = tiny_with_map(tmp_path, "/old/ {category}Reports\n/gone/ /\n/kept/ /feeds/atom.xml\n")
    settings = {"NEWSROOM": SECTIONS, "cache": tmp_path / "cache"}
    output = tmp_path / "out"
    for _ in range(3):  # the third build starts from the spare of the first
        build(content, output, **settings, **both)
    kept = (output / "kept" / "index.html").stat().st_ino
    (content / "redirects" / "wordpress.txt").write_text(
        "/old/ {category}Analysis\n/kept/ /feeds/atom.xml\n", encoding="utf-8"
    )
    for _ in range(2):
        warm = build(content, output, **settings, **both)
    assert (output / "kept" / "index.html").stat().st_ino == kept
    assert not (output / "gone").exists()
    refresh = warm.html("/old/").select_one('meta[http-equiv="refresh"]')["content"]
    assert refresh == "0; url=/category/analysis/"
    alone = build(content, tmp_path / "alone", NEWSROOM=SECTIONS, PLUGINS=["newsroom"])
    assert snapshot(alone.output) == snapshot(warm.output)
