"""The site's writer: Pelican's, with absolute links in feeds and a clear error for a file
two pages claim."""

from pelican.writers import FileOverwriteFailedError, Writer

from .errors import BuildStopped


def feed_context(context):
    """The context a feed is written with: feed readers cannot resolve root-relative links,
    so the site's address becomes FEED_DOMAIN there."""
    domain = context.get("FEED_DOMAIN")
    return {**context, "SITEURL": domain} if domain else context


class NewsroomWriter(Writer):
    """Write feeds against FEED_DOMAIN; stop the build, naming the file, where Pelican would
    raise on a file written twice."""

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        return super().write_feed(elements, feed_context(context), path, *args, **kwargs)

    def write_file(self, name, *args, **kwargs):
        try:
            return super().write_file(name, *args, **kwargs)
        except FileOverwriteFailedError as error:
            raise BuildStopped.because(f"{name} is written twice: two pages claim it") from error
