"""Settings for a local build. Production differences live in publishconf.py."""

AUTHOR = None  # every article names its authors; see content/authors/
SITENAME = "Militancy Monitor"
SITE_TAGLINE = "Long-form analysis of jihadist movements"
SITE_DESCRIPTION = (
    "Independent, evidence-based analysis of the Islamic State, Al Shabaab, "
    "Boko Haram and the wider jihadist landscape."
)
SITEURL = ""  # root-relative links, so any local port works
FEED_DOMAIN = "http://localhost:8000"  # feeds need absolute links

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
# og:locale of a page's language (its Lang, or DEFAULT_LANG). A language missing
# here gives the region its Lang names (pt-BR: pt_BR), else ll_LL (de: de_DE).
OG_LOCALES = {
    "en": "en_US",
    "fr": "fr_FR",
    "ar": "ar_AR",
    "sw": "sw_KE",  # Swahili: Kenya, not sw_SW
    "ha": "ha_NG",  # Hausa: Nigeria
    "ur": "ur_PK",
}
DEFAULT_DATE_FORMAT = "%-d %B %Y"
LOCALE = ("C.UTF-8",)

PLUGIN_PATHS = ["plugins"]
# Explicit (unset, Pelican loads every installed plugin). newsroom is the site;
# newsroom_speed, beneath it, only makes builds fast: remove it and the site is
# the same, byte for byte, built more slowly.
PLUGINS = ["newsroom", "newsroom_speed"]

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# audio/: podcast episodes' audio and transcripts (SITE_PODCAST below).
# images/: SVG figures are copied as they are; raster images (JPEG, PNG, WebP...) are
# never published as uploaded, only as the renditions the image pipeline makes of
# those the site shows (plugins/newsroom/images.py). files/: documents
# and media an article links to (the WordPress import puts attachments there).
STATIC_PATHS = ["images", "extra", "audio", "files"]
# The image pipeline's widths and the `sizes` each place shows an image with are
# plugins/newsroom/image_rules.py's DEFAULTS, which follow the theme's layout; a
# SITE_IMAGES dict here would override them (README, Images).

# Typogrify is on, applied by the newsroom plugin's reader (NEWSROOM["typogrify"]);
# Pelican's own pass must stay off so it never runs twice.
TYPOGRIFY = False
TYPOGRIFY_DASHES = "oldschool"
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "title", "script", "style"]

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.meta": {},
        "markdown.extensions.footnotes": {
            "BACKLINK_TITLE": "Back to reference %d",
            "BACKLINK_TEXT": "&#8617;&#xFE0E;",  # text arrow, not an emoji on iOS
        },
        "markdown.extensions.tables": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.fenced_code": {},
        "markdown.extensions.toc": {
            "permalink": "#",
            "permalink_title": "Link to this section",
            "toc_depth": "2-3",
        },
    },
    "output_format": "html5",
}

JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

# Clean URLs: every page is a folder with an index.html.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
# Drafts are never written: nothing unpublished can leak to the host.
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_URL = ""
DRAFT_PAGE_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
TAG_URL = "topics/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "topics/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "category/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search", "404"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
INDEX_URL = ""
INDEX_SAVE_AS = "index.html"
NOTFOUND_URL = "404.html"
NOTFOUND_SAVE_AS = "404.html"

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds, each kind under its own path (Pelican's defaults put categories and
# authors in the same folder, where equal slugs overwrite each other).
FEED_ATOM = "feeds/atom.xml"
FEED_RSS = "feeds/rss.xml"
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = "category/{slug}/atom.xml"
AUTHOR_FEED_ATOM = "authors/{slug}/atom.xml"
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = "topics/{slug}/atom.xml"
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

MENUITEMS = (
    ("Topics", "topics/"),
    ("Authors", "authors/"),
    ("Archives", "archives/"),
)
SITE_FOOTER_PAGES = ("about", "methodology", "corrections")
# Content-Security-Policy for the meta tag in every page (the server config
# sends the same header plus frame-ancestors, which a meta tag cannot carry).
SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    # Podcast audio: the site's own files and SITE_PODCAST["media_hosts"], no more.
    "media-src 'self' https://media.militancymonitor.example; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# Images for browsers, social cards and structured data (theme/static/images).
SITE_ICONS = {
    "svg": "theme/images/favicon.svg",
    "192": "theme/images/icon-192.png",
    "512": "theme/images/icon-512.png",
    "apple": "theme/images/apple-touch-icon.png",
}
SITE_LOGO = SITE_ICONS["512"]
SITE_SOCIAL_IMAGE = "theme/images/social-card.png"
# The call to action after every article; set to None to show none.
SITE_CTA = {
    "title": "Support independent analysis",
    "text": (
        "Militancy Monitor is free to read and carries no advertising. Our work is "
        "funded by readers: a monthly gift keeps our analysts in the field."
    ),
    "link": "https://example.org/support",
    "label": "Support our work",
}
# Where readers send comments; editors approve them into content/comments/.
SITE_COMMENTS_EMAIL = "comments@example.org"
# The comment form under each article posts to the site's comment server (Isso) at
# this address: root-relative when the server answers on the site's own host (nginx
# proxies /comments-api/ to it, so SITE_CSP's connect-src 'self' covers it), or an
# absolute https://host/path/ (then add that origin to connect-src, here and in
# deploy/nginx.conf). None: no form, readers email their comments, as local builds do
# (publishconf.py switches it on). README: "The comment server".
SITE_COMMENTS_API = None
# Where `invoke comments-pull` (and `invoke publish`, before it builds) reads the
# approved comments: the Isso server itself, not through nginx. None: no pulling.
SITE_COMMENTS_SERVER = None

# The podcast (README, "Podcast"): every article in `section` is an episode, with
# its audio (an `Audio:` file below content/audio/ or an https URL on one of
# `media_hosts`, each also in SITE_CSP's media-src). The feed at `feed` carries
# them all with the iTunes tags podcast apps need; `image` is the show art
# (square, 1400-3000 px: tools/make_podcast_art.py); `category` is one of Apple
# Podcasts' categories, with an optional subcategory.
SITE_PODCAST = {
    "section": "Podcasts",
    "title": "The Militancy Monitor Podcast",
    "description": (
        "Conversations and short briefings from the Militancy Monitor team on the "
        "Islamic State, Al Shabaab, Boko Haram and the wider jihadist landscape: how the "
        "movements work, what the evidence shows, and what to watch."
    ),
    "author": "Militancy Monitor",
    "owner": {"name": "Militancy Monitor", "email": "podcast@example.org"},
    "category": ("News", "Politics"),
    "explicit": False,
    "image": "theme/images/podcast-cover.png",
    "media_hosts": ["media.militancymonitor.example"],
    "feed": "category/podcasts/podcast.xml",
}

NEWSROOM = {
    "categories": ["Analysis", "Threat Matrix", "Reports", "Podcasts"],
}

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
