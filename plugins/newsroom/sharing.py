"""Share links: plain URLs to each service, no third-party scripts on our pages."""

from urllib.parse import quote, urlencode

from .structured import absolute


def share_links(article, settings):
    """Return (service, URL) pairs for sharing an article."""
    url = absolute(settings, article.url)
    title = article.plain_title
    text = f"{title} {url}"
    return [
        ("Email", f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}"),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text})),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
        ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
    ]
