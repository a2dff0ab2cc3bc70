"""Thai lines break where pythainlp's dictionary puts word boundaries, not inside compounds."""

from __future__ import annotations

import pytest
from weasyprint.formatting_structure import boxes

from reports.pdf import renderer

# Debian's libthai dictionary splits each of these in two; pythainlp's keeps them whole.
COMPOUNDS = ("ดำเนินการ", "ปีงบประมาณ")
# Thai letters that belong to the consonant before them: a line must never begin with one.
DEPENDENT = set("ะัาำิีึืุู็่้๊๋์ๆ")


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


@pytest.mark.django_db
def test_the_unit_column_breaks_a_long_name_between_words_never_before_a_vowel(demo_seeds):
    # Phu Sang's measures name their unit "ทุกส่วนราชการในสังกัดองค์การบริหารส่วนตำบลภูซาง": held
    # whole, "องค์การบริหารส่วนตำบล" overflowed the column and was cut "องค์การบริหารส่วนต|ำบล".
    from assessments.models import Organisation
    from reports.documents.builders import build

    phu_sang = Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง")
    lines = line_texts(build("analysis", phu_sang, 2567).html())
    assert sum(line.startswith("ทุกส่วนราชการ") for line in lines) >= 5  # each measure's unit
    assert [line for line in lines if line[0] in DEPENDENT] == []
