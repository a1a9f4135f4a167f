"""The built site in a real browser: accessibility, search, errors, layout and keyboard.

Debian's Chromium is driven by Playwright; the site is served from 127.0.0.1 by
a server the tests start and stop. Screenshots of every page type land in a
folder named at the end of the run.
"""

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ROOT, record_artifact
from sources import hub_articles

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TREBES = "/2018/03/islamic-state-claims-trebes-attack/"
PAGE_TYPES = {
    "home": "/",
    "article": TREBES,
    "topic-hub": "/topics/islamic-state/",
    "all-topics": "/topics/",
    "author": "/authors/claire-dubois/",
    "category": "/category/analysis/",
    "archives": "/archives/",
    "search": "/search/",
    "not-found": "/no/such/page/",
}
WIDTHS = (390, 1280)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve the output like a static host: index.html for folders, the site's 404 page."""

    extensions_map: ClassVar[dict] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".webmanifest": "application/manifest+json",
    }

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if os.path.exists(path):
            return super().do_GET()
        with open(os.path.join(self.directory, "404.html"), "rb") as handle:
            body = handle.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        """Keep test output quiet."""


@pytest.fixture(scope="session")
def base_url(site):
    """Serve the built site on a free port of 127.0.0.1 for the whole session."""
    handler = functools.partial(SiteHandler, directory=str(site.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium with the flags that keep it offline."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("needs Chromium: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """The folder this run writes screenshots to (named in the summary)."""
    folder = tmp_path_factory.mktemp("screenshots")
    record_artifact("screenshots", folder)
    return folder


def watch(page):
    """Collect console errors, failed requests and error responses of a page."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type != "document"
            and problems.append(f"{r.status}: {r.url}")
        ),
    )
    return problems


def axe_violations(page):
    """Run axe-core with every rule (WCAG A/AA and best practices); return violations."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        targets = "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        found.append(f"{violation['id']} [{violation['impact']}]: {targets}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_page_is_accessible_and_clean(browser, base_url, screenshots, kind, width, scheme):
    """axe finds no violations; no console errors or failed requests; screenshots saved."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = watch(page)
    response = page.goto(base_url + PAGE_TYPES[kind], wait_until="networkidle")
    assert response.status == (404 if kind == "not-found" else 200)
    if kind == "search":
        page.wait_for_selector(".search-filters:not([hidden])")
    assert axe_violations(page) == []
    if kind == "not-found":
        # The document's own 404 is logged to the console; subresource errors
        # are still caught by the response watcher.
        problems = [p for p in problems if "status of 404" not in p]
    assert problems == []
    if scheme == "light":
        page.screenshot(path=screenshots / f"{kind}-{width}.png", full_page=True)
    context.close()


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_horizontal_scrolling_at_320(browser, base_url, kind):
    """Nothing makes a 320 px phone scroll sideways."""
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(base_url + PAGE_TYPES[kind], wait_until="networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.close()
    assert overflow <= 0


def test_search_finds_an_article_and_opens_it(browser, base_url):
    """A distinctive word lists its article first, and clicking the result opens it."""
    page = browser.new_page()
    problems = watch(page)
    page.goto(base_url + "/search/?q=Beltrame", wait_until="networkidle")
    first = page.locator(".search-result-title a").first
    first.wait_for()
    assert first.get_attribute("href").rstrip("/").endswith(TREBES.rstrip("/"))
    assert page.locator(".search-result").first.locator("mark").count() >= 1
    first.click()
    page.wait_for_url(f"**{TREBES}")
    assert "Trèbes" in page.locator("h1").inner_text()
    assert problems == []
    page.close()


def test_topic_filter_narrows_the_results(browser, base_url):
    """Choosing a topic keeps only that topic's articles among the results."""
    page = browser.new_page()
    page.goto(base_url + "/search/?q=attacks", wait_until="networkidle")
    page.locator(".search-result").first.wait_for()
    everything = page.locator(".search-result").count()
    page.select_option("#filter-topic", "Boko Haram")
    page.wait_for_function(f"document.querySelectorAll('.search-result').length < {everything}")
    urls = page.locator(".search-result-title a").evaluate_all("els => els.map(e => e.pathname)")
    boko_haram = {a.url for a in hub_articles(ROOT / "content", "boko-haram")}
    assert urls and set(urls) <= boko_haram
    assert "topic=Boko+Haram" in page.url
    page.close()


def test_header_search_submits_to_the_search_page(browser, base_url):
    """The header search box takes readers to results for what they typed."""
    page = browser.new_page()
    page.goto(base_url + "/", wait_until="networkidle")
    page.fill("#site-search-input", "Shekau")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Shekau*")
    page.locator(".search-result").first.wait_for()
    assert "Shekau" in page.locator("#results-title").text_content()
    page.close()


def test_keyboard_reaches_skip_link_search_and_article(browser, base_url):
    """Tab lands on the skip link first; it moves focus to the article; search is reachable."""
    page = browser.new_page()
    page.goto(base_url + TREBES, wait_until="networkidle")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    page.goto(base_url + TREBES, wait_until="networkidle")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-input":
            break
    assert page.evaluate("document.activeElement.id") == "site-search-input"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.close()


def wait_for_http(url, seconds=90):
    """Poll a URL until it answers 200, for at most `seconds`."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {seconds} s")


def becomes_true(page, predicate, seconds):
    """Evaluate a predicate in the page until it is true, for at most `seconds`.

    page.wait_for_function would evaluate with eval(), which the site's CSP forbids.
    """
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if page.evaluate(predicate):
                return True
        except Exception:
            pass
        time.sleep(0.25)
    return False


def test_live_preview_refreshes_the_browser(browser, fixture_content, tmp_path):
    """Saving an article rebuilds the site and reloads the open page, under the strict CSP."""
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        "import sys, tasks; tasks.live_preview("
        f"{port}, PATH={str(fixture_content)!r}, OUTPUT_PATH={str(tmp_path / 'out')!r}, "
        f"CACHE_PATH={str(tmp_path / 'cache')!r})"
    )
    preview = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/2020/01/alias-isis/"
        wait_for_http(url)
        page = browser.new_page()
        problems = watch(page)
        page.goto(url, wait_until="networkidle")
        assert becomes_true(page, "() => typeof window.LiveReload !== 'undefined'", 30)
        article = fixture_content / "articles" / "alias-isis.md"
        shown = "() => document.body.textContent.replace(/\\u00a0/g, ' ').includes('saved at')"
        # The watcher takes its first look a moment after the server answers; a
        # save before that is its baseline, so save again until a reload shows it.
        for attempt in range(12):
            article.write_text(article.read_text() + f"\nA sentence saved at {attempt}.\n")
            if becomes_true(page, shown, 5):
                break
        assert page.evaluate(shown), "no reload showed the saved text within a minute"
        assert [p for p in problems if "Content Security Policy" in p] == []
        page.close()
    finally:
        preview.terminate()
        preview.wait(timeout=20)


def test_without_javascript_the_search_page_shows_no_empty_menus(browser, base_url):
    """The filter menus are filled by the script: without it they stay out of sight,
    and the page points to the topics, authors and archives instead."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/search/")
    assert not page.locator(".search-filters").is_visible()
    assert not page.locator("select").first.is_visible()
    assert page.locator(".search-note a").count() == 3
    context.close()


def test_search_excerpts_are_words_only(browser, base_url):
    """An excerpt from the body leaves out footnote numbers, back-links and heading
    permalink glyphs."""
    page = browser.new_page()
    page.goto(base_url + "/search/?q=Amaq", wait_until="networkidle")
    excerpt = page.locator(".search-result").first.locator(".search-excerpt")
    page.wait_for_function(
        "document.querySelector('.search-result .search-excerpt mark') &&"
        " document.querySelector('.search-result .search-excerpt').textContent.includes('…')"
    )
    text = excerpt.inner_text()
    assert "↩" not in text and "#" not in text
    assert "claim describing Lakdim" in text.replace("\n", " ") or "Amaq" in text
    assert "”.1" not in text and '".1' not in text  # no footnote number after the quote
    page.close()


def test_filter_counts_follow_the_query_in_the_page(browser, base_url):
    """After a search, each topic in the menu counts the results it would give."""
    page = browser.new_page()
    page.goto(base_url + "/search/?q=Amaq", wait_until="networkidle")
    page.locator(".search-result").first.wait_for()
    results = page.locator(".search-result").count()
    page.wait_for_function("[...document.querySelectorAll('#filter-topic option')].length > 1")
    labels = page.locator("#filter-topic option").evaluate_all(
        "els => els.filter(e => e.value).map(e => [e.textContent, e.disabled])"
    )
    counts = [int(label.rsplit("(", 1)[1].rstrip(")")) for label, _ in labels]
    assert max(counts) <= results
    assert all(
        disabled == (count == 0) for (_, disabled), count in zip(labels, counts, strict=True)
    )
    page.close()


def test_previous_and_next_cards_keep_each_headline_whole(browser, base_url):
    """A headline with capitals typogrify marks (ISWAP, IS) is one block in its card,
    under its label: one line box after another, never a grid of fragments."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/2014/07/caliphate-declaration-fall-of-mosul/")
    cards = page.locator(".topic-neighbours a")
    assert cards.count() >= 1
    for index in range(cards.count()):
        children = cards.nth(index).evaluate("a => [...a.children].map(c => c.className)")
        assert children == ["neighbour-label", "neighbour-title"]
    page.close()


def test_wide_tables_on_phones_show_that_they_scroll(browser, base_url):
    """At 390 px a table wider than the column scrolls in its own region, which shades
    the side with more to see."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(base_url + TREBES)
    wrap = page.locator(".table-wrap").first
    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert sizes[0] > sizes[1]
    background = wrap.evaluate("w => getComputedStyle(w).backgroundImage")
    assert background.count("gradient") == 4
    page.close()


def test_printed_article_names_its_address_and_reads_comfortably(browser, base_url):
    """In print the article carries its own address, its lines run to about 70
    characters, and the body is no smaller than the standfirst."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.emulate_media(media="print")
    page.goto(base_url + TREBES)
    address = page.locator(".print-address")
    assert address.is_visible()
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert address.inner_text().strip() == canonical
    measure = page.evaluate(
        """() => {
        const p = [...document.querySelectorAll('.article-body > p')]
          .sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const lines = p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight);
        const perLine = p.textContent.length / Math.round(lines);
        const size = (s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize);
        return [perLine, size('.article-body p'), size('.standfirst')];
    }"""
    )
    characters, body, standfirst = measure
    assert 55 <= characters <= 85, characters
    assert body >= standfirst
    page.close()


BOKO_HARAM_SPLIT = "/2016/08/boko-haram-iswap-split/"
# Visible <text> of a standalone SVG document: text, computed font-size (user units),
# fill and box in user units; the fill of the rect that covers the whole viewBox.
SVG_LABELS = """() => {
  const svg = document.documentElement, view = svg.viewBox.baseVal;
  const css = getComputedStyle;
  const shown = el => {
    for (let e = el; e; e = e.parentElement) if (css(e).display === 'none') return false;
    return css(el).visibility !== 'hidden';
  };
  const rgb = el => css(el).fill.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const frame = svg.getBoundingClientRect(), scale = frame.width / view.width;
  const ground = [...svg.querySelectorAll('rect')].find(
    r => r.width.baseVal.value >= view.width && r.height.baseVal.value >= view.height);
  const texts = [...svg.querySelectorAll('text')].filter(shown).map(t => {
    const b = t.getBoundingClientRect();
    const box = [b.left - frame.left, b.top - frame.top, b.right - frame.left,
                 b.bottom - frame.top].map(v => v / scale);
    return {text: t.textContent.trim(), size: parseFloat(css(t).fontSize), fill: rgb(t), box};
  });
  return {width: view.width, height: view.height, ground: ground && rgb(ground), texts};
}"""


def luminance(rgb):
    """WCAG relative luminance of an [r, g, b] colour in 0-255."""
    channels = [c / 255 for c in rgb]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG contrast ratio of two [r, g, b] colours."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def overlapping(texts):
    """Pairs of labels whose boxes intersect."""
    return [
        (a["text"], b["text"])
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if a["box"][0] < b["box"][2]
        and b["box"][0] < a["box"][2]
        and a["box"][1] < b["box"][3]
        and b["box"][1] < a["box"][3]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [TREBES, BOKO_HARAM_SPLIT])
def test_svg_figures_are_legible_on_phones_in_both_schemes(browser, base_url, url, scheme):
    """An SVG figure at the width a 390 px phone gives it draws every visible label at
    11 CSS px or more, inside its frame and clear of the other labels, and follows the
    reader's colour scheme: a dark ground and light labels on dark pages.

    The SVG is opened as its own document in a window as wide as the image, so its media
    queries see the width and colour scheme they see inside the <img>."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(base_url + url, wait_until="networkidle")
    figures = page.locator(".prose figure img").evaluate_all(
        "els => els.map(e => [e.currentSrc, e.clientWidth])"
    )
    page.close()
    assert figures
    for src, width in figures:
        assert src.endswith(".svg"), src
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        document = context.new_page()
        document.goto(src)
        drawn = document.evaluate(SVG_LABELS)
        context.close()
        texts, ground = drawn["texts"], drawn["ground"]
        where = f"{src} at {width} px, {scheme}"
        assert texts, where
        scale = width / drawn["width"]
        small = [(t["text"], round(t["size"] * scale, 1)) for t in texts if t["size"] * scale < 11]
        assert small == [], f"{where}: labels under 11 CSS px"
        cut = [
            t["text"]
            for t in texts
            if min(t["box"][:2]) < 0
            or t["box"][2] > drawn["width"]
            or t["box"][3] > drawn["height"]
        ]
        assert cut == [], f"{where}: labels cut off"
        assert overlapping(texts) == [], f"{where}: labels overlap"
        assert ground, f"{where}: no background rect"
        faint = [t["text"] for t in texts if contrast(t["fill"], ground) < 4.5]
        assert faint == [], f"{where}: labels under 4.5:1 against the background"
        if scheme == "dark":
            assert luminance(ground) < 0.2, f"{where}: light background {ground}"
            dark = [t["text"] for t in texts if luminance(t["fill"]) < 0.3]
            assert dark == [], f"{where}: dark labels"
