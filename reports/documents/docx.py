"""The official documents as editable DOCX: the HTML the PDF is printed from, written for Word.

Offices finish and file their documents in Word (DOCUMENTS.md, "Beyond the PDF"). Rather than a
second description of each document, the DOCX is written from the very HTML that WeasyPrint prints
(the templates of templates/reports/documents/ over the builders' context), styled by the same
documents.css: paragraphs, headings, tables, signatures and sections come out in the same order
with the same text, and a section added to a template appears in the DOCX by itself.

What Word needs beyond the HTML:
- TH Sarabun New is named as the font (the government standard, on every office's computers), with
  Laksaman, the look-alike the portal ships and the PDF embeds, as its alternative in the font
  table. The stylesheet's sizes are Laksaman's (1.5 times TH Sarabun New's), so every size is
  scaled to make the body 16 pt.
- Thai is a complex script for Word: its font, size and bold are the `cs`/`szCs`/`bCs` run
  properties, so they are set beside the Latin ones.
- Page numbers "- ๒ -" from page 2 are a PAGE field in the header, in the organisation's digits.
- A block on the CSS page `wide` (the measures table, the register) is an A4 landscape section.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import lxml.etree
import lxml.html
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement
from PIL import Image, ImageDraw, ImageFont

from reports.documents.builders import Document
from reports.pdf import allowed_roots, static_path

FONT = "TH Sarabun New"
FALLBACK_FONT = "Laksaman"  # Debian's fonts-tlwg-laksaman-ttf, drawn from TH Sarabun New
BODY_PT = 16.0  # the official letters' size in TH Sarabun New

BLOCK_TAGS = {"p", "div", "section", "h1", "h2", "h3", "h4", "table", "ul", "ol", "li"}
SKIPPED_TAGS = {"script", "style", "title", "head"}
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Office 2016's SVG picture
SVG_FALLBACK_MAX_PX = 2400  # the fallback picture's width: sharp at 16 cm
# Properties a child takes from its parent (CSS 2.1's "inherited: yes" among those read here).
INHERITED = {
    "font-size",
    "font-weight",
    "text-align",
    "text-indent",
    "color",
    "white-space",
    "page",
}
ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
PT_PER_CM = 72 / 2.54
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SIDES = ("top", "right", "bottom", "left")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- documents.css, read once ----------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    compounds: tuple[tuple[str, frozenset[str]], ...]  # (tag or "", classes), outermost first
    declarations: dict[str, str]
    specificity: tuple[int, int, int]  # classes, tags, order in the sheet


@dataclass(frozen=True)
class Stylesheet:
    rules: tuple[Rule, ...]
    pages: dict[str, dict[str, str]]  # @page name ("" for the default) -> declarations

    def margins(self, page: str) -> tuple[float, float, float, float]:
        """Top, right, bottom, left in cm of the named page (the default page's where unset)."""
        value = self.pages.get(page, {}).get("margin") or self.pages.get("", {}).get("margin", "")
        sides = [_cm(v) for v in value.split()] or [2.0]
        while len(sides) < 4:  # CSS shorthand: 1, 2 or 3 values stand for the missing sides
            sides.append(sides[{1: 0, 2: 0, 3: 1}[len(sides)]])
        return sides[0], sides[1], sides[2], sides[3]

    def landscape(self, page: str) -> bool:
        return "landscape" in self.pages.get(page, {}).get("size", "")


def _declarations(text: str) -> dict[str, str]:
    found = {}
    for item in text.split(";"):
        name, colon, value = item.partition(":")
        if colon and name.strip():
            found[name.strip().lower()] = value.strip()
    return found


def _blocks(text: str) -> Iterator[tuple[str, str]]:
    """(prelude, body) of each top-level `prelude { body }`, nested braces kept in the body."""
    depth, start, prelude_start = 0, 0, 0
    for i, char in enumerate(text):
        if char == "{":
            if depth == 0:
                start = i
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield text[prelude_start:start].strip(), text[start + 1 : i]
                prelude_start = i + 1


def parse_stylesheet(text: str) -> Stylesheet:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules: list[Rule] = []
    pages: dict[str, dict[str, str]] = {}
    for order, (prelude, body) in enumerate(_blocks(text)):
        if prelude.startswith("@page"):
            name = prelude.removeprefix("@page").strip()
            if not name.startswith(":"):  # :first only drops the header, see _header()
                own = re.sub(r"@[\w-]+\s*\{[^}]*\}", "", body)
                pages.setdefault(name, {}).update(_declarations(own))
            continue
        if prelude.startswith("@"):
            continue
        for selector in prelude.split(","):
            compounds = []
            for part in selector.split():
                if not re.fullmatch(r"[a-z0-9]*(\.[\w-]+)*", part):
                    break  # pseudo-classes and other combinators: not for Word
                tag, *classes = part.split(".")
                compounds.append((tag, frozenset(classes)))
            else:
                if compounds:
                    n_classes = sum(len(c) for _, c in compounds)
                    n_tags = sum(1 for t, _ in compounds if t)
                    rules.append(
                        Rule(tuple(compounds), _declarations(body), (n_classes, n_tags, order))
                    )
    rules.sort(key=lambda r: r.specificity)
    return Stylesheet(tuple(rules), pages)


@cache
def stylesheet() -> Stylesheet:
    return parse_stylesheet(static_path("reports/documents.css").read_text(encoding="utf-8"))


def _matches(compound: tuple[str, frozenset[str]], element: HtmlElement) -> bool:
    tag, classes = compound
    return (not tag or element.tag == tag) and classes <= set(element.classes)


def _rule_applies(rule: Rule, element: HtmlElement) -> bool:
    *ancestors, last = rule.compounds
    if not _matches(last, element):
        return False
    parent = element.getparent()
    for compound in reversed(ancestors):
        while parent is not None and not _matches(compound, parent):
            parent = parent.getparent()
        if parent is None:
            return False
        parent = parent.getparent()
    return True


def _cm(value: str, *, font_pt: float = BODY_PT, whole_cm: float = 0.0) -> float:
    """A CSS length in cm; `em` of the element's (Word) font size, `%` of `whole_cm`."""
    match = re.fullmatch(r"(-?[\d.]+)(cm|mm|pt|em|%|px)?", value.strip())
    if not match:
        return 0.0
    number, unit = float(match[1]), match[2] or ""
    return {
        "cm": number,
        "mm": number / 10,
        "pt": number / PT_PER_CM,
        "px": number * 0.75 / PT_PER_CM,
        "em": number * font_pt / PT_PER_CM,
        "%": number * whole_cm / 100,
    }.get(unit, 0.0)


def _box(value: str) -> tuple[str, str, str, str]:
    """The four sides of a margin/padding shorthand."""
    parts = value.split() or ["0"]
    while len(parts) < 4:
        parts.append(parts[{1: 0, 2: 0, 3: 1}[len(parts)]])
    return parts[0], parts[1], parts[2], parts[3]


# --- computed style ----------------------------------------------------------------------------
class Styles:
    """CSS properties of each element: the sheet's rules by specificity, then `style=""`."""

    def __init__(self, sheet: Stylesheet) -> None:
        self.sheet = sheet
        root = [r.declarations for r in sheet.rules if r.compounds == (("html", frozenset()),)]
        base = next((d["font-size"] for d in root if "font-size" in d), f"{BODY_PT}pt")
        self.scale = BODY_PT / self._css_pt(base)  # the sheet's body size is 16 pt in Word
        self._computed: dict[HtmlElement, dict[str, str]] = {}

    @staticmethod
    def _css_pt(value: str) -> float:
        match = re.fullmatch(r"([\d.]+)pt", value.strip())
        return float(match[1]) if match else BODY_PT

    def of(self, element: HtmlElement) -> dict[str, str]:
        if element in self._computed:
            return self._computed[element]
        parent = element.getparent()
        inherited = self.of(parent) if parent is not None else {}
        style = {k: v for k, v in inherited.items() if k in INHERITED}
        own: dict[str, str] = {}
        for rule in self.sheet.rules:
            if _rule_applies(rule, element):
                own.update(rule.declarations)
        own.update(_declarations(element.get("style", "")))
        if "margin" in own:
            for side, value in zip(SIDES, _box(own["margin"]), strict=True):
                own.setdefault(f"margin-{side}", value)
        if "font" in own:  # only the size matters here: "10.67pt Laksaman"
            size = re.search(r"[\d.]+pt", own["font"])
            if size:
                own.setdefault("font-size", size[0])
        if "font-size" in own:
            own["font-size"] = f"{self._css_pt(own['font-size']) * self.scale:.2f}"
        style.update(own)
        self._computed[element] = style
        return style

    def font_pt(self, element: HtmlElement) -> float:
        return float(self.of(element).get("font-size", BODY_PT))


# --- the Word document -------------------------------------------------------------------------
# The order of a run's properties in the schema (ECMA-376 CT_RPr); Word insists on it.
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
SECTPR_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
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


def _font_table_entry() -> str:
    """TH Sarabun New with its look-alike as the alternative Word and LibreOffice fall back to."""
    return (
        f'<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:name="{FONT}"><w:altName w:val="{FALLBACK_FONT}"/><w:charset w:val="DE"/>'
        '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )


def xml_safe(text: str) -> str:
    """Text without the control characters XML cannot hold (a typed memo may bring them)."""
    return CONTROL.sub("", text)


@dataclass
class Piece:
    """A stretch of a paragraph: text in one style, a line break, a tab or a picture."""

    text: str = ""
    bold: bool = False
    size: float = BODY_PT
    colour: str = ""
    image: bytes | None = None
    image_height_cm: float = 0.0
    image_width_cm: float = 0.0
    svg: bytes = b""  # the picture's SVG source, `image` its PNG fallback


@dataclass
class Emitted:
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


class Writer:
    def __init__(self, *, thai_digits: bool, title: str, author: str) -> None:
        self.styles = Styles(stylesheet())
        self.doc: DocxDocument = new_docx()
        self.thai_digits = thai_digits
        self.page = ""
        self.started = False  # has the body anything yet (the first section's page is free)
        self.svg_sources: dict[HtmlElement, str] = {}
        self.svg_count = 0
        self._defaults()
        self._page_setup(self.doc.sections[0], "")
        self._header(self.doc.sections[0])
        properties = self.doc.core_properties
        properties.title, properties.author = xml_safe(title), xml_safe(author)
        properties.language = "th-TH"
        properties.comments = properties.subject = ""

    # --- set-up --------------------------------------------------------------------------------
    def _defaults(self) -> None:
        """TH Sarabun New 16 pt, Thai, single spacing: the document defaults and Normal."""
        styles = self.doc.styles.element
        targets = [self.doc.styles["Normal"].element.get_or_add_rPr()]
        rpr_default = styles.find(
            qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")
        )
        if rpr_default is not None:
            targets.append(rpr_default)
        half_points = str(round(BODY_PT * 2))
        for rpr in targets:
            fonts = rpr.get_or_add_rFonts()
            for name in list(fonts.attrib):
                if name.endswith("Theme"):  # theme fonts would win over the named ones
                    del fonts.attrib[name]
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT)
            _rpr_set(rpr, "w:sz", half_points)
            _rpr_set(rpr, "w:szCs", half_points)
            language = _rpr_set(rpr, "w:lang")
            language.set(qn("w:val"), "th-TH")
            language.set(qn("w:bidi"), "th-TH")
        normal = self.doc.styles["Normal"].paragraph_format
        normal.space_before = normal.space_after = Pt(0)
        normal.line_spacing = 1.0
        for part in self.doc.part.package.iter_parts():
            if str(part.partname) == "/word/fontTable.xml":
                table = parse_xml(part.blob)
                for font in table.findall(qn("w:font")):
                    if font.get(qn("w:name")) == FONT:
                        table.remove(font)
                table.append(parse_xml(_font_table_entry()))
                part._blob = lxml.etree.tostring(
                    table, xml_declaration=True, encoding="UTF-8", standalone=True
                )

    def _page_setup(self, section: Section, page: str) -> None:
        sheet = self.styles.sheet
        top, right, bottom, left = sheet.margins(page)
        wide = sheet.landscape(page)
        section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
        a4 = (Cm(29.7), Cm(21)) if wide else (Cm(21), Cm(29.7))
        section.page_width, section.page_height = a4
        section.top_margin, section.right_margin = Cm(top), Cm(right)
        section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
        section.header_distance = Cm(min(1.25, top / 2))

    def _header(self, section: Section) -> None:
        """ "- ๒ -" centred at the top from page 2: a PAGE field in the organisation's digits."""
        section.different_first_page_header_footer = True
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:fmt"), "thaiNumbers" if self.thai_digits else "decimal")
        section._sectPr.insert_element_before(numbering, *SECTPR_AFTER_PGNUMTYPE)
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("- ")
        instruction = "PAGE \\* ThaiArabic" if self.thai_digits else "PAGE \\* Arabic"
        shown = "๒" if self.thai_digits else "2"
        for kind, text in (("begin", ""), ("instr", instruction), ("separate", ""), ("", shown)):
            run = paragraph.add_run()
            if kind == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {text} "
                run._r.append(element)
            elif kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
                run._r.append(element)
            else:
                run.text = text
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        paragraph.add_run()._r.append(end)
        paragraph.add_run(" -")

    def _on_page(self, page: str) -> None:
        """Start a new section when the body's content moves to another CSS page (`wide`)."""
        if page == self.page:
            return
        if not self.started:
            self._page_setup(self.doc.sections[0], page)
        else:
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            self._page_setup(section, page)
            section.different_first_page_header_footer = False  # numbered from its first page
        self.page = page

    def text_width_cm(self) -> float:
        section = self.doc.sections[-1]
        width = Emu(
            (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
        )
        return width.cm

    # --- content -------------------------------------------------------------------------------
    def body(self, html: str) -> None:
        root = lxml.html.document_fromstring(html)
        # SVG is case-sensitive (viewBox) and the HTML parser is not: keep each one's source.
        sources = re.findall(r"<svg\b.*?</svg>", html, flags=re.S | re.I)
        svgs = list(root.iter("svg"))
        if len(sources) == len(svgs):
            self.svg_sources = dict(zip(svgs, sources, strict=True))
        body = root.find("body")
        if body is not None:
            self.blocks(body, self.doc, top=True)

    def blocks(
        self, element: HtmlElement, container: Any, *, top: bool, indent: float = 0.0
    ) -> Emitted:
        """The element's content as paragraphs and tables in `container` (the body or a cell)."""
        emitted = Emitted()
        pending: list[HtmlElement | str] = []

        def flush() -> None:
            if pending:
                pieces = self.pieces_of(pending, element)
                if any(p.text.strip() or p.image for p in pieces):
                    emitted.paragraphs.append(
                        self.paragraph(container, element, pieces, top=top, indent=indent)
                    )
                pending.clear()

        if element.text:
            pending.append(element.text)
        for child in element:
            if not isinstance(child.tag, str) or child.tag in SKIPPED_TAGS:
                pass
            elif self._is_block(child):
                flush()
                self.block(child, container, emitted, top=top, indent=indent)
            else:
                pending.append(child)
            if child.tail:
                pending.append(child.tail)
        flush()
        return emitted

    def _is_block(self, element: HtmlElement) -> bool:
        display = self.styles.of(element).get("display", "")
        return element.tag in BLOCK_TAGS or display in ("block", "flex", "table")

    def block(
        self, element: HtmlElement, container: Any, emitted: Emitted, *, top: bool, indent: float
    ) -> None:
        style = self.styles.of(element)
        if style.get("display") == "none":
            return
        if top:
            self._on_page(style.get("page", ""))
        width = self.text_width_cm()
        left = indent + _cm(style.get("margin-left", "0"), whole_cm=width)
        if element.tag == "table":
            emitted.tables.append(self.table(element, container))
            spacer = container.add_paragraph()
            after = _cm(style.get("margin-bottom", "0"), font_pt=self.styles.font_pt(element))
            spacer.paragraph_format.line_spacing = Cm(max(after, 0.05))
            spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            return
        if element.tag == "img" or (len(element) == 0 and not (element.text or "").strip()):
            self.figure(element, container, emitted, top=top)
            return
        if style.get("position") == "relative" and any(
            self.styles.of(c).get("position") == "absolute" for c in element
        ):
            emitted.paragraphs.append(self.head(element, container))
            return
        if style.get("display") in ("flex", "table"):
            emitted.tables.append(self.row_of_boxes(element, container))
            return
        if element.tag in ("p", "h1", "h2", "h3", "h4", "li") or not any(
            isinstance(c.tag, str) and self._is_block(c) for c in element
        ):
            pieces = self.pieces_of(_content(element), element)
            emitted.paragraphs.append(
                self.paragraph(container, element, pieces, top=top, indent=left)
            )
            return
        inner = self.blocks(element, container, top=top, indent=left)
        emitted.paragraphs += inner.paragraphs
        emitted.tables += inner.tables
        if inner.paragraphs:
            first = inner.paragraphs[0].paragraph_format
            before = _cm(style.get("margin-top", "0"), font_pt=self.styles.font_pt(element))
            if before:
                first.space_before = Emu((first.space_before or 0) + Cm(before))
            if "border-top" in style:
                _border_top(inner.paragraphs[0], style["border-top"])
            if style.get("break-inside") == "avoid":
                for paragraph in inner.paragraphs[:-1]:
                    paragraph.paragraph_format.keep_with_next = True
                for paragraph in inner.paragraphs:
                    paragraph.paragraph_format.keep_together = True

    # --- inline content ------------------------------------------------------------------------
    def pieces_of(self, items: list[HtmlElement | str], parent: HtmlElement) -> list[Piece]:
        pieces: list[Piece] = []
        for item in items:
            if isinstance(item, str):
                pieces.append(self._text(item, parent))
            else:
                self._inline(item, pieces)
        return _collapse(pieces, pre=self.styles.of(parent).get("white-space") == "pre-line")

    def _text(self, text: str, element: HtmlElement) -> Piece:
        text = xml_safe(text)
        style = self.styles.of(element)
        weight = style.get("font-weight", "normal")
        colour = style.get("color", "").lstrip("#")
        if len(colour) == 3:
            colour = "".join(c * 2 for c in colour)
        if not re.fullmatch(r"[0-9a-fA-F]{6}", colour):
            colour = ""  # a named colour (transparent, …): Word's own
        return Piece(
            text=text,
            bold=weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600),
            size=self.styles.font_pt(element),
            colour=colour if colour not in ("000", "000000") else "",
        )

    def _inline(self, element: HtmlElement, pieces: list[Piece]) -> None:
        if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
            return
        if element.tag == "br":
            pieces.append(Piece(text="\n"))
            return
        if element.tag == "img":
            if picture := self._picture(element):
                pieces.append(picture)
            return
        if element.tag == "svg":
            if picture := self._svg_picture(element):
                pieces.append(picture)
            return
        style = self.styles.of(element)
        if style.get("display") == "none":
            return
        if style.get("display") == "inline-block" and not element.text_content().strip():
            pieces.append(Piece(text="\t"))  # a gap of a set width: the next tab stop
            return
        for item in _content(element):
            if isinstance(item, str):
                pieces.append(self._text(item, element))
            else:
                self._inline(item, pieces)

    def _svg_picture(self, element: HtmlElement) -> Piece | None:
        """An SVG (the analysis' chart) as Word 2016 takes it, with a drawn PNG for the others."""
        source = self.svg_sources.get(element, "").encode()
        fallback = svg_png(source) if source else None
        if fallback is None:
            return None
        width = _cm(self.styles.of(element).get("width", "100%"), whole_cm=self.text_width_cm())
        return Piece(image=fallback, image_width_cm=width, svg=source)

    def _picture(self, element: HtmlElement) -> Piece | None:
        data = image_bytes(element.get("src", ""))
        if data is None:
            return None
        style = self.styles.of(element)
        font_pt = self.styles.font_pt(element)
        height = _cm(style.get("height", "0"), font_pt=font_pt)
        width = _cm(style.get("width", "0"), font_pt=font_pt)
        return Piece(image=data, image_height_cm=height, image_width_cm=width)

    # --- blocks --------------------------------------------------------------------------------
    def paragraph(
        self,
        container: Any,
        element: HtmlElement,
        pieces: list[Piece],
        *,
        top: bool,
        indent: float = 0.0,
    ) -> Paragraph:
        if top:
            self._on_page(self.styles.of(element).get("page", ""))
            self.started = True
        paragraph = container.add_paragraph() if not _fresh(container) else container.paragraphs[0]
        if not top:
            _mark_used(container)
        self._format(paragraph, element, indent)
        self._runs(paragraph, pieces)
        return paragraph

    def _format(self, paragraph: Paragraph, element: HtmlElement, indent: float) -> None:
        style = self.styles.of(element)
        font_pt = self.styles.font_pt(element)
        fmt = paragraph.paragraph_format
        align = style.get("text-align", "left")
        fmt.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
        first_line = _cm(style.get("text-indent", "0"), font_pt=font_pt)
        if first_line:
            fmt.first_line_indent = Cm(first_line)
        if indent:
            fmt.left_indent = Cm(indent)
        fmt.space_before = Cm(max(_cm(style.get("margin-top", "0"), font_pt=font_pt), 0))
        fmt.space_after = Cm(max(_cm(style.get("margin-bottom", "0"), font_pt=font_pt), 0))
        if style.get("break-after") == "avoid":
            fmt.keep_with_next = True
        if element.tag in ("h1", "h2", "h3", "h4"):
            fmt.keep_together = True

    def _runs(self, paragraph: Paragraph, pieces: list[Piece]) -> None:
        for piece in pieces:
            if piece.image is not None:
                run = paragraph.add_run()
                height = Cm(piece.image_height_cm) if piece.image_height_cm else None
                width = Cm(piece.image_width_cm) if piece.image_width_cm and not height else None
                shape = run.add_picture(io.BytesIO(piece.image), width=width, height=height)
                if piece.svg:
                    self._attach_svg(shape, piece.svg)
                continue
            run = paragraph.add_run(piece.text)  # "\n" a line break, "\t" a tab
            rpr = run._r.get_or_add_rPr()
            if piece.bold:
                run.bold = True
                _rpr_set(rpr, "w:bCs")
            if abs(piece.size - BODY_PT) > 0.01:
                run.font.size = Pt(piece.size)
                _rpr_set(rpr, "w:szCs", str(round(piece.size * 2)))
            if piece.colour:
                run.font.color.rgb = RGBColor.from_string(piece.colour.upper())

    def _attach_svg(self, shape: Any, svg: bytes) -> None:
        self.svg_count += 1
        name = PackURI(f"/word/media/chart{self.svg_count}.svg")
        part = Part(name, "image/svg+xml", svg, self.doc.part.package)
        rid = self.doc.part.relate_to(part, RT.IMAGE)
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        blip.append(
            parse_xml(
                f'<a:extLst xmlns:a="{A_NS}"><a:ext uri="{SVG_EXTENSION}">'
                f'<asvg:svgBlip xmlns:asvg="{SVG_NS}" xmlns:r="{R_NS}" r:embed="{rid}"/>'
                "</a:ext></a:extLst>"
            )
        )

    def figure(self, element: HtmlElement, container: Any, emitted: Emitted, *, top: bool) -> None:
        """A block image (the order's emblem), or the space kept for one when none is uploaded."""
        style = self.styles.of(element)
        height = _cm(style.get("height", "0"))
        picture = self._picture(element) if element.tag == "img" else None
        if picture is None and not height:
            return
        paragraph = self.paragraph(container, element, [picture] if picture else [], top=top)
        if style.get("margin-left") == "auto" or style.get("margin-right") == "auto":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = None
        if picture is None:  # an empty box of the emblem's height
            paragraph.paragraph_format.line_spacing = Cm(height)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        emitted.paragraphs.append(paragraph)

    def head(self, element: HtmlElement, container: Any) -> Paragraph:
        """A box with a picture placed at its left and a centred title (the memo's head): the
        picture, then the title at a centre tab stop, on one line as tall as the box."""
        pieces: list[Piece] = []
        title: list[HtmlElement] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if self.styles.of(child).get("position") == "absolute":
                picture = self._picture(child) if child.tag == "img" else None
                if picture:
                    pieces.append(picture)
            else:
                title.append(child)
        pieces.append(Piece(text="\t"))
        for child in title:
            pieces += self.pieces_of(_content(child), child)
        self._on_page(self.styles.of(element).get("page", ""))
        self.started = True
        paragraph = container.add_paragraph()
        self._format(paragraph, element, 0)
        fmt = paragraph.paragraph_format
        fmt.tab_stops.add_tab_stop(Cm(self.text_width_cm() / 2), WD_TAB_ALIGNMENT.CENTER)
        height = _cm(self.styles.of(element).get("height", "0"))
        if height:
            fmt.line_spacing = Cm(height)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        self._runs(paragraph, pieces)
        return paragraph

    def row_of_boxes(self, element: HtmlElement, container: Any) -> Table:
        """Boxes side by side, a flex row or a CSS table of one row (the memo's QR code beside its
        verification text): a table without rules."""
        children = [c for c in element if isinstance(c.tag, str)]
        self._on_page(self.styles.of(element).get("page", ""))
        self.started = True
        table = container.add_table(rows=1, cols=len(children))
        for cell, child in zip(table.rows[0].cells, children, strict=True):
            if child.tag == "img":
                picture = self._picture(child)
                if picture:
                    self._runs(cell.paragraphs[0], [picture])
                    _mark_used(cell)
            else:
                self.blocks(child, cell, top=False)
        gap = _cm(self.styles.of(element).get("gap", "0"), font_pt=self.styles.font_pt(element))
        given = [_cm(self.styles.of(c).get("width", "0")) for c in children]
        free = [i for i, w in enumerate(given) if not w]
        rest = (self.text_width_cm() - sum(given) - gap * len(given)) / max(len(free), 1)
        table.autofit = False
        for index, width in enumerate(given):
            width = width + gap if width else rest
            table.columns[index].width = Cm(width)  # LibreOffice reads the grid, Word the cells
            table.rows[0].cells[index].width = Cm(width)
        container.add_paragraph()
        return table

    def table(self, element: HtmlElement, container: Any) -> Table:
        rows = element.xpath("./thead/tr | ./tbody/tr | ./tr | ./tfoot/tr")
        columns = max(
            (sum(int(c.get("colspan", "1")) for c in r if c.tag in ("td", "th")) for r in rows),
            default=1,
        )
        self.started = True
        table = container.add_table(rows=0, cols=columns)
        first_cell = element.xpath(".//td | .//th")
        ruled = not (first_cell and self.styles.of(first_cell[0]).get("border", "") == "none")
        if ruled:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        widths = self._widths(rows, columns)
        if widths:
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)  # LibreOffice reads the grid, Word the cells: set both
        for tr in rows:
            row = table.add_row()
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))  # a row moves whole to the next page
            if tr.getparent().tag == "thead":
                trpr.append(OxmlElement("w:tblHeader"))  # repeated on each page
            cells = row.cells  # python-docx rebuilds the list at each call
            for cell, width in zip(cells, widths, strict=False):
                cell.width = Cm(width)
            column = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                span = int(td.get("colspan", "1"))
                cell = cells[column]
                if span > 1:
                    cell = cell.merge(cells[column + span - 1])
                self.blocks(td, cell, top=False)
                background = self.styles.of(td).get("background", "").lstrip("#")
                if background:
                    _shade(cell, background * 2 if len(background) == 3 else background)
                column += span
        return table

    def _widths(self, rows: list[HtmlElement], columns: int) -> list[float]:
        """Column widths in cm from the first row's `width` (%, cm); the rest share what is left."""
        if not rows:
            return []
        whole = self.text_width_cm()
        given: list[float | None] = []
        for td in rows[0]:
            if td.tag not in ("td", "th"):
                continue
            value = self.styles.of(td).get("width", "")
            width = _cm(value, whole_cm=whole) if value and value != "auto" else None
            given += [width] + [None] * (int(td.get("colspan", "1")) - 1)
        given = (given + [None] * columns)[:columns]
        free = [i for i, w in enumerate(given) if w is None]
        left = max(whole - sum(w for w in given if w is not None), 1.0 * len(free))
        return [w if w is not None else left / len(free) for w in given]

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _content(element: HtmlElement) -> list[HtmlElement | str]:
    """An element's text, children and their tails, in order."""
    items: list[HtmlElement | str] = [element.text] if element.text else []
    for child in element:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def _fresh(container: Any) -> bool:
    """A table cell comes with one empty paragraph: the first content goes into it."""
    return (
        isinstance(container, _Cell)
        and not getattr(container, "_used", False)
        and len(container.paragraphs) == 1
        and not container.paragraphs[0].text
    )


def _mark_used(container: Any) -> None:
    if isinstance(container, _Cell):
        container._used = True  # type: ignore[attr-defined]


def _collapse(pieces: list[Piece], *, pre: bool) -> list[Piece]:
    """HTML's white space: runs of spaces and newlines are one space (`pre-line` keeps the
    newlines), none at the start or end of the paragraph or beside a line break."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.image is not None or piece.text in ("\n", "\t"):
            out.append(piece)
            continue
        text = piece.text
        if pre:
            text = re.sub(r"[ \t\r\f]+", " ", text)
            text = re.sub(r" ?\n ?", "\n", text)
        else:
            text = re.sub(r"[ \t\n\r\f]+", " ", text)  # HTML's spaces: a no-break space stays
        out.append(Piece(text=text, bold=piece.bold, size=piece.size, colour=piece.colour))
    # trim spaces at the ends and around breaks
    previous_ends_space = True
    for piece in out:
        if piece.image is not None or piece.text == "\t":
            previous_ends_space = False
            continue
        if piece.text == "\n":
            previous_ends_space = True
            continue
        if previous_ends_space:
            piece.text = piece.text.lstrip(" ")
        if piece.text:
            previous_ends_space = piece.text.endswith((" ", "\n"))
    for index in range(len(out) - 1, -1, -1):
        piece = out[index]
        if piece.image is not None or piece.text == "\t":
            break
        if piece.text == "\n":
            continue
        piece.text = piece.text.rstrip(" \n")
        if piece.text:
            break
    for index, piece in enumerate(out[:-1]):
        if out[index + 1].text == "\n" and piece.image is None:
            piece.text = piece.text.rstrip(" ")
    return [p for p in out if p.text or p.image is not None]


def _border_top(paragraph: Paragraph, value: str) -> None:
    """A rule above the paragraph: `border-top: .5pt dotted #666`."""
    parts = value.split()
    kind = next((p for p in parts if p in ("solid", "dotted", "dashed", "double")), "solid")
    width = next((float(p[:-2]) for p in parts if p.endswith("pt")), 0.5)
    colour = next((p.lstrip("#") for p in parts if p.startswith("#")), "000000")
    colour = colour * 2 if len(colour) == 3 else colour
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), {"solid": "single"}.get(kind, kind))
    top.set(qn("w:sz"), str(max(2, round(width * 8))))  # eighths of a point
    top.set(qn("w:space"), "4")
    top.set(qn("w:color"), colour.upper())
    borders.append(top)
    ppr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
        "w:textDirection", "w:rPr", "w:sectPr", "w:pPrChange",
    )  # fmt: skip


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.upper())
    cell._tc.get_or_add_tcPr().append(shading)


def svg_png(svg: bytes) -> bytes | None:
    """A PNG of an SVG's rectangles, lines and text (all the portal's charts draw), for readers
    that do not take SVG; None when it is not such an SVG."""
    try:
        root = lxml.etree.fromstring(svg)
        box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        return None
    scale = SVG_FALLBACK_MAX_PX / box[2]
    image = Image.new("RGB", (SVG_FALLBACK_MAX_PX, max(1, round(box[3] * scale))), "white")
    draw = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x - box[0]) * scale, (y - box[1]) * scale

    def number(element: Any, name: str) -> float:
        try:
            return float(element.get(name, "0"))
        except ValueError:
            return 0.0

    def paint(element: Any, inherited: dict[str, str]) -> None:
        if not isinstance(element.tag, str):
            return
        style = {**inherited, **{k: v for k, v in element.attrib.items() if k in PAINTED}}
        tag = lxml.etree.QName(element).localname
        fill = style.get("fill", "#000")
        if tag == "rect" and fill != "none":
            x, y = at(number(element, "x"), number(element, "y"))
            w, h = number(element, "width") * scale, number(element, "height") * scale
            if w > 0 and h > 0:
                draw.rectangle((x, y, x + w, y + h), fill=fill)
        elif tag == "line":
            start = at(number(element, "x1"), number(element, "y1"))
            end = at(number(element, "x2"), number(element, "y2"))
            width = max(1, round(float(style.get("stroke-width", "1")) * scale))
            draw.line((start, end), fill=style.get("stroke", "#000"), width=width)
        elif tag == "text" and element.text:
            x, y = at(
                number(element, "x") + number(element, "dx"),
                number(element, "y") + number(element, "dy"),
            )
            size = float(style.get("font-size", "16")) * scale
            anchor = {"middle": "ms", "end": "rs"}.get(style.get("text-anchor", ""), "ls")
            draw.text((x, y), element.text, fill=fill, font=_chart_font(size), anchor=anchor)
        if tag != "title":
            for child in element:
                paint(child, style)

    try:
        paint(root, {})
    except ValueError:  # a colour or number Pillow does not read
        return None
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


PAINTED = ("fill", "stroke", "stroke-width", "font-size", "text-anchor")


@cache
def _chart_font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(f"{FALLBACK_FONT}.ttf", size)
    except OSError:  # not installed: Pillow's own font still draws the digits
        return ImageFont.load_default(size)


def image_bytes(src: str) -> bytes | None:
    """A PNG, JPEG or GIF image the document may show: a data: URI, or a file of the portal's own
    static and media files (as the PDF's fetcher allows); anything else is left out."""
    parsed = urlparse(src)
    if parsed.scheme == "data":
        header, comma, payload = src[5:].partition(",")
        if not comma or not header.startswith(("image/png", "image/jpeg", "image/gif")):
            return None
        try:
            return (
                base64.b64decode(payload)
                if header.endswith(";base64")
                else unquote(payload).encode()
            )
        except (binascii.Error, ValueError):
            return None
    if parsed.scheme == "file" and not parsed.netloc:
        path = Path(unquote(parsed.path)).resolve()
        inside = any(path.is_relative_to(root) for root in allowed_roots())
        if inside and path.is_file() and path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif"):
            return path.read_bytes()
    return None


def html_to_docx(html: str, *, thai_digits: bool, title: str, author: str) -> bytes:
    """The document WeasyPrint would print from `html`, as a DOCX file."""
    writer = Writer(thai_digits=thai_digits, title=title, author=author)
    writer.body(html)
    return writer.save()


def document_docx(document: Document) -> bytes:
    organisation = document.organisation
    return html_to_docx(
        document.html(),
        thai_digits=organisation.uses_thai_digits,
        title=document.title,
        author=organisation.name,
    )


def docx_filename(pdf_filename: str) -> str:
    return str(Path(pdf_filename).with_suffix(".docx"))
