"""Thai lines break where pythainlp's dictionary puts word boundaries, not inside compounds."""

from __future__ import annotations

from itertools import pairwise

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
    assert [line for line in lines if line[:1] in DEPENDENT] == []  # ("" holds only a chart)


def cuts(lines: list[str], word: str) -> list[str]:
    """The places where one line ends inside word and the next goes on with it."""
    return [
        f"{before}|{after}"
        for before, after in pairwise(lines)
        for k in range(1, len(word))
        if before.endswith(word[:k]) and after.startswith(word[k:])
    ]


# Phrases where libthai, left to itself, settles a tie of two compounds otherwise than newmm:
# "เพื่อให้|ได้" where newmm reads "เพื่อ|ให้ได้", "มีส่วนร่วม|ใน" for "มีส่วน|ร่วมใน".
# With the narrowest column they are set in: a column narrower than a whole phrase breaks it
# where libthai can ("แผนปฏิบัติการป้องกัน" is 3.5 cm wide; no document column is narrower).
TIES = (
    ("อย่างเร่งด่วนเพื่อให้ได้คะแนนไม่ต่ำกว่าเกณฑ์", 1.6),
    ("เพื่อให้ประชาชนมีส่วนร่วมในการดำเนินงาน", 1.6),
    ("รายงานผลการดำเนินการตามมาตรการต่อผู้บริหาร", 1.6),
    ("ปรับปรุงการปฏิบัติงานและการให้บริการ", 1.6),
    ("จัดทำแผนปฏิบัติการป้องกันการทุจริตประจำปี", 3.6),  # newmm: แผนปฏิบัติ|การป้องกัน
)


@pytest.mark.parametrize(("text", "narrowest"), TIES)
def test_lines_break_only_where_newmm_puts_a_word_boundary(text, narrowest):
    from pythainlp.tokenize import word_tokenize

    bounds, at = set(), 0
    for word in word_tokenize(text, engine="newmm"):
        at += len(word)
        bounds.add(at)
    widths = [narrowest + 0.25 * step for step in range(20)]  # up to 4.75 cm wider
    columns = "".join(f'<p style="width: {width}cm">{text}</p>' for width in widths)
    html = f"<html lang='th'><body style='font: 16pt \"Laksaman ITA\"'>{columns}</body></html>"
    wrong, so_far, breaks = [], "", 0
    for line in line_texts(html):
        so_far += line
        if so_far == text:
            so_far = ""
        elif len(so_far) not in bounds:
            wrong.append(f"{so_far}|{text[len(so_far) :]}")
        else:
            breaks += 1
    assert wrong == []
    assert breaks > len(widths)  # the columns did make the text break


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["plan", "progress"])
def test_the_unit_columns_hold_the_name_of_a_subdistrict_office_whole(demo_seeds, kind):
    from assessments.models import Organisation
    from reports.documents.builders import build

    phu_sang = Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง")
    lines = line_texts(build(kind, phu_sang, 2567).html())
    assert sum("องค์การบริหารส่วนตำบล" in line for line in lines) >= 3
    assert cuts(lines, "องค์การบริหารส่วนตำบล") == []
