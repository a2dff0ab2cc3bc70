from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.frameworks import frameworks_load
from fixtures.loaders.documents import demo_committees_load
from fixtures.loaders.plans import demo_plans_load
from fixtures.loaders.scores import demo_load


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
    """The demo data without the memos (which render their attachments: slow to load)."""
    demo_load()
    demo_plans_load()
    demo_committees_load()


@pytest.fixture
def demo_with_memos(db: None) -> None:
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def frameworks_back(transactional_db: None) -> None:
    """Transactional tests flush the database after each test, migrated data included: put the
    frameworks back first (request this before `demo`)."""
    from django.apps import apps

    frameworks_load(apps)
