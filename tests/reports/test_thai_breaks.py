"""Thai lines break where pythainlp's dictionary puts word boundaries, not inside compounds."""

from __future__ import annotations

import pytest
from weasyprint.formatting_structure import boxes

from reports.pdf import renderer

# Debian's libthai dictionary splits each of these in two; pythainlp's keeps them whole.
COMPOUNDS = ("ดำเนินการ", "ปีงบประมาณ")


def line_texts(html: str) -> list[str]:
    _, document = renderer().render_laid_out(html)
    return [
        "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
        for page in document.pages
        for line in page._page_box.descendants()
        if isinstance(line, boxes.LineBox)
    ]


@pytest.mark.parametrize("word", COMPOUNDS)
def test_it_never_breaks_a_line_inside_a_compound(word):
    # The word over and over in columns of several widths: each line must hold whole words.
    columns = "".join(f'<p style="width: {width}cm">{word * 12}</p>' for width in (2.1, 3.3, 5.2))
    html = f"<html lang='th'><body style='font: 16pt \"Laksaman ITA\"'>{columns}</body></html>"
    lines = line_texts(html)
    assert len(lines) > 3 * 2
    assert [line for line in lines if len(line) % len(word)] == []
