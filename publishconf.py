"""Production settings: pelicanconf plus only what differs when the site goes live."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = "https://militancymonitor.example"
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
