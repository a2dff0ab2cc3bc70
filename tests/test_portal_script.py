"""scripts/portal: the site address `run` gives the portal, read from the address it serves."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "portal"


def site_url_for(addr: str) -> str:
    command = 'source "$1"; site_url_for "$2"'  # sourced: main does not run
    done = subprocess.run(
        ["bash", "-c", command, "bash", str(SCRIPT), addr],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8001", "http://127.0.0.1:8001"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("0:9000", "http://127.0.0.1:9000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("ita.local:8080", "http://ita.local:8080"),
    ],
)
def test_it_gives_links_and_qr_codes_the_address_it_serves(addr: str, url: str) -> None:
    assert site_url_for(addr) == url


def test_run_exports_the_address_unless_one_is_configured() -> None:
    text = SCRIPT.read_text()
    run = text[text.index("cmd_run() {") : text.index("\n}\n", text.index("cmd_run() {"))]
    assert 'ITAPORTAL_SITE_URL="${ITAPORTAL_SITE_URL:-$(site_url_for "$addr")}"' in run
    assert "export ITAPORTAL_SITE_URL" in run
    assert run.index("export ITAPORTAL_SITE_URL") < run.index("runserver")
