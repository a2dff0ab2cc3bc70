from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assessments.frameworks import frameworks_load

# `demo` and `demo_with_memos` live in tests/conftest.py (loaded once for consecutive tests);
# test modules import them from here too.
from tests.conftest import demo, demo_with_memos  # noqa: F401


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
def frameworks_back(transactional_db: None) -> None:
    """Transactional tests flush the database after each test, migrated data included: put the
    frameworks back first (request this before `demo`)."""
    from django.apps import apps

    frameworks_load(apps)
