"""Receivers that validate content and attach records before Pelican builds taxonomies."""

import logging

from .authors import byline_authors, load_authors
from .comments import load_comments
from .config import plugin_settings
from .errors import BuildStopped, Problem, display_path
from .figures import FigureExtension
from .frontmatter import source_line
from .markup import plain_text, typographic
from .topics import canonical_tags, load_topics

logger = logging.getLogger("newsroom")


def add_markdown_extensions(pelican):
    """Give the Markdown reader the site's own extensions, once per settings object."""
    extensions = pelican.settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(ext, FigureExtension) for ext in extensions):
        extensions.append(FigureExtension())


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
    "draft_translations",
)


def every_item(generator):
    """Yield every article or page a generator read, whatever its status."""
    for name in CONTENT_LISTS:
        yield from getattr(generator, name, [])


def add_plain_fields(generators):
    """Attach plain-text title and description, and a typographic title for headings.

    Runs once every file is read: a summary built from the body resolves
    {filename} links, and Pelican memoizes that result.
    """
    for generator in generators:
        for content in every_item(generator):
            content.plain_title = plain_text(content.title)
            content.title_html = typographic(content.plain_title, content.settings)
            content.description = plain_text(getattr(content, "summary", ""))


def resolve_authors(article, authors, problems):
    """Return the record-backed authors of an article, reporting unknown names."""
    names = [author.name for author in getattr(article, "authors", [])]
    path = display_path(article.source_path)
    if not names:
        problems.append(Problem(path, None, "Authors", "is missing; name at least one author"))
        return []
    resolved = []
    for name in names:
        if name in authors:
            resolved.append(authors[name])
        else:
            problems.append(
                Problem(
                    path,
                    source_line(article.source_path, "authors"),
                    "Authors",
                    f"{name!r} has no author record; known authors: "
                    f"{', '.join(sorted(authors))}; add one in content/authors/",
                )
            )
    return resolved


def prepare_articles(generator):
    """Validate articles and attach authors, canonical topics and comments."""
    settings = generator.settings
    options = plugin_settings(settings)
    problems = []
    authors = byline_authors(
        load_authors(generator.path, options["authors_path"], settings, problems), settings
    )
    registry = load_topics(generator.path, options["topics_path"], settings, problems)
    plain_tags = {}
    articles_by_slug = {}
    for article in every_item(generator):
        article.authors = resolve_authors(article, authors, problems)
        if article.authors:
            article.author = article.authors[0]
        article.tags = canonical_tags(getattr(article, "tags", []), registry, plain_tags, settings)
        article.comments = []
        article.comment_count = 0
        articles_by_slug[article.slug] = article
    load_comments(
        generator.path,
        options["comments_path"],
        articles_by_slug,
        settings.get("TIMEZONE"),
        problems,
    )
    if problems:
        for problem in sorted(problems):
            logger.error("%s", problem)
        raise BuildStopped(problems)
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
