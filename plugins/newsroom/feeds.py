"""Feeds with absolute links while pages keep root-relative ones."""

from pelican.writers import Writer


class AbsoluteFeedWriter(Writer):
    """Write feeds against FEED_DOMAIN: feed readers cannot resolve '/path' links."""

    def write_feed(self, elements, context, *args, **kwargs):
        """Write one feed with SITEURL replaced by FEED_DOMAIN when that is set."""
        domain = context.get("FEED_DOMAIN")
        if domain:
            context = {**context, "SITEURL": domain}
        return super().write_feed(elements, context, *args, **kwargs)


def absolute_feed_writer(pelican):
    """Tell Pelican to use AbsoluteFeedWriter."""
    return AbsoluteFeedWriter
