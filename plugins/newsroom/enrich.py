"""Receivers that check content and attach records, in the order Pelican runs them.

1. scan_sources (article generator created, nothing read yet): every file below
   PATH and every article and page header is checked; any problem stops the
   build here, because Pelican itself fails badly on some of them.
2. prepare_articles (articles read, taxonomies not yet built): authors, topics
   and comments are attached; problems are collected.
3. check_before_writing (everything read, nothing written): HTML and output
   paths are checked, and every collected problem stops the build together.
"""

from pelican.generators import ArticlesGenerator

from .authors import byline_authors, load_authors
from .comments import load_comments
from .config import plugin_settings
from .errors import BuildStopped, ContentError, Problem, display_path
from .fragment import Fragment
from .frontmatter import header_line, parse_record, split_list, text_line
from .prose import ProseExtension
from .reader import facts_of
from .redirects import collect_redirects
from .scan import IGNORED, any_unreadable, header_of
from .state import build_of
from .structured import site_base
from .topics import TagInterner, canonical_tags, load_topics, tag_key

# Every list a generator keeps content in, whatever its status.
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
)


def stop_if(problems):
    """Stop the build if there are problems; BuildStopped prints them all."""
    if problems:
        raise BuildStopped(problems)


def configure(settings):
    """Give Pelican the site's Markdown extensions, the template `fragment` tag and the
    files it must never read."""
    plugin_settings(settings)  # refuse unknown NEWSROOM keys before any work
    extensions = settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(ext, ProseExtension) for ext in extensions):
        extensions.append(ProseExtension())
    jinja = settings.setdefault("JINJA_ENVIRONMENT", {})
    extensions = jinja.setdefault("extensions", [])
    if not any(isinstance(ext, type) and issubclass(ext, Fragment) for ext in extensions):
        extensions.append(Fragment)
    ignored = settings.setdefault("IGNORE_FILES", [])
    ignored.extend(pattern for pattern in IGNORED if pattern not in ignored)
    # Canonical and social URLs must be absolute even where pages link root-relative.
    settings["SITE_BASE"] = site_base(settings)


def scan_sources(generator):
    """Check every file before Pelican opens one; stop at once on unsafe files.

    A file that cannot be read safely stops the build here, with every header
    problem found beside it. Sources whose only problems are in their headers
    are kept from Pelican (reader.RefusedSourceError) and the build goes on, so the
    problems only the rest of the site shows (an unknown author, a missing
    alt text) are reported in the same round.
    """
    build = build_of(generator.settings)
    options = plugin_settings(generator.settings)
    build.sources, problems = build.engine.scan_sources(build, generator, options)
    if any_unreadable(build.sources, problems):
        problems += header_references(build.sources, generator.settings, problems)
        stop_if(problems)
    build.problems += problems
    build.refused = {problem.path for problem in problems}


def header_references(sources, settings, problems):
    """Return the unknown authors articles name in their headers (records from sources).

    For sources Pelican will not read: the rest are checked on the articles it makes.
    """
    authors = load_authors([s for s in sources if s.kind == "author"], settings, [])
    found = []
    for source in sources:
        if source.kind == "article":
            found += unknown_authors(source, authors)
    return found


def articles_generator(generators):
    """Return Pelican's generator of articles among a build's generators."""
    return next(g for g in generators if isinstance(g, ArticlesGenerator))


def every_item(generator):
    """Yield every article or page a generator read, whatever its status."""
    for name in CONTENT_LISTS:
        yield from getattr(generator, name, [])


def unknown_authors(source, authors):
    """Return a problem for each name in an article source's Authors or Author header
    that has no author record."""
    try:
        record = parse_record(header_of(source.text), source.path)
    except ContentError:
        return []  # reported by the header checks
    problems = []
    for key in ("authors", "author"):
        for name in split_list(record.meta.get(key, "")):
            if name not in authors:
                problems.append(unknown_author(source.path, record.line_of(key), name, authors))
    return problems


def unknown_author(path, line, name, authors):
    """Say that an article names an author without a record."""
    return Problem(
        path,
        line,
        "Authors",
        f"{name!r} has no author record; known authors: "
        f"{', '.join(sorted(authors))}; add one in content/authors/",
    )


def resolve_authors(article, authors, state):
    """Return the record-backed authors of an article, reporting unknown names."""
    path = display_path(article.source_path)
    resolved = []
    for author in getattr(article, "authors", []):
        if author.name in authors:
            resolved.append(authors[author.name])
            continue
        text = state.text_of(path)
        line = header_line(text, "authors") or header_line(text, "author")
        state.problems.append(unknown_author(path, line, author.name, authors))
    return resolved


def check_tag_spellings(articles, registry, state):
    """Report plain tags spelled two ways (`Lake Chad`, `lake-chad`): pick one."""
    spellings, keys = {}, {}  # keys: each name's folded key, or None for a topic name
    for article in articles:
        path = display_path(article.source_path)
        for tag in getattr(article, "tags", []):
            if tag.name not in keys:
                keys[tag.name] = None if registry.resolve(tag.name) else tag_key(tag.name)
            if keys[tag.name] is None:
                continue
            first = spellings.setdefault(keys[tag.name], (tag.name, path))
            if first[0] != tag.name:
                state.problems.append(
                    Problem(
                        path,
                        header_line(state.text_of(path), "tags"),
                        "Tags",
                        f"{tag.name!r} is spelled {first[0]!r} in {first[1]}; "
                        "use one spelling, or add a topic with both as aliases",
                    )
                )


def prepare_articles(generator):
    """Attach authors, canonical topics and comments to every article."""
    settings = generator.settings
    state = build_of(settings)
    authors = byline_authors(
        load_authors(state.of_kind("author"), settings, state.problems), settings
    )
    registry = load_topics(state.of_kind("topic"), settings, state.problems)
    articles = list(every_item(generator))
    for source in state.of_kind("article"):
        if source.path in state.refused:  # not read by Pelican: check its header's names
            state.problems += unknown_authors(source, authors)
    check_tag_spellings(articles, registry, state)
    tags, articles_by_slug, categories = TagInterner(registry), {}, {}
    for article in articles:
        if getattr(article, "category", None) is not None:  # one object per section
            article.category = categories.setdefault(article.category.name, article.category)
        article.authors = resolve_authors(article, authors, state)
        if article.authors:
            article.author = article.authors[0]
        article.tags = canonical_tags(getattr(article, "tags", []), tags)
        article.comments = []
        article.comment_count = 0
        articles_by_slug[article.slug] = article
    load_comments(
        state.of_kind("comment"),
        articles_by_slug,
        settings,
        state.problems,
        lambda bodies: state.engine.comment_html(bodies, settings),
    )
    # Touching the key gives every tracked topic a hub page, even before its
    # first article, so related-topic links never dangle.
    for topic in registry:
        generator.tags[topic.tag]
    generator.context["topics"] = list(registry)


def count_topic_articles(generator):
    """Record each topic's article count and order topics for the topic list."""
    topics = generator.context.get("topics", [])
    for topic in topics:
        topic.article_count = len(generator.tags.get(topic.tag, []))
    topics.sort(key=lambda topic: (-topic.article_count, topic.name))
    size = plugin_settings(generator.settings)["topic_list_size"]
    generator.context["topic_list"] = topics[:size]


def check_bodies(items, state):
    """Refuse images without alt text and executable URLs in author HTML."""
    for item in items:
        facts = facts_of(item)
        missing_alt, executable = facts.unsafe if facts else ((), ())
        if not (missing_alt or executable):
            continue
        path = display_path(item.source_path)
        text = state.text_of(path)  # read again only to point at the line
        for src in missing_alt:
            state.problems.append(
                Problem(
                    path,
                    text_line(text, src) if src else None,
                    "body",
                    f"the image {src!r} has no alt text; describe it: ![What it shows](...)",
                )
            )
        for attribute, value in executable:
            state.problems.append(
                Problem(
                    path,
                    # Entities may disguise the scheme; the payload after it is plain.
                    text_line(text, value[:30]) or text_line(text, value.rsplit(":")[-1][:30]),
                    "body",
                    f"{attribute}={value[:60]!r} would run code; links must be http(s), "
                    "mailto or site paths, and scripts are not allowed in articles",
                )
            )


def check_unread(items, state):
    """Report sources Pelican failed to read (it only logs those and goes on)."""
    accounted = {display_path(item.source_path) for item in items}  # read
    accounted |= {problem.path for problem in state.problems}  # or refused already
    for source in state.sources:
        if source.kind in ("article", "page") and source.path not in accounted:
            state.problems.append(
                Problem(
                    source.path,
                    None,
                    "file",
                    "could not be read as Markdown (see the messages above)",
                )
            )


def output_paths(generators, settings):
    """Yield (path in output, what writes it) for content, taxonomy and listing pages."""
    for name in ("INDEX", "TAGS", "CATEGORIES", "AUTHORS", "ARCHIVES", "404"):
        save_as = settings.get(f"{name}_SAVE_AS") or settings.get(f"{name.upper()}_SAVE_AS")
        if save_as:
            yield save_as, f"the {name.lower()} page"
    for generator in generators:
        for item in every_item(generator):
            if item.save_as:
                yield item.save_as, display_path(item.source_path)
        for name in ("tags", "categories", "authors"):
            pairs = getattr(generator, name, {})
            for taxon in pairs.keys() if isinstance(pairs, dict) else (p for p, _ in pairs):
                yield taxon.save_as, f"the page of {taxon.name!r}"
        for static in getattr(generator, "staticfiles", []):
            yield static.save_as, display_path(static.source_path)


def check_output_paths(paths, state):
    """Refuse two things that would write the same output file; paths: output_paths()."""
    owners = {}
    for path, owner in paths:
        first = owners.setdefault(path, owner)
        if first != owner:
            where = owner if "/" in owner else first
            state.problems.append(
                Problem(
                    where,
                    None,
                    "output",
                    f"{owner} and {first} would both write {path!r}; change a Slug, URL or save_as",
                )
            )


def check_slugs(articles, state):
    """Refuse two articles with one slug (in one language), whatever their dates: comment
    folders and redirects name an article by its slug alone."""
    first = {}
    for article in sorted(articles, key=lambda article: article.source_path):
        key = (article.slug, getattr(article, "lang", None))
        path = display_path(article.source_path)
        other = first.setdefault(key, path)
        if other != path:
            state.problems.append(
                Problem(
                    path,
                    header_line(state.text_of(path), "slug")
                    or header_line(state.text_of(path), "title"),
                    "Slug",
                    f"{article.slug!r} is also the slug of {other}; comments and redirects "
                    "find an article by its slug: give one of them another Slug",
                )
            )


def check_before_writing(generators):
    """Finish the checks that need everything read; stop before anything is written."""
    articles = articles_generator(generators)
    state = build_of(articles.settings)
    items = [item for generator in generators for item in every_item(generator)]
    check_bodies(items, state)
    check_unread(items, state)
    check_slugs(every_item(articles), state)
    paths = list(output_paths(generators, articles.settings))
    check_output_paths(paths, state)
    collect_redirects(items, paths, articles.context, state)  # articles and pages
    stop_if(state.problems)
