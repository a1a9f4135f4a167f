"""Receivers that prepare what readers and machines see, once every file is read."""

from .cards import attach_cards
from .enrich import articles_generator, every_item
from .markup import plain_text, typographic
from .reader import facts_of
from .reading import minutes_for
from .sharing import share_links
from .sitefiles import write_site_files
from .state import build_of
from .structured import article_graph, collection_page, profile_page, site_metadata


def add_plain_fields(items):
    """Attach plain-text title and description, and a typographic title for headings.

    Runs once every file is read: a summary built from the body resolves
    {filename} links, and Pelican memoizes that result. The typographic title
    is the one the reader worked out with the body.
    """
    for item in items:
        item.plain_title = plain_text(item.title)
        facts = facts_of(item)
        title_html = facts.title_html if facts else None
        item.title_html = title_html or typographic(item.plain_title, item.settings)
        item.description = plain_text(getattr(item, "summary", ""))


def prepare_article(article):
    """Attach what an article's own page derives from its body: reading time, contents."""
    facts = facts_of(article)
    article.reading_minutes = minutes_for(facts.word_count)
    article.toc = facts.toc


def prepare_own_page(article, settings):
    """Attach what only an article's own page shows of its headers: share links and
    structured data (once)."""
    if "json_ld" not in article.__dict__:
        article.share_links = share_links(article, settings)
        article.json_ld = article_graph(article, settings)


def release_own_page(article):
    """Drop what prepare_own_page attached."""
    for name in ("share_links", "json_ld"):
        article.__dict__.pop(name, None)


def mark_pages_of_names(generator):
    """Note on each tag, section and author whether it has a page of its own.

    Only published articles make those pages; a hidden article or a draft may
    carry a name no published article has, and its page links only to pages
    that exist.
    """
    written = set(generator.tags)
    written.update(category for category, _ in generator.categories)
    written.update(author for author, _ in generator.authors)
    for article in every_item(generator):
        for name in (*article.tags, getattr(article, "category", None), *article.authors):
            if name is not None:
                name.has_page = name in written


def social_cards(generators, articles):
    """Give every article, page, topic hub, author and section its social card (cards.py);
    return the cards to draw."""
    pages = [
        item
        for generator in generators
        if generator is not articles
        for item in every_item(generator)
    ]
    return attach_cards(
        list(every_item(articles)),
        pages,
        articles.context.get("topics", []),
        [author for author, _ in articles.authors],
        [category for category, _ in articles.categories],
        articles.settings,
    )


def prepare_for_readers(generators):
    """Attach reading aids, related articles and structured data for every page."""
    articles = articles_generator(generators)
    settings = articles.settings
    build = build_of(settings)
    items = [item for generator in generators for item in every_item(generator)]
    add_plain_fields(items)
    mark_pages_of_names(articles)
    build.cards = social_cards(generators, articles)
    for article in every_item(articles):
        prepare_article(article)
    build.engine.prepare_own_pages(list(every_item(articles)), settings, prepare_own_page)
    build.engine.attach_related(articles.articles, settings)
    for author, _ in articles.authors:
        author.json_ld = profile_page(author, settings)
    for topic in articles.context.get("topics", []):
        topic.json_ld = collection_page(topic, articles.tags.get(topic.tag, []), settings)
    langs = [settings["DEFAULT_LANG"], *(item.lang for item in items)]
    articles.context["site_metadata"] = site_metadata(langs, settings)


def write_machine_files(generators):
    """Write the sitemap, robots.txt and manifest into the staging output."""
    articles = articles_generator(generators)
    pages = [page for g in generators for page in getattr(g, "pages", [])]
    write_site_files(articles, pages, articles.settings, articles.output_path)
