"""The podcast: episodes with their audio on the page, a feed podcast apps accept (read
with podcastparser and feedparser as apps and readers do, and checked tag by tag with
lxml), a CSP that lets the pages play exactly the audio they name, and a clear problem,
with file and line, for every wrong episode header."""

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import mutagen
import podcastparser
import pytest
from lxml import etree
from PIL import Image

from conftest import ROOT, build
from newsroom.config import SettingsError
from newsroom.podcast import (
    csp_sources,
    duration_words,
    parse_segments,
    podcast_settings,
    size_words,
    transcript_html,
)
from newsroom.scan import MAX_AUDIO_BYTES, MAX_STATIC_BYTES, check_entry

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"itunes": ITUNES, "atom": ATOM}
SAMPLE = ROOT / "content" / "audio" / "episode-13-boko-haram-split.mp3"
MEDIA_HOST = "media.militancymonitor.example"
_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")


def source_headers(path):
    """The headers of a source file, lower-case keys, continuation lines joined: an oracle
    written apart from the plugin's own reader."""
    found, key = {}, None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        if key and line.startswith("    "):
            found[key] += " " + line.strip()
            continue
        match = _HEADER.match(line)
        key = match[1].lower()
        found[key] = match[2].strip()
    return found


def clock_seconds(value):
    hours, minutes, seconds = (int(part) for part in value.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def source_episodes(content):
    """{article URL: headers} of the published Podcasts articles of a content folder."""
    episodes = {}
    for path in sorted(Path(content, "articles").rglob("*.md")):
        meta = source_headers(path)
        if meta["category"] == "Podcasts" and meta.get("status", "published") == "published":
            date = meta["date"]
            episodes[f"/{date[:4]}/{date[5:7]}/{meta['slug']}/"] = meta
    return episodes


def expected_audio(site, meta):
    """(enclosure URL path or URL, length, duration in seconds, type) an episode's headers
    and file give, worked out here from the file itself."""
    audio = meta["audio"]
    if audio.startswith("https://"):
        return audio, int(meta["audio_length"]), clock_seconds(meta["audio_duration"]), "audio/mpeg"
    source = site.content / audio
    seconds = round(mutagen.File(source).info.length)
    return f"/{audio}", os.path.getsize(source), seconds, "audio/mpeg"


@pytest.fixture(scope="module")
def podcast(site):
    """The real site's podcast feed: its path, bytes and lxml root."""
    path = site.settings["SITE_PODCAST"]["feed"]
    data = site.path("/" + path).read_bytes()
    return path, data, etree.fromstring(data)


@pytest.fixture(scope="module")
def episodes(site):
    found = source_episodes(site.content)
    assert len(found) >= 2, "content/ should hold a local and a hosted episode"
    assert any(not meta["audio"].startswith("https://") for meta in found.values())
    assert any(meta["audio"].startswith("https://") for meta in found.values())
    return found


def local_path(site, url):
    """The root-relative path of a feed URL on the feed domain (or the URL, if elsewhere)."""
    domain = site.settings["FEED_DOMAIN"]
    return url[len(domain) :] if url.startswith(domain + "/") else url


# The feed -------------------------------------------------------------------------


def test_the_channel_has_every_tag_podcast_apps_require(site, podcast):
    """RSS 2.0 with the iTunes namespace: title, link (the Podcasts section page),
    description, language, itunes:author, itunes:owner with name and email, itunes:image
    (a square PNG of 1400 to 3000 pixels under 500 KB, in the output), itunes:category
    with its text, itunes:explicit, and a self link."""
    path, _, root = podcast
    show = site.settings["SITE_PODCAST"]
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap["itunes"] == ITUNES
    channel = root.find("channel")
    assert channel.findtext("title") == show["title"]
    assert local_path(site, channel.findtext("link")) == "/category/podcasts/"
    assert channel.findtext("description") == show["description"]
    assert channel.findtext("language") == "en"
    assert channel.findtext("itunes:author", namespaces=NS) == show["author"]
    owner = channel.find("itunes:owner", NS)
    assert owner.findtext("itunes:name", namespaces=NS) == show["owner"]["name"]
    assert owner.findtext("itunes:email", namespaces=NS) == show["owner"]["email"]
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    category = channel.find("itunes:category", NS)
    assert category.get("text") == "News"
    assert category.find("itunes:category", NS).get("text") == "Politics"
    (self_link,) = channel.findall("atom:link[@rel='self']", NS)
    assert self_link.get("href") == f"{site.settings['FEED_DOMAIN']}/{path}"
    image_url = channel.find("itunes:image", NS).get("href")
    assert channel.findtext("image/url") == image_url
    art = site.path(local_path(site, image_url))
    assert art.is_file() and art.stat().st_size < 500_000
    with Image.open(art) as image:
        assert image.format in ("PNG", "JPEG") and image.mode == "RGB"
        assert image.width == image.height and 1400 <= image.width <= 3000


def test_every_episode_has_its_audio_numbers_and_duration(site, podcast, episodes):
    """podcastparser (the parser gPodder uses) finds every published episode, newest first,
    each with its enclosure (the real file's size for a local file, its header's for a
    URL), its duration (mutagen's, rounded, for a file), its number and explicit flag."""
    path, data, _ = podcast
    parsed = podcastparser.parse(f"{site.settings['FEED_DOMAIN']}/{path}", io.BytesIO(data))
    assert parsed["title"] == site.settings["SITE_PODCAST"]["title"]
    assert parsed["cover_url"].endswith("/theme/images/podcast-cover.png")
    assert parsed["itunes_owner"] == site.settings["SITE_PODCAST"]["owner"]
    assert parsed["itunes_categories"] == [["News", "Politics"]]
    assert parsed["explicit"] is False
    found = {local_path(site, episode["link"]): episode for episode in parsed["episodes"]}
    assert set(found) == set(episodes)
    dates = [episode["published"] for episode in parsed["episodes"]]
    assert dates == sorted(dates, reverse=True)
    for url, meta in episodes.items():
        episode = found[url]
        address, length, seconds, mime = expected_audio(site, meta)
        (enclosure,) = episode["enclosures"]
        assert local_path(site, enclosure["url"]) == address, url
        assert enclosure["file_size"] == length, url
        assert enclosure["mime_type"] == mime, url
        assert episode["total_time"] == seconds, url
        assert episode["number"] == int(meta["episode"]), url
        assert episode["explicit"] is (meta.get("explicit") == "yes"), url
        assert episode["guid"] and episode["description"], url
        if not address.startswith("https://"):  # the enclosure is a real file of the output
            copied = site.path(address)
            assert copied.read_bytes() == (site.content / meta["audio"]).read_bytes()


def test_feedparser_and_lxml_read_each_item_in_full(site, podcast, episodes):
    """feedparser reads the feed as RSS 2.0 without complaint; each item carries title,
    link, guid, pubDate, one enclosure, itunes:duration (HH:MM:SS), itunes:episode,
    itunes:explicit and a description, and credits its authors as the site's RSS does."""
    _, data, root = podcast
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.version == "rss20"
    assert len(parsed.entries) == len(episodes)
    for entry in parsed.entries:
        meta = episodes[local_path(site, entry.link)]
        (enclosure,) = entry.enclosures
        address, length, seconds, mime = expected_audio(site, meta)
        assert (local_path(site, enclosure.href), int(enclosure.length), enclosure.type) == (
            address,
            length,
            mime,
        )
        assert [author.name for author in entry.authors] == [
            name.strip() for name in meta["authors"].split(",")
        ]
        assert (
            entry.itunes_duration
            == f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        )
    for item in root.findall("channel/item"):
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert item.findtext(tag), tag
        assert len(item.findall("enclosure")) == 1
        assert re.fullmatch(r"\d\d:\d\d:\d\d", item.findtext("itunes:duration", namespaces=NS))
        assert item.findtext("itunes:episode", namespaces=NS).isdigit()
        assert item.findtext("itunes:explicit", namespaces=NS) in ("true", "false")


def test_the_feed_is_discoverable_and_linked_from_the_podcasts_section(site, podcast):
    """Every page names the podcast feed in its head (rel=alternate, RSS, the show's
    title); the Podcasts section page links to it in its text."""
    path = podcast[0]
    title = site.settings["SITE_PODCAST"]["title"]
    for page in (
        "/",
        "/category/podcasts/",
        "/2026/08/podcast-briefing-boko-haram-split-ten-years/",
    ):
        links = site.html(page).select('head link[rel=alternate][type="application/rss+xml"]')
        assert {(link["title"], link["href"]) for link in links} >= {(title, f"/{path}")}, page
        assert "podcast" in title.lower()
    section = site.html("/category/podcasts/")
    assert section.select_one(f'main a[href="/{path}"]'), "the section page links to the feed"
    other = site.html("/category/analysis/")
    assert not other.select_one(f'main a[href="/{path}"]')


# The page -------------------------------------------------------------------------


def test_the_episode_page_has_a_player_a_download_link_and_its_segments(site, episodes):
    """Each episode's page has <audio controls preload="none"> with a <source> of the
    right type (a local file is in the output, the same bytes), a download link giving
    the size and duration in words, its episode number, and its segments, each a link to
    the audio at its start (#t=seconds)."""
    for url, meta in episodes.items():
        page = site.html(url)
        audio = page.select_one("section.episode audio")
        assert audio.has_attr("controls") and audio["preload"] == "none", url
        (source,) = audio.select("source")
        address, length, seconds, mime = expected_audio(site, meta)
        assert source["src"] == address and source["type"] == mime, url
        if not address.startswith("https://"):
            assert site.path(address).read_bytes() == (site.content / meta["audio"]).read_bytes()
        download = page.select_one("section.episode a[download]")
        assert download["href"] == address
        facts = download.parent.get_text(" ", strip=True)
        assert size_words(length) in facts and duration_words(seconds) in facts, facts
        assert f"Episode {meta['episode']}" in page.select_one(".episode-numbers").get_text()
        segments = [item.strip() for item in meta["segments"].split(";") if item.strip()]
        links = page.select(".episode-segments a")
        assert len(links) == len(segments), url
        for link, segment in zip(links, segments, strict=True):
            stamp = segment.split(" ", 1)[0]
            minutes, secs = stamp.split(":")[-2:]
            start = int(minutes) * 60 + int(secs)
            assert link["href"] == f"{address}#t={start}", link
            assert link.get_text() == stamp
            assert start < seconds


def test_a_transcript_is_shown_on_the_page(site, episodes):
    """An episode with a Transcript header shows it on its page, in a details element."""
    shown = 0
    for url, meta in episodes.items():
        transcript = site.html(url).select_one(".episode-transcript")
        if "transcript" not in meta:
            assert transcript is None
            continue
        text = (site.content / meta["transcript"]).read_text(encoding="utf-8")
        assert transcript.select_one("summary").get_text() == "Transcript"
        words = re.findall(r"\w+", text)
        assert len(words) > 100
        assert re.findall(r"\w+", transcript.select_one(".prose").get_text(" ")) == words
        assert transcript.select("strong")  # the speaker
        shown += 1
    assert shown, "content/ should hold an episode with a transcript"


def test_the_csp_lets_pages_play_exactly_the_audio_they_name(site, episodes):
    """media-src allows 'self' (the local files) and the listed media host, nothing else;
    no other directive gained the host; every hosted episode is on that host; nginx
    sends the same policy (deploy/nginx.conf)."""
    policy = site.settings["SITE_CSP"]
    meta_policy = site.html(next(iter(episodes)))
    assert meta_policy.select_one('meta[http-equiv="Content-Security-Policy"]')["content"] == policy
    assert csp_sources(policy, "media-src") == ["'self'", f"https://{MEDIA_HOST}"]
    assert policy.count(MEDIA_HOST) == 1
    assert site.settings["SITE_PODCAST"]["media_hosts"] == [MEDIA_HOST]
    for meta in episodes.values():
        if meta["audio"].startswith("https://"):
            assert urlsplit(meta["audio"]).hostname == MEDIA_HOST
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    headers = re.findall(r'add_header Content-Security-Policy "([^"]+)"', nginx)
    assert f"{policy}; frame-ancestors 'none'" in headers  # the site's; other locations differ


# A build of the tiny site with episodes -----------------------------------------------

EPISODE = {
    "Title": "A Test Episode",
    "Date": "2022-06-01 09:00",
    "Authors": "Ada Reyes",
    "Category": "Podcasts",
    "Tags": "Iraq",
    "Summary": "An episode for the podcast tests.",
}


def write_episode(content, name, body="Show notes.\n", **headers):
    """Write an article into a content folder; return (its path, {header: line})."""
    fields = {**EPISODE, "Slug": name, **headers}
    fields = {key: value for key, value in fields.items() if value is not None}
    path = content / "articles" / f"{name}.md"
    text = "".join(f"{key}: {value}\n" for key, value in fields.items())
    path.write_text(text + "\n" + body, encoding="utf-8")
    return str(path), {key: number for number, key in enumerate(fields, start=1)}


def add_audio(content, name="ep.mp3", data=None):
    """Put an audio file (the sample episode's, unless data is given) below audio/."""
    folder = content / "audio"
    folder.mkdir(exist_ok=True)
    if data is None:
        shutil.copyfile(SAMPLE, folder / name)
    else:
        (folder / name).write_bytes(data)
    return f"audio/{name}"


def test_a_small_show_builds_with_every_episode_in_its_feed(fixture_content, tmp_path):
    """Episodes beyond FEED_MAX_ITEMS stay in the podcast feed (apps list the whole back
    catalogue); a .txt transcript is set in paragraphs with the speaker in bold; a season
    number and an explicit episode reach the feed; a draft needs no audio; the section's
    Atom feed still holds FEED_MAX_ITEMS."""
    audio = add_audio(fixture_content)
    (fixture_content / "audio" / "ep.txt").write_text(
        "Ada Reyes: Welcome to the show & thanks.\n\nA second paragraph <b>not bold</b>.\n",
        encoding="utf-8",
    )
    write_episode(
        fixture_content,
        "first",
        Date="2022-06-01 09:00",
        Audio=audio,
        Episode="1",
        Season="2",
        Transcript="audio/ep.txt",
    )
    write_episode(
        fixture_content,
        "second",
        Date="2022-06-08 09:00",
        Audio=audio,
        Episode="2",
        Season="2",
        Explicit="yes",
    )
    write_episode(  # a draft's audio may not be there yet
        fixture_content, "third", Date="2022-06-09 09:00", Status="draft", Audio="audio/soon.mp3"
    )
    site = build(fixture_content, tmp_path / "output", FEED_MAX_ITEMS=1)
    root = site.xml("/category/podcasts/podcast.xml").getroot()
    items = root.findall("channel/item")
    assert [item.findtext("itunes:episode", namespaces=NS) for item in items] == ["2", "1"]
    assert [item.findtext("itunes:season", namespaces=NS) for item in items] == ["2", "2"]
    assert [item.findtext("itunes:explicit", namespaces=NS) for item in items] == ["true", "false"]
    atom = site.xml("/category/podcasts/atom.xml").getroot()
    assert len(atom.findall(f"{{{ATOM}}}entry")) == 1
    page = site.html("/2022/06/first/")
    assert page.select_one(".episode-numbers").get_text(strip=True) == "Season 2 · Episode 1"
    paragraphs = page.select(".episode-transcript p")
    assert paragraphs[0].select_one("strong").get_text() == "Ada Reyes:"
    assert "thanks" in paragraphs[0].get_text() and "&" in paragraphs[0].get_text()
    assert "<b>" in paragraphs[1].get_text() and not paragraphs[1].select("b")
    assert not site.path("/2022/06/third/").exists()


def test_a_site_without_episodes_has_no_podcast_feed_or_links(tiny_site):
    """No published episode: no feed, and no page names one."""
    assert not tiny_site.path("/category/podcasts/podcast.xml").exists()
    links = tiny_site.html("/").select('link[rel=alternate][type="application/rss+xml"]')
    assert all("podcast" not in link["href"] for link in links)


# Problems -------------------------------------------------------------------------


def problem(problems, path, field):
    """The one problem of a file and field."""
    found = [p for p in problems if p.path == path and p.field == field]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def test_an_episode_without_audio_or_with_a_missing_or_wrong_file_stops_the_build(built):
    """A Podcasts article without Audio, audio that is not there, a file that is not
    audio, a type podcast apps do not all play, an MP3 named .m4a, a path outside
    content/audio/: each a problem naming the file, the line and what is allowed."""
    content, rebuild_fails = built
    add_audio(content, "fake.mp3", b"Title: not audio\n\nJust text.\n")
    add_audio(content, "real.m4a")
    url = {"Audio_length": "10", "Audio_duration": "00:01:00"}
    cases = {  # headers, the line the problem names, what it says
        "no-audio": (
            {},
            "Category",
            "is missing; every article in the Podcasts section is an episode",
        ),
        "missing": (
            {"Audio": "audio/nowhere.mp3"},
            "Audio",
            "content/audio/nowhere.mp3 is missing",
        ),
        "not-audio": ({"Audio": "audio/fake.mp3"}, "Audio", "could not be read as MP3 audio"),
        "wav": ({"Audio": "audio/ep.wav"}, "Audio", "allowed: MP3 (.mp3) or M4A (.m4a)"),
        "ogg-url": ({"Audio": f"https://{MEDIA_HOST}/ep.ogg", **url}, "Audio", "a .ogg file"),
        "named-m4a": ({"Audio": "audio/real.m4a"}, "Audio", "not the M4A its name says"),
        "outside": ({"Audio": "images/ep.mp3"}, "Audio", "is not a file below content/audio/"),
    }
    written = {name: write_episode(content, name, **case[0]) for name, case in cases.items()}
    problems = rebuild_fails()
    for name, (_headers, at, words) in cases.items():
        path, lines = written[name]
        found = problem(problems, path, "Audio")
        assert found.line == lines[at], str(found)
        assert words in found.message, str(found)
        assert str(found).startswith(f"{path}:{found.line}: Audio: ")


def test_a_url_must_be_https_on_a_listed_host_with_its_length_and_duration(built):
    """http, an unlisted host, a missing or malformed Audio_length or Audio_duration, and
    those headers given for a local file: each named with its line."""
    content, rebuild_fails = built
    audio = add_audio(content)
    ok = f"https://{MEDIA_HOST}/podcast/ep.mp3"
    length, duration = {"Audio_length": "10"}, {"Audio_duration": "00:01:00"}
    cases = {  # headers, the field and line of the problem, what it says
        "http": (
            {"Audio": f"http://{MEDIA_HOST}/ep.mp3", **length, **duration},
            "Audio",
            "Audio",
            "is http",
        ),
        "elsewhere": (
            {"Audio": "https://cdn.example.net/ep.mp3", **length, **duration},
            "Audio",
            "Audio",
            "'cdn.example.net' is not a media host",
        ),
        "no-length": ({"Audio": ok, **duration}, "Audio_length", "Audio", "is missing"),
        "bad-length": (
            {"Audio": ok, "Audio_length": "56 MB", **duration},
            "Audio_length",
            "Audio_length",
            "'56 MB' is not the file's size in bytes",
        ),
        "bad-duration": (
            {"Audio": ok, **length, "Audio_duration": "58:58"},
            "Audio_duration",
            "Audio_duration",
            "'58:58' is not HH:MM:SS",
        ),
        "no-duration": ({"Audio": ok, **length}, "Audio_duration", "Audio", "is missing"),
        "local-length": (
            {"Audio": audio, **length},
            "Audio_length",
            "Audio_length",
            "is only for audio at a URL",
        ),
    }
    written = {name: write_episode(content, name, **case[0]) for name, case in cases.items()}
    problems = rebuild_fails()
    for name, (_headers, field, at, words) in cases.items():
        path, lines = written[name]
        found = problem(problems, path, field)
        assert found.line == lines[at], str(found)
        assert words in found.message, str(found)


def test_numbers_flags_segments_and_transcripts_are_checked(built):
    """Episode and Season are whole numbers from 1, Explicit yes or no, Segments in order
    and inside the audio, a Transcript a readable .md or .txt below audio/; episode
    headers belong to the Podcasts section; two episodes never share a number."""
    content, rebuild_fails = built
    audio = add_audio(content)
    (content / "audio" / "latin1.txt").write_bytes("Caf\xe9 talk".encode("latin-1"))
    cases = {
        "episode-word": ({"Episode": "twelve"}, "Episode", "'twelve' is not a whole number"),
        "episode-zero": ({"Episode": "0"}, "Episode", "'0' is not a whole number"),
        "season-negative": ({"Season": "-2"}, "Season", "'-2' is not a whole number"),
        "explicit": ({"Explicit": "maybe"}, "Explicit", "'maybe' is not yes or no"),
        "segments-form": ({"Segments": "Intro at 00:00"}, "Segments", "is not `MM:SS Title`"),
        "segments-order": ({"Segments": "00:20 B; 00:10 A"}, "Segments", "is not after"),
        "segments-end": ({"Segments": "00:00 A; 05:00 B"}, "Segments", "past the end of the audio"),
        "transcript-type": ({"Transcript": "audio/ep.pdf"}, "Transcript", "is not a transcript"),
        "transcript-missing": ({"Transcript": "audio/none.md"}, "Transcript", "is missing"),
        "transcript-latin1": ({"Transcript": "audio/latin1.txt"}, "Transcript", "is not UTF-8"),
        "not-a-podcast": (
            {"Category": "Analysis", "Audio": None, "Episode": "3"},
            "Episode",
            "only articles of the Podcasts section are episodes",
        ),
        "same-number-a": ({"Episode": "7"}, None, None),
        "same-number-b": ({"Episode": "7"}, "Episode", "is also episode 7 in"),
    }
    written = {
        name: write_episode(content, name, **{"Audio": audio, **headers})
        for name, (headers, _, _) in cases.items()
    }
    problems = rebuild_fails()
    for name, (_headers, field, words) in cases.items():
        path, lines = written[name]
        if field is None:
            assert not [p for p in problems if p.path == path], name
            continue
        found = problem(problems, path, field)
        assert found.line == lines[field], str(found)
        assert words in found.message, str(found)


def test_the_podcast_settings_are_checked_before_any_work(tmp_path):
    """A wrong SITE_PODCAST stops the build at once with what to write; so does a CSP
    that would block the audio: 'self' and each media host in media-src."""
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"THEME": str(ROOT / "theme")})
    assert podcast_settings(settings).feed == "category/podcasts/podcast.xml"
    good = settings["SITE_PODCAST"]
    wrong = {
        "owner": ({**good, "owner": {"name": "X"}}, "SITE_PODCAST['owner']"),
        "hosts": ({**good, "media_hosts": ["https://media.example.org/"]}, "media_hosts"),
        "image": ({**good, "image": "images/nowhere.png"}, "SITE_PODCAST['image']"),
        "feed": ({**good, "feed": "../feed.xml"}, "SITE_PODCAST['feed']"),
        "section": ({**good, "section": " "}, "SITE_PODCAST['section'] is missing"),
        "unknown": ({**good, "colour": "red"}, "unknown keys"),
        "csp": (
            {**good, "media_hosts": [MEDIA_HOST, "cdn.example.org"]},
            "https://cdn.example.org",
        ),
    }
    for name, (value, words) in wrong.items():
        with pytest.raises(SettingsError, match=re.escape(words)):
            podcast_settings({**settings, "SITE_PODCAST": value}), name
    blocked = settings["SITE_CSP"].replace("media-src 'self' ", "media-src ")
    with pytest.raises(SettingsError, match="'self'"):
        podcast_settings({**settings, "SITE_CSP": blocked})
    assert podcast_settings({**settings, "SITE_PODCAST": None}) is None


# Units ----------------------------------------------------------------------------


def test_audio_may_be_larger_than_other_static_files_below_content_audio_only(tmp_path):
    """Static files stop at 20 MiB; .mp3 and .m4a files below audio/ at 200 MiB."""
    big = tmp_path / "big.mp3"
    with open(big, "wb") as handle:
        handle.truncate(MAX_STATIC_BYTES + 1)  # sparse: no real disk used
    assert check_entry(str(big), "audio/big.mp3", None) == (None, False)
    assert check_entry(str(big), "images/big.mp3", None)[0] is not None
    assert check_entry(str(big), "audio/big.wav", None)[0] is not None
    os.truncate(big, MAX_AUDIO_BYTES + 1)
    refused = check_entry(str(big), "audio/big.mp3", None)[0]
    assert refused and f"{MAX_AUDIO_BYTES:,}" in refused.message


def test_words_for_sizes_durations_and_segments():
    assert size_words(341_873) == "342 KB"
    assert size_words(56_627_200) == "56.6 MB"
    assert duration_words(43) == "43 seconds"
    assert duration_words(3538) == "59 minutes"
    assert duration_words(3900) == "1 hour 5 minutes"
    assert parse_segments("00:00 Intro; 1:02:03 Late;") == (
        [(0, "00:00", "Intro"), (3723, "1:02:03", "Late")],
        None,
    )


def test_a_markdown_transcript_keeps_below_the_pages_headings_and_drops_scripts():
    html = transcript_html(
        "# Part one\n\n**Host:** Hello.<script>alert(1)</script>\n\n[link](javascript:x)\n",
        ".md",
        {"NEWSROOM": {"typogrify": False}},
    )
    assert "<h3>Part one</h3>" in html and "<h1" not in html
    assert "<script" not in html and "javascript:" not in html
    assert "<strong>Host:</strong>" in html
