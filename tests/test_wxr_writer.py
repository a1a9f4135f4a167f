"""The WXR writer (bench/wxr.py) and the WordPress site generator (bench/wordpress.py)."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from bench.wordpress import CATEGORIES, IMAGE_WIDTH, generate_wordpress_site, wp_slug
from bench.wxr import (
    ZERO_DATE,
    ZERO_PUBDATE,
    Author,
    Comment,
    Meta,
    Post,
    Raw,
    Site,
    Term,
    cdata,
    php_serialize,
    rfc822,
    write_wxr,
)

WP = "http://wordpress.org/export/1.2/"
NS = {
    "wp": WP,
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


def written(site, items, **options):
    """The bytes write_wxr writes for site and items."""
    out = io.BytesIO()
    size = write_wxr(site, items, out, **options)
    data = out.getvalue()
    assert size == len(data)
    return data


def channel_of(data):
    return ET.fromstring(data).find("channel")


def text(element, path, namespaces=NS):
    found = element.find(path, namespaces)
    assert found is not None, path
    return found.text or ""


NEWS = Term(3, "category", "news", "News", description="Short reports")
BRIEF = Term(8, "category", "weekly-brief", "Weekly Brief", parent="news")
TAG = Term(21, "post_tag", "al-shabaab-2", "Al Shabaab")
CAP = Term(507, "author", "cap-mariam-toure", "mariam.toure", description="Mariam Touré")
AUTHOR = Author(6, "mariam.toure", "mt@example.org", "Mariam Touré", "Mariam", "Touré")


def sample_post():
    """A post with every kind of field set, and two threaded comments."""
    return Post(
        42,
        "Q&A: ISWAP <after> the split",
        "<!-- wp:paragraph -->\n<p>Raids near Diffa &amp; Bosso.</p>\n<!-- /wp:paragraph -->",
        "An excerpt ]]> with a CDATA end",
        creator="mariam.toure",
        date="2019-05-06 10:00:00",
        date_gmt="2019-05-06 09:00:00",
        modified="2019-05-07 11:30:00",
        modified_gmt="2019-05-07 10:30:00",
        name="qa-iswap-after-the-split",
        sticky=True,
        link="https://site.example/2019/05/06/qa-iswap-after-the-split/",
        guid="https://site.example/?p=42",
        terms=[TAG, CAP, NEWS],
        meta=[Meta("_thumbnail_id", "97"), Meta("_wp_old_slug", "iswap-split")],
        comments=[
            Comment(
                5,
                "First.\n\nSecond paragraph.",
                "Kwame A.",
                "kwame@mail.example",
                "https://blog.example/?a=1&b=2",
                "192.0.2.7",
                "2019-05-06 12:00:00",
                "2019-05-06 11:00:00",
                meta=[Meta("akismet_result", "false")],
            ),
            Comment(6, "A reply.", "Mariam Touré", approved="0", type="comment", parent=5),
        ],
    )


def test_output_parses_with_the_wordpress_namespaces():
    """The export is well-formed XML whose rss root declares the five namespaces of WXR 1.2
    and whose channel carries the header fields."""
    site = Site(title="Monitor & Co", authors=[AUTHOR], terms=[BRIEF, NEWS, TAG, CAP])
    data = written(site, [sample_post()])
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" ?>\n')
    for prefix, uri in NS.items():
        assert f'xmlns:{prefix}="{uri}"'.encode() in data
    root = ET.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert text(channel, "title") == "Monitor & Co"
    assert text(channel, "wp:wxr_version") == "1.2"
    assert text(channel, "wp:base_site_url") == site.link
    assert text(channel, "wp:base_blog_url") == site.link
    assert text(channel, "pubDate") == "Wed, 01 Jul 2026 09:30:00 +0000"
    assert text(channel, "generator").startswith("https://wordpress.org/?v=")
    assert re.search(rb'<!-- generator="WordPress/[0-9.]+" created="2026-07-01 09:30" -->', data)


def test_header_round_trips_authors_and_terms():
    """Authors, categories (parents first), tags and custom-taxonomy terms come back with
    every field, in WordPress's elements."""
    site = Site(authors=[AUTHOR], terms=[BRIEF, NEWS, TAG, CAP])
    channel = channel_of(written(site, []))
    (author,) = channel.findall("wp:author", NS)
    assert [child.tag.split("}")[1] for child in author] == [
        "author_id",
        "author_login",
        "author_email",
        "author_display_name",
        "author_first_name",
        "author_last_name",
    ]
    assert [child.text or "" for child in author] == [
        "6",
        "mariam.toure",
        "mt@example.org",
        "Mariam Touré",
        "Mariam",
        "Touré",
    ]
    categories = channel.findall("wp:category", NS)
    assert [text(c, "wp:category_nicename") for c in categories] == ["news", "weekly-brief"]
    assert [text(c, "wp:category_parent") for c in categories] == ["", "news"]
    assert text(categories[0], "wp:cat_name") == "News"
    assert text(categories[0], "wp:category_description") == "Short reports"
    assert categories[1].find("wp:category_description", NS) is None  # empty: left out
    (tag,) = channel.findall("wp:tag", NS)
    assert (text(tag, "wp:term_id"), text(tag, "wp:tag_slug")) == ("21", "al-shabaab-2")
    assert text(tag, "wp:tag_name") == "Al Shabaab"
    (term,) = channel.findall("wp:term", NS)
    assert text(term, "wp:term_taxonomy") == "author"
    assert text(term, "wp:term_slug") == "cap-mariam-toure"
    assert text(term, "wp:term_name") == "mariam.toure"
    assert text(term, "wp:term_description") == "Mariam Touré"


def test_item_round_trips_every_field():
    """Each field of a post, its terms, meta and comments comes back as written."""
    (item,) = channel_of(written(Site(), [sample_post()])).findall("item")
    assert text(item, "title") == "Q&A: ISWAP <after> the split"
    assert text(item, "link") == "https://site.example/2019/05/06/qa-iswap-after-the-split/"
    assert text(item, "pubDate") == "Mon, 06 May 2019 09:00:00 +0000"
    assert text(item, "dc:creator") == "mariam.toure"
    assert item.find("guid").get("isPermaLink") == "false"
    assert text(item, "guid") == "https://site.example/?p=42"
    assert text(item, "description") == ""
    assert "Diffa &amp; Bosso" in text(item, "content:encoded")
    assert text(item, "excerpt:encoded") == "An excerpt ]]> with a CDATA end"
    expected = {
        "post_id": "42",
        "post_date": "2019-05-06 10:00:00",
        "post_date_gmt": "2019-05-06 09:00:00",
        "post_modified": "2019-05-07 11:30:00",
        "post_modified_gmt": "2019-05-07 10:30:00",
        "comment_status": "open",
        "ping_status": "open",
        "post_name": "qa-iswap-after-the-split",
        "status": "publish",
        "post_parent": "0",
        "menu_order": "0",
        "post_type": "post",
        "post_password": "",
        "is_sticky": "1",
    }
    assert {name: text(item, f"wp:{name}") for name in expected} == expected
    assert item.find("wp:attachment_url", NS) is None  # attachments only
    assert [(c.get("domain"), c.get("nicename"), c.text) for c in item.findall("category")] == [
        ("post_tag", "al-shabaab-2", "Al Shabaab"),
        ("author", "cap-mariam-toure", "mariam.toure"),
        ("category", "news", "News"),
    ]
    meta = [
        (text(m, "wp:meta_key"), text(m, "wp:meta_value")) for m in item.findall("wp:postmeta", NS)
    ]
    assert meta == [("_thumbnail_id", "97"), ("_wp_old_slug", "iswap-split")]
    first, reply = item.findall("wp:comment", NS)
    assert text(first, "wp:comment_id") == "5"
    assert text(first, "wp:comment_author") == "Kwame A."
    assert text(first, "wp:comment_author_email") == "kwame@mail.example"
    assert text(first, "wp:comment_author_url") == "https://blog.example/?a=1&b=2"
    assert text(first, "wp:comment_author_IP") == "192.0.2.7"
    assert text(first, "wp:comment_date") == "2019-05-06 12:00:00"
    assert text(first, "wp:comment_date_gmt") == "2019-05-06 11:00:00"
    assert text(first, "wp:comment_content") == "First.\n\nSecond paragraph."
    assert (text(first, "wp:comment_approved"), text(first, "wp:comment_type")) == ("1", "")
    assert (text(first, "wp:comment_parent"), text(first, "wp:comment_user_id")) == ("0", "0")
    (akismet,) = first.findall("wp:commentmeta", NS)
    assert (text(akismet, "wp:meta_key"), text(akismet, "wp:meta_value")) == (
        "akismet_result",
        "false",
    )
    assert (text(reply, "wp:comment_approved"), text(reply, "wp:comment_type")) == ("0", "comment")
    assert text(reply, "wp:comment_parent") == "5"
    assert text(reply, "wp:comment_date_gmt") == ZERO_DATE  # the date, which was left out


def test_elements_come_in_the_exporters_order():
    """An item's children follow export_wp(): header fields, dates, statuses, terms, meta,
    comments."""
    (item,) = channel_of(written(Site(), [sample_post()])).findall("item")
    names = [child.tag.rsplit("}", 1)[-1] for child in item]
    assert names == [
        "title",
        "link",
        "pubDate",
        "creator",
        "guid",
        "description",
        "encoded",
        "encoded",
        "post_id",
        "post_date",
        "post_date_gmt",
        "post_modified",
        "post_modified_gmt",
        "comment_status",
        "ping_status",
        "post_name",
        "status",
        "post_parent",
        "menu_order",
        "post_type",
        "post_password",
        "is_sticky",
        "category",
        "category",
        "category",
        "postmeta",
        "postmeta",
        "comment",
        "comment",
    ]


@pytest.mark.parametrize(
    ("value", "wrapped"),
    [
        ("", "<![CDATA[]]>"),
        ("plain", "<![CDATA[plain]]>"),
        ("a]]>b", "<![CDATA[a]]]]><![CDATA[>b]]>"),
        ("]]>", "<![CDATA[]]]]><![CDATA[>]]>"),
        ("x]]>]]>y", "<![CDATA[x]]]]><![CDATA[>]]]]><![CDATA[>y]]>"),
        ("<![CDATA[ nested ]]>", "<![CDATA[<![CDATA[ nested ]]]]><![CDATA[>]]>"),
    ],
)
def test_cdata_splits_its_end_as_wordpress_does(value, wrapped):
    """Every `]]>` in the text closes the section after `]]` and opens another at `>`, as
    wxr_cdata() does; a parser reads the text back unchanged."""
    assert cdata(value) == wrapped
    post = Post(1, content=value, excerpt=value, meta=[Meta("k", value)])
    (item,) = channel_of(written(Site(), [post])).findall("item")
    assert text(item, "content:encoded") == value
    assert text(item, "excerpt:encoded") == value
    assert text(item, "wp:postmeta/wp:meta_value") == value
    assert f"<content:encoded>{wrapped}</content:encoded>".encode() in written(Site(), [post])


def test_wxr_1_2_wraps_strings_and_1_1_writes_them_bare():
    """WXR 1.2 puts logins, slugs, dates and statuses in CDATA; 1.1 writes them as text,
    has its own namespace and no modified dates; both read back the same."""
    post = sample_post()
    modern = written(Site(authors=[AUTHOR], terms=[NEWS]), [post])
    assert b"<wp:post_name><![CDATA[qa-iswap-after-the-split]]></wp:post_name>" in modern
    assert b"<wp:author_login><![CDATA[mariam.toure]]></wp:author_login>" in modern
    assert b"<wp:category_nicename><![CDATA[news]]></wp:category_nicename>" in modern
    assert b"<title><![CDATA[Q&A: ISWAP <after> the split]]></title>" in modern
    assert b"<wp:post_id>42</wp:post_id>" in modern  # integers never wrapped
    old = written(Site(wxr_version="1.1", authors=[AUTHOR], terms=[NEWS]), [post])
    assert b'xmlns:wp="http://wordpress.org/export/1.1/"' in old
    assert b"<wp:wxr_version>1.1</wp:wxr_version>" in old
    assert b"<wp:post_name>qa-iswap-after-the-split</wp:post_name>" in old
    assert b"<wp:author_login>mariam.toure</wp:author_login>" in old
    assert b"<title>Q&amp;A: ISWAP &lt;after&gt; the split</title>" in old
    assert b"<wp:status>publish</wp:status>" in old
    assert b"post_modified" not in old
    assert b"<content:encoded><![CDATA[" in old  # content is always CDATA
    item = channel_of(old).find("item")
    namespaces = NS | {"wp": "http://wordpress.org/export/1.1/"}
    assert text(item, "title") == post.title
    assert text(item, "wp:post_name", namespaces) == post.name
    assert text(item, "wp:post_date_gmt", namespaces) == "2019-05-06 09:00:00"


def test_defaults_follow_wordpress():
    """Left out, links and guids are WordPress's ugly permalinks, a draft's pubDate is
    the zero date's (none for a date that is no date), attachments carry
    wp:attachment_url, links are escaped as esc_url does."""
    items = [
        Post(7, "Draft", date="2020-01-02 03:04:05", date_gmt=ZERO_DATE, status="draft"),
        Post(8, "About", type="page", date="2020-01-02 03:04:05"),
        Post(
            9,
            "photo",
            type="attachment",
            status="inherit",
            attachment_url="https://s.example/a.jpg",
        ),
        Post(10, "Odd link", link="https://s.example/?a=1&b=it's <x>"),
        Post(11, "Garbled", date="not a date", date_gmt="nor this"),
    ]
    data = written(Site(link="https://s.example"), items)
    draft, page, attachment, odd, garbled = channel_of(data).findall("item")
    assert text(draft, "link") == "https://s.example/?p=7"
    assert text(draft, "pubDate") == ZERO_PUBDATE
    assert text(page, "guid") == "https://s.example/?page_id=8"
    assert text(page, "pubDate") == "Thu, 02 Jan 2020 03:04:05 +0000"
    assert text(attachment, "wp:attachment_url") == "https://s.example/a.jpg"
    assert text(attachment, "link") == "https://s.example/?attachment_id=9"
    assert b"<link>https://s.example/?a=1&#038;b=it&#039;s%20x</link>" in data
    assert text(odd, "link") == "https://s.example/?a=1&b=it's%20x"
    assert text(garbled, "pubDate") == "" and text(garbled, "wp:post_date") == "not a date"


def test_raw_bytes_go_out_untouched():
    """Raw values, the declaration, the prolog and the extras are written exactly as given:
    what hostile-input tests use for invalid UTF-8, a DOCTYPE and entities."""
    doctype = b'<!DOCTYPE rss [<!ENTITY boom "kaboom">]>\n'
    post = Post(1, Raw(b"caf\xe9"), Raw(b"<![CDATA[&boom;]]>"), extra=b"\t\t<wp:unknown/>\n")
    site = Site(extra=b"\t<wp:oddity>1</wp:oddity>\n")
    data = written(
        site, [post], declaration=b'<?xml version="1.0" encoding="ISO-8859-1"?>\n', prolog=doctype
    )
    assert data.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + doctype)
    assert b"<title>caf\xe9</title>" in data
    assert b"<content:encoded><![CDATA[&boom;]]></content:encoded>" in data
    assert b"\t\t<wp:unknown/>\n\t</item>" in data
    assert b"<wp:oddity>1</wp:oddity>" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    bare = written(Site(), [], declaration=b"")
    assert bare.startswith(b"<!--")


def test_writes_as_it_goes():
    """Items are pulled one at a time and the file written in pieces: a long export is
    never held whole in memory."""
    pulled = []

    class Sink:
        def __init__(self):
            self.writes = []

        def write(self, data):
            self.writes.append((len(pulled), len(data)))

    def items():
        for number in range(1, 400):
            pulled.append(number)
            yield Post(number, f"Post {number}", "Paragraph. " * 100)

    sink = Sink()
    write_wxr(Site(), items(), sink)
    assert len(sink.writes) > 5
    assert sink.writes[0][0] < 100  # the first bytes left long before the last item
    assert max(size for _, size in sink.writes) < 200_000


def test_php_serialize_matches_php():
    """Arrays are serialised as PHP's serialize() writes them, string lengths in bytes."""
    assert php_serialize({"a": 1, "b": [True, None, 0.5]}) == (
        'a:2:{s:1:"a";i:1;s:1:"b";a:3:{i:0;b:1;i:1;N;i:2;d:0.5;}}'
    )
    assert php_serialize("Tillabéri") == 's:10:"Tillabéri";'
    assert php_serialize([""]) == 'a:1:{i:0;s:0:"";}'
    assert rfc822("2016-02-29 23:59:59") == "Mon, 29 Feb 2016 23:59:59 +0000"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_wordpress_site(40, tmp_path_factory.mktemp("wordpress") / "site", seed=5)


def test_generated_site_is_deterministic(generated, tmp_path):
    """The same n and seed write the same export and uploads, byte for byte."""
    again = generate_wordpress_site(40, tmp_path / "site", seed=5)
    assert again.export.read_bytes() == generated.export.read_bytes()
    files = sorted(
        p.relative_to(generated.uploads) for p in generated.uploads.rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(again.uploads) for p in again.uploads.rglob("*") if p.is_file()
    )
    for relative in files:
        assert (generated.uploads / relative).read_bytes() == (
            again.uploads / relative
        ).read_bytes()


def test_generated_site_is_shaped_like_a_newsroom(generated):
    """The generated export parses and holds what a newsroom's WordPress holds: every
    status, co-authors, folding tag spellings, both editors, threaded comments of every
    state, attachments in uploads/YYYY/MM at least 1,200 px wide."""
    channel = channel_of(generated.export.read_bytes())
    items = channel.findall("item")
    posts = [i for i in items if text(i, "wp:post_type") == "post"]
    assert len(posts) == 40
    assert {text(i, "wp:status") for i in posts} >= {
        "publish",
        "draft",
        "pending",
        "private",
        "future",
        "trash",
    }
    for draft in (i for i in posts if text(i, "wp:status") in ("draft", "pending")):
        assert (
            text(draft, "wp:post_date_gmt") == ZERO_DATE and text(draft, "pubDate") == ZERO_PUBDATE
        )
    published = [i for i in posts if text(i, "wp:status") == "publish"]
    for post in published:
        date = text(post, "wp:post_date")
        assert text(post, "link").endswith(
            f"/{date[:4]}/{date[5:7]}/{date[8:10]}/{text(post, 'wp:post_name')}/"
        )
    assert len(channel.findall("wp:author", NS)) >= 8
    assert len(channel.findall("wp:category", NS)) == len(CATEGORIES)
    tags = {text(t, "wp:tag_name"): text(t, "wp:tag_slug") for t in channel.findall("wp:tag", NS)}
    assert len(tags) >= 150
    assert [tags[name] for name in ("Al-Shabaab", "Al Shabaab", "al-Shabaab")] == [
        "al-shabaab",
        "al-shabaab-2",
        "al-shabaab-3",
    ]
    assert (tags["Boko Haram"], tags["boko haram"], tags["ISWAP"], tags["Iswap"]) == (
        "boko-haram",
        "boko-haram-2",
        "iswap",
        "iswap-2",
    )
    assert tags["Tillabéri"] == "tillaberi" == wp_slug("Tillabéri")
    caps = {
        text(t, "wp:term_slug")
        for t in channel.findall("wp:term", NS)
        if text(t, "wp:term_taxonomy") == "author"
    }
    assert caps and all(slug.startswith("cap-") for slug in caps)
    bylines = [[c for c in i.findall("category") if c.get("domain") == "author"] for i in posts]
    assert any(len(byline) > 1 for byline in bylines)
    bodies = [text(i, "content:encoded") for i in posts]
    assert any("<!-- wp:paragraph -->" in body for body in bodies)
    assert any("<!-- wp:" not in body and "<p>" not in body for body in bodies)
    comments = [c for i in posts for c in i.findall("wp:comment", NS)]
    assert {text(c, "wp:comment_approved") for c in comments} >= {"1", "0"}
    assert any(text(c, "wp:comment_parent") != "0" for c in comments)
    pages = [i for i in items if text(i, "wp:post_type") == "page"]
    assert any(text(p, "wp:post_parent") != "0" for p in pages)
    attachments = [i for i in items if text(i, "wp:post_type") == "attachment"]
    assert attachments and items[: len(attachments)] == attachments  # the index's order
    ids = {text(a, "wp:post_id") for a in attachments}
    thumbnails = [
        text(m, "wp:meta_value")
        for i in posts
        for m in i.findall("wp:postmeta", NS)
        if text(m, "wp:meta_key") == "_thumbnail_id"
    ]
    assert thumbnails and set(thumbnails) <= ids and len(thumbnails) > len(set(thumbnails))
    for attachment in attachments:
        meta = {
            text(m, "wp:meta_key"): text(m, "wp:meta_value")
            for m in attachment.findall("wp:postmeta", NS)
        }
        path = generated.uploads / meta["_wp_attached_file"]
        assert re.fullmatch(r"\d{4}/\d{2}/[a-z-]+\.(jpg|png)", meta["_wp_attached_file"])
        assert text(attachment, "wp:attachment_url").endswith(
            "/wp-content/uploads/" + meta["_wp_attached_file"]
        )
        assert meta["_wp_attachment_metadata"].startswith(f'a:6:{{s:5:"width";i:{IMAGE_WIDTH};')
        assert meta["_wp_attachment_image_alt"]
        with Image.open(path) as image:
            assert image.width >= 1200
