"""deploy/nginx.conf under Debian's real nginx, over a production build, checked over HTTP.

The configuration is the shipped file with only the operator's lines changed
(listen on 127.0.0.1 and a free port, the site folder); nginx runs from a
temporary prefix and is always stopped when the module's tests end.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import brotli
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, BuiltSite, build
from newsroom.redirects import QUERY_MAP, REDIRECT_MAP, read_map
from newsroom_tools.deploy import CACHE_ASSET, CACHE_IMMUTABLE, CACHE_PAGE

CONF = ROOT / "deploy" / "nginx.conf"
SHIPPED_ROOT = "/var/www/militancymonitor"
SECRET = "SECRET-NOT-FOR-READERS"
TREBES = "/2018/03/islamic-state-claims-trebes-attack/"
TREBES_SOURCE = "{filename}/articles/2018/islamic-state-claims-trebes-attack.md"
# A redirect map as a WordPress import writes one: a section, a %-encoded permalink
# (`café` as the browser sends it), old queries of the home page.
WORDPRESS_MAP = f"""\
/category/old-news/   {{category}}Reports
/2018/03/caf%C3%A9-attack/   {TREBES_SOURCE}
?p=123   {TREBES_SOURCE}
?page_id=7   {{filename}}/pages/about.md
"""


@dataclass
class Server:
    """A running nginx: where it listens and the site it serves."""

    port: int
    site: BuiltSite
    brotli: bool


def nginx_paths(binary):
    """Return (mime.types, brotli static module) for this nginx, from `nginx -V`."""
    described = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30).stderr
    conf = re.search(r"--conf-path=(\S+)", described)
    modules = re.search(r"--modules-path=(\S+)", described)
    mime = Path(conf[1]).with_name("mime.types") if conf else Path("/etc/nginx/mime.types")
    module = Path(modules[1] if modules else "/usr/lib/nginx/modules")
    return mime, module / "ngx_http_brotli_static_module.so"


def render(conf, root, port, brotli_static):
    """Change the shipped configuration's operator lines, exactly: listen, root, brotli."""
    lines, done = [], {"listen": 0, "listen6": 0, "brotli": 0}
    for line in conf.splitlines():
        if line.strip().startswith("listen 80;"):
            line, done["listen"] = f"    listen 127.0.0.1:{port};", done["listen"] + 1
        elif line.strip().startswith("listen [::]:80;"):
            done["listen6"] += 1
            continue
        elif line.strip().startswith("brotli_static on;"):
            done["brotli"] += 1
            if not brotli_static:
                continue
        lines.append(line)
    text = "\n".join(lines) + "\n"
    assert done == {"listen": 1, "listen6": 1, "brotli": 1}, done
    assert text.count(SHIPPED_ROOT) == 3
    return text.replace(SHIPPED_ROOT, str(root))


MAIN = """{load_module}
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, process, log, seconds=15):
    """Wait until nginx accepts connections; fail with its error log if it does not."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nginx did not listen on {port} within {seconds} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real site, with a redirect map, built with publishconf.py and served by nginx
    with deploy/nginx.conf."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).is_file():
        pytest.fail("needs nginx: Debian `apt-get install nginx` (.ci/run installs it)")
    base = tmp_path_factory.mktemp("nginx")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "redirects").mkdir()
    (content / "redirects" / "wordpress.txt").write_text(WORDPRESS_MAP, encoding="utf-8")
    site = build(content, base / "srv" / "output", "publishconf.py")
    # What must never be reachable: beside the site, a hidden folder in it, and
    # a .php file, which must be sent as it is and never run.
    (base / "srv" / "secret.txt").write_text(SECRET)
    (site.output / ".git").mkdir()
    (site.output / ".git" / "config").write_text(SECRET)
    (site.output / "probe.php").write_text("<!DOCTYPE html><title>p</title><?php echo 1; ?>")
    mime, module = nginx_paths(binary)
    has_brotli = module.is_file()
    port = free_port()
    (base / "site.conf").write_text(render(CONF.read_text(), site.output, port, has_brotli))
    (base / "nginx.conf").write_text(
        MAIN.format(
            load_module=f"load_module {module};" if has_brotli else "",
            user="user root;" if os.geteuid() == 0 else "",  # reads pytest's 0700 folders
            prefix=base,
            mime=mime,
        )
    )
    log = base / "error.log"
    with open(base / "nginx.out", "wb") as out:
        process = subprocess.Popen(
            [binary, "-p", str(base), "-c", str(base / "nginx.conf"), "-e", str(log)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(port, process, log)
        yield Server(port, site, has_brotli)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def request(server, path, method="GET", **headers):
    """Send one request exactly as given; return (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, headers={"Accept-Encoding": "identity", **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def encoding(name):
    """Return request headers asking for one content encoding (Accept-Encoding)."""
    return {"Accept-Encoding": name}


def test_pages_carry_the_security_headers(server):
    """A page has the site CSP plus frame-ancestors, nosniff, referrer and permissions policies."""
    status, headers, body = request(server, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    csp = server.site.settings["SITE_CSP"]
    assert headers["content-security-policy"] == f"{csp}; frame-ancestors 'none'"
    meta = BeautifulSoup(body, "lxml").select_one('meta[http-equiv="Content-Security-Policy"]')
    assert meta["content"] == csp and "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # left for the operator to switch on
    assert headers["server"] == "nginx"  # no version


def test_errors_and_redirects_carry_the_headers_too(server):
    """The 404 page and a legacy 301 are sent with the same security headers."""
    for path in ("/no-such-page/", "/archives/2018/03/islamic-state-claims-soldier.php"):
        status, headers, _ = request(server, path)
        assert status in (301, 404)
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path


def test_fingerprinted_assets_are_cached_for_a_year(server):
    """main.<hash>.css and search.<hash>.js: immutable for a year; other assets a day."""
    _, _, home = request(server, "/")
    css = BeautifulSoup(home, "lxml").select_one("link[rel=stylesheet]")["href"]
    _, _, search = request(server, "/search/")
    js = BeautifulSoup(search, "lxml").select_one("script[src]")["src"]
    for url, kind in ((css, "text/css"), (js, "application/javascript")):
        path = url.removeprefix(server.site.settings["SITEURL"])
        status, headers, body = request(server, path)
        assert status == 200 and headers["content-type"].startswith(kind), path
        assert headers["cache-control"] == CACHE_IMMUTABLE, path
        assert body == server.site.path(path).read_bytes()
    status, headers, _ = request(server, "/theme/images/favicon.svg")
    assert status == 200 and headers["cache-control"] == CACHE_ASSET


def test_search_index_files_are_immutable_and_its_manifest_brief(server):
    """Index files are named by their contents; the manifest changes with the site."""
    status, headers, body = request(server, "/search-index/index.json")
    assert status == 200 and headers["cache-control"] == CACHE_PAGE
    bucket = next(iter(json.loads(body)["buckets"].values()))
    status, headers, _ = request(server, f"/search-index/{bucket}")
    assert status == 200 and headers["cache-control"] == CACHE_IMMUTABLE
    assert headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/", TREBES, "/feeds/atom.xml", "/sitemap.xml", "/404.html"])
def test_pages_and_feeds_are_cached_briefly(server, path):
    """HTML, feeds and the sitemap may be cached for five minutes only."""
    status, headers, _ = request(server, path)
    assert status == 200 and headers["cache-control"] == CACHE_PAGE


@pytest.mark.parametrize("name", ["gzip", "br"])
@pytest.mark.parametrize("path", ["/", TREBES, "/feeds/atom.xml", "css"])
def test_precompressed_copies_are_sent_when_asked_for(server, name, path):
    """gzip or br gets the build's own .gz/.br bytes, which decompress to the page."""
    if name == "br" and not server.brotli:
        pytest.skip("nginx has no brotli static module (Debian: libnginx-mod-http-brotli-static)")
    if path == "css":
        _, _, home = request(server, "/")
        path = BeautifulSoup(home, "lxml").select_one("link[rel=stylesheet]")["href"]
        path = path.removeprefix(server.site.settings["SITEURL"])
    status, headers, body = request(server, path, **encoding(f"{name}, deflate"))
    original = server.site.path(path).read_bytes()
    suffix = {"gzip": ".gz", "br": ".br"}[name]
    copy = server.site.path(path).with_name(server.site.path(path).name + suffix)
    assert status == 200 and headers["content-encoding"] == name
    assert "Accept-Encoding" in headers["vary"]
    assert body == copy.read_bytes()
    assert (gzip.decompress(body) if name == "gzip" else brotli.decompress(body)) == original


def test_plain_bytes_when_no_encoding_is_accepted(server):
    """Without Accept-Encoding the page is sent as it is on disk."""
    status, headers, body = request(server, TREBES)
    assert status == 200 and "content-encoding" not in headers
    assert body == server.site.path(TREBES).read_bytes()


def test_unknown_addresses_get_the_sites_404_page(server):
    """A missing page answers 404 with the site's own page, not nginx's."""
    status, headers, body = request(server, "/2099/01/no-such-article/")
    assert status == 404 and headers["content-type"] == "text/html; charset=utf-8"
    assert body == server.site.path("/404.html").read_bytes()
    assert BeautifulSoup(body, "lxml").select_one("h1").get_text() == "Page not found"


def test_legacy_addresses_are_permanent_redirects(server):
    """Every old address in the build's map answers 301 to where it leads, which answers
    200; the map holds them decoded, browsers send them %-encoded."""
    redirects = read_map(server.site.output)
    assert "/archives/2018/03/islamic-state-claims-soldier.php" in redirects
    assert "/2018/03/café-attack/" in redirects
    for old, new in redirects.items():
        status, headers, body = request(server, quote(old))
        assert (status, headers["location"]) == (301, new), old
        assert b"<?php" not in body
        assert request(server, new)[0] == 200


@pytest.mark.parametrize(
    "path",
    ["/2018/03/caf%C3%A9-attack/", "/2018/03/caf%c3%a9-attack/", "/2018/03/CAF%C3%A9-Attack/"],
)
def test_a_percent_encoded_old_address_redirects(server, path):
    """A WordPress permalink with %-escapes, in either case of hex or letters, answers 301."""
    status, headers, _ = request(server, path)
    assert (status, headers["location"]) == (301, TREBES)


def test_a_renamed_section_redirects(server):
    """A line of the redirect map leads an old section's address to the section's page."""
    status, headers, _ = request(server, "/category/old-news/")
    assert (status, headers["location"]) == (301, "/category/reports/")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/?p=123", TREBES),
        ("/index.php?p=123", TREBES),
        ("/?page_id=7", "/about/"),
        ("/index.php?page_id=7", "/about/"),
    ],
)
def test_old_queries_of_the_home_page_redirect(server, path, location):
    """An old query of / or /index.php in the query map answers 301 to where it leads."""
    assert read_map(server.site.output, QUERY_MAP)["p=123"] == TREBES
    status, headers, _ = request(server, path)
    assert (status, headers["location"]) == (301, location)
    assert request(server, location)[0] == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/?p=999", 200),
        ("/?p=123&utm_source=x", 200),
        ("/search/?p=123", 200),
        ("/about/?p=123", 200),
    ],
)
def test_other_queries_are_left_alone(server, path, status):
    """Only the whole query, and only at / and /index.php, is an old address."""
    answer, headers, _ = request(server, path)
    assert (answer, "location" in headers) == (status, False)


def test_php_is_never_run(server):
    """A .php file is sent as HTML text, as written; a .php address without a file is a 404."""
    status, headers, body = request(server, "/probe.php")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert body == (server.site.output / "probe.php").read_bytes()
    status, _, body = request(server, "/index.php")
    assert status == 404 and body == server.site.path("/404.html").read_bytes()


def test_folders_without_a_slash_redirect_to_it(server):
    """/2018/03/slug answers 301 to /2018/03/slug/, a relative Location behind any proxy."""
    status, headers, _ = request(server, TREBES.rstrip("/"))
    assert (status, headers["location"]) == (301, TREBES)


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../srv/secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/theme/..%2f..%2fsecret.txt",
        "/theme/%2e%2e/%2e%2e/secret.txt",
        "/./../secret.txt",
        "//../secret.txt",
        "/..%5csecret.txt",
        "/..;/secret.txt",
    ],
)
def test_nothing_beside_the_site_can_be_reached(server, path):
    """Path traversal in any spelling never leaves the site folder."""
    status, _, body = request(server, path)
    assert status in (400, 404), (path, status)
    assert SECRET.encode() not in body


@pytest.mark.parametrize(
    "path",
    [
        "/.git/config",
        "/%2egit/config",
        "/.git/",
        f"/{REDIRECT_MAP}",
        f"/{QUERY_MAP}",
        "/.output.staging/",
    ],
)
def test_hidden_files_are_not_served(server, path):
    """Dotfiles and dot-folders answer 404, even when they exist in the site folder."""
    status, _, body = request(server, path)
    assert status == 404 and SECRET.encode() not in body
    assert b"/archives/2018/03/islamic-state-claims-soldier.php" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/content/articles/2018/islamic-state-claims-trebes-attack.md",
        "/pelicanconf.py",
        "/publishconf.py",
        "/tasks.py",
        "/plugins/newsroom/deploy.py",
        "/theme/templates/base.html",
        "/theme/static/css/main.css",
        "/deploy/nginx.conf",
    ],
)
def test_source_files_are_not_served(server, path):
    """Sources, settings and templates are not in the output, so nginx has nothing to send."""
    assert request(server, path)[0] == 404


def test_a_static_site_takes_no_posts(server):
    """POST to a page is refused."""
    assert request(server, "/", method="POST")[0] == 405
