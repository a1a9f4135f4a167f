"""Receivers that prepare what readers and machines see, once every file is read."""

from .enrich import every_item
from .markup import plain_text, typographic
from .reading import minutes_for, reading_minutes, table_of_contents
from .related import attach_related
from .rendering import prepared_body
from .sharing import share_links
from .sitefiles import write_site_files
from .stage import stage_of
from .structured import article_graph, collection_page, profile_page


def articles_generator(generators):
    """Return the generator that read the articles (it carries the build state)."""
    return next(g for g in generators if hasattr(g, "newsroom"))


def add_plain_fields(items):
    """Attach plain-text title and description, and a typographic title for headings.

    Runs once every file is read: a summary built from the body resolves
    {filename} links, and Pelican memoizes that result. The typographic title
    comes with the rendered body when the title is the one rendered with it.
    """
    for item in items:
        item.plain_title = plain_text(item.title)
        prepared = prepared_body(item)
        if prepared and prepared.title_html and prepared.typeset.get("title") == item.title:
            item.title_html = prepared.title_html
        else:
            item.title_html = typographic(item.plain_title, item.settings)
        item.description = plain_text(getattr(item, "summary", ""))


def prepare_article(article, settings):
    """Attach what an article's own page derives from its body: reading time, contents."""
    prepared = prepared_body(article)
    if prepared and prepared.html == article._content:
        article.reading_minutes = minutes_for(prepared.word_count)
        article.toc = prepared.toc
    else:
        article.reading_minutes = reading_minutes(article._content)
        article.toc = table_of_contents(article._content)


def prepare_own_page(article, settings):
    """Attach what only an article's own page shows of its headers: share links and
    structured data (once; a warm build does so only for the pages it renders)."""
    if "json_ld" not in article.__dict__:
        article.share_links = share_links(article, settings)
        article.json_ld = article_graph(article, settings)


def release_own_page(article):
    """Drop what prepare_own_page attached, once the page is written."""
    for name in ("share_links", "json_ld"):
        article.__dict__.pop(name, None)


def prepare_for_readers(generators):
    """Attach reading aids, related articles and structured data for author and topic pages.

    Share links and an article's structured data wait for its page to be
    rendered (writer.py), unless pages are keyed by their values (no site
    inputs: see incremental.own_digest).
    """
    add_plain_fields(item for generator in generators for item in every_item(generator))
    articles = articles_generator(generators)
    settings = articles.settings
    stage = stage_of(articles.output_path)
    eager = stage is None or stage.inputs is None
    for article in every_item(articles):
        prepare_article(article, settings)
        if eager:
            prepare_own_page(article, settings)
    attach_related(articles.articles, settings["CACHE_PATH"])
    for author, _ in articles.authors:
        author.json_ld = profile_page(author, settings)
    for topic in articles.context.get("topics", []):
        topic.json_ld = collection_page(topic, articles.tags.get(topic.tag, []), settings)


def write_machine_files(generators):
    """Write the sitemap, robots.txt and manifest into the staging output."""
    articles = articles_generator(generators)
    pages = [page for g in generators for page in getattr(g, "pages", [])]
    write_site_files(articles, pages, articles.settings, articles.output_path)
