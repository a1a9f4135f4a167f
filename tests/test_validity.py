"""The whole output is valid HTML according to the Nu HTML Checker."""

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

VNU = ROOT / ".tools" / "vnu-jar" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_html_is_valid(site):
    """The Nu HTML Checker reports no errors and no warnings on any page."""
    if not VNU.is_file() or not shutil.which("java"):
        pytest.fail("needs Java and the Nu HTML Checker: run `invoke tools` (and install a JRE)")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--skip-non-html",
            "--format",
            "json",
            "--stdout",
            str(site.output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    pages = len(list(site.output.rglob("*.html")))
    assert pages > 50
    findings = [
        f"{m['url'].rsplit('/', 3)[-2:]}: {m['type']}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
        # The checker reads pages as file: URLs, where CSP 'self' matches no
        # origin; under http(s) these resources are same-origin and allowed.
        if not m["message"].startswith("Resource violates Content Security Policy")
        # The only inline <script> is JSON-LD, a data block browsers never run
        # (test_every_page_has_a_strict_content_security_policy holds every
        # executable script to a src); the checker does not tell them apart.
        and not m["message"].startswith("Inline script violates Content Security Policy")
    ]
    assert findings == []
