"""Podcast episodes: the articles of the podcast section, each with its audio.

An article in the section SITE_PODCAST["section"] is an episode and names its audio:

    Audio: audio/episode-13-boko-haram-split.mp3     a file below content/audio/, or
    Audio: https://media.militancymonitor.example/podcast/episode-12.mp3
    Audio_length: 56389120                           bytes, for a URL only
    Audio_duration: 00:58:41                         HH:MM:SS, for a URL only
    Episode: 13                                      optional, a whole number from 1
    Season: 2                                        optional, a whole number from 1
    Explicit: no                                     optional, yes or no (else the show's)
    Transcript: audio/episode-13-boko-haram-split.md optional, .md or .txt below audio/
    Segments: 00:00 Opening; 00:04 Two leaders       optional, `MM:SS Title; ...`

A file's length, duration and type are read from it (mutagen); a URL must be https, on
a host SITE_PODCAST["media_hosts"] lists (the CSP's media-src names the same hosts).
MP3 (audio/mpeg) and M4A (audio/x-m4a) are what podcast apps play everywhere, so those
are the types allowed.

The checks run in two steps, both reporting `file:line: field: message` problems:
check_episode_headers, with the other header rules (rules.check_source), checks what a
value's text alone says (a URL's scheme, a malformed duration); attach_episodes, once
everything is read, checks what depends on the settings and on other files (the
section, the host, the file and its type, the transcript, segments past the end,
two episodes with one number) and gives each episode's article its Episode. The feed
(podcast_feed.py) and the page (theme/templates/partials/episode.html) read that.
"""

import dataclasses
import html
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import nh3
from markupsafe import Markup

from .config import SettingsError, plugin_settings
from .errors import ContentError, Problem, display_path
from .frontmatter import parse_record
from .markup import typographic, typogrify_html
from .scan import (
    AUDIO_FOLDER,
    AUDIO_SUFFIXES,
    MAX_SOURCE_BYTES,
    check_markdown_shape,
    decode,
)
from .state import build_of

SETTING = "SITE_PODCAST"
# The headers of an episode, lower case as headers are read; rules.ARTICLE_KEYS has them.
EPISODE_KEYS = (
    "audio",
    "audio_length",
    "audio_duration",
    "episode",
    "season",
    "explicit",
    "transcript",
    "segments",
)
# What the problems call each header: as authors write it.
FIELDS = {key: key.capitalize() for key in EPISODE_KEYS}
AUDIO_TYPES = {".mp3": ("audio/mpeg", "MP3"), ".m4a": ("audio/x-m4a", "M4A")}
TRANSCRIPT_SUFFIXES = (".md", ".txt")
MAX_NUMBER = 100_000  # episode and season numbers
MAX_LENGTH = 10**10  # bytes: 10 GB
MAX_SEGMENTS = 100
ALLOWED_TYPES = "MP3 (.mp3) or M4A (.m4a)"
LOCAL_EXAMPLE = f"{AUDIO_FOLDER}/episode-13.mp3"
URL_EXAMPLE = "https://media.example.org/podcast/episode-13.mp3"
_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")
_URL = re.compile(
    r"^https://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9._~/%+-]*(?:\?[A-Za-z0-9._~%+=&-]*)?$"
)
_NUMBER = re.compile(r"^[1-9][0-9]*$")
_DURATION = re.compile(r"^(\d{2}):([0-5]\d):([0-5]\d)$")
_STAMP = re.compile(r"^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)$")
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_SPEAKER = re.compile(r"^([A-Z][\w.' -]{0,40}):\s+(.*)$", re.DOTALL)


# ---------------------------------------------------------------- what readers get


def clock(seconds):
    """HH:MM:SS, as <itunes:duration> and the Audio_duration header write a duration."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def iso_duration(seconds):
    """An HTML/ISO 8601 duration (PT1H2M3S) for <time datetime>."""
    hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{rest}S" if rest or not (hours or minutes) else "")


def plural(count, noun):
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def duration_words(seconds):
    """A duration as readers say it: 43 seconds, 12 minutes, 1 hour 5 minutes."""
    if seconds < 60:
        return plural(seconds, "second")
    minutes = round(seconds / 60)
    if minutes < 60:
        return plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    return plural(hours, "hour") + (f" {plural(minutes, 'minute')}" if minutes else "")


def size_words(length):
    """A file size in decimal units, as download links give it: 342 KB, 56.4 MB."""
    if length < 1000:
        return plural(length, "byte")
    if length < 1_000_000:
        return f"{round(length / 1000)} KB"
    if length < 1_000_000_000:
        return f"{length / 1_000_000:.1f} MB"
    return f"{length / 1_000_000_000:.2f} GB"


@dataclass(frozen=True)
class Segment:
    """A part of an episode: where it starts (seconds, and as written) and its title."""

    start: int
    stamp: str
    title: str  # typeset HTML

    @property
    def iso(self):
        return iso_duration(self.start)


@dataclass(frozen=True)
class Episode:
    """An episode's audio and numbers, as its page and the podcast feed show them."""

    audio: str  # the output path of a local file (audio/x.mp3), or an https URL
    local: bool
    mime: str
    length: int  # bytes
    duration: int  # seconds
    number: int | None = None
    season: int | None = None
    explicit: bool | None = None  # None: the show's setting
    segments: tuple = ()
    transcript: str | None = None  # HTML

    def src(self, site_url):
        """The audio's address: a local file's under site_url (SITEURL, or FEED_DOMAIN)."""
        return f"{site_url}/{self.audio}" if self.local else self.audio

    @property
    def format(self):
        return next(name for mime, name in AUDIO_TYPES.values() if mime == self.mime)

    @property
    def clock(self):
        return clock(self.duration)

    @property
    def iso_duration(self):
        return iso_duration(self.duration)

    @property
    def duration_words(self):
        return duration_words(self.duration)

    @property
    def size_words(self):
        return size_words(self.length)


@dataclass(frozen=True)
class Show:
    """The podcast as a whole: SITE_PODCAST, checked. In the context as `podcast` once
    the site has a published episode (with `page`, its section's URL)."""

    section: str
    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    category: str
    subcategory: str | None
    explicit: bool
    image: str  # output path of the show art
    language: str
    media_hosts: tuple
    feed: str  # output path of the feed
    page: str = ""  # the section page's URL, once there is one

    def allows(self, host):
        return host.lower() in self.media_hosts


# ---------------------------------------------------------------- the settings

REQUIRED_TEXT = ("section", "title", "description", "author", "image", "feed")
KNOWN = {*REQUIRED_TEXT, "owner", "category", "explicit", "language", "media_hosts"}


def csp_sources(policy, directive):
    """The sources a CSP allows for a fetch directive (falling back to default-src)."""
    directives = {}
    for part in (policy or "").split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives.get(directive, directives.get("default-src", []))


def podcast_settings(settings):
    """Return the Show that SITE_PODCAST describes, or None without one; raise
    SettingsError, saying what to write, for anything wrong in it."""
    given = settings.get(SETTING)
    if not given:
        return None

    def refuse(key, why):
        raise SettingsError(f"{SETTING}[{key!r}] {why}")

    if not isinstance(given, dict):
        raise SettingsError(f"{SETTING} must be a dict of the show's settings")
    unknown = sorted(set(given) - KNOWN)
    if unknown:
        raise SettingsError(f"{SETTING} has unknown keys {unknown!r}; allowed: {sorted(KNOWN)!r}")
    for key in REQUIRED_TEXT:
        if not isinstance(given.get(key), str) or not given[key].strip():
            refuse(key, "is missing or empty; it must be text")
    owner = given.get("owner")
    if (
        not isinstance(owner, dict)
        or set(owner) != {"name", "email"}
        or not all(isinstance(value, str) and value.strip() for value in owner.values())
        or not _EMAIL.match(owner["email"])
    ):
        refuse("owner", "must be {'name': 'Who runs the show', 'email': 'podcast@example.org'}")
    category = given.get("category")
    parts = (category,) if isinstance(category, str) else category
    if (
        not isinstance(parts, (tuple, list))
        or len(parts) not in (1, 2)
        or not all(isinstance(part, str) and part.strip() for part in parts)
    ):
        refuse(
            "category",
            "must be an Apple Podcasts category, or one and a subcategory: "
            "'News' or ('News', 'Politics')",
        )
    explicit = given.get("explicit", False)
    if not isinstance(explicit, bool):
        refuse("explicit", "must be True or False")
    hosts = given.get("media_hosts", ())
    if isinstance(hosts, str) or not all(isinstance(h, str) and _HOST.match(h) for h in hosts):
        refuse(
            "media_hosts",
            "must be a list of host names in lower case, such as "
            "['media.example.org'] (no scheme, port or path)",
        )
    feed = given["feed"]
    if not _PATH.match(feed) or ".." in feed.split("/") or not feed.endswith(".xml"):
        refuse(
            "feed",
            f"is {feed!r}; give a relative path ending in .xml, such as "
            "'category/podcasts/podcast.xml'",
        )
    image = given["image"]
    static_dir = settings.get("THEME_STATIC_DIR", "theme")
    inside = image.removeprefix(static_dir + "/")
    found = any(
        Path(settings["THEME"], folder, inside).is_file()
        for folder in settings.get("THEME_STATIC_PATHS", ["static"])
    )
    if inside == image or not found or not image.lower().endswith((".png", ".jpg", ".jpeg")):
        refuse(
            "image",
            f"is {image!r}; name a PNG or JPEG of the theme's static files, "
            f"as the site serves it ('{static_dir}/images/podcast-cover.png'), "
            "square, 1400 to 3000 pixels (tools/make_podcast_art.py makes one)",
        )
    allowed = csp_sources(settings.get("SITE_CSP"), "media-src")
    missing = [f"https://{host}" for host in hosts if f"https://{host}" not in allowed]
    if "'self'" not in allowed or missing:
        raise SettingsError(
            f"SITE_CSP does not let pages play the podcast's audio: its media-src (or "
            f"default-src) must list 'self' and {', '.join(missing) or 'each media host'}; "
            f"it lists {' '.join(allowed) or 'nothing'}"
        )
    return Show(
        section=given["section"],
        title=given["title"].strip(),
        description=given["description"].strip(),
        author=given["author"].strip(),
        owner_name=owner["name"].strip(),
        owner_email=owner["email"].strip(),
        category=parts[0].strip(),
        subcategory=parts[1].strip() if len(parts) == 2 else None,
        explicit=explicit,
        image=image,
        language=given.get("language") or settings.get("DEFAULT_LANG", "en"),
        media_hosts=tuple(hosts),
        feed=feed,
    )


# ---------------------------------------------------------------- header values


def parse_number(value, limit=MAX_NUMBER):
    """A whole number from 1 to limit, or None."""
    value = value.strip()
    return int(value) if _NUMBER.match(value) and int(value) <= limit else None


def parse_length(value):
    """A file size in bytes (from 1 byte to 10 GB), or None."""
    return parse_number(value, MAX_LENGTH)


def parse_duration(value):
    """Seconds from HH:MM:SS, or None."""
    match = _DURATION.match(value.strip())
    if not match:
        return None
    seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])
    return seconds or None


def parse_stamp(value):
    """Seconds from MM:SS or H:MM:SS (a segment's start), or None."""
    match = _STAMP.match(value)
    if not match:
        return None
    return int(match[1] or 0) * 3600 + int(match[2]) * 60 + int(match[3])


def audio_kind(value):
    """Return ("url" or "file", None) for an Audio value, or (None, why it is wrong)."""
    value = value.strip()
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme == "http":
        return None, (
            f"{value!r} is http; podcast apps and the site's security policy need https: "
            f"{'https' + value[4:]!r}"
        )
    if scheme == "https":
        if not _URL.match(value):
            return None, (
                f"{value!r} is not a plain https URL (host, then a path of letters, digits and "
                f"'-', '_', '.', '/'); such as {URL_EXAMPLE!r}"
            )
        suffix = os.path.splitext(urlsplit(value).path)[1].lower()
        if suffix not in AUDIO_TYPES:
            return None, unsupported(value, suffix)
        return "url", None
    if scheme or value.startswith("/"):
        return None, (
            f"{value!r} is neither a file below content/{AUDIO_FOLDER}/ nor an https URL; "
            f"write {LOCAL_EXAMPLE!r} or {URL_EXAMPLE!r}"
        )
    reason = local_path_reason(value, AUDIO_SUFFIXES)
    if reason:
        return None, reason
    return "file", None


def unsupported(value, suffix):
    return (
        f"{value!r} is {'a ' + suffix + ' file' if suffix else 'not a named file'}, which "
        f"podcast apps do not all play; allowed: {ALLOWED_TYPES}"
    )


def local_path_reason(value, suffixes):
    """Why a path is not a file of the right type below content/audio/, or None."""
    parts = value.split("/")
    if (
        not _PATH.match(value)
        or parts[0] != AUDIO_FOLDER
        or len(parts) < 2
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        return (
            f"{value!r} is not a file below content/{AUDIO_FOLDER}/; give its path from "
            f"content/, such as {LOCAL_EXAMPLE!r} (letters, digits, '-', '_', '.', '/')"
        )
    suffix = os.path.splitext(value)[1].lower()
    if suffix not in suffixes:
        if suffixes == AUDIO_SUFFIXES:
            return unsupported(value, suffix)
        return f"{value!r} is not a transcript; allowed: Markdown (.md) or plain text (.txt)"
    return None


def parse_segments(value):
    """Return (segments as (start, stamp, title), or None, and why they are wrong)."""
    items = [item.strip() for item in value.split(";")]
    if items and not items[-1]:
        items.pop()  # a trailing semicolon
    if not items or len(items) > MAX_SEGMENTS:
        return None, f"lists {len(items)} segments; give 1 to {MAX_SEGMENTS}"
    segments, last = [], -1
    for item in items:
        stamp, _, title = item.partition(" ")
        start = parse_stamp(stamp)
        if start is None or not title.strip():
            return None, (
                f"{item!r} is not `MM:SS Title` (or `H:MM:SS Title`); separate segments with "
                "';': `00:00 Introduction; 03:10 The split`"
            )
        if start <= last:
            return None, f"{stamp!r} is not after the segment before it; list them in order"
        last = start
        segments.append((start, stamp, title.strip()))
    return segments, None


def check_episode_headers(record):
    """Return the problems of an article's episode headers that their text alone shows
    (rules.check_source runs this with the other header rules)."""
    meta, problems = record.meta, []

    def problem(key, message, at=None):
        line = record.line_of(at or key)
        problems.append(Problem(record.path, line, FIELDS[key], message))

    kind = None
    if "audio" in meta:
        kind, reason = audio_kind(meta["audio"])
        if reason:
            problem("audio", reason)
    for key, parse, form in (
        ("audio_length", parse_length, "the file's size in bytes, digits only: 56389120"),
        ("audio_duration", parse_duration, "HH:MM:SS, such as 00:58:41"),
    ):
        if key in meta:
            if kind == "file" or "audio" not in meta:
                problem(
                    key,
                    "is only for audio at a URL (a file's own is read from it); remove this line",
                )
            elif parse(meta[key]) is None:
                problem(key, f"{meta[key]!r} is not {form}")
        elif kind == "url":
            problem(key, f"is missing; audio at a URL needs it: {form}", at="audio")
    for key in ("episode", "season"):
        if key in meta and parse_number(meta[key]) is None:
            problem(key, f"{meta[key]!r} is not a whole number from 1 to {MAX_NUMBER:,}")
    if "explicit" in meta and meta["explicit"].strip().lower() not in ("yes", "no"):
        problem("explicit", f"{meta['explicit']!r} is not yes or no")
    if "transcript" in meta:
        reason = local_path_reason(meta["transcript"].strip(), TRANSCRIPT_SUFFIXES)
        if reason:
            problem("transcript", reason)
    if "segments" in meta:
        reason = parse_segments(meta["segments"])[1]
        if reason:
            problem("segments", reason)
    return problems


# ---------------------------------------------------------------- files


def read_audio(full, suffix):
    """Return (length, duration in seconds, None) for an audio file, or (.., .., why not)."""
    import mutagen
    from mutagen.mp3 import MP3
    from mutagen.mp4 import MP4

    expected = {".mp3": MP3, ".m4a": MP4}[suffix]
    try:
        audio = mutagen.File(full)
    except (mutagen.MutagenError, OSError) as error:
        return None, None, f"could not be read as {suffix[1:].upper()} audio ({error})"
    if audio is None:
        return None, None, "is not an audio file"
    if not isinstance(audio, expected):
        name = type(audio).__name__
        return None, None, f"holds {name} data, not the {suffix[1:].upper()} its name says"
    codec = getattr(audio.info, "codec", "mp4a")
    if not str(codec).startswith(("mp4a", "alac")):
        return None, None, f"holds {codec!r}, not audio"
    length = getattr(audio.info, "length", 0) or 0
    if length <= 0:
        return None, None, "has no length: the audio is empty or cut short"
    return os.path.getsize(full), max(1, round(length)), None


def regular_file(full):
    """Whether a path is a regular file (never following a symlink)."""
    try:
        return stat.S_ISREG(os.lstat(full).st_mode)
    except OSError:
        return False


_CLEANER = nh3.Cleaner(
    tags={
        "p",
        "br",
        "a",
        "em",
        "strong",
        "b",
        "i",
        "q",
        "cite",
        "abbr",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "h5",
        "h6",
        "span",
    },
    attributes={"a": {"href"}, "abbr": {"title"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    clean_content_tags={"script", "style"},
)


def transcript_html(text, suffix, settings):
    """Render a transcript: Markdown (headings kept below the page's own), or plain text
    in paragraphs, a `Name: ` that opens a paragraph set as the speaker. Our own text,
    still kept to an allow-list of tags: it is read nowhere else."""
    if suffix == ".md":
        rendered = markdown.Markdown(output_format="html").convert(text)
        # The transcript sits under the episode's own headings (h2, h3).
        rendered = re.sub(
            r"<(/?)h([1-6])\b", lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", rendered
        )
    else:
        paragraphs = []
        for block in re.split(r"\n\s*\n", text.strip()):
            block = " ".join(line.strip() for line in block.splitlines())
            speaker = _SPEAKER.match(block)
            if speaker:
                paragraphs.append(
                    f"<p><strong>{html.escape(speaker[1])}:</strong> "
                    f"{html.escape(speaker[2], quote=False)}</p>"
                )
            else:
                paragraphs.append(f"<p>{html.escape(block, quote=False)}</p>")
        rendered = "\n".join(paragraphs)
    return Markup(typogrify_html(_CLEANER.clean(rendered), settings))


def read_transcript(full, path, settings):
    """Return (HTML, None) for a transcript file, or (None, why it cannot be used)."""
    if not regular_file(full):
        return None, f"{path!r} is not a file (content/{path} is missing)"
    if os.path.getsize(full) > MAX_SOURCE_BYTES:
        return None, f"{path!r} is over {MAX_SOURCE_BYTES:,} bytes"
    with open(full, "rb") as handle:
        text, problem = decode(handle.read(), path)
    if problem:
        return None, f"{path!r} {problem.message}"
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".md":
        shape = check_markdown_shape(text, path)
        if shape:
            return None, f"{path!r}: line {shape[0].line}: {shape[0].message}"
    return transcript_html(text, suffix, settings), None


# ---------------------------------------------------------------- the build step


def section_of(record, options):
    """An article source's section: its Category, mapped (NEWSROOM["section_map"])."""
    category = record.meta.get("category", "").strip()
    return options["section_map"].get(category, category)


def make_episode(record, show, settings, context, problems):
    """Check an episode's audio, transcript and segments against the settings and the
    files; return its Episode, or None (with problems) if it has no usable audio."""
    meta, path = record.meta, record.path

    def problem(key, message):
        problems.append(Problem(path, record.line_of(key), FIELDS[key], message))

    value = meta["audio"].strip()
    kind = audio_kind(value)[0]
    if kind is None:
        return None  # reported with the headers
    suffix = os.path.splitext(urlsplit(value).path if kind == "url" else value)[1].lower()
    mime = AUDIO_TYPES[suffix][0]
    if kind == "url":
        host = urlsplit(value).hostname or ""
        if not show.allows(host):
            listed = ", ".join(show.media_hosts) or "none yet"
            problem(
                "audio",
                f"{host!r} is not a media host of the podcast; listed: {listed} "
                f'(add it to {SETTING}["media_hosts"] and to media-src in SITE_CSP)',
            )
            return None
        length = parse_length(meta.get("audio_length", ""))
        duration = parse_duration(meta.get("audio_duration", ""))
        if length is None or duration is None:
            return None  # reported with the headers
        address, local = value, False
    else:
        full = os.path.join(settings["PATH"], value)
        if not regular_file(full):
            problem(
                "audio",
                f"{value!r} is not a file: content/{value} is missing "
                f"(audio lives in content/{AUDIO_FOLDER}/)",
            )
            return None
        length, duration, reason = read_audio(full, suffix)
        if reason:
            problem("audio", f"{value!r} {reason}; allowed: {ALLOWED_TYPES}")
            return None
        static = (context.get("static_content") or {}).get(value)
        if static is None:
            problem(
                "audio",
                f"{value!r} is not copied to the site: add {AUDIO_FOLDER!r} to "
                "STATIC_PATHS in the settings",
            )
            return None
        address, local = static.url, True
    transcript = None
    if "transcript" in meta and not local_path_reason(
        meta["transcript"].strip(), TRANSCRIPT_SUFFIXES
    ):
        name = meta["transcript"].strip()
        transcript, reason = read_transcript(os.path.join(settings["PATH"], name), name, settings)
        if reason:
            problem("transcript", reason)
    segments = []
    for start, stamp, title in parse_segments(meta.get("segments", ""))[0] or ():
        if start >= duration:
            problem("segments", f"{stamp!r} is past the end of the audio ({clock(duration)})")
            break
        segments.append(Segment(start, stamp, typographic(title, settings)))
    explicit = meta.get("explicit", "").strip().lower()
    return Episode(
        audio=address,
        local=local,
        mime=mime,
        length=length,
        duration=duration,
        number=parse_number(meta.get("episode", "")),
        season=parse_number(meta.get("season", "")),
        explicit={"yes": True, "no": False}.get(explicit),
        segments=tuple(segments),
        transcript=transcript,
    )


def check_numbers(episodes, problems):
    """Refuse two published episodes with one number in one season (or both without)."""
    first = {}
    for path, record, episode in sorted(episodes, key=lambda found: found[0]):
        if episode.number is None:
            continue
        key = (episode.season, episode.number)
        other = first.setdefault(key, path)
        if other != path:
            season = f" of season {episode.season}" if episode.season else ""
            problems.append(
                Problem(
                    path,
                    record.line_of("episode"),
                    FIELDS["episode"],
                    f"{episode.number} is also episode {episode.number}{season} in {other}; "
                    "give each episode its own number",
                )
            )


def candidates(items, state, show, options):
    """Yield (item or None, record) for every article source that is an episode or
    gives an episode header: those Pelican read (items), and those it was kept from."""
    keys = set(EPISODE_KEYS)
    for item in items:
        category = getattr(item, "category", None)
        in_section = show is not None and category is not None and category.name == show.section
        if in_section or keys & set(getattr(item, "metadata", {})):
            path = display_path(item.source_path)
            try:
                yield item, parse_record(state.text_of(path), path)
            except ContentError:
                continue  # reported with the headers
    for source in state.of_kind("article"):
        if source.path not in state.refused:
            continue
        try:
            record = parse_record(source.text, source.path)
        except ContentError:
            continue
        if (show is not None and section_of(record, options) == show.section) or (
            keys & set(record.meta)
        ):
            yield None, record


def attach_episodes(generator, items):
    """Give every episode article (items: every article Pelican read, whatever its status;
    drafts aside, whose audio may not be there yet) its Episode, report what is wrong
    with any, and put the show in the context as `podcast` once there is a published
    episode (the feed and its links follow)."""
    settings = generator.settings
    state = build_of(settings)
    show = podcast_settings(settings)
    options = plugin_settings(settings)
    found = []
    for item, record in candidates(items, state, show, options):
        given = [key for key in EPISODE_KEYS if key in record.meta]
        if show is None or section_of(record, options) != show.section:
            where = (
                f"the {show.section} section" if show else f"a podcast ({SETTING} in the settings)"
            )
            state.problems.append(
                Problem(
                    record.path,
                    record.line_of(given[0]),
                    FIELDS[given[0]],
                    f"is an episode header; only articles of {where} are episodes",
                )
            )
            continue
        if record.meta.get("status", "").strip() == "draft":
            continue  # its headers are checked now; its audio once it is published
        if "audio" not in record.meta:
            state.problems.append(
                Problem(
                    record.path,
                    record.line_of("category"),
                    FIELDS["audio"],
                    f"is missing; every article in the {show.section} section is an episode: "
                    f"give its audio, a file ({LOCAL_EXAMPLE!r}) or an https URL on a media host",
                )
            )
            continue
        episode = make_episode(record, show, settings, generator.context, state.problems)
        if episode is None:
            continue
        if item is not None:
            item.episode = episode
        found.append((record.path, record, episode))
    check_numbers(found, state.problems)
    published = any(getattr(article, "episode", None) for article in generator.articles)
    if show is not None and published:
        page = next((cat.url for cat, _ in generator.categories if cat.name == show.section), "")
        generator.context["podcast"] = dataclasses.replace(show, page=page)


def write_podcast_feed(generator, writer):
    """Write the podcast feed (podcast_feed.py): every published episode, newest first."""
    show = generator.context.get("podcast")
    if not show:
        return
    episodes = [article for article in generator.articles if getattr(article, "episode", None)]
    writer.write_feed(episodes, generator.context, show.feed, feed_type="podcast")
