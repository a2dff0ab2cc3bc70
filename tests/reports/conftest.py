from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command


def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    """The text poppler extracts, as a reader copying from the PDF would get it."""
    assert shutil.which("pdftotext"), "poppler-utils is missing: scripts/portal test installs it"
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    """Text without whitespace: table cells wrap their words onto several lines."""
    return "".join(text.split())


def image_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, check=True
    ).stdout.decode()
    return len(listing.splitlines()) - 2


def pdffonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=io.StringIO())
