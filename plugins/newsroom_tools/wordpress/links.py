"""Links, and what a post embeds or runs: kept only where this site can use them safely.

Part of the Cleaner (clean.py), which mixes these methods in. An <a> keeps its href
only when the address is safe (urls.py) and means something here: the old site's
own addresses become this site's (Site.link), uploads become their imported files.
Scripts, forms, inline SVG and MathML are dropped; iframes, objects and embeds become
a link to the page they showed. Everything dropped or changed is noted for the editor.

Uses the Cleaner's notes, last_link, clean(), drop(), link_paragraph(), site_link()
and media(), and the image_media that figures.py fills.
"""

from bs4 import NavigableString

from .elements import INLINE_BREAKING, inside, squash, tags_in
from .urls import (
    RASTER,
    SAFE_SCHEMES,
    STATIC,
    address_label,
    describe,
    embed_target,
    host_of,
    is_upload,
    neutral_href,
    path_of,
    scheme_of,
    squeeze_url,
    web_url,
)


class LinksAndEmbeds:
    """The Cleaner's handlers for links and for executable and embedded content."""

    # Executable and embedded content

    def script(self, tag):
        host = host_of(web_url(tag.get("src")) or "")
        self.drop(tag, f"a script from {host} was dropped" if host else "a script was dropped")

    def iframe(self, tag):
        url = web_url(tag.get("src") or tag.get("data-src"))
        if not url:
            self.drop(tag, "an iframe without a web address was dropped")
            return
        self.notes.add(f"an iframe from {host_of(url)} became a link")
        target = embed_target(url)
        tag.replace_with(
            self.link_paragraph(
                self.site_link(target), squash(tag.get("title")) or address_label(target)
            )
        )

    def embedded_object(self, tag):
        if "wp-block-file__embed" in (tag.get("class") or []):
            tag.decompose()  # a PDF viewer beside the file block's own link
            return
        url = web_url(tag.get("data") or tag.get("src"))
        for param in tag.find_all("param"):
            if not url and str(param.get("name") or "").lower() in ("movie", "src", "url"):
                url = web_url(param.get("value"))
        if not url:
            self.drop(tag, "an embedded object was dropped")
            return
        self.notes.add(f"an embedded object from {host_of(url)} became a link")
        tag.replace_with(self.link_paragraph(self.site_link(url), address_label(url)))

    def form(self, tag):
        self.drop(tag, "a form was dropped")

    def svg(self, tag):
        self.drop(tag, "an inline SVG image was dropped")

    def math(self, tag):
        self.drop(tag, "a formula (MathML) was dropped")

    def embed_paragraph(self, url, label=""):
        """An embedded page as a link paragraph to it."""
        target = embed_target(url)
        self.notes.add(f"an embed from {host_of(url)} became a link")
        return self.link_paragraph(self.site_link(target), label or address_label(target))

    # Links

    def resolve_href(self, value):
        """Return the href a link keeps, or None to keep only its text (noted when unsafe)."""
        url = squeeze_url(value)
        if not url or url.startswith("#"):
            return None  # the post's anchors are gone: its ids are not kept
        scheme = scheme_of(url)
        if scheme is not None and scheme not in SAFE_SCHEMES:
            self.notes.add(f"a link to a {scheme}: address was dropped: kept its text")
            return None
        if is_upload(url):
            found = self.media(url, None)
            if found:
                return STATIC + found.static
            new = self.site_link(url)
            if new == neutral_href(url):
                self.notes.add(
                    f"upload {describe(url)} was not imported: the link keeps its old address"
                )
            return new
        return self.site_link(url)

    def opens_image(self, link, target, images):
        """Whether a link around images opens the image itself: its file (any size) or its
        attachment page. Such a link is dropped; the image stays."""
        rel = link.get("rel") or []
        if isinstance(rel, str):
            rel = rel.split()
        if "attachment" in rel or any(value.startswith("wp-att-") for value in rel):
            return True
        href = squeeze_url(link.get("href"))
        path = path_of(href)
        if "attachment_id=" in href or "/attachment/" in path or RASTER.search(path):
            return True
        shown = {
            STATIC + self.image_media[id(i)].static for i in images if id(i) in self.image_media
        }
        return target in shown

    def link(self, a):
        if inside(a, ("a",)):
            self.clean(a)  # a link inside a link: the outer one is kept
            a.unwrap()
            return
        href = a.get("href")
        classes = a.get("class") or []
        self.clean(a)
        images = tags_in(a, ("img",))
        if not (images or a.get_text().strip()):
            a.decompose()
            return
        target = self.resolve_href(href)
        if target is None or (images and self.opens_image(a, target, images)):
            a.unwrap()
            return
        if not images and target.startswith(STATIC) and RASTER.search(target):
            # Original raster images are never published (only renditions of the
            # images a page shows), so a link to one would break the build.
            self.notes.add(
                f"a link to image {target.removeprefix(STATIC)} was dropped: kept its text"
            )
            a.unwrap()
            return
        if "wp-block-file__button" in classes and target == self.last_link:
            a.decompose()  # the file block's download button repeats its link
            return
        a.attrs = {"href": target}
        self.last_link = target
        # A link's text is inline: blocks inside it (a card's heading and summary)
        # become its words, one space apart.
        for block in reversed(tags_in(a, INLINE_BREAKING)):
            block.insert_after(NavigableString(" "))
            block.unwrap()
