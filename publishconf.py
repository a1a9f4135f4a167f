"""Production settings: pelicanconf plus only what differs when the site goes live."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = "https://militancymonitor.example"
# Feeds and canonical links use SITEURL, also one given for a single build
# (`invoke publish -e SITEURL='"https://staging.example"'`): Pelican sets the
# feed domain from the final SITEURL when FEED_DOMAIN is not set.
del FEED_DOMAIN  # noqa: F821 (defined by the star import above)
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Drafts are never written (DRAFT_SAVE_AS = "" in pelicanconf.py).
# Any warning stops the build, however it is started (plugins/newsroom/strict.py).
SITE_FATAL_WARNINGS = True
# .gz and .br copies beside every text file, for nginx gzip_static/brotli_static.
SITE_PRECOMPRESS = True
# Reader comments through the comment server (README, "The comment server"): the form
# posts to Isso behind nginx on the site's own host (connect-src 'self' covers it), and
# `invoke publish` first pulls the approved comments from Isso on this machine
# (deploy/isso.cfg; `invoke publish --no-pull` publishes what is on disk).
SITE_COMMENTS_API = "/comments-api/"
SITE_COMMENTS_SERVER = "http://127.0.0.1:8080/"
# Where `invoke publish` puts the checked build: the targets it uses, in order,
# and the settings of each (README, "Going live"). Check with --dry-run.
SITE_DEPLOY = {
    "targets": ["rsync"],
    "rsync": {
        "destination": "deploy@militancymonitor.example:/var/www/militancymonitor/",
        # "ssh": "ssh -p 2222 -i ~/.ssh/militancymonitor",
    },
    "s3": {
        "bucket": "militancymonitor-site",
        # "prefix": "", "region": "eu-central-1", "profile": "militancymonitor",
        # "endpoint_url": "https://s3.eu-central-1.example.com",  # S3-compatible hosts
    },
    "ghpages": {
        "remote": "origin",
        "branch": "gh-pages",
        # "cname": "militancymonitor.example",
    },
}
