"""Typogrify, faster: the same filters, with SmartyPants skipping text it would not change.

typogrify runs SmartyPants over every run of text between two tags, and
SmartyPants runs some twenty regular expressions over each run whether or not
it holds a quote, a dash, an ellipsis or a backslash. In an article body most
runs hold none (a heading, a table cell, the line break between two tags), and
those expressions were a third of a cold build's CPU. Here the runs are walked
as SmartyPants walks them, runs without anything to convert are left alone, and
every other run goes through SmartyPants' own conversions in SmartyPants' order.
The other filters are typogrify's own. The output is byte for byte typogrify's:
tests/test_typography.py compares the two on the whole site and on generated
text full of quotes, dashes, tags and code.
"""

import re

import smartypants as sp
from typogrify.filters import amp, caps, initial_quotes, process_ignores, widont

# Anything some SmartyPants conversion acts on: quotes and backticks, escapes,
# dashes, ellipses, &quot; and (for entity output) numeric references. A run
# without any of them comes out of every conversion unchanged.
_WORK = re.compile(r"""['"`\\]|--|\.\.\.|\. \. \.|&quot;|&#""")
_SKIPPED_TAG = sp._tags_to_skip_regex()  # <pre>, <code>, <script>...: left as they are
_NON_SPACE = re.compile(r"\S")
# What typogrify's amp() wraps: a lone ampersand between spaces. amp() rebuilds
# the whole text around every tag even when there is none, so look first.
_LONE_AMPERSAND = re.compile(r"(\s|&nbsp;)(&|&amp;|&\#38;)(\s|&nbsp;)")


def convert_run(text, attr, previous_char):
    """Convert one run of text between tags exactly as smartypants.smartypants does."""
    text = sp.process_escapes(text)
    if attr & sp.Attr.w:
        text = text.replace("&quot;", '"')
    dashes = attr & sp.Attr.mask_d
    if dashes == sp.Attr.d:
        text = sp.convert_dashes(text)
    elif dashes == sp.Attr.D:
        text = sp.convert_dashes_oldschool(text)
    elif dashes == sp.Attr.i:
        text = sp.convert_dashes_oldschool_inverted(text)
    if attr & sp.Attr.e:
        text = sp.convert_ellipses(text)
    backticks = attr & sp.Attr.mask_b
    if backticks == sp.Attr.b:
        text = sp.convert_backticks(text)
    elif backticks == sp.Attr.B:
        text = sp.convert_single_backticks(text)
    if attr & sp.Attr.q:
        if text in ("'", '"'):  # a lone quote curls by the character before it
            opening = not _NON_SPACE.match(previous_char)
            text = {"'": ("&#8217;", "&#8216;"), '"': ("&#8221;", "&#8220;")}[text][opening]
        else:
            text = sp.convert_quotes(text)
    entities = attr & sp.Attr.mask_o
    if entities:
        mode = {sp.Attr.u: 0, sp.Attr.h: 1, sp.Attr.s: 2}[entities]
        text = sp.convert_entities(text, mode)
    return text


def smartypants(text, attr=None):
    """smartypants.smartypants(text, attr), without the work on runs it would not change."""
    attr = sp.Attr.default if attr is None else attr
    result, skipped, in_skipped = [], [], False
    previous_char = ""
    for kind, token in sp._tokenize(text):
        if kind == "tag":
            result.append(token)
            match = _SKIPPED_TAG.match(token)
            if match and not match[1]:
                skipped.append(match[2].lower())
                in_skipped = True
            elif match:
                if skipped and match[2].lower() == skipped[-1]:
                    skipped.pop()
                in_skipped = bool(skipped)
            continue
        last_char = token[-1:]
        if not in_skipped and _WORK.search(token):
            token = convert_run(token, attr, previous_char)
        previous_char = last_char
        result.append(token)
    return "".join(result)


def amp_if_any(text):
    """typogrify's amp(), only where there is an ampersand for it to wrap."""
    return amp(text) if _LONE_AMPERSAND.search(text) else text


FILTERS = (
    ("amp", amp_if_any),
    ("smartypants", smartypants),
    ("caps", caps),
    ("initial_quotes", initial_quotes),
    ("widont", widont),
)


def typogrify(html, ignore_tags=None, **enabled):
    """typogrify.filters.typogrify with the faster SmartyPants; same arguments."""
    unknown = set(enabled) - {name for name, _ in FILTERS}
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s): {sorted(unknown)}")
    filters = [apply for name, apply in FILTERS if enabled.get(name, True)]
    parts = []
    for section, process in process_ignores(html, ignore_tags):
        if process:
            for apply in filters:
                section = apply(section)
        parts.append(section)
    return "".join(parts)
