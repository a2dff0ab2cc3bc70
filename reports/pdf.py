"""HTML to PDF with WeasyPrint: fonts, safe fetching, and Thai text that survives extraction.

What WeasyPrint does not do on its own:

- **Thai text extraction.** HarfBuzz's Thai shaper splits sara am (ำ) into nikhahit and sara aa and
  reorders tone marks; WeasyPrint's ToUnicode map has one string per glyph, so `pdftotext` gives
  back "ตาบล" for "ตำบล". Each drawn line is wrapped in a marked-content span whose /ActualText
  is the line's real text (PDF 32000 §14.9.4), which poppler and Acrobat use for extraction and
  search instead of the glyphs; this also keeps the spaces of "- 2 -" that glyph gaps lose.
- **A table row taller than a page.** Rows move whole to the next page ("break-inside: avoid");
  one still too tall there is split without the table's header, and its first cell, which says
  what the row is (the measure), stays on its first page only. Such rows are found after
  layout and laid out again free to break, so each page has the header, and each later part
  of the row gets a copy of its first cell's laid-out lines (`repeat_first_cells`).
- **"/ความเห็น..." at a memo's page foot.** The records regulation has each page of a memo but
  the last name the words the next page begins with. Which words those are is known only once
  the pages are laid out: the memo is laid out, each next page's first words are read, and it is
  laid out again with them in the bottom-right margin box (`continuation_css`), which moves no
  page break.
- **Fetching.** Documents may only load the project's own static files; anything else (other
  `file://` paths, `http(s)://`, `data:` is fine) is refused, so no user text can pull a file or a
  URL into a PDF.
- **Garbage collection.** A render makes hundreds of thousands of short-lived objects that point
  at each other (boxes and their parents). With Python's collector running, those that outlive a
  few of the render's young collections are moved to the oldest generation, whose full
  collections, each a walk over the process's whole heap, then land on one render in nine or so.
  The collector waits for the end of each render and then sweeps its objects once
  (`collector_paused`).
- **The interpreter's frame stack.** CPython keeps the frames of Python calls in chunks of 16 KB
  and, before 3.13's fix of March 2026 (CPython issue gh-142183; 3.13.0 and Debian 13's 3.13.5
  lack it), maps a new chunk each time calls cross the end of one and unmaps it on the way back.
  WeasyPrint's recursive layout crossed such an end 500 to 5,000 times a render, depending on
  how deep in the stack the render was called: up to 10 % of its time, and a different figure
  in each worker (bench/README.md, session 37). A render runs in a chunk of its own
  (`in_own_stack_chunk`).
"""

from __future__ import annotations

import gc
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from xml.etree import ElementTree

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from weasyprint import CSS, HTML, Document
from weasyprint.draw import text as weasy_text
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.metadata import NS as XMP
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.pdf.stream import Stream
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from reports import fonts, thai_breaks


class FetchRefused(Exception):
    pass


def _with_actual_text(draw_first_line: Callable[..., Any]) -> Callable[..., Any]:
    def draw(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        text = textbox.pango_layout.text
        span = pydyf.Dictionary({"ActualText": pydyf.String(text)})
        stream.begin_marked_content("Span", span.data)
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw.actual_text = True  # type: ignore[attr-defined]
    draw.__wrapped__ = draw_first_line  # type: ignore[attr-defined]
    return draw


def install_actual_text() -> None:
    """Wrap WeasyPrint's line drawing once (weasyprint is pinned: see pyproject.toml)."""
    if not getattr(weasy_text.draw_first_line, "actual_text", False):
        weasy_text.draw_first_line = _with_actual_text(weasy_text.draw_first_line)


BOLD = 600  # Pango's weights: 400 normal, 700 bold; a face of 600 or more is the bold file


class GlyphTexts(dict[int, str]):
    """A font's ToUnicode map whose known glyphs always get their own text (reports.fonts)."""

    def __init__(self, known: dict[int, str], seen: dict[int, str]) -> None:
        super().__init__()
        self.known = known
        for glyph, text in seen.items():
            self[glyph] = text

    def __setitem__(self, glyph: int, text: str) -> None:
        super().__setitem__(glyph, self.known.get(glyph, text))


def _with_glyph_texts(add_font: Callable[..., Any]) -> Callable[..., Any]:
    def add(stream: Any, pango_font: Any) -> Any:
        font, size = add_font(stream, pango_font)
        if type(font.to_unicode) is dict and font.family == fonts.FAMILY:
            face = {"bold": font.weight >= BOLD, "italic": bool(font.style)}
            font.to_unicode = GlyphTexts(fonts.glyph_texts(**face), font.to_unicode)
        return font, size

    add.glyph_texts = True  # type: ignore[attr-defined]
    return add


def install_glyph_texts() -> None:
    """Write the built fonts' exact ToUnicode maps (weasyprint is pinned: see pyproject.toml)."""
    if not getattr(Stream.add_font, "glyph_texts", False):
        Stream.add_font = _with_glyph_texts(Stream.add_font)  # type: ignore[method-assign]


# zlib's own default level, where pydyf compresses every stream (pages, fonts, tags) at 9: a plan
# rendered 4.5 % faster for a PDF 1.8 % larger (bench/README.md, session 36).
COMPRESSION_LEVEL = 6


class _Zlib:
    """zlib, as pydyf sees it: its compressors at COMPRESSION_LEVEL, whatever level it asks."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(COMPRESSION_LEVEL, *args, **kwargs)


def install_compression_level() -> None:
    """Compress the PDFs' streams at COMPRESSION_LEVEL (pydyf comes pinned in uv.lock)."""
    if not isinstance(pydyf.zlib, _Zlib):
        pydyf.zlib = _Zlib()  # type: ignore[attr-defined]


def allowed_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots += [Path(settings.STATIC_ROOT).resolve(), Path(settings.MEDIA_ROOT).resolve()]
    return roots


def static_path(name: str) -> Path:
    """The file of a static asset, wherever the finders keep it."""
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return Path(found if isinstance(found, str) else found[0]).resolve()


class SafeURLFetcher(URLFetcher):
    """Fetch only data: URLs and files under the project's static and media directories.

    Media is allowed for the organisation's uploaded emblem; redirects are never followed.
    The roots are read from the settings at each fetch, so one fetcher serves every document
    (making one builds an SSL context WeasyPrint never uses here: 25-30 ms of CPU a document).
    """

    def __init__(self, roots: Callable[[], list[Path]] = allowed_roots) -> None:
        super().__init__(allow_redirects=False, allowed_protocols={"data", "file"})
        self.roots = roots

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            inside = any(path.is_relative_to(root) for root in self.roots())
            if parsed.netloc or not inside or not path.is_file():
                raise FetchRefused(f"refused {url!r}: documents load only the portal's own files")
            url = path.as_uri()
        elif parsed.scheme != "data":
            raise FetchRefused(f"refused {url!r}: documents load only the portal's own files")
        return super().fetch(url, headers)


def _body_rows(document: Document) -> Iterator[Any]:
    """Every part of a body row WeasyPrint laid out, page after page (not the header rows it
    repeats on each page)."""
    for page in document.pages:
        for group in page._page_box.descendants():
            if isinstance(group, boxes.TableRowGroupBox) and not (
                group.is_header or group.is_footer
            ):
                yield from (row for row in group.children if row.children)


def rows_across_pages(document: Document) -> list[Any]:
    """The elements of the body rows laid out on more than one page."""
    parts = Counter(row.element for row in _body_rows(document))
    return [element for element, count in parts.items() if count > 1]


def repeat_first_cells(document: Document) -> int:
    """Give each later part of a row split across pages its first cell's lines, when that part
    of the cell is empty, as many as fit its height. Returns how many parts got them."""
    starts: dict[Any, Any] = {}
    repeated = 0
    for row in _body_rows(document):
        start = starts.setdefault(row.element, row)
        cell, origin = row.children[0], start.children[0]
        if start is row or cell.children or not origin.children:
            continue
        dx = cell.content_box_x() - origin.content_box_x()
        dy = cell.content_box_y() - origin.content_box_y()
        # The cell's own height is of its (empty) content here: the row's height is the room.
        # (Its padding_bottom holds that room too, for vertical-align; the cells are top-aligned
        # with equal padding, so padding_top stands for the padding below.)
        room = row.position_y + row.height - cell.content_box_y()
        bottom = origin.content_box_y() + room - cell.padding_top - cell.border_bottom_width
        copies = []
        for child in origin.children:
            if child.position_y + child.margin_height() > bottom:
                break
            copy = child.deepcopy()
            copy.translate(dx, dy)
            copies.append(copy)
        if copies:
            cell.children = copies
            repeated += 1
    return repeated


def _first_line(page: Any) -> str:
    """The text of the first line of a page's body (not its margin boxes), "" if none."""
    root = page._page_box.children[0] if page._page_box.children else None
    if root is None or isinstance(root, boxes.MarginBox):
        return ""
    for box in root.descendants():
        if isinstance(box, boxes.LineBox):
            text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
            if text.strip():
                return " ".join(text.split())
    return ""


CONTINUATION_CHARS = 8  # the words of the next page it names: at least this many letters


def continuation_words(line: str) -> str:
    """The first words of a line, as a records officer writes them at the foot of the page
    before ("ความเห็นปลัด" of "ความเห็นปลัดองค์การบริหารส่วนตำบลภูซาง"): newmm's words until
    there are CONTINUATION_CHARS letters, never cutting a word."""
    from pythainlp.tokenize import word_tokenize

    words: list[str] = []
    for token in word_tokenize(line.strip(), engine="newmm", keep_whitespace=True):
        words.append(token)
        if len("".join(words).strip()) >= CONTINUATION_CHARS and not token.isspace():
            break
    return "".join(words).strip()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def continuation_css(document: Document) -> str:
    """Each page but the last names, at its foot on the right, the words the next page begins
    with ("/ความเห็นปลัด..."), as the records regulation has a memo of several pages do."""
    rules = []
    for number, page in enumerate(document.pages[1:], start=1):
        if words := continuation_words(_first_line(page)):
            label = _css_string(f"/{words}...")
            rules.append(f"@page :nth({number}) {{ @bottom-right {{ content: {label}; }} }}")
    return "\n".join(rules)


# PDF/A-3u (archival, every character with its Unicode) with a structure tree for screen readers;
# the XMP metadata come from the page: <title>, <meta name="author"> (the organisation),
# <meta name="description"> (the subject), <html lang>, and the time of printing.
ARCHIVAL = {"pdf_variant": "pdf/a-3u", "pdf_tags": True}


class ArchivalMetadata(DocumentMetadata):
    """WeasyPrint's XMP, with the document's language (dc:language) that it leaves out."""

    def generate_rdf_metadata(self, variant: Any, version: Any, conformance: Any) -> bytes:
        rdf = ElementTree.fromstring(super().generate_rdf_metadata(variant, version, conformance))
        if self.lang:
            description = ElementTree.SubElement(rdf, f"{{{XMP['rdf']}}}Description")
            description.attrib[f"{{{XMP['rdf']}}}about"] = ""
            language = ElementTree.SubElement(description, f"{{{XMP['dc']}}}language")
            bag = ElementTree.SubElement(language, f"{{{XMP['rdf']}}}Bag")
            ElementTree.SubElement(bag, f"{{{XMP['rdf']}}}li").text = self.lang
        return ElementTree.tostring(rdf, encoding="utf-8")


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, then one sweep of the youngest
    generation, which holds everything the block made: with the collector running, the seed
    documents took 9 % longer in all, and a document that met a full collection (about 0.1 s
    over a worker's heap) up to twice its usual time (bench/README.md, render). Peak
    memory did not change (a 70-page plan: 200 MB with the collector, 206 MB paused). A
    collector some other code turned off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


# The frame stack of a render: a frame this large does not fit in a 16 KB chunk, so CPython gives
# it a chunk of its own, of 16 KB doubled until it holds the frame and 1,000 slots more: 1 MB for
# 512 KB, and the calls made from that frame go on in the rest of the chunk (about 512 KB, where
# a render's deepest recursion uses a few tens of KB). The frame's own slots are never written,
# so its pages are never touched: a render then faults in about 10 pages instead of thousands.
OWN_STACK_CHUNK_SLOTS = 2**16  # slots of 8 bytes: 512 KB


def in_own_stack_chunk[T](function: Callable[..., T], *args: Any) -> T:
    """`function(*args)`, its calls in a frame-stack chunk of their own (the module's docstring)."""
    return function(*args)


in_own_stack_chunk.__code__ = in_own_stack_chunk.__code__.replace(
    co_stacksize=OWN_STACK_CHUNK_SLOTS
)


class Renderer:
    """One per process: WeasyPrint's font configuration and caches are shared between documents."""

    def __init__(self) -> None:
        thai_breaks.use_dictionary()
        install_actual_text()
        install_compression_level()
        self.font_config = FontConfiguration()
        self.fetcher = SafeURLFetcher()
        self.cache: dict[str, Any] = {}
        self.stylesheets = []
        if fonts.ensure_fonts():
            install_glyph_texts()
            self.stylesheets.append(
                CSS(
                    string=fonts.font_face_css(),
                    font_config=self.font_config,
                    url_fetcher=self.fetcher,
                )
            )
        # The shared font configuration and cache are not made for threads (runserver has them).
        self.lock = threading.Lock()

    def render(self, html: str) -> Rendered:
        with collector_paused():
            # The laid-out document is dropped before the sweep, which frees it.
            return self.render_laid_out(html)[0]

    def render_laid_out(self, html: str) -> tuple[Rendered, Document]:
        """The PDF and WeasyPrint's laid-out document (the benchmarks read its lines)."""
        return in_own_stack_chunk(self._render_laid_out, html)

    def _render_laid_out(self, html: str) -> tuple[Rendered, Document]:
        base = static_path("reports/documents.css").parent.as_uri() + "/"
        with self.lock:
            source = HTML(string=html, base_url=base, url_fetcher=self.fetcher)
            document = self._lay_out(source)
            if tall := rows_across_pages(document):
                # A row that moves whole to a new page ("break-inside: avoid") and is still too
                # tall for it is laid out there without the table's header. Such rows may break:
                # laid out again, each page they go on to has its header.
                for row in tall:
                    row.set("style", f"{row.get('style') or ''}; break-inside: auto")
                document = self._lay_out(source)
            if self._marks_continuation(source) and len(document.pages) > 1:
                # The margin boxes do not change where the pages break: laid out once more with
                # the words each page is followed by.
                marks = CSS(string=continuation_css(document), font_config=self.font_config)
                document = self._lay_out(source, extra=[marks])
            repeat_first_cells(document)
            document.metadata = ArchivalMetadata(**vars(document.metadata))
            if document.metadata.created is None:
                document.metadata.created = timezone.now().isoformat(timespec="seconds")
            pdf = document.write_pdf(**ARCHIVAL)
            return Rendered(pdf=pdf, pages=len(document.pages)), document

    def _lay_out(self, source: HTML, extra: list[CSS] | None = None) -> Document:
        return source.render(
            font_config=self.font_config,
            cache=self.cache,
            stylesheets=self.stylesheets + (extra or []),
        )

    @staticmethod
    def _marks_continuation(source: HTML) -> bool:
        """Documents whose <body> says data-continuation (the memo) name at each page's foot
        the words the next page begins with."""
        body = source.etree_element.find("body")
        return body is not None and body.get("data-continuation") is not None


_renderer: Renderer | None = None


def renderer() -> Renderer:
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
    return _renderer
