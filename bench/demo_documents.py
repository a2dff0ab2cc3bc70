"""Every demo document, for the text benchmarks: each kind for each seed organisation, and memos.

The benchmarks that read the PDFs' text (bench/text_extraction.py, bench/line_breaks.py) render
the same set: every document kind (`DocumentKind`) for every year an organisation has results or
a plan, and every memo of the demo data, on the bench's own SQLite database
(bench.render_documents).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.render_documents import DEFAULT_DB, prepare_database, setup_django

GAP = 1.0  # CSS px between two text boxes of a line that a reader sees as a space


@dataclass(frozen=True)
class DemoDocument:
    label: str
    html: str


def start(db: Path = DEFAULT_DB) -> None:
    setup_django(db)
    prepare_database(db)


def demo_documents() -> Iterator[DemoDocument]:
    from assessments.models import Assessment
    from measures.models import MeasurePlan
    from reports.documents.builders import DocumentMissing, build
    from reports.documents.models import DocumentKind
    from reports.memos.document import memo_html
    from reports.memos.models import Memo

    years: dict[Any, set[int]] = {}
    for a in Assessment.objects.select_related("organisation"):
        years.setdefault(a.organisation, set()).add(a.fiscal_year)
    for p in MeasurePlan.objects.select_related("organisation"):
        years.setdefault(p.organisation, set()).add(p.fiscal_year)
    for organisation, fiscal_years in sorted(years.items(), key=lambda item: item[0].pk):
        for year in sorted(fiscal_years):
            for kind in DocumentKind.values:
                try:
                    document = build(kind, organisation, year)
                except DocumentMissing:
                    continue
                yield DemoDocument(f"{kind} {organisation.name} {year}", document.html())
    for memo in Memo.objects.select_related("organisation").order_by("pk"):
        yield DemoDocument(f"memo {memo.organisation.name} #{memo.pk}", memo_html(memo))


def drawn_lines(document: Any) -> list[list[str]]:
    """Per page, the text of each line box WeasyPrint drew: its text boxes in order, with a space
    where a gap separates two of them (an inline block, a cell's padding)."""
    from weasyprint.formatting_structure import boxes

    pages = []
    for page in document.pages:
        lines = []
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.LineBox):
                continue
            text, end = "", None
            for child in box.descendants():
                if isinstance(child, boxes.TextBox):
                    if end is not None and child.position_x - end > GAP:
                        text += " "
                    text += child.text
                    end = child.position_x + child.margin_width()
            if text.strip():
                lines.append(text)
        pages.append(lines)
    return pages
