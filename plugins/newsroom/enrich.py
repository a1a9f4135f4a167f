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
from .errors import BuildStopped, Problem, display_path
from .fragment import Fragment
from .frontmatter import header_line, text_line
from .prose import ProseExtension
from .reader import facts_of
from .redirects import collect_redirects
from .scan import IGNORED
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
    """Check every file before Pelican opens one; stop at once on unsafe files."""
    build = build_of(generator.settings)
    options = plugin_settings(generator.settings)
    build.sources, problems = build.engine.scan_sources(build, generator, options)
    stop_if(problems)


def articles_generator(generators):
    """Return Pelican's generator of articles among a build's generators."""
    return next(g for g in generators if isinstance(g, ArticlesGenerator))


def every_item(generator):
    """Yield every article or page a generator read, whatever its status."""
    for name in CONTENT_LISTS:
        yield from getattr(generator, name, [])


def resolve_authors(article, authors, state):
    """Return the record-backed authors of an article, reporting unknown names."""
    path = display_path(article.source_path)
    resolved = []
    for author in getattr(article, "authors", []):
        if author.name in authors:
            resolved.append(authors[author.name])
            continue
        state.problems.append(
            Problem(
                path,
                header_line(state.text_of(path), "authors"),
                "Authors",
                f"{author.name!r} has no author record; known authors: "
                f"{', '.join(sorted(authors))}; add one in content/authors/",
            )
        )
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
        state.of_kind("comment"), articles_by_slug, settings.get("TIMEZONE"), state.problems
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


def check_before_writing(generators):
    """Finish the checks that need everything read; stop before anything is written."""
    articles = articles_generator(generators)
    state = build_of(articles.settings)
    items = [item for generator in generators for item in every_item(generator)]
    check_bodies(items, state)
    check_unread(items, state)
    paths = list(output_paths(generators, articles.settings))
    check_output_paths(paths, state)
    collect_redirects(every_item(articles), paths, articles.context, state)
    stop_if(state.problems)
