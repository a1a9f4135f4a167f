"""Live preview's fast path: the saved article's page first, the full build after.

A full warm build of a large site takes seconds (the search index alone does).
When an author saves an article, live preview first renders that one page
again, with the last build's context and the new text, and replaces it in the
output, so the browser can show the change at once; then the full build runs
and checks everything. If the full build fails, restore() puts the previous
page back, so the output is again the last good build.
"""

import copy
import os
import threading
from pathlib import Path

from newsroom.config import plugin_settings
from newsroom.errors import display_path
from newsroom.finish import add_plain_fields, prepare_article, prepare_own_page, release_own_page
from newsroom.images import show_body_images
from newsroom.rules import check_source, theme_templates
from newsroom.scan import SourceFile, check_entry, check_markdown_shape, decode

from .rendering import render_one
from .writer import IncrementalWriter


class FastPage:
    """One page rendered ahead of the build, with the bytes it replaced."""

    def __init__(self, path, previous):
        self.path, self.previous = path, previous

    def restore(self):
        """Put the replaced page back (the full build that followed failed)."""
        replace_file(self.path, self.previous)


def replace_file(path, data):
    """Replace a file in one rename, never through a hard link it may share."""
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def render_first(changed):
    """Render the pages of changed article sources into the output; return FastPages.

    Only sources the last build wrote a page for, and that pass the per-file
    checks, are rendered, with that build's settings; anything else waits for
    the full build.
    """
    rendered = []
    for source in changed:
        write = IncrementalWriter.article_pages.get(os.path.abspath(source))
        if write is None:
            continue
        settings = write.method.__self__.settings  # the last build's, as Pelican resolved them
        name, template, context = write.args[:3]
        path = os.path.join(settings["OUTPUT_PATH"], name)
        if not os.path.exists(path) or not sound(source, settings):
            continue
        text = Path(source).read_text(encoding="utf-8-sig")
        body = render_one(text, settings)
        article = copy.copy(write.kwargs["article"])
        # Raster images as <picture>, as the readers show them (the last build's renditions).
        article._content, _ = show_body_images(body.html, source, settings)
        article.title = body.typeset.get("title", article.title)
        article.body_facts = body.facts
        add_plain_fields([article])
        prepare_article(article)
        release_own_page(article)  # the copy shares the last build's: make its own
        prepare_own_page(article, settings)
        page = template.render({**context, **write.kwargs, "article": article, "output_file": name})
        previous = Path(path).read_bytes()
        replace_file(path, page.encode("utf-8"))
        rendered.append(FastPage(path, previous))
    return rendered


def sound(source, settings):
    """Tell whether a source passes the checks that need no other file."""
    relative = os.path.relpath(source, settings["PATH"])
    try:
        problem, is_text = check_entry(source, relative, "article")
        if problem or not is_text:
            return False
        text, problem = decode(Path(source).read_bytes(), display_path(source))
    except OSError:
        return False
    if problem or check_markdown_shape(text, display_path(source)):
        return False
    record = SourceFile(display_path(source), "article", text)
    options = plugin_settings(settings)
    return not check_source(record, settings, options, theme_templates(settings))


class PreviewBuilds:
    """Live preview's builds, one at a time on a thread of their own.

    The preview server runs on one thread; a build run there would keep it
    from answering (the page rendered first included) until the build ends.
    request() is called there, by the file watcher, with the saved files; the
    build thread renders the saved articles' pages first, has the browser
    reload, runs the full build (restoring those pages if it fails), and
    reloads again. Saves made meanwhile are taken up by one more round.
    """

    def __init__(self, build, reload):
        self.build, self.reload = build, reload
        self.lock, self.pending, self.running, self.loop = threading.Lock(), [], False, None

    def request(self, changed=()):
        """Take a save (called on the server's thread)."""
        from tornado.ioloop import IOLoop

        self.loop = IOLoop.current()
        with self.lock:
            self.pending.extend(changed if isinstance(changed, list) else [])
            self.pending.append(None)  # something changed, even if no file was named
            if self.running:
                return
            self.running = True
        threading.Thread(target=self.run, name="preview-build", daemon=True).start()

    def reload_browser(self):
        """Have the server's thread tell the browsers to reload."""
        if self.loop is not None:
            self.loop.add_callback(self.reload)

    def run(self):
        """Build until no save is waiting."""
        while True:
            with self.lock:
                changed, self.pending = self.pending, []
                if not changed:
                    self.running = False
                    return
            saved = [path for path in changed if path and path.endswith(".md")]
            fast = render_first(saved)
            if fast:
                self.reload_browser()
            if not self.build() and fast:
                for page in fast:
                    page.restore()
            self.reload_browser()
