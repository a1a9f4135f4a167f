"""Plain Pelican, the benchmark's baseline: default theme, typogrify on, no plugins.

Only what the corpus needs to build is set; everything else is Pelican's default
(the `notmyidea` theme, its feeds, no pagination, no content cache). The runner
passes PATH, OUTPUT_PATH and CACHE_PATH on the command line, and for the warm
rebuild it turns on Pelican's own content cache (CACHE_CONTENT and
LOAD_CONTENT_CACHE), plain Pelican's best case.
"""

SITENAME = "Militancy Monitor (plain Pelican)"
SITEURL = ""
FEED_DOMAIN = "http://localhost:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

TYPOGRIFY = True

# Explicit: unset, Pelican would load every installed namespace plugin.
PLUGINS = []

# The same articles and pages as our build. Author, topic and comment records
# live in their own folders, outside ARTICLE_PATHS and PAGE_PATHS, so plain
# Pelican never reads them as content; images are copied as ours are.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
ARTICLE_EXCLUDES = ["authors", "topics", "comments", "pages"]
PAGE_EXCLUDES = ["authors", "topics", "comments", "articles"]
