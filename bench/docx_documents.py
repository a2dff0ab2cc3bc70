"""The same documents as DOCX files, the way the offices make them by hand in a word processor.

The content comes from the portal's own `Document.context` (reports.documents.builders.build), laid
out as templates/reports/documents/{plan,analysis}.html lays it out: A4 portrait, Thai font
"Laksaman", header tables repeated on each page, rows kept whole, and the plan's measures table in a
landscape section. Only the analysis' SVG chart is left out (python-docx cannot place SVG).

Thai is a complex script in Word's model: its font, size and bold are the `cs`/`szCs`/`bCs`
properties, not the Latin ones, so both are set everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from itaportal import thai

if TYPE_CHECKING:
    from reports.documents.builders import Document

FONT = "Laksaman"
# documents.css: 10.67pt Laksaman reads as TH Sarabun New 16pt, the size of official letters.
DEFAULT_PT = 10.67

Align = WD_ALIGN_PARAGRAPH


class DocxWriter:
    """A python-docx document with the few building blocks the two documents need."""

    def __init__(self, pt: float, *, thai_digits: bool) -> None:
        self.pt = pt
        self.doc: DocxDocument = new_docx()
        self._fonts()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.orientation = WD_ORIENT.PORTRAIT
        self._margins(section, left=3)
        section.different_first_page_header_footer = True  # numbers from page 2, as in the PDF
        if thai_digits:  # "- ๒ -" in Word (LibreOffice 7.4 keeps "- 2 -"); sections copy it
            numbering = OxmlElement("w:pgNumType")
            numbering.set(qn("w:fmt"), "thaiNumbers")
            section._sectPr.insert_element_before(numbering, *SECTPR_AFTER_PGNUMTYPE)
        self._page_number(section.header.paragraphs[0])

    # --- styles ----------------------------------------------------------------------------
    def _fonts(self) -> None:
        """Laksaman at `pt` for Latin and Thai, in the document defaults and the Normal style."""
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        targets = [self.doc.styles["Normal"].element.get_or_add_rPr()]
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            if rpr_default is not None:
                rpr = rpr_default.find(qn("w:rPr"))
                if rpr is not None:
                    targets.append(rpr)
        half_points = str(round(self.pt * 2))
        for rpr in targets:
            fonts = rpr.get_or_add_rFonts()
            for name in list(fonts.attrib):
                if name.endswith("Theme"):  # theme fonts would win over the explicit ones
                    del fonts.attrib[name]
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT)
            _rpr_set(rpr, "w:sz", half_points)
            _rpr_set(rpr, "w:szCs", half_points)
            _rpr_set(rpr, "w:lang").set(qn("w:bidi"), "th-TH")
        normal = self.doc.styles["Normal"].paragraph_format
        normal.space_before = Pt(0)
        normal.space_after = Pt(self.pt * 0.4)
        normal.line_spacing = 1.0

    @staticmethod
    def _margins(section: Any, *, left: float) -> None:
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
        section.left_margin, section.right_margin = Cm(left), Cm(2)

    @staticmethod
    def _page_number(paragraph: Paragraph) -> None:
        """ "- N -" centred: a PAGE field between two dashes."""
        paragraph.alignment = Align.CENTER
        paragraph.add_run("- ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "2"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        paragraph.add_run(" -")

    # --- blocks ----------------------------------------------------------------------------
    def run(self, paragraph: Paragraph, text: str, *, bold: bool = False, scale: float = 1) -> Run:
        run = paragraph.add_run(text)  # "\n" becomes a line break
        if bold:
            run.bold = True
            _rpr_set(run._r.get_or_add_rPr(), "w:bCs")
        if scale != 1:
            run.font.size = Pt(self.pt * scale)
            _rpr_set(run._r.get_or_add_rPr(), "w:szCs", str(round(self.pt * scale * 2)))
        return run

    def title(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = Align.CENTER
        p.paragraph_format.keep_with_next = True
        self.run(p, text, bold=True, scale=1.25)

    def subtitle(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = Align.CENTER
        p.paragraph_format.space_after = Pt(self.pt)
        self.run(p, text)

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_before = Pt(self.pt * 0.8)
        p.paragraph_format.keep_with_next = True
        self.run(p, text, bold=True)

    def para(self, text: str, *, indent: bool = True) -> None:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Cm(2.5)
        self.run(p, text)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        align: str = "",
        widths: Sequence[float] = (),
        bold_first_cell: Sequence[int] = (),
        keep: bool = False,
    ) -> Table:
        """A ruled table: a bold shaded header row repeated on each page.

        `align` has one letter per column (l, r, c); `widths` are in cm (else equal columns);
        rows whose index is in `bold_first_cell` get a bold first cell ("overall score");
        `keep` keeps each row on one page (CSS `table.keep tr { break-inside: avoid }`).
        """
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.autofit = not widths
        head = table.rows[0]
        _row_flag(head._tr, "w:tblHeader")
        for cell, text in zip(head.cells, header, strict=True):
            self._cell(cell, text, bold=True, align="c")
            _shade(cell, "EEEEEE")
        for index, values in enumerate(rows):
            row = table.add_row()
            if keep:
                _row_flag(row._tr, "w:cantSplit")
            for col, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                bold = col == 0 and index in bold_first_cell
                self._cell(cell, text, bold=bold, align=align[col : col + 1] or "l")
        if widths:  # LibreOffice reads the grid, Word the cells: set both
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)  # the gap after a table
        return table

    def _cell(self, cell: _Cell, text: str, *, bold: bool = False, align: str = "l") -> None:
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(0)
        p.alignment = {"r": Align.RIGHT, "c": Align.CENTER}.get(align, Align.LEFT)
        self.run(p, text, bold=bold)

    def landscape(self) -> None:
        """A new page in an A4 landscape section (the measures table)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        self._margins(section, left=2)
        section.different_first_page_header_footer = False

    @property
    def width_cm(self) -> float:
        """The text width of the current section."""
        section = self.doc.sections[-1]
        lengths = (section.page_width, section.left_margin, section.right_margin)
        page, left, right = (Emu(x or 0) for x in lengths)  # all set in __init__/landscape()
        return Emu(page - left - right).cm

    def widths(self, *fixed: float) -> list[float]:
        """Column widths: the first column takes what the `fixed` ones (cm) leave."""
        return [self.width_cm - sum(fixed), *fixed]

    def shares(self, *shares: float) -> list[float]:
        """Column widths from CSS percentages; the last column takes the rest."""
        return [self.width_cm * x / 100 for x in (*shares, 100 - sum(shares))]

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


SECTPR_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip

# The order of a run's properties in the schema (ECMA-376 CT_RPr); Word insists on it.
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _rpr_set(rpr: Any, tag: str, value: str | None = None) -> Any:
    """The child `tag` of a run's properties, added in schema order; `w:val` set when given."""
    element = rpr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        rpr.insert_element_before(element, *RPR_ORDER[RPR_ORDER.index(tag) + 1 :])
    if value is not None:
        element.set(qn("w:val"), value)
    return element


def _row_flag(tr: Any, tag: str) -> None:
    tr.get_or_add_trPr().append(OxmlElement(tag))


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _place(org: Any) -> str:
    district = f" อำเภอ{org.district}" if org.district else ""
    return f"{org.name}{district} จังหวัด{org.province}"


# --- the two documents ---------------------------------------------------------------------
def plan_docx(doc: Document, pt: float = DEFAULT_PT) -> DocxWriter:
    """templates/reports/documents/plan.html as DOCX."""
    ctx = doc.context
    org = ctx["organisation"]
    t = bool(org.uses_thai_digits)
    year = thai.digits(doc.year, t)
    w = DocxWriter(pt, thai_digits=t)
    w.title(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส\nประจำปีงบประมาณ พ.ศ. {year}")
    w.subtitle(_place(org))

    basis, before, dashboard = ctx["basis"], ctx["before"], ctx["dashboard"]
    plan = ctx["plan"]
    if basis is not None:
        ev = basis.evaluation
        level = ev.level_text
        w.para(
            f"{org.name} ได้วิเคราะห์ผลคะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
            "หน่วยงานภาครัฐ (Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. "
            f"{thai.digits(basis.fiscal_year, t)} ได้คะแนน {thai.number(ev.score, t)} คะแนน "
            f"อยู่ในระดับ {level} และกำหนดมาตรการเพื่อยกระดับผลการประเมินในปีงบประมาณ พ.ศ. "
            f"{year} ดังนี้"
        )

        w.heading(f"{thai.digits(1, t)}. ผลคะแนนเทียบกับปีที่ผ่านมา")
        header = ["ตัวชี้วัด"]
        if before:
            header.append(f"ปี {thai.digits(before.fiscal_year, t)}")
        header.append(f"ปี {thai.digits(basis.fiscal_year, t)}")
        if before:
            header.append("เปลี่ยนแปลง")
        rows: list[list[str]] = []
        for block in dashboard.instruments:
            for row in block.rows:
                cells = [f"{thai.digits(row.number, t)}. {row.name}"]
                if before:
                    cells.append(thai.number(row.previous, t))
                cells.append(thai.number(row.score, t))
                if before:
                    cells.append(thai.signed(row.change, t))
                rows.append(cells)
        overall = ["คะแนนภาพรวม"]
        if before:
            overall.append(thai.number(before.evaluation.score, t))
        overall.append(thai.number(ev.score, t))
        if before:
            overall.append(thai.signed(ev.overall_change, t))
        rows.append(overall)
        w.table(
            header,
            rows,
            align="l" + "r" * (len(header) - 1),
            widths=w.widths(*[2.4] * (len(header) - 1)),
            bold_first_cell=[len(rows) - 1],
            keep=True,
        )

        w.heading(f"{thai.digits(2, t)}. เป้าหมาย")
        w.para(
            f"ในปีงบประมาณ พ.ศ. {year} {org.name} ตั้งเป้าหมายคะแนนการประเมินคุณธรรมและความ"
            f"โปร่งใสในการดำเนินงานไว้ที่ {thai.number(basis.assessment.target, t)} คะแนน"
            "หรือสูงกว่า"
        )

        w.heading(f"{thai.digits(3, t)}. ระดับความเข้มข้นของมาตรการ")
        a = basis.assessment
        tiers = ctx["tier_table"]
        maintain, raise_ = thai.number(a.maintain_from, t), thai.number(a.raise_from, t)
        w.table(
            ["คะแนนที่ได้", "ระดับ", "มาตรการที่จะใช้"],
            [
                [f"{maintain} หรือสูงกว่า", str(tiers[0][1]), str(tiers[0][2])],
                [f"{raise_} – ต่ำกว่า {maintain}", str(tiers[1][1]), str(tiers[1][2])],
                [f"ต่ำกว่า {raise_}", str(tiers[2][1]), str(tiers[2][2])],
            ],
            align="lcl",
            widths=[4, 2.5, w.width_cm - 6.5],
            keep=True,
        )

        basis_year = thai.digits(basis.fiscal_year, t)
        w.heading(
            f"{thai.digits(4, t)}. ผลคะแนนรายตัวชี้วัดปี {basis_year} และระดับมาตรการที่จะใช้ในปี {year}"
        )
        w.table(
            ["ลำดับ", "ตัวชี้วัด", "คะแนน", "มาตรการที่จะใช้"],
            [
                [
                    thai.digits(i, t),
                    f"{thai.digits(row.number, t)}. {row.name}",
                    thai.number(row.score, t),
                    row.tier_label,
                ]
                for i, row in enumerate(dashboard.weakest, start=1)
            ],
            align="clrc",
            widths=[1.5, w.width_cm - 7.5, 2.4, 3.6],
            keep=True,
        )
    else:
        w.para(f"ยังไม่มีผลคะแนนการประเมินปีงบประมาณ พ.ศ. {thai.digits(plan.based_on_year, t)}")

    w.heading(f"{thai.digits(5, t)}. การวิเคราะห์รายเครื่องมือการประเมิน")
    for analysis in plan.analyses.all():
        w.heading(analysis.instrument)
        w.table(
            ["สิ่งที่คาดหวังให้ทำได้ดี", "ประเด็นที่ต้องแก้ไขปรับปรุง"],
            [[analysis.expected_strengths or "–", analysis.issues or "–"]],
            widths=[w.width_cm / 2] * 2,
        )

    w.landscape()
    w.heading(f"{thai.digits(6, t)}. มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {year}")
    measures: list[list[str]] = []
    for i, r in enumerate(ctx["view"].rows, start=1):
        m = r.measure
        numbers = ", ".join(thai.digits(n, t) for n in m.indicators)
        people = ", ".join(r.responsible_people)
        measures.append(
            [
                f"{thai.digits(i, t)}. {m.title}\n(ตัวชี้วัดที่ {numbers})",
                m.method,
                m.responsible_unit + (f"\n{people}" if people else ""),
                m.timeline_text,
                m.follow_up,
            ]
        )
    if not measures:
        measures.append(["ยังไม่มีมาตรการ", "", "", "", ""])
    w.table(
        ["มาตรการ/แนวทาง", "วิธีดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การติดตามผล"],
        measures,
        widths=w.shares(22, 28, 15, 14),
    )
    return w


def analysis_docx(doc: Document, pt: float = DEFAULT_PT) -> DocxWriter:
    """templates/reports/documents/analysis.html as DOCX (without the SVG chart)."""
    ctx = doc.context
    org = ctx["organisation"]
    t = bool(org.uses_thai_digits)
    year = doc.year
    result, dashboard = ctx["result"], ctx["dashboard"]
    ev = result.evaluation
    level = ev.level_text
    w = DocxWriter(pt, thai_digits=t)
    w.title(
        "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ\n"
        "(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. "
        f"{thai.digits(year, t)}"
    )
    w.subtitle(_place(org))

    w.heading(f"{thai.digits(1, t)}. ผลคะแนนภาพรวม")
    w.para(ctx["overall_text"])
    rows = [
        [
            f"{block.code} {block.name}",
            f"{thai.digits(round(float(block.weight) * 100), t)}%",
            thai.number(block.mean, t),
        ]
        for block in dashboard.instruments
        if block.mean is not None
    ]
    published = " (ที่ประกาศ)" if ev.published_score is not None else ""
    rows.append([f"คะแนนภาพรวม{published}", "", f"{thai.number(ev.score, t)} ระดับ {level}"])
    w.table(
        ["เครื่องมือการประเมิน", "น้ำหนัก", "คะแนน"],
        rows,
        align="lrr",
        widths=w.widths(2.4, 3.6),
        bold_first_cell=[len(rows) - 1],
        keep=True,
    )
    if ev.level_mismatch:
        w.para(
            f"หมายเหตุ: ระดับที่ประกาศ “{ev.published_level}” ไม่ตรงกับช่วงคะแนน "
            f"{thai.number(ev.score, t)} ซึ่งอยู่ในระดับ {level}"
        )
    if ev.discrepancy:
        w.para(
            f"หมายเหตุ: คะแนนที่คำนวณจากตัวชี้วัด ({thai.number(ev.computed_score, t)}) ไม่ตรงกับ"
            f"คะแนนที่ประกาศ ({thai.number(ev.published_score, t)}) รายงานนี้ใช้คะแนนที่ประกาศ"
        )

    if not ev.scores:
        w.para(
            f"ยังไม่มีคะแนนรายตัวชี้วัดของปีงบประมาณ พ.ศ. {thai.digits(year, t)} ในระบบ "
            "จึงรายงานเฉพาะคะแนนภาพรวมที่ประกาศ"
        )
    else:
        _analysis_indicators(w, ctx, t)

    section = 5 if ev.scores else 2
    next_year = thai.digits(year + 1, t)
    w.heading(f"{thai.digits(section, t)}. การนำผลการประเมินไปใช้ในปีงบประมาณ พ.ศ. {next_year}")
    next_plan = ctx["next_plan"]
    if next_plan and next_plan.rows:
        w.table(
            ["มาตรการ/แนวทาง", "ตัวชี้วัด", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"],
            [
                [
                    r.measure.title,
                    ", ".join(thai.digits(n, t) for n in r.measure.indicators),
                    r.measure.responsible_unit,
                    r.measure.timeline_text,
                ]
                for r in next_plan.rows
            ],
            align="lcll",
            widths=w.shares(46, 12, 20),
        )
    else:
        w.para(f"ยังไม่ได้กำหนดมาตรการสำหรับปีงบประมาณ พ.ศ. {next_year}")
    return w


def _analysis_indicators(w: DocxWriter, ctx: dict[str, Any], t: bool) -> None:
    """Sections 2 to 4 of the analysis: there only when the year has indicator scores."""
    previous, dashboard = ctx["previous"], ctx["dashboard"]
    w.heading(f"{thai.digits(2, t)}. ผลคะแนนรายตัวชี้วัดเทียบกับปีที่ผ่านมา")
    header = ["ตัวชี้วัด"]
    if previous:
        header.append(f"ปี {thai.digits(previous.fiscal_year, t)}")
    header.append(f"ปี {thai.digits(ctx['year'], t)}")
    if previous:
        header.append("เปลี่ยนแปลง")
    header.append("ระดับมาตรการ")
    rows: list[list[str]] = []
    for row, _text in ctx["rows"]:
        cells = [f"{thai.digits(row.number, t)}. {row.name}"]
        if previous:
            cells.append(thai.number(row.previous, t))
        cells.append(thai.number(row.score, t))
        if previous:
            cells.append(thai.signed(row.change, t))
        cells.append(row.tier_label)
        rows.append(cells)
    w.table(
        header,
        rows,
        align="l" + "r" * (len(header) - 2) + "c",
        widths=w.widths(*[2.4] * (len(header) - 2), 2.8),
        keep=True,
    )

    w.heading(f"{thai.digits(3, t)}. การวิเคราะห์รายตัวชี้วัด")
    for _row, text in ctx["rows"]:
        w.para(text)

    w.heading(f"{thai.digits(4, t)}. ตัวชี้วัดที่ได้คะแนนสูงสุดและต่ำสุด")
    weakest = dashboard.weakest
    if weakest:
        for label, row in (("คะแนนสูงสุด", weakest[-1]), ("คะแนนต่ำสุด", weakest[0])):
            w.para(
                f"{label}: {thai.digits(row.number, t)}. {row.name} ({thai.number(row.score, t)})",
                indent=False,
            )


BUILDERS = {"plan": plan_docx, "analysis": analysis_docx}


def write_docx(doc: Document, path: Path, pt: float = DEFAULT_PT) -> Path:
    """Write `doc` (a "plan" or an "analysis") as DOCX to `path`."""
    BUILDERS[doc.kind](doc, pt).save(path)
    return path
