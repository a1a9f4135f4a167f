"""Images, figures, audio and video, and the shortcodes that showed them.

Part of the Cleaner (clean.py), which mixes these methods in. An image stays only
when it was imported (Site.media): the site never hotlinks, so one that was not
becomes its alt text or caption, or nothing, and is noted. Figures follow prose.py:
an image alone in its paragraph with a title is a figure with that title as its
caption. Audio and video become a link to the file; an embed block, a link to the
page it showed. The markers shortcodes.py left for [caption], [gallery], [embed],
[audio] and the others become the same.

Uses the Cleaner's notes, codes, image_media (filled here, read by links.py),
clean(), keep(), drop(), replace(), new(), paragraph(), link_paragraph(),
site_link() and media(), and from links.py resolve_href(), opens_image() and
embed_paragraph().
"""

import re

from bs4 import NavigableString

from .elements import squash
from .urls import (
    BARE_URL,
    STATIC,
    address_label,
    describe,
    fetchable,
    file_name,
    host_of,
    squeeze_url,
    web_url,
)

# The alt text of an imported image with none to be had: every image gets one, and the
# editor is told which to describe (clean_image).
PLACEHOLDER_ALT = "Image from the archive"

# Where an <img> keeps its address: src, or a lazy loader's attribute while src holds
# a placeholder (_image_source).
_IMAGE_SOURCES = ("src", "data-src", "data-lazy-src", "data-orig-file", "data-original")
# The class WordPress gives an inserted image: its attachment id.
_ATTACHMENT_CLASS = re.compile(r"wp-image-(\d{1,12})$")
# Titles WordPress gives an upload from its file name: a camera's or a screenshot's.
_CAMERA_TITLE = re.compile(
    r"(?:img|dsc|dscn|dscf|dcim|pic|photo|image|screenshot|screen shot|whatsapp image|pxl|mvimg)"
    r"[\W_]*\d",
    re.IGNORECASE,
)
# Where [audio] and [video] name their file: src, or one attribute per format.
_AUDIO_ATTRIBUTES = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
_VIDEO_ATTRIBUTES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


def _image_source(img):
    """Return the address an <img> shows: its src, or a lazy loader's data-src."""
    for name in _IMAGE_SOURCES:
        value = squeeze_url(img.get(name))
        if value and not value.lower().startswith("data:"):
            return value
    return squeeze_url(img.get("src"))


def _attachment_id(img):
    """Return the attachment id an <img> names (class wp-image-N, data-id), or None."""
    for name in img.get("class") or []:
        match = _ATTACHMENT_CLASS.match(name)
        if match:
            return int(match[1])
    for name in ("data-id", "data-attachment-id"):
        value = str(img.get(name) or "")
        if re.fullmatch(r"\d{1,12}", value):
            return int(value)
    return None


def _is_smiley(img, src):
    """Whether an <img> is one of WordPress's smilies or emoji: its alt text is the character."""
    classes = img.get("class") or []
    return (
        "wp-smiley" in classes
        or "emoji" in classes
        or "/smilies/" in src
        or "/images/core/emoji/" in src
    )


def _meaningful_title(title):
    """Whether an attachment's title describes it (not "IMG_1234", "Screenshot 2019-...")."""
    title = title.strip()
    return bool(title) and not _CAMERA_TITLE.match(title) and bool(re.search(r"[^\W\d_]", title))


def _link_around(node, container):
    """Return the <a> holding node below container, or None."""
    for parent in node.parents:
        if parent is container:
            return None
        if parent.name == "a":
            return parent
    return None


def _player_source(player):
    """Return the address an <audio> or <video> plays: its src or its first <source>'s."""
    sources = [player, *player.find_all("source")]
    return next((squeeze_url(s.get("src")) for s in sources if s.get("src")), "")


class Figures:
    """The Cleaner's handlers for images, figures, audio and video, and shortcode markers."""

    # Audio and video

    def media_paragraph(self, kind, url, attachment_id=None, title=""):
        """A link to an audio or video file: the imported one, else its old address."""
        url = url if fetchable(url) else None
        found = self.media(url, attachment_id)
        if found:
            kind = found.kind if found.kind in ("audio", "video") else kind
            href = STATIC + found.static
            name = found.title or title or file_name(found.static)
        elif url:
            self.notes.add(f"{kind} {describe(url)} was not imported: linked to its old address")
            href, name = self.site_link(url), title or file_name(url)
        elif attachment_id is not None:
            self.notes.add(f"{kind} attachment {attachment_id} was not imported: dropped")
            return None
        else:
            self.notes.add(f"{kind} without a file was dropped")
            return None
        verb = {"audio": "Listen", "video": "Watch"}.get(kind, "Download")
        return self.link_paragraph(href, f"{verb}: {name}")

    def audio_video(self, tag):
        paragraph = self.media_paragraph(tag.name, _player_source(tag))
        if paragraph:
            tag.replace_with(paragraph)
        else:
            tag.decompose()

    # Images

    def resolve_image(self, img, caption="", attachment_id=None):
        """Return a clean <img> for an imported image, or None (noted) for one that was not."""
        src = _image_source(img)
        ident = attachment_id if attachment_id is not None else _attachment_id(img)
        alt = squash(img.get("alt"))
        found = self.media(src if fetchable(src) else None, ident)
        if found is None:
            if not _is_smiley(img, src):
                where = describe(src) if src else f"attachment {ident}"
                kept = (
                    "kept its caption" if caption else "kept its alt text" if alt else "dropped it"
                )
                self.notes.add(f"image {where} was not imported: {kept}")
            return None
        return self.clean_image(found, alt, caption)

    def clean_image(self, found, alt="", caption=""):
        """The <img> of an imported image: its alt text the given one, else the attachment's,
        the caption, the attachment's caption or title; failing all, a placeholder the
        editor is told of. A caption is its title, which makes it a figure (prose.py)."""
        alt = (
            alt
            or squash(found.alt)
            or caption
            or squash(found.caption)
            or (squash(found.title) if _meaningful_title(found.title) else "")
        )
        if not alt:
            alt = PLACEHOLDER_ALT
            self.notes.add(f"placeholder alt text for {found.static}")
        clean = self.new("img", src=STATIC + found.static, alt=alt)
        if caption:
            clean["title"] = caption
        self.image_media[id(clean)] = found
        return clean

    def image(self, img):
        clean = self.resolve_image(img)
        if clean is not None:
            img.replace_with(clean)
            return
        alt = squash(img.get("alt"))
        if alt:
            img.replace_with(NavigableString(alt))  # inline, as a smiley's is
        else:
            img.decompose()

    def figure_nodes(self, img, caption, container, attachment_id=None):
        """Return the nodes for an image with a caption: our figure (an image alone in its
        paragraph, the caption as its title), and the link around it within the container,
        if it goes elsewhere."""
        link = _link_around(img, container)
        clean = self.resolve_image(img, caption, attachment_id)
        if clean is None:
            text = caption or squash(img.get("alt"))
            return [self.paragraph(text)] if text else []
        nodes = [self.new("p")]
        nodes[0].append(clean)
        if link is not None:
            target = self.resolve_href(link.get("href"))
            if target and not self.opens_image(link, target, [clean]):
                self.notes.add(
                    f"the link around image {self.image_media[id(clean)].static} "
                    "now follows its figure"
                )
                nodes.append(
                    self.link_paragraph(
                        target,
                        squash(link.get("title"))
                        or (address_label(target) if host_of(target) else "Related page"),
                    )
                )
        return nodes

    def gallery_media(self, found):
        """A gallery's attachment as a figure paragraph: its caption is the attachment's."""
        paragraph = self.new("p")
        paragraph.append(self.clean_image(found, caption=squash(found.caption)))
        return paragraph

    # Figures

    def figure(self, fig):
        classes = fig.get("class") or []
        wrapper = fig.find(class_="wp-block-embed__wrapper")
        captions = fig.find_all("figcaption", recursive=False)
        caption = " ".join(squash(c.get_text(" ")) for c in captions).strip()
        for figcaption in captions:
            figcaption.extract()
        images = fig.find_all("img")
        if "wp-block-embed" in classes or wrapper is not None:
            self.embed_figure(fig, wrapper or fig, caption)
        elif len(fig.find_all(["audio", "video"])) == 1 and not images and not fig.find("table"):
            self.player_figure(fig, fig.find(["audio", "video"]), caption)
        elif fig.find("table") or fig.find(["audio", "video"]) or not images:
            # A table, a player, a pull quote: its content, then its caption.
            self.keep(fig, "div")
            if caption:
                fig.append(self.paragraph(caption))
        elif len(images) == 1 and "wp-block-gallery" not in classes:
            self.replace(fig, self.figure_nodes(images[0], caption, fig))
        else:
            # A gallery: each image its own figure, with its own caption.
            nodes = []
            for img in images:
                own = img.find_parent("figure")
                text = ""
                if own is not None and own is not fig:
                    text = " ".join(squash(c.get_text(" ")) for c in own.find_all("figcaption"))
                nodes.extend(self.figure_nodes(img, text.strip(), fig))
            if caption:
                nodes.append(self.paragraph(caption))
            self.replace(fig, nodes)

    def player_figure(self, fig, player, caption):
        """The block editor's audio or video: a link, named by its caption if it has one."""
        paragraph = self.media_paragraph(player.name, _player_source(player), None, caption)
        nodes = [paragraph] if paragraph else []
        if caption and (paragraph is None or not paragraph.get_text().endswith(": " + caption)):
            nodes.append(self.paragraph(caption))
        self.replace(fig, nodes)

    def embed_figure(self, fig, wrapper, caption):
        url = None
        if not wrapper.find(lambda t: t.name != "br"):
            match = BARE_URL.search(wrapper.get_text())
            url = web_url(match[0]) if match else None
        if url:
            self.replace(fig, [self.embed_paragraph(url, caption)])
            return
        self.keep(fig, "div")  # an embed stored as HTML (a tweet's blockquote, an iframe)
        if caption:
            fig.append(self.paragraph(caption))

    # Shortcode markers (shortcodes.py): what each shortcode showed

    def shortcode(self, tag):
        index = str(tag.get("data-index") or "")
        if not index.isdigit() or int(index) >= len(self.codes):
            self.clean(tag)
            tag.unwrap()
            return
        code = self.codes[int(index)]
        name = "caption" if code.name == "wp_caption" else code.name
        getattr(self, "shortcode_" + name)(tag, code)

    def shortcode_caption(self, tag, code):
        ident = re.fullmatch(r"attachment_(\d{1,12})", code.attributes.get("id", "").strip())
        images = tag.find_all("img")
        caption = squash(code.attributes.get("caption", ""))
        if not images:
            self.replace(tag, [self.paragraph(caption)] if caption else [])
            return
        img = images[0]
        if not caption:
            # The caption is the shortcode's text beside the image (and the link around it).
            holder = _link_around(img, tag) or img
            holder.extract()
            caption = squash(tag.get_text(" "))
            tag.clear()
            tag.append(holder)
        attachment = int(ident[1]) if ident else None
        self.replace(tag, self.figure_nodes(img, caption, tag, attachment))

    def shortcode_gallery(self, tag, code):
        ids = re.findall(
            r"\d{1,12}", code.attributes.get("ids") or code.attributes.get("include") or ""
        )
        if not ids:
            self.drop(tag, "a [gallery] without ids was dropped: its images are not known")
            return
        nodes = []
        for ident in ids[:500]:
            found = self.media(None, int(ident))
            if found is None:
                self.notes.add(f"gallery image {ident} was not imported")
            else:
                nodes.append(self.gallery_media(found))
        self.replace(tag, nodes)

    def shortcode_embed(self, tag, code):
        url = web_url(code.content.strip()) or web_url(code.attributes.get("src"))
        if url:
            self.replace(tag, [self.embed_paragraph(url)])
        else:
            self.drop(tag, "an [embed] without a web address was dropped")

    def shortcode_youtube(self, tag, code):
        # Jetpack's [youtube URL] and [youtube=URL&w=640]; [vimeo 123] or [vimeo URL].
        words = code.raw_attributes.strip().lstrip("=").split() or [code.content.strip()]
        value = words[0] if words else ""
        if code.name == "vimeo" and value.isdigit():
            value = f"https://vimeo.com/{value}"
        url = web_url(value)
        if url:
            self.replace(tag, [self.embed_paragraph(url)])
        else:
            self.drop(tag, f"a [{code.name}] without a web address was dropped")

    shortcode_vimeo = shortcode_youtube

    def shortcode_audio(self, tag, code):
        keys = _AUDIO_ATTRIBUTES if code.name == "audio" else _VIDEO_ATTRIBUTES
        url = next((code.attributes[k] for k in keys if code.attributes.get(k)), "")
        paragraph = self.media_paragraph(code.name, squeeze_url(url))
        self.replace(tag, [paragraph] if paragraph else [])

    shortcode_video = shortcode_audio

    def shortcode_playlist(self, tag, code):
        ids = re.findall(
            r"\d{1,12}", code.attributes.get("ids") or code.attributes.get("include") or ""
        )
        if not ids:
            self.drop(tag, "a [playlist] without ids was dropped: its tracks are not known")
            return
        kind = "video" if code.attributes.get("type") == "video" else "audio"
        nodes = [self.media_paragraph(kind, None, int(ident)) for ident in ids[:500]]
        self.replace(tag, [node for node in nodes if node is not None])
