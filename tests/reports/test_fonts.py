"""The built Laksaman: Thai text that readers other than poppler extract exactly; PDF/A metadata."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from assessments.models import Organisation
from reports.documents.builders import build
from reports.fonts import FAMILY
from reports.pdf import renderer
from tests.reports.conftest import pdftotext

# Sara am after a consonant, after a tone mark, and a tone mark after a below vowel.
WORDS = ("ตำบล", "กำหนด", "น้ำ", "ค่ำ", "ดำเนินการ", "ผู้บริหาร", "อยู่", "โปร่งใส", "การวิเคราะห์")


def page(family: str, bold: bool = False) -> str:
    text = " ".join(WORDS)
    weight = "bold" if bold else "normal"
    style = f"font: {weight} 16pt '{family}'"
    return f'<html lang="th"><body style="{style}"><p>{text}</p></body></html>'


def mutool(pdf: bytes, tmp_path: Path) -> str:
    assert shutil.which("mutool"), "mupdf-tools is missing: scripts/portal test installs it"
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["mutool", "draw", "-q", "-F", "txt", str(path)]
    return subprocess.run(args, capture_output=True, check=True).stdout.decode()


def pdfminer(pdf: bytes) -> str:
    return extract_text(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def built_pdfs() -> dict[bool, bytes]:
    return {bold: renderer().render(page(FAMILY, bold)).pdf for bold in (False, True)}


@pytest.mark.parametrize("bold", [False, True])
def test_it_extracts_sara_am_and_tone_marks_exactly_with_mupdf(built_pdfs, bold, tmp_path):
    words = mutool(built_pdfs[bold], tmp_path).split()
    assert words == list(WORDS)


def test_it_extracts_sara_am_exactly_with_pdfminer(built_pdfs):
    text = pdfminer(built_pdfs[False])
    for word in ("ตำบล", "กำหนด", "น้ำ", "ค่ำ", "ดำเนินการ", "โปร่งใส", "การวิเคราะห์"):
        assert word in text


def test_it_extracts_the_same_with_poppler(built_pdfs):
    assert pdftotext(built_pdfs[False]).split() == list(WORDS)


@pytest.mark.django_db
def test_it_prints_archival_pdf_with_its_metadata(demo, tmp_path):
    org = Organisation.objects.get(name="เทศบาลตำบลบางเก่า")
    path = tmp_path / "plan.pdf"
    path.write_bytes(renderer().render(build("plan", org, 2566).html()).pdf)
    xmp = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, check=True)
    meta = xmp.stdout.decode()
    assert 'pdfaid:part="3" pdfaid:conformance="U"' in meta
    assert "<dc:creator><rdf:Seq><rdf:li>เทศบาลตำบลบางเก่า</rdf:li>" in meta
    assert "<dc:language><rdf:Bag><rdf:li>th</rdf:li>" in meta
    assert "<dc:title>" in meta and "<dc:description>" in meta and "<xmp:CreateDate>" in meta
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Author:          เทศบาลตำบลบางเก่า" in info
    assert "Subject:" in info and "มาตรการ" in info
    assert "CreationDate:" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    assert "+Laksaman-ITA " in fonts and "+Laksaman " not in fonts  # the built font, not Debian's
