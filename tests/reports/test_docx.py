"""Every document as an editable DOCX: the PDF's text in the PDF's order, Word's page set-up,
the downloads beside the PDFs and their isolation, render_report, and LibreOffice opening it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.documents.builders import build
from reports.documents.docx import SVG_NS, document_docx, html_to_docx
from reports.memos.document import memo_docx, memo_html
from reports.memos.models import Memo
from reports.memos.register import RegisterFilter, register_docx, register_html, register_rows
from reports.pdf import renderer
from tests.conftest import client_for
from tests.reports.conftest import pdftotext

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENTS = [
    ("เทศบาลตำบลบางเก่า", "analysis", 2565),
    ("เทศบาลตำบลบางเก่า", "plan", 2566),
    ("องค์การบริหารส่วนตำบลภูซาง", "progress", 2567),
    ("เทศบาลตำบลโคกสำโรง", "order", 2564),
]
PAGE_NUMBER = re.compile(r"^\s*-\s*[0-9๐-๙]+\s*-?")  # poppler may run it into the first line
# A memo page's last line names the next page's first words ("/ความเห็น..."): known only once
# the PDF's pages are laid out, so Word, which lays out its own pages, is not given it.
CONTINUATION = re.compile(r"\n/[^\n]*\.\.\.\s*$")


def source(kind: str, name: str = "", year: int = 0) -> tuple[str, Callable[[], bytes]]:
    """The HTML of one document and how its DOCX is made; `memo` is the seed memo ๑๑๙,
    `register` ภูซาง's register book."""
    if kind == "memo":
        memo = Memo.objects.get(number=119)
        return memo_html(memo), lambda: memo_docx(memo)
    if kind == "register":
        org = Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง")
        memos, chosen = register_rows(org, RegisterFilter()), RegisterFilter()
        return register_html(org, memos, chosen), lambda: register_docx(org, memos, chosen)
    document = build(kind, Organisation.objects.get(name=name), year)
    return document.html(), lambda: document_docx(document)


def docx_of(kind: str, name: str = "", year: int = 0) -> DocxDocument:
    return open_docx(io.BytesIO(source(kind, name, year)[1]()))


def squash(text: str) -> str:
    """Text without white space or hyphens: lines break elsewhere in Word and in the PDF, and
    pdftotext joins a line ending in "-" to the next without it."""
    return "".join(text.split()).replace("-", "")


def units(docx: DocxDocument) -> tuple[list[str], list[str], list[str]]:
    """The body's paragraphs, its table cells and its repeated header rows, in order."""
    paragraphs, cells, headers = [], [], []
    for child in docx.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs.append(Paragraph(child, docx).text)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, docx).rows:
                seen = []
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell is listed once per column
                        seen.append(cell._tc)
                        cells.append(cell.text)
                if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None:
                    headers.append("".join(c.text for c in row.cells))
    return [p for p in paragraphs if squash(p)], cells, headers


def chart_text(html: str) -> str:
    """The labels drawn in the analysis' SVG chart, which Word is not given."""
    root = lxml.html.document_fromstring(html)
    return "".join(t.text_content() for t in root.iter("text"))


@pytest.mark.parametrize(
    ("name", "kind", "year"),
    [*DOCUMENTS, ("", "memo", 0), ("", "register", 0)],
    ids=[k for _, k, _ in DOCUMENTS] + ["memo", "register"],
)
def test_it_writes_the_pdfs_text_in_the_pdfs_order(demo_with_memos, name, kind, year):
    html, make_docx = source(kind, name, year)
    pdf = renderer().render(html).pdf
    docx = open_docx(io.BytesIO(make_docx()))
    paragraphs, cells, headers = units(docx)
    pages = pdftotext(pdf).split("\f")
    printed = squash("".join(CONTINUATION.sub("", PAGE_NUMBER.sub("", page)) for page in pages))
    at = 0
    for paragraph in paragraphs:  # table cells may interleave in pdftotext: checked below
        found = printed.find(squash(paragraph), at)
        assert found >= 0, f"not in the PDF after what came before: {paragraph[:80]!r}"
        at = found + len(squash(paragraph))
    # The same characters; the PDF has besides only the chart's labels and a table's header
    # row again on each page the table reaches.
    written = Counter(squash("".join(paragraphs + cells)))
    extra = Counter(printed) - Counter(squash(chart_text(html)))
    assert written - extra == Counter(), "text in the DOCX that the PDF does not have"
    extra -= written
    assert only_headers(extra, sorted({squash(h) for h in headers})), (
        f"in the PDF, not the DOCX: {''.join(sorted(extra.elements()))}"
    )


def only_headers(extra: Counter[str], headers: list[str]) -> bool:
    """Whether `extra` is some number of each header row, and nothing else."""
    if not headers:
        return not +extra
    letters = Counter(headers[0])
    most = min(extra[c] // n for c, n in letters.items())
    return any(
        only_headers(extra - Counter({c: n * k for c, n in letters.items()}), headers[1:])
        for k in range(most, -1, -1)
    )


def section_cm(section) -> dict[str, float]:
    return {
        name: round(getattr(section, name).cm, 2)
        for name in ("page_width", "page_height", "top_margin", "left_margin", "right_margin")
    }


def test_it_sets_up_the_plan_as_an_office_would(demo_with_memos):
    docx = docx_of("plan", "เทศบาลตำบลบางเก่า", 2566)
    first, wide = docx.sections[0], docx.sections[-1]
    assert section_cm(first) == {
        "page_width": 21.0,
        "page_height": 29.7,
        "top_margin": 2.5,
        "left_margin": 3.0,
        "right_margin": 2.0,
    }
    assert first.orientation == WD_ORIENT.PORTRAIT and first.different_first_page_header_footer
    assert wide.orientation == WD_ORIENT.LANDSCAPE
    assert (round(wide.page_width.cm, 1), round(wide.page_height.cm, 1)) == (29.7, 21.0)
    # the measures table is the landscape section's, the tables before it are not
    body = list(docx.element.body.iterchildren())
    breaks = [
        i for i, e in enumerate(body) if e.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    ]
    measures = next(
        i
        for i, e in enumerate(body)
        if e.tag == qn("w:tbl") and "วิธีดำเนินการ" in "".join(e.itertext())
    )
    assert breaks and measures > breaks[-1]
    rows = body[measures].findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None  # on each page
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    # TH Sarabun New 16 pt for Thai and Latin, with the shipped look-alike as its alternative
    normal = docx.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs")} == {"TH Sarabun New"}
    assert normal.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "32"
    font_table = next(p for p in docx.part.package.iter_parts() if "fontTable" in str(p.partname))
    assert b'w:name="TH Sarabun New"><w:altName w:val="Laksaman"/>' in font_table.blob


def page_field(docx: DocxDocument) -> tuple[str, str]:
    """The header's text around the field, and the field's instruction."""
    header = docx.sections[0].header.paragraphs[0]
    instruction = "".join(e.text or "" for e in header._p.iter(qn("w:instrText")))
    return header.text, instruction.strip()


def test_it_numbers_pages_from_two_in_the_organisations_digits(demo_with_memos):
    thai = docx_of("plan", "เทศบาลตำบลบางเก่า", 2566)
    arabic = docx_of("order", "เทศบาลตำบลโคกสำโรง", 2564)
    text, instruction = page_field(thai)
    assert text.startswith("- ") and text.endswith(" -")
    assert instruction == "PAGE \\* ThaiArabic"
    assert thai.sections[0].first_page_header.paragraphs[0].text == ""  # no number on page 1
    assert page_field(arabic)[1] == "PAGE \\* Arabic"
    assert not re.search("[๐-๙]", "".join(p.text for p in arabic.paragraphs))


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "gold").save(out, "PNG")
    return out.getvalue()


def picture_heights_cm(docx: DocxDocument) -> list[float]:
    return [round(shape.height.cm, 2) for shape in docx.inline_shapes]


def test_it_prints_the_emblem_at_its_printed_size(demo_with_memos, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for org in Organisation.objects.filter(
        name__in=["เทศบาลตำบลโคกสำโรง", "องค์การบริหารส่วนตำบลภูซาง"]
    ):
        org.emblem.save("garuda.png", ContentFile(png((300, 400))))
    order = docx_of("order", "เทศบาลตำบลโคกสำโรง", 2564)
    assert picture_heights_cm(order) == [3.0]
    assert order.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # the Garuda 1.5 cm at the top left, then the QR code of the verification page
    assert picture_heights_cm(docx_of("memo")) == [1.5, 2.2]


def test_it_sets_the_memos_qr_code_beside_its_verification_text(demo_with_memos):
    """As the PDF does: a table without rules, the QR code alone in its first cell (2.6 cm
    wide), the verification code and the address in the second."""
    memo = Memo.objects.get(number=119)
    qr, text = docx_of("memo").tables[-1].rows[0].cells
    assert len(qr._element.xpath(".//pic:pic")) == 1 and not qr.text.strip()
    assert round(qr.width.cm, 1) == 2.6
    assert memo.verification_code in text.text and "/verify/" in text.text


def test_it_gives_word_the_chart_as_svg_and_others_a_drawing_of_it(demo_with_memos):
    html, make_docx = source("analysis", "เทศบาลตำบลบางเก่า", 2565)
    docx = open_docx(io.BytesIO(make_docx()))
    instruments, chart = docx.inline_shapes  # each instrument and the overall; the indicators
    assert round(instruments.width.cm, 1) == 16.0
    assert round(chart.width.cm, 1) == 16.0  # the text's width, as in the PDF
    blip = chart._inline.graphic.graphicData.pic.blipFill.blip
    svg_blip = blip.find(f".//{{{SVG_NS}}}svgBlip")
    svg = docx.part.related_parts[svg_blip.get(qn("r:embed"))]
    assert svg.content_type == "image/svg+xml" and svg.blob.decode() in html
    drawing = Image.open(io.BytesIO(docx.part.related_parts[blip.embed].blob)).convert("RGB")
    colours = {colour for _, colour in drawing.getcolors(1 << 20)}
    assert {(220, 53, 69), (108, 117, 125)} <= colours  # urgent bars, the axis


def test_it_keeps_the_emblems_space_without_one(demo_with_memos):
    docx = docx_of("order", "เทศบาลตำบลโคกสำโรง", 2564)
    first = docx.paragraphs[0].paragraph_format
    assert len(docx.inline_shapes) == 0
    assert round(first.line_spacing.cm, 2) == 3.0 and docx.paragraphs[1].text.startswith("คำสั่ง")


def test_it_writes_whatever_people_typed_and_fetches_nothing(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png((10, 10)))
    html = (
        "<html><body><p>ตำบล\x0b\x01 &lt;b&gt;ตัวหนา&lt;/b&gt; <b>ข้อ ๑</b>"
        f'<img src="{outside.as_uri()}"><img src="http://example.org/garuda.png"></p></body></html>'
    )
    docx = open_docx(io.BytesIO(html_to_docx(html, thai_digits=True, title="บันทึก\x0b", author="")))
    assert [p.text for p in docx.paragraphs] == ["ตำบล <b>ตัวหนา</b> ข้อ ๑"]
    assert len(docx.inline_shapes) == 0 and docx.core_properties.title == "บันทึก"


# --- downloads -------------------------------------------------------------------------------
def test_it_offers_a_docx_beside_each_pdf_and_serves_it(demo_with_memos):
    staff = User.objects.get(username="phusang-staff")
    org = staff.organisation
    client = client_for(staff)
    page = client.get(reverse("reports:document_index", args=[org.pk])).content.decode()
    url = reverse("reports:document_docx", args=[org.pk, "progress", 2567])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="progress-{org.pk}-2567.docx"'
    assert "องค์การบริหารส่วนตำบลภูซาง" in "".join(
        p.text for p in open_docx(io.BytesIO(response.content)).paragraphs
    )
    memo = Memo.objects.get(number=119)
    memo_url = reverse("reports:memo_docx", args=[memo.pk])
    assert memo_url in client.get(reverse("reports:memo_detail", args=[memo.pk])).content.decode()
    texts = [p.text for p in open_docx(io.BytesIO(client.get(memo_url).content)).paragraphs]
    assert "บันทึกข้อความ" in texts[0] and any("พย ๗๒๔๐๑/๑๑๙" in t for t in texts)
    register = reverse("reports:memo_register_docx", args=[org.pk])
    assert register in client.get(reverse("reports:memo_register", args=[org.pk])).content.decode()
    book = client.get(register + "?year=๒๕๖๘")
    assert book.status_code == 200 and book["Content-Type"] == DOCX_TYPE
    assert "ประจำปี พ.ศ. ๒๕๖๘" in open_docx(io.BytesIO(book.content)).paragraphs[0].text


def test_it_refuses_the_docx_to_another_organisation(demo_with_memos):
    stranger = User.objects.get(username="bangkao-executive")
    phusang = Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง")
    client = client_for(stranger)
    for url in (
        reverse("reports:document_docx", args=[phusang.pk, "progress", 2567]),
        reverse("reports:memo_docx", args=[Memo.objects.get(number=119).pk]),
        reverse("reports:memo_register_docx", args=[phusang.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302


def test_it_answers_a_bad_register_filter_with_a_404(demo_with_memos):
    staff = User.objects.get(username="phusang-staff")
    url = reverse("reports:memo_register_docx", args=[staff.organisation.pk])
    assert client_for(staff).get(url + "?year=abc").status_code == 404


def test_it_renders_a_docx_from_the_command_line(demo_with_memos, tmp_path):
    out = tmp_path / "plan.docx"
    args = ["--org-name", "เทศบาลตำบลบางเก่า", "--province", "เพชรบุรี", "--year", "๒๕๖๖"]
    call_command("render_report", "plan", *args, "--out", str(out), stdout=io.StringIO())
    title = open_docx(str(out)).paragraphs[0].text
    assert title == "มาตรการส่งเสริมคุณธรรมและความโปร่งใส\nประจำปีงบประมาณ พ.ศ. ๒๕๖๖"
    assert not out.with_suffix(".docx.part").exists()


# --- LibreOffice ---------------------------------------------------------------------------
@pytest.mark.slow
def test_libreoffice_converts_each_kind_without_error(demo_with_memos, tmp_path):
    """One soffice run over one DOCX of each kind (LibreOffice is slow to start)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: scripts/portal test installs libreoffice-writer-nogui"
    kinds = {kind: source(kind, name, year)[1]() for name, kind, year in DOCUMENTS}
    kinds |= {kind: source(kind)[1]() for kind in ("memo", "register")}
    for kind, data in kinds.items():
        (tmp_path / f"{kind}.docx").write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *sorted(str(p) for p in tmp_path.glob("*.docx"))],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for kind in kinds:
        pdf = Path(tmp_path / "pdf" / f"{kind}.pdf")
        assert pdf.is_file(), f"{kind}: {result.stdout} {result.stderr}"
        assert "ตำบล" in pdftotext(pdf.read_bytes())
