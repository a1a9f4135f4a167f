"""Site-wide redirect maps: old addresses that are no one article's, in content/redirects/.

Each `*.txt` file there (NEWSROOM["redirects_path"]) holds one redirect a line,
the old address, spaces, then where it leads; `#` starts a comment line:

    # The old blog's sections and numbered links
    /category/old-news/     {category}Reports
    /2019/03/caf%C3%A9/     {filename}/articles/2019/cafe-attack.md
    /tag/daesh/             {tag}Daesh
    /author/claire/         {author}Claire Dubois
    /wp-content/uploads/2019/03/map.jpg   {static}/images/wordpress/2019/03/map.jpg
    /feed/                  /feeds/atom.xml
    ?p=123                  {filename}/articles/2019/cafe-attack.md

The old address is a path, checked like Redirect_from (redirects.check_old_path),
or an old query of the home page, `?name=value`. The target is one of Pelican's
own link forms, resolved against this build, so it follows a renamed slug or
setting: an article or page by its source ({filename}), a section ({category},
through NEWSROOM["section_map"] too), a tag's page ({tag}; a topic's name or
alias leads to its hub, as the site's tag links do), an author's page ({author}),
a static file ({static}; a raster image below images/, never published as
uploaded, leads to its largest JPEG or PNG rendition, which is then made), or a
root-relative path of a page or file the site writes (`/archives/2019/`), which
is looked for once the site is written.

resolve_redirect_map runs once everything is read, before the images are
checked (a rendition it wants is made with the others). Its claims join the
Redirect_from headers' in redirects.collect_redirects, which checks them all
together; the redirects are written with theirs (redirects.write_redirects).
"""

import os
import posixpath
import re
from urllib.parse import quote, unquote

from pelican.urlwrappers import Author, Category, Tag

from .config import plugin_settings
from .errors import Problem, display_path
from .image_rules import is_raster, under_images
from .images import ImageError, catalogue_of
from .redirects import Claim, Target, check_old_path, item_target
from .scan import REDIRECT_KIND
from .state import build_of
from .topics import tag_key

FIELD = "redirect"
_LINE = re.compile(r"^(\S+)\s+(\S.*?)\s*$")
_QUERY = re.compile(r"^\?[A-Za-z0-9_-]+=[A-Za-z0-9_-]+$")
NAMED = ("{category}", "{tag}", "{author}")  # targets that are names, which may hold spaces
FORMS = (
    "{filename}/articles/2019/slug.md, {static}/images/x.pdf, {category}Reports, "
    "{tag}Boko Haram, {author}Claire Dubois, or a path of the site such as /archives/2019/"
)


def map_lines(text):
    """Yield (line number, old address, target text, or None when the line is no
    `OLD TARGET` pair) for each line that is not blank or a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.match(stripped)
        yield (number, match[1], match[2]) if match else (number, stripped, None)


def check_query(old):
    """Return why an old query cannot be redirected, or None."""
    if _QUERY.match(old):
        return None
    return (
        f"{old!r} is not an old query the server can match: give one ?name=value, each of "
        "letters, digits, '-' and '_', such as ?p=123 or ?page_id=7"
    )


class Resolver:
    """What a target can name in this build: items by source, sections, tags, authors,
    static files and images."""

    def __init__(self, generators, build):
        from .enrich import articles_generator, every_item  # enrich imports redirects

        self.articles = articles = articles_generator(generators)
        self.settings, self.build = articles.settings, build
        self.options = plugin_settings(self.settings)
        self.content = os.path.abspath(self.settings["PATH"])
        self.items = {
            item.get_relative_source_path(): item
            for generator in generators
            for item in every_item(generator)
        }
        self.static = articles.context.get("static_content", {})
        self.topics = {}
        for topic in articles.context.get("topics", []):
            for name in (topic.name, *topic.aliases):
                self.topics.setdefault(tag_key(name), topic)

    def relative(self, value, folder):
        """Return the path below PATH a {filename} or {static} value names (from PATH with a
        leading '/', else from the map file's folder, as Pelican reads them), or None."""
        value = unquote(value)
        joined = value[1:] if value.startswith("/") else posixpath.join(folder, value)
        normal = posixpath.normpath(joined)
        if not joined or normal.startswith("../") or normal in (".", "..") or "\\" in value:
            return None
        return normal

    def resolve(self, target, folder, source):
        """Return (Target or None, why it cannot be, or None). (None, None): a target whose
        own problem is reported elsewhere (a refused source, a broken image)."""
        if "?" in target or "#" in target:
            return None, f"{target!r} has a query or fragment; give the target alone"
        for form, method in (
            ("{filename}", self.content_item),
            ("{static}", self.static_file),
            ("{category}", self.section),
            ("{tag}", self.tag),
            ("{author}", self.author),
        ):
            if target.startswith(form):
                value = target[len(form) :].strip()
                if not value:
                    return None, f"{target!r} names nothing after {form}"
                return method(value, folder, source)
        if target.startswith("/"):
            return self.path(target)
        if "://" in target:
            return None, f"{target!r} is another site's address; a map leads to this site's pages"
        return None, f"{target!r} is not a target; give one of {FORMS}"

    def content_item(self, value, folder, source):
        relative = self.relative(value, folder)
        item = self.items.get(relative) if relative else None
        if item is None:
            shown = relative and display_path(os.path.join(self.content, relative))
            if shown in self.build.refused:
                return None, None  # its own problems are reported
            return None, (
                f"{{filename}}{value} is no article or page of the site "
                f"({'content/' + relative if relative else 'outside content/'}); "
                "give its source's path from content/, such as {filename}/articles/2019/slug.md"
            )
        status = getattr(item, "status", "published")
        if status == "draft":
            return None, (
                f"{{filename}}{value} is a draft (Status: draft): publish it, or lead elsewhere"
            )
        if status == "hidden":
            return None, (
                f"{{filename}}{value} is hidden (Status: hidden): lead to a published page instead"
            )
        if not item.save_as:
            return None, f"{{filename}}{value} has no page of its own (its save_as is empty)"
        return item_target(item), None

    def static_file(self, value, folder, source):
        relative = self.relative(value, folder)
        name = posixpath.basename(relative or value)
        static = self.static.get(relative) if relative else None
        if static is not None:
            return Target("/" + quote(static.url), name=name, noun="file"), None
        catalogue = catalogue_of(self.settings)
        image_file = relative and under_images(relative) and is_raster(relative)
        if image_file and catalogue.exists(relative):
            # Never published as uploaded: its largest JPEG (or PNG) rendition, made for this.
            catalogue.use(relative, source)
            try:
                image = catalogue.inspect(relative)
            except ImageError:
                return None, None  # reported once for the file (images.source_problems)
            largest = catalogue.picture(image, catalogue.options["widths"]).fallback[-1]
            catalogue.want(image, [largest])
            return Target("/" + quote(largest.path), name=name, noun="file"), None
        if relative and os.path.isfile(os.path.join(self.content, relative)):
            folders = ", ".join(self.settings.get("STATIC_PATHS", []))
            return None, (
                f"{{static}}{value} is not a file the site publishes (STATIC_PATHS: {folders})"
            )
        return None, f"{{static}}{value}: there is no such file below content/"

    def section(self, value, folder, source):
        section = self.options["section_map"].get(value, value)
        slug = Category(section, self.settings).slug
        categories = [category for category, _ in self.articles.categories]
        for category in categories:
            if category.slug == slug:
                return Target("/" + quote(category.url), about=category, name=category.name), None
        known = ", ".join(sorted(category.name for category in categories))
        return None, (
            f"{{category}}{value} has no page: no published article is in that section; "
            f"sections with a page: {known}"
        )

    def tag(self, value, folder, source):
        topic = self.topics.get(tag_key(value))
        if topic is not None:  # a topic's name or alias: its hub, as tag links lead
            return Target("/" + quote(topic.tag.url), about=topic, name=topic.name), None
        slug = Tag(value, self.settings).slug
        for tag in self.articles.tags:
            if tag.slug == slug:
                return Target("/" + quote(tag.url), name=tag.name), None
        return None, f"{{tag}}{value} has no page: no published article has that tag"

    def author(self, value, folder, source):
        slug = Author(value, self.settings).slug
        authors = [author for author, _ in self.articles.authors]
        for author in authors:
            if author.name == value or author.slug == slug:
                return Target("/" + quote(author.url), about=author, name=author.name), None
        known = ", ".join(sorted(author.name for author in authors))
        return None, (
            f"{{author}}{value} has no page: no published article names that author; "
            f"authors with a page: {known}"
        )

    def path(self, value):
        if value != "/":
            reason = check_old_path(value)
            if reason:
                return None, f"the target {reason}"
        decoded = unquote(value)
        last = decoded.rsplit("/", 1)[-1]
        noun = "file" if "." in last and not last.endswith(".html") else "page"
        # Where the site writes it is known once it is written (redirects.write_redirects).
        name = "the home page" if decoded == "/" else decoded
        return Target(quote(decoded), name=name, noun=noun, written=False), None


def read_map_file(source, resolver):
    """Return (claims, problems) of one redirect map file."""
    claims, problems = [], []
    folder = posixpath.dirname(os.path.relpath(source.full, resolver.content).replace(os.sep, "/"))
    for number, old, target in map_lines(source.text):
        if target is None:
            reason = (
                f"{old!r} has no target; write the old address, spaces, then where it leads: "
                f"{FORMS}"
            )
        elif re.search(r"\s", target) and not target.startswith(NAMED):
            reason = (
                f"{old + ' ' + target!r} has more than an old address and a target; write a "
                "space in an address as %20, and a comment on a line of its own"
            )
        else:
            reason = check_query(old) if old.startswith("?") else check_old_path(old)
        if reason:
            problems.append(Problem(source.path, number, FIELD, reason))
            continue
        found, reason = resolver.resolve(target, folder, source.path)
        if reason:
            problems.append(Problem(source.path, number, FIELD, reason))
        claims.append(Claim(source.path, number, FIELD, old, found))
    return claims, problems


def resolve_redirect_map(generators):
    """Everything is read: resolve every line of the redirect maps into the build's
    claims (build.redirect_map); problems join the build's."""
    from .enrich import articles_generator

    build = build_of(articles_generator(generators).settings)
    sources = build.of_kind(REDIRECT_KIND)
    build.redirect_map = []
    if not sources:
        return
    resolver = Resolver(generators, build)
    for source in sources:
        claims, problems = read_map_file(source, resolver)
        build.redirect_map += claims
        build.problems += problems
