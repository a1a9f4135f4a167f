"""Attachments: copied from a local copy of wp-content/uploads, never fetched.

An image goes to content/images/wordpress/ and must pass the site's own image
checks (plugins/newsroom/images.py) before a post may show it; other files
the site can serve (documents, audio, video) go to content/files/wordpress/.
A path that climbs out of the uploads folder is refused.
"""

import re
from pathlib import Path, PurePosixPath

from unidecode import unidecode

from newsroom.images import ImageError, inspect_file

from .convert import Media
from .names import plain
from .output import file_digest
from .records import text_of

IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif"}
AUDIO_TYPES = {".mp3", ".m4a", ".ogg", ".oga", ".wav"}
VIDEO_TYPES = {".mp4", ".m4v", ".webm", ".mov"}
FILE_TYPES = {".pdf", ".csv", ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"}
FILE_TYPES |= {".odt", ".ods", ".odp", ".epub", ".zip"}


def kind_of(suffix):
    if suffix in IMAGE_TYPES:
        return "image"
    if suffix in AUDIO_TYPES:
        return "audio"
    if suffix in VIDEO_TYPES:
        return "video"
    return "file" if suffix in FILE_TYPES else None


def safe_part(text):
    part = re.sub(r"[^a-z0-9._-]+", "-", unidecode(text).lower()).strip("-.")
    return part or "file"


def destination(file, kind, taken):
    """Where an upload goes below the content folder: its uploads path, made safe
    (two uploads whose names fold to one get -2, -3...)."""
    parts = [safe_part(p) for p in PurePosixPath(file).parts]
    stem, suffix = PurePosixPath(parts[-1]).stem, PurePosixPath(parts[-1]).suffix.lower()
    base = "/".join(["images" if kind == "image" else "files", "wordpress", *parts[:-1]])
    candidate, number = f"{base}/{stem}{suffix}", 1
    while candidate in taken:
        number += 1
        candidate = f"{base}/{stem}-{number}{suffix}"
    taken.add(candidate)
    return candidate


def upload_path(uploads, file):
    """The upload's path in the uploads folder, or None if its name climbs out of it."""
    relative = PurePosixPath(file.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    full = Path(uploads, *relative.parts)
    try:
        if not full.resolve().is_relative_to(Path(uploads).resolve()):
            return None
    except OSError:
        return None
    return full


def import_media(migration):
    """Copy every usable attachment into the content folder; return {id: (Attachment, Media)}."""
    index, report, output = migration.index, migration.report, migration.output
    uploads = migration.options.uploads
    taken, found = set(), {}
    for attachment in sorted(index.attachments.values(), key=lambda a: a.id):
        named = f"attachment {attachment.id} {plain(attachment.title)!r}"
        suffix = PurePosixPath(attachment.file).suffix.lower()
        kind = kind_of(suffix)
        if not attachment.file:
            report.refuse(named, "names no file (no _wp_attached_file, no uploads URL)")
            continue
        if kind is None:
            report.refuse(named, f"is a {suffix or 'typeless'} file, not one the site serves")
            report.counts["unusable"] += 1
            continue
        if uploads is None:
            report.counts["missing"] += 1
            report.site(
                "no --uploads folder was given: no attachment was imported, and images in "
                "posts kept only their alt text (give a copy of wp-content/uploads/)"
            )
            continue
        full = upload_path(uploads, attachment.file)
        if full is None:
            report.refuse(named, f"its path {attachment.file!r} climbs out of --uploads: refused")
            report.counts["unusable"] += 1
            continue
        if not full.is_file():
            report.refuse(named, f"{attachment.file!r} is not in --uploads")
            report.counts["missing"] += 1
            continue
        static = destination(attachment.file, kind, taken)
        if kind == "image":
            try:
                inspect_file(str(full), static)
            except ImageError as error:
                report.refuse(named, f"{attachment.file!r} {error}")
                report.counts["unusable"] += 1
                continue
        outcome = output.put(static, file_digest(full), copy_from=full)
        report.counts[outcome] += 1
        report.counts["copied"] += 1
        found[attachment.id] = (
            attachment,
            Media(
                static=static,
                kind=kind,
                alt=plain(attachment.alt),
                title=plain(attachment.title),
                caption=text_of(attachment.caption),
            ),
        )
    return found
