"""One import, start to end: read the export twice, decide, then write.

The first pass (index.py) keeps everything but bodies; plan.py and this file
decide every slug, path, author, section, tag and old address; the second pass
converts each post's body and comments and writes them as it goes, so memory
holds one post at a time however large the export.
"""

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newsroom.markup import slug_for
from newsroom.scan import MAX_SOURCE_BYTES

from .addresses import UPLOADS, Addresses, hosts_of, key
from .convert import to_markdown
from .index import CONTENT_TYPES, read_index
from .media import import_media
from .output import Output, UnsafePathError
from .plan import (
    UNCATEGORIZED,
    AuthorPlan,
    TagSpellings,
    author_names,
    display_name,
    plan_authors,
    plan_entries,
    read_existing,
    section_of,
    wanted_tags,
)
from .records import article_text, author_text, summary_of
from .report import Report
from .sections import load_sections
from .threads import write_comments
from .wxr import Item, read_export

FALLBACK_AUTHOR = "Editors"
PLACEHOLDER_ALT = "Image from the archive"
MAP_FILE = "redirects/wordpress.txt"
OLD_PER_PAGE = 10  # WordPress's default posts per page


@dataclass
class Options:
    export: Path
    into: Path
    state: Path
    settings: dict
    uploads: Path | None = None
    sections: Path | None = None
    default_section: str | None = None
    progress: bool = True  # on standard error: a bar on a terminal, else a line a tenth
    terminal: bool = False


class Progress:
    """How far a pass through the export is: a bar on a terminal, else a line every tenth
    (a log, a CI job)."""

    def __init__(self, label, total, mode):
        self.label, self.total, self.mode, self.last = label, max(total, 1), mode, -1

    def __call__(self, done):
        percent = min(100, done * 100 // self.total)
        if self.mode == "bar" and percent != self.last:
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            print(f"\r{self.label} [{bar}] {percent:3d}%", end="", file=sys.stderr, flush=True)
        elif self.mode == "lines" and percent // 10 != self.last // 10:
            print(f"{self.label.strip()}: {percent}%", file=sys.stderr, flush=True)
        self.last = percent

    def done(self):
        if self.mode == "bar":
            print(file=sys.stderr)


class Migration:
    """The state of one import run."""

    def __init__(self, options):
        self.options = options
        self.settings = options.settings
        self.report = Report()
        self.output = Output(options.into, options.state, self.report)
        self.sections = load_sections(options.sections, self.settings, options.default_section)

    def progress(self, label, size):
        shown = self.options.progress
        return Progress(label, size, "bar" if self.options.terminal else "lines" if shown else "")

    def run(self):
        size = Path(self.options.export).stat().st_size
        progress = self.progress("Reading the export  ", size)
        self.index = read_index(self.options.export, progress)
        progress.done()
        for named, why in self.index.refused:
            self.report.refuse(named, why)
        if self.index.damage:
            self.report.site(
                f"the export held {self.index.damage:,} characters that are not valid UTF-8 "
                "or not allowed in XML; each became U+FFFD (\ufffd): search the files for it"
            )
        self.existing = read_existing(self.output.into, self.settings, set(self.output.previous))
        self.plan()
        self.media = import_media(self)
        self.addresses = self.make_addresses()
        self.write_authors()
        progress = self.progress("Writing posts       ", size)
        for record in read_export(self.options.export, progress):
            if isinstance(record, Item) and record.type in CONTENT_TYPES:
                entry = self.entries.get(record.id)
                if entry is not None and self.index.sources[record.id].type == record.type:
                    self.write_entry(entry, record)
        progress.done()
        self.write_map()
        self.output.save()
        self.report.aliases = self.spellings.alias_candidates()
        self.report.counts["with_notes"] = len(self.report.files)
        return self.report

    # ---- Deciding -----------------------------------------------------------------

    def plan(self):
        index, report = self.index, self.report
        self.authors = plan_authors(index, self.existing, self.settings, report)
        self.spellings = TagSpellings(self.existing, self.settings)
        for source in index.sources.values():
            if source.type == "post":
                self.spellings.count(wanted_tags(source, self.sections.default))
        self.entries = plan_entries(index, self.existing, self.settings, report)
        for entry in self.entries.values():
            source = index.sources[entry.id]
            if entry.kind != "article":
                continue
            names = [self.authors[n].name for n in author_names(source, index) if n in self.authors]
            if not names:
                self.authors.setdefault(
                    FALLBACK_AUTHOR,
                    AuthorPlan(FALLBACK_AUTHOR, "editors", False, "authors/editors.md"),
                )
                names = [FALLBACK_AUTHOR]
                entry.notes.append(f"had no author: credited to {FALLBACK_AUTHOR!r}")
            entry.authors = list(dict.fromkeys(names))
            for name in entry.authors:
                plan = next(p for p in self.authors.values() if p.name == name)
                plan.posts += 1
            entry.section = section_of(source, self.sections, report)
            tags = [self.spellings.spelling(t) for t in wanted_tags(source, entry.section)]
            entry.tags = list(dict.fromkeys(t for t in tags if t)) or [entry.section]

    def make_addresses(self):
        index, _settings = self.index, self.settings
        channel = index.channel
        links = [channel.link, channel.base_site_url, channel.base_blog_url] if channel else []
        addresses = Addresses(hosts_of(*links))
        for attachment, media in self.media.values():
            addresses.media_by_id[attachment.id] = media
        for entry in sorted(self.entries.values(), key=lambda e: e.id):
            self.entry_addresses(entry, addresses)
        for attachment in sorted(index.attachments.values(), key=lambda a: a.id):
            self.attachment_addresses(attachment, addresses)
        for old, target in self.archive_addresses():
            addresses.add(old, target)
        self.taken = {key(e.url) for e in self.entries.values() if e.url}
        self.taken |= {key(p) for e in self.entries.values() for p in e.old_paths}
        return addresses

    def entry_addresses(self, entry, addresses):
        source = self.index.sources[entry.id]
        target = "{filename}/" + entry.path
        query = f"?{'p' if entry.kind == 'article' else 'page_id'}={entry.id}"
        found = addresses.split(source.link)
        if found and found[1] and not found[0].strip("/"):  # a plain ?p=123 permalink
            found = None
        if found and key(found[0]) != key(entry.url):
            entry.old_paths.append(found[0])
        if not entry.draft:
            addresses.add(query, target)
            if found:
                addresses.add(found[0], target, on_map=False)

    def attachment_addresses(self, attachment, addresses):
        parent = self.entries.get(attachment.parent)
        media = self.media.get(attachment.id, (None, None))[1]
        page = addresses.split(attachment.link)
        if parent and not parent.draft:
            target = "{filename}/" + parent.path
        elif media:
            target = "{static}/" + media.static
        else:
            return
        addresses.add(f"?attachment_id={attachment.id}", target)
        if page and not page[1] and UPLOADS not in page[0]:
            if parent and parent.draft is False:
                if key(page[0]) not in {key(p) for p in parent.old_paths}:
                    parent.old_paths.append(page[0])
                addresses.add(page[0], target, on_map=False)
            else:
                addresses.add(page[0], target)
        if media:
            where = addresses.split(attachment.url)
            prefix = where[0].split(UPLOADS)[0] if where and UPLOADS in where[0] else ""
            uploads = f"{prefix}{UPLOADS}"
            for name in [attachment.file] + [
                str(Path(attachment.file).parent / size) for size in attachment.sizes
            ]:
                name = name.removeprefix("./")
                addresses.uploads.setdefault(key(name), media)
                addresses.add(uploads + name, "{static}/" + media.static)

    def archive_addresses(self):
        """Old term, author, date-archive, paging and feed addresses, and where each leads."""
        settings, index = self.settings, self.index
        base = ""
        if index.channel and index.channel.base_blog_url:
            base = urlsplit(index.channel.base_blog_url).path.rstrip("/")
        published = [e for e in self.entries.values() if e.kind == "article" and not e.draft]
        yield from feed_addresses(base, settings)
        yield from self.category_addresses(base, published)
        yield from self.tag_addresses(base, published)
        yield from self.author_addresses(base, published)
        year = settings.get("YEAR_ARCHIVE_URL")
        if year:
            for entry in published:
                target = "/" + year.format(date=entry.date)
                for pattern in ("%Y", "%Y/%m", "%Y/%m/%d"):
                    yield f"{base}/{entry.date.strftime(pattern)}/", target
                yield f"?m={entry.date:%Y%m}", target
        ours = math.ceil(len(published) / settings.get("DEFAULT_PAGINATION", 10) or 1)
        for number in range(ours + 1, math.ceil(len(published) / OLD_PER_PAGE) + 1):
            yield f"{base}/page/{number}/", "/"

    def category_addresses(self, base, published):
        by_nicename = self.index.categories
        counts = {}
        for entry in published:
            for term in self.index.sources[entry.id].terms:
                if term.domain == "category":
                    counts[term.nicename] = counts.get(term.nicename, 0) + 1
        for nicename, category in sorted(by_nicename.items()):
            if nicename.lower() == UNCATEGORIZED or not counts.get(nicename):
                continue
            section = self.sections.lookup(category.name) or self.sections.default
            slug = slug_for(section, self.settings)
            trail, parent, seen = [nicename], category.parent, {nicename}
            while parent and parent in by_nicename and parent not in seen:
                seen.add(parent)
                trail.insert(0, parent)
                parent = by_nicename[parent].parent
            for old in {f"{base}/category/{nicename}/", f"{base}/category/{'/'.join(trail)}/"}:
                yield from hub_addresses(
                    old, "{category}" + section, self.settings, "CATEGORY", slug, counts[nicename]
                )
            if category.id is not None:
                yield f"?cat={category.id}", "{category}" + section

    def tag_addresses(self, base, published):
        counts = {}
        for entry in published:
            for term in self.index.sources[entry.id].terms:
                if term.domain == "post_tag" and term.nicename:
                    counts.setdefault(term.nicename, [term.name, 0])[1] += 1
        for nicename, (name, count) in sorted(counts.items()):
            spelling = self.spellings.spelling(name)
            if not spelling:
                continue
            slug = self.existing.topic_slugs.get(spelling) or slug_for(spelling, self.settings)
            yield from hub_addresses(
                f"{base}/tag/{nicename}/", "{tag}" + spelling, self.settings, "TAG", slug, count
            )
            yield f"?tag={nicename}", "{tag}" + spelling

    def author_addresses(self, base, published):
        counts = {}
        for entry in published:
            for name in entry.authors:
                counts[name] = counts.get(name, 0) + 1
        for login, author in sorted(self.index.authors.items()):
            plan = self.authors.get(display_name(author))
            if plan is None or not counts.get(plan.name):
                continue
            nicename = slug_for(login, self.settings)
            yield from hub_addresses(
                f"{base}/author/{nicename}/",
                "{author}" + plan.name,
                self.settings,
                "AUTHOR",
                plan.slug,
                counts[plan.name],
            )
            if author.id is not None:
                yield f"?author={author.id}", "{author}" + plan.name

    # ---- Writing ------------------------------------------------------------------

    def put(self, path, text, named):
        try:
            outcome = self.output.put(path, text.encode("utf-8"))
        except UnsafePathError:
            self.report.refuse(named, f"would be written outside --into ({path!r}): refused")
            return None
        self.report.counts[outcome] += 1
        return outcome

    def write_authors(self):
        for plan in sorted(
            {id(p): p for p in self.authors.values()}.values(), key=lambda p: p.slug
        ):
            if plan.existing or not plan.posts:
                continue
            self.put(plan.path, author_text(plan), f"author {plan.name!r}")
            self.report.counts["authors"] += 1
            self.report.note(plan.path, "has no bio: write one below the headers")

    def write_entry(self, entry, item):
        report = self.report
        for note in entry.notes:
            report.note(entry.path, note)
        converted = to_markdown(item.content, self.addresses)
        for note in converted.notes:
            report.note(entry.path, note)
        summary, _origin = summary_of(item.excerpt, item.content)
        if not summary:
            summary = entry.title
            report.note(entry.path, "has no text for a summary: its title is the summary")
        featured = self.featured(entry, self.index.sources[entry.id])
        body = converted.markdown.strip() or "*This post had no text in WordPress.*"
        text = article_text(entry, summary, body, featured)
        if self.put(entry.path, text, item.named()) is None:
            return
        report.counts["redirect_from"] += len(entry.old_paths)
        if entry.kind == "page":
            report.counts["pages"] += 1
        else:
            report.counts["drafts" if entry.draft else "published"] += 1
            write_comments(self, entry, item)

    def convert_comment(self, html):
        """A comment's Markdown: the same conversion, WordPress's paragraphs applied."""
        return to_markdown(html, self.addresses, autop=True).markdown

    def featured(self, entry, source):
        if source.thumbnail is None:
            return None
        found = self.media.get(source.thumbnail)
        if not found or found[1].kind != "image":
            self.report.note(
                entry.path, f"its featured image (attachment {source.thumbnail}) was not imported"
            )
            return None
        media = found[1]
        alt = media.alt or media.caption or media.title
        if not alt:
            alt = PLACEHOLDER_ALT
            self.report.note(entry.path, f"placeholder alt text for {media.static}: describe it")
        return media.static, alt, media.caption

    def write_map(self):
        """Write the redirect map, in files the build accepts (MAX_SOURCE_BYTES each)."""
        lines = self.addresses.map_lines(self.taken, self.report)
        counts = self.report.counts
        counts["map_queries"] = sum(1 for line in lines if line.startswith("?"))
        counts["map_paths"] = len(lines) - counts["map_queries"]
        if counts["map_queries"]:
            self.report.site(
                f"{counts['map_queries']:,} old ?query addresses (?p=123, ?cat=4...) are "
                "redirected by nginx alone (deploy/nginx.conf): a static host cannot "
                "redirect on a query, so there they lead to the home page"
            )
        head = [
            "# Old WordPress addresses and where each leads now: `old  target`.",
            "# Written by invoke import-wordpress; see README, Moving from WordPress.",
        ]
        written = set()
        for number, chunk in enumerate(chunks(lines, MAX_SOURCE_BYTES // 2), start=1):
            path = MAP_FILE if number == 1 else MAP_FILE.replace(".txt", f"-{number}.txt")
            self.put(path, "\n".join(head + chunk) + "\n", "the redirect map")
            written.add(path)
        # A map file of an earlier import this one no longer needs would claim its
        # addresses twice: removed, unless an editor has changed it.
        stem = MAP_FILE.removesuffix(".txt")
        for path in list(self.output.previous):
            if path.startswith(stem) and path.endswith(".txt") and path not in written:
                self.output.remove(path)


def chunks(lines, limit):
    """Split lines into runs of at most `limit` bytes (a line longer is a run of its own)."""
    run, size = [], 0
    for line in lines:
        length = len(line.encode("utf-8")) + 1
        if run and size + length > limit:
            yield run
            run, size = [], 0
        run.append(line)
        size += length
    if run:
        yield run


def hub_addresses(old, target, settings, kind, slug, count):
    """A WordPress term or author archive, its paged copies and its feed (the archive and
    its pages only where the site's own address differs: it pages its own)."""
    if key(old) != key("/" + settings.get(f"{kind}_URL", "").format(slug=slug)):
        yield old, target
        for number in range(2, math.ceil(count / OLD_PER_PAGE) + 1):
            yield f"{old}page/{number}/", target
    feed = settings.get(f"{kind}_FEED_ATOM")
    if feed:
        yield f"{old}feed/", "/" + feed.format(slug=slug)


def feed_addresses(base, settings):
    atom, rss = settings.get("FEED_ATOM"), settings.get("FEED_RSS")
    if atom:
        for old in ("feed/", "feed/atom/", "feed/rdf/"):
            yield f"{base}/{old}", "/" + atom
    if rss or atom:
        yield f"{base}/feed/rss2/", "/" + (rss or atom)
