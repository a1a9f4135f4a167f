"""Structured data for machines: JSON-LD objects built as dicts, serialised by |tojson."""


def site_base(settings):
    """Return the absolute base URL: SITEURL, or FEED_DOMAIN for local builds."""
    return (settings.get("SITEURL") or settings.get("FEED_DOMAIN") or "").rstrip("/")


def absolute(settings, path):
    """Return an absolute URL for a site path."""
    return f"{site_base(settings)}/{path.lstrip('/')}"


def site_ids(settings):
    """Return the @id of the site's WebSite and of its publisher, shared by every graph."""
    home = absolute(settings, "")
    return {"website": f"{home}#website", "organization": f"{home}#organization"}


def person(author, settings):
    """Describe an author as a schema.org Person."""
    data = {"@type": "Person", "name": author.name, "url": absolute(settings, author.url)}
    record = getattr(author, "record", None)
    if record and record.role:
        data["jobTitle"] = record.role
    if record and record.links:
        data["sameAs"] = [url for _, url in record.links if url.startswith("http")]
    return data


def publisher(settings):
    """Describe the newsroom as a schema.org NewsMediaOrganization."""
    return {
        "@type": "NewsMediaOrganization",
        "@id": site_ids(settings)["organization"],
        "name": settings["SITENAME"],
        "url": absolute(settings, ""),
        "logo": {"@type": "ImageObject", "url": absolute(settings, settings["SITE_LOGO"])},
    }


def website(settings):
    """Describe the site as a schema.org WebSite that readers can search."""
    ids = site_ids(settings)
    search = absolute(settings, settings.get("SEARCH_URL", "search/"))
    return {
        "@type": "WebSite",
        "@id": ids["website"],
        "name": settings["SITENAME"],
        "description": settings["SITE_DESCRIPTION"],
        "url": absolute(settings, ""),
        "inLanguage": settings["DEFAULT_LANG"],
        "publisher": {"@id": ids["organization"]},
        "potentialAction": {
            "@type": "SearchAction",
            # theme/static/js/search.js reads the words from ?q=
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def home_graph(settings):
    """Return the WebSite and its publisher, for the home page."""
    return {"@context": "https://schema.org", "@graph": [website(settings), publisher(settings)]}


def og_locale(lang, locales):
    """Return the OpenGraph locale (ll_CC) of a language tag such as 'en', 'fr' or 'pt-BR'.

    locales maps a language, or a whole tag, to its locale (OG_LOCALES: en -> en_US);
    a tag it does not hold that names a region gives that region (fr-CA: fr_CA), a
    language it does not hold gives ll_LL (de: de_DE).
    """
    tag = lang.strip().replace("_", "-")
    if tag in locales:
        return locales[tag]
    primary, *rest = tag.lower().split("-")
    region = next((part for part in rest if len(part) == 2 and part.isalpha()), None)
    if region:
        return f"{primary}_{region.upper()}"
    return locales.get(primary) or f"{primary}_{primary.upper()}"


def site_metadata(langs, settings):
    """Return what every page's head needs beyond its own fields: the home graph, the
    @id references other graphs link to, and {lang: og:locale} for each language used."""
    locales = settings.get("OG_LOCALES") or {}
    ids = site_ids(settings)
    return {
        "graph": home_graph(settings),
        "website": {"@id": ids["website"]},
        "publisher": {"@id": ids["organization"]},
        "locales": {lang: og_locale(lang, locales) for lang in sorted(set(langs))},
    }


def image_object(card, settings):
    """Describe a page's social card (cards.Card), or the site's card without one, as a
    schema.org ImageObject."""
    if card is None:
        url, width, height = settings["SITE_SOCIAL_IMAGE"], 1200, 630
    else:
        url, width, height = card.path, card.width, card.height
    return {
        "@type": "ImageObject",
        "url": absolute(settings, url),
        "width": width,
        "height": height,
    }


def breadcrumbs(settings, *trail):
    """Return a BreadcrumbList from (name, path) pairs, home first."""
    items = [(settings["SITENAME"], ""), *trail]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute(settings, path),
            }
            for position, (name, path) in enumerate(items, start=1)
        ],
    }


def article_graph(article, settings):
    """Return the NewsArticle and its breadcrumbs for one article page."""
    url = absolute(settings, article.url)
    news = {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": article.plain_title[:110],
        "description": article.description,
        "url": url,
        "mainEntityOfPage": url,
        "isPartOf": {"@id": site_ids(settings)["website"]},
        "datePublished": article.date.isoformat(),
        "dateModified": getattr(article, "modified", article.date).isoformat(),
        "author": [person(author, settings) for author in article.authors],
        "publisher": publisher(settings),
        "image": [image_object(getattr(article, "social_card", None), settings)],
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags],
        "inLanguage": article.lang,
        "isAccessibleForFree": True,
    }
    crumbs = breadcrumbs(
        settings, (article.category.name, article.category.url), (article.plain_title, article.url)
    )
    return {"@context": "https://schema.org", "@graph": [news, crumbs]}


def profile_page(author, settings):
    """Return the ProfilePage of an author."""
    about = person(author, settings)
    if getattr(author, "record", None) and author.record.bio:
        about["description"] = author.record.bio_text
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "ProfilePage",
                "url": absolute(settings, author.url),
                "isPartOf": {"@id": site_ids(settings)["website"]},
                "mainEntity": about,
            },
            breadcrumbs(settings, ("Authors", settings["AUTHORS_URL"]), (author.name, author.url)),
        ],
    }


def collection_page(topic, articles, settings):
    """Return the CollectionPage of a topic hub, listing its latest articles."""
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "CollectionPage",
                "name": topic.name,
                "description": topic.summary,
                "url": absolute(settings, topic.tag.url),
                "isPartOf": {"@id": site_ids(settings)["website"]},
                "about": {"@type": "Thing", "name": topic.name, "alternateName": topic.aliases},
                "mainEntity": {
                    "@type": "ItemList",
                    "itemListElement": [
                        {
                            "@type": "ListItem",
                            "position": position,
                            "url": absolute(settings, article.url),
                        }
                        for position, article in enumerate(articles[:10], start=1)
                    ],
                },
            },
            breadcrumbs(settings, ("Topics", settings["TAGS_URL"]), (topic.name, topic.tag.url)),
        ],
    }
