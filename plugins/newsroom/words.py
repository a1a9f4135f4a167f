"""How text becomes search terms: shared by rendering.py, which counts the words of each
body as it renders it, and search.py, which builds the index from the counts.

search.js folds and splits a reader's query the same way (tests/test_search.py
checks the two agree).
"""

import html
import re
import unicodedata
from collections import Counter

# Words too common to tell articles apart; the browser drops them from queries.
STOP_WORDS = frozenset(
    """
    a about after all also an and any are as at be been before but by can could did do
    does for from had has have he her his how i if in into is it its may more most no not
    of on once one or other our out over she so some such than that the their them then
    there these they this those to under up was we were what when where which while who
    will with would you
    """.split()  # noqa: SIM905 (a word list reads better as words)
)

_WORD = re.compile(r"[^\W_]+")
# Parts of a rendered body that are apparatus, not prose: footnote numbers and
# back-links, heading permalinks.
_APPARATUS = re.compile(
    r'<sup id="fnref[^"]*">.*?</sup>|<a class="(?:footnote-backref|headerlink)"[^>]*>.*?</a>',
    re.S,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|caption|blockquote|div"
    r"|figure|figcaption|pre|hr|br|section|aside)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class _WithoutMarks(dict):
    """A str.translate table that drops combining marks (category M), filled as met."""

    def __missing__(self, code):
        kept = None if unicodedata.category(chr(code)).startswith("M") else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def _without_marks(run):
    return run[0].translate(_WITHOUT_MARKS)


def fold(text):
    """Fold text for matching: no accents, lower case. search.js folds queries the same way."""
    text = unicodedata.normalize("NFKD", text)
    if not text.isascii():  # marks are never ASCII: translate only the rest, char by char
        text = _NON_ASCII.sub(_without_marks, text)
    return text.lower()


def terms(text):
    """Return the indexed words of some text, in order: folded, no stop words, two letters up."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


def plain_body(body_html):
    """Return an article body as plain text, without footnote marks and permalinks."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", _APPARATUS.sub("", body_html)))
    return " ".join(html.unescape(text).split())


def body_words(body_html):
    """Count the indexed words of a rendered body: (how many in all, "term count ...")."""
    words = terms(plain_body(body_html))
    counts = Counter(words)
    return len(words), " ".join(f"{term} {count}" for term, count in sorted(counts.items()))
