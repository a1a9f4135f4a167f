"""Share links: plain URLs to each service, no third-party scripts on our pages."""

from urllib.parse import quote, quote_plus

from .structured import absolute


def share_links(article, settings):
    """Return (service, URL) pairs for sharing an article.

    Query values are quoted as urlencode() would quote them (mailto: with %20
    for spaces, the rest with +), each value once.
    """
    url = absolute(settings, article.url)
    title = article.plain_title
    url_q, title_q, text_q = (quote_plus(v) for v in (url, title, f"{title} {url}"))
    mail = f"subject={quote(title, safe='')}&body={quote(url, safe='')}"
    return [
        ("Email", f"mailto:?{mail}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={text_q}"),
        ("X", f"https://x.com/intent/post?url={url_q}&text={title_q}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url_q}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url_q}"),
        ("WhatsApp", f"https://wa.me/?text={text_q}"),
        ("Telegram", f"https://t.me/share/url?url={url_q}&text={title_q}"),
    ]
