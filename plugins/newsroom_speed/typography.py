"""Typogrify, faster: typogrify's own filters, applied only where they can change something.

Typogrify's filters each walk the whole body, and most of the walking finds
nothing to do; they were a third of a cold build's CPU. Here:

- SmartyPants runs some twenty regular expressions over every run of text
  between two tags. Most runs hold no quote, dash, ellipsis or backslash (a
  heading, a table cell, the line break between two tags); those are left
  alone, and every other run goes through SmartyPants' own conversions in
  SmartyPants' order.
- caps() splits the text into tags and runs again and tries its pattern on
  every run. SmartyPants' split is reused (it changes no tag), and caps() is
  given only the runs holding two capitals in a row or a dotted abbreviation,
  the least any of its matches contains.
- widont() tries its pattern at every character, but a match always ends at
  the close of a block (</p>, </li>, </h2>...) and cannot span one. So it runs
  on each block's last hundred characters, and on the whole block only when
  those held no match.

amp() runs only where there is an ampersand for it. The output is byte for byte
typogrify's: tests/test_typography.py compares the two on the sample site, on
the benchmark corpus and on generated text full of quotes, dashes, capitals,
tags, comments and code.
"""

import re

import smartypants as sp
from typogrify.filters import amp, caps, initial_quotes, process_ignores
from typogrify.filters import widont as typogrify_widont

# Anything some SmartyPants conversion acts on: quotes and backticks, escapes,
# dashes, ellipses, &quot; and (for entity output) numeric references. A run
# without any of them comes out of every conversion unchanged.
_WORK = re.compile(r"""['"`\\]|--|\.\.\.|\. \. \.|&quot;|&#""")
_SKIPPED_TAG = sp._tags_to_skip_regex()  # <pre>, <code>, <script>...: left as they are
_NON_SPACE = re.compile(r"\S")
# What typogrify's amp() wraps: a lone ampersand between spaces. amp() rebuilds
# the whole text around every tag even when there is none, so look first.
_LONE_AMPERSAND = re.compile(r"(\s|&nbsp;)(&|&amp;|&\#38;)(\s|&nbsp;)")
# The least any caps() match holds: two capitals with only digits between, or a
# capital, a full stop, an optional space and a capital (D.O.T.).
_CAPS_HINT = re.compile(r"[A-Z]\d*[A-Z]|[A-Z]\.\s?[A-Z]")
_CAPS_SKIPPED_TAG = re.compile(r"<(/)?(?:kbd|script)[^>]*>", re.I)  # as caps() skips them
# Where a widont() match ends: the close of a block, or the end of the text.
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|dt|dd)>")
_INLINE_CLOSES = ("</a>", "</em>", "</span>", "</strong>", "</i>", "</b>")
_INLINE_TAG = re.compile(r"</?(?:a|em|span|strong|i|b)")  # the opening of one, as widont() reads it
# A "<" not closed before a block's end: widont() would read the close as part of a tag.
_UNCLOSED_TAG = re.compile(r"<[^>]*</(?:p|h[1-6]|li|dt|dd)>")


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
        elif "'" in text or '"' in text:  # every one of its patterns holds a quote
            text = sp.convert_quotes(text)
    entities = attr & sp.Attr.mask_o
    if entities:
        mode = {sp.Attr.u: 0, sp.Attr.h: 1, sp.Attr.s: 2}[entities]
        text = sp.convert_entities(text, mode)
    return text


def smartypants(text, attr=None):
    """smartypants.smartypants(text, attr), without the work on runs it would not change."""
    return "".join(token for _, token in _smartypants_tokens(text, attr))


def _smartypants_tokens(text, attr=None):
    """SmartyPants' own split of text into ("tag"|"text", token), with the text converted."""
    attr = sp.Attr.default if attr is None else attr
    tokens, skipped, in_skipped = [], [], False
    previous_char = ""
    for kind, token in sp._tokenize(text):
        if kind == "tag":
            tokens.append((kind, token))
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
        tokens.append((kind, token))
    return tokens


def _caps_tokens(tokens):
    """caps() over tokens that SmartyPants split: only runs that may hold capitals to wrap."""
    result, in_skipped = [], False
    for kind, token in tokens:
        if kind == "tag":
            match = _CAPS_SKIPPED_TAG.match(token)
            in_skipped = bool(match) and match[1] is None
        elif not in_skipped and _CAPS_HINT.search(token):
            token = caps(token)  # a run alone is one run to caps(): its own pattern, its wrapping
        result.append(token)
    return "".join(result)


def caps_only_where_any(text):
    """typogrify's caps(), trying its pattern only on runs that may match it."""
    return _caps_tokens(sp._tokenize(text))


def smartypants_then_caps(text):
    """caps(smartypants(text)), splitting the text into tags and runs once.

    SmartyPants changes no tag, so caps() would split its output the same way,
    but for one case: a comment holding "--" is a run of text to SmartyPants,
    which dashes it, and a tag to caps(). caps() given that run alone splits it
    anew and leaves it as a tag; and such a run is never inside caps()'s
    <kbd> or <script>, since SmartyPants skips those too and would not have
    dashed it.
    """
    return _caps_tokens(_smartypants_tokens(text))


def widont(text):
    """typogrify's widont(): a no-break space between the last two words of each block.

    typogrify tries its pattern at every character. A match is a word or an
    inline tag, the space after it, the last word, the inline tags closing it,
    and then the close of a block (</p>, </li>, </h2>...) or the end of the
    text. None of its parts can be a block's close, so each match lies within
    one block and ends at its close: here each block is read backwards from
    its close instead. The text after the last close (all of a title or a
    summary) takes typogrify's widont(), for its end-of-text case; so does
    broken markup, where a tag left open swallows a block's close.
    """
    if _UNCLOSED_TAG.search(text):
        return typogrify_widont(text)
    parts, done, block_start = [], 0, 0
    for block_end in _BLOCK_END.finditer(text):
        space = _space_before_last_word(text, block_start, block_end.start())
        if space:
            parts += (text[done : space[0]], "&nbsp;")
            done = space[1]
        block_start = block_end.end()
    parts += (text[done:block_start], typogrify_widont(text[block_start:]))
    return "".join(parts)


def _space_before_last_word(text, start, end):
    """Where widont() joins the last two words of the block text[start:end]: (from, to) or None.

    Backwards from the block's close: spaces and closing inline tags, the last
    word, the space before it, and then either a character that is not a tag's
    bracket or an inline tag (<a ...>, </em>...), as typogrify's pattern asks.
    """
    end = _before_closing_tags(text, start, end)
    word_start = end
    while word_start > start and not _ends_word(text[word_start - 1]):
        word_start -= 1
    space_start = word_start
    while space_start > start and text[space_start - 1].isspace():
        space_start -= 1
    if word_start == end or space_start in (word_start, start):
        return None
    before = text[space_start - 1]
    if before == "<" or (before == ">" and not _ends_inline_tag(text, start, space_start)):
        return None
    return space_start, word_start


def _ends_word(char):
    return char in "<>" or char.isspace()  # what typogrify's [^<>\s] leaves out


def _before_closing_tags(text, start, end):
    """Step back over the spaces and closing inline tags that end text[start:end]."""
    while True:
        while end > start and text[end - 1].isspace():
            end -= 1
        closing = next((tag for tag in _INLINE_CLOSES if text.endswith(tag, start, end)), None)
        if closing is None:
            return end
        end -= len(closing)


def _ends_inline_tag(text, start, tag_end):
    """Whether text[start:tag_end] ends with a tag typogrify's widont() counts as inline."""
    bracket = tag_end - 1
    opening = text.find("<", text.rfind(">", start, bracket) + 1 or start, bracket)
    while opening != -1:  # its [^>]* allows a "<" inside the tag: any "<" may open it
        if _INLINE_TAG.match(text, opening):
            return True
        opening = text.find("<", opening + 1, bracket)
    return False


def amp_if_any(text):
    """typogrify's amp(), only where there is an ampersand for it to wrap."""
    return amp(text) if _LONE_AMPERSAND.search(text) else text


FILTERS = (
    ("amp", amp_if_any),
    ("smartypants", smartypants),
    ("caps", caps_only_where_any),
    ("initial_quotes", initial_quotes),
    ("widont", widont),
)


def typogrify(html, ignore_tags=None, **enabled):
    """typogrify.filters.typogrify with the faster SmartyPants; same arguments."""
    unknown = set(enabled) - {name for name, _ in FILTERS}
    if unknown:
        raise TypeError(f"Unexpected keyword argument(s): {sorted(unknown)}")
    filters = [apply for name, apply in FILTERS if enabled.get(name, True)]
    if smartypants in filters and caps_only_where_any in filters:  # adjacent, in this order
        at = filters.index(smartypants)
        filters[at : at + 2] = [smartypants_then_caps]
    parts = []
    for section, process in process_ignores(html, ignore_tags):
        if process:
            for apply in filters:
                section = apply(section)
        parts.append(section)
    return "".join(parts)
