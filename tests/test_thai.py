"""Thai digits and the Buddhist era, read and written (itaportal.thai)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from itaportal import thai
from itaportal.templatetags.thai import blocks


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("๘๓.๗๑", D("83.71")),
        (" 83.71 ", D("83.71")),
        ("๑๐๐", D(100)),
        ("๓๗.๕๐", D("37.50")),
        ("0", D(0)),
    ],
)
def test_it_reads_thai_and_arabic_digits(text, value):
    assert thai.parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "83,71", "8 3", "1e3", "NaN", "Infinity", "๘๓..๗", "12a"]
)
def test_it_refuses_malformed_numbers(text):
    with pytest.raises(ValueError):
        thai.parse_number(text)


@pytest.mark.parametrize(("text", "year"), [("๒๕๖๕", 2565), (" 2565 ", 2565), ("2565.0", 2565)])
def test_it_reads_years(text, year):
    assert thai.parse_year(text) == year


@pytest.mark.parametrize("text", ["0", "-2565", "2565.5", "10000", "9" * 5000, "ปี"])
def test_it_refuses_impossible_years(text):
    with pytest.raises(ValueError):
        thai.parse_year(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("๑๕ พ.ย. ๒๕๖๙", dt.date(2026, 11, 15)),  # as the date box shows it
        ("15 พ.ย. 2569", dt.date(2026, 11, 15)),
        ("15 พย 2569", dt.date(2026, 11, 15)),
        ("15 พฤศจิกายน 2569", dt.date(2026, 11, 15)),
        ("๑๕ พฤศจิกายน พ.ศ. ๒๕๖๙", dt.date(2026, 11, 15)),
        ("1 ม.ค. 2570", dt.date(2027, 1, 1)),
        ("31 ธันวาคม 2026", dt.date(2026, 12, 31)),
        ("15/11/2569", dt.date(2026, 11, 15)),
        ("๑๕/๑๑/๒๕๖๙", dt.date(2026, 11, 15)),
        ("5/3/2026", dt.date(2026, 3, 5)),  # day first, never month first
        ("2569-11-15", dt.date(2026, 11, 15)),
        ("2026-11-15", dt.date(2026, 11, 15)),
        ("๒๕๖๘-๐๒-๒๘", dt.date(2025, 2, 28)),
        ("2568-02-11", dt.date(2025, 2, 11)),
        ("2023-03-31", dt.date(2023, 3, 31)),
        (" ๒๕๖๗-๐๒-๒๙ ", dt.date(2024, 2, 29)),  # B.E. 2567 is 2024, a leap year
        ("29 ก.พ. 2567", dt.date(2024, 2, 29)),
        ("1/1/2400", dt.date(1857, 1, 1)),  # from 2400 on, a year is Buddhist era
        ("1/1/2399", dt.date(2399, 1, 1)),
    ],
)
def test_it_reads_dates_in_either_era(text, day):
    assert thai.parse_date(text) == day


@pytest.mark.parametrize(
    "text",
    [
        # 29 February of B.E. 2568, 2564 and 2560 (2025, 2021, 2017: common years), whatever the
        # B.E. number itself would say of leap years
        "2568-02-29",
        "๒๕๖๔-๐๒-๒๙",
        "29/02/2560",
        "29 ก.พ. 2569",
        "2566-13-01",
        "32/01/2569",
        "15 พ.ย. 69",  # a two-digit year: which century?
        "15 พฤศจิ 2569",
        "15 Nov 2569",
        "11/15/2026",  # month first, as a browser's date box writes it
        "15/11",
        "",
        "2566-3-1x",
        "๑๕ พ.ย. ๒๕๖๙ 10:00",
    ],
)
def test_it_refuses_dates_that_do_not_exist(text):
    with pytest.raises(ValueError):
        thai.parse_date(text)


@pytest.mark.parametrize(("thai_digits", "text"), [(True, "๑๕ พ.ย. ๒๕๖๙"), (False, "15 พ.ย. 2569")])
def test_it_writes_a_short_date_that_it_reads_back(thai_digits, text):
    assert thai.date_be_short(dt.date(2026, 11, 15), thai_digits) == text
    assert thai.parse_date(text) == dt.date(2026, 11, 15)


def test_it_writes_buddhist_era_years_and_thai_digits():
    assert thai.be_year(2025) == 2568
    assert thai.ad_year(2568) == 2025
    assert thai.digits("พ.ศ. 2568") == "พ.ศ. ๒๕๖๘"
    assert thai.number(D("68.785")) == "๖๘.๗๙"  # half up, as NACC rounds
    assert thai.number(D("68.785"), thai=False) == "68.79"


@pytest.mark.parametrize(
    ("typed", "thai_style", "arabic_style"),
    [
        ("พ.ศ. 2566 ข้อ 1. ให้คำปรึกษา", "พ.ศ. ๒๕๖๖ ข้อ ๑. ให้คำปรึกษา", "พ.ศ. 2566 ข้อ 1. ให้คำปรึกษา"),
        ("ปี ๒๕๖๖ ข้อ 3", "ปี ๒๕๖๖ ข้อ ๓", "ปี 2566 ข้อ 3"),
        (
            "ดู https://x.go.th/ita/2566?p=1 ก่อน 5 วัน",
            "ดู https://x.go.th/ita/2566?p=1 ก่อน ๕ วัน",
            None,
        ),
        ("ถึง staff1@bangkao.go.th 2 ฉบับ", "ถึง staff1@bangkao.go.th ๒ ฉบับ", None),
        ("รหัส CX5H-DQ1K SHA 8070ab ข้อ o32 ISO9001", None, None),
    ],
)
def test_it_writes_typed_text_in_the_organisations_digits_but_keeps_urls_and_codes(
    typed, thai_style, arabic_style
):
    assert thai.typed_digits(typed) == (thai_style or typed)
    assert thai.typed_digits(typed, False) == (arabic_style or typed)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("ต่างๆ เช่น", "ต่าง\u00a0ๆ เช่น"),
        ("ทุก ๆ ปี", "ทุก\u00a0ๆ ปี"),
        ("ช้าๆๆ", "ช้า\u00a0ๆ\u00a0ๆ"),
        ("ๆ ขึ้นต้น", "ๆ ขึ้นต้น"),
        ("ไม่มีไม้ยมก", "ไม่มีไม้ยมก"),
    ],
)
def test_mai_yamok_is_spaced_and_never_begins_a_line(typed: str, printed: str) -> None:
    assert thai.yamok_spaced(typed) == printed


def test_typed_paragraphs_and_tables_space_mai_yamok_too() -> None:
    """The sections people write print through `blocks`: "ต่างๆของ" came out unspaced."""
    out = blocks("ข้อมูลต่างๆของเทศบาล\nช่อง\tต่างๆ", False)
    assert out == [("p", "ข้อมูลต่าง\u00a0ๆของเทศบาล"), ("table", [["ช่อง", "ต่าง\u00a0ๆ"]])]


@pytest.mark.parametrize(
    ("page", "read"),
    [
        ("<p>ทุก ๖ เดือน</p>", "<p>ทุก 6 เดือน</p>"),
        ('<input placeholder="เช่น พย ๗๒๔๐๑" title="ข้อ ๑" value="๑๒">', None),
        ("<textarea name=t>\n๑. ประชุม</textarea>", None),
        ('<script>let label = "๑";</script><style>p::after{content:"๒"}</style><!-- ๓ -->', None),
        ('<a href="/ค้นหา?q=๑">ข้อ ๒</a>', '<a href="/ค้นหา?q=๑">ข้อ 2</a>'),
        (
            '<p lang="th-u-nu-thai">เลขไทย (<b>๘๓.๗๑</b>)</p> <p>๑</p>',
            '<p lang="th-u-nu-thai">เลขไทย (<b>๘๓.๗๑</b>)</p> <p>1</p>',
        ),
        ('<select><option value="๑" lang="th-u-nu-thai">๑๒๓</option><option>๑</option></select>',
         '<select><option value="๑" lang="th-u-nu-thai">๑๒๓</option><option>1</option></select>'),
        ("<p>83.71 ไม่มีเลขไทย</p>", None),
        ('<td translate="no">พย ๗๒๔๐๑</td><td>๑</td>',
         '<td translate="no">พย ๗๒๔๐๑</td><td>1</td>'),
    ],
)  # fmt: skip
def test_an_arabic_digit_page_keeps_thai_digits_only_where_typed_or_marked(
    page: str, read: str | None
) -> None:
    expected = read if read is not None else page
    if 'placeholder="' in page:
        expected = '<input placeholder="เช่น พย 72401" title="ข้อ 1" value="๑๒">'
    assert thai.arabic_html(page) == expected


@pytest.mark.parametrize(
    ("page", "read"),
    [
        ('<div class="invalid-feedback"><strong>ปีงบประมาณ 2565 มีข้อมูลแล้ว</strong></div><p>12</p>',
         '<div class="invalid-feedback"><strong>ปีงบประมาณ ๒๕๖๕ มีข้อมูลแล้ว</strong></div><p>12</p>'),
        ('<div class="alert alert-danger" role="alert">ขณะนี้มี 483000 ตัวอักษร</div>',
         '<div class="alert alert-danger" role="alert">ขณะนี้มี ๔๘๓๐๐๐ ตัวอักษร</div>'),
        ('<ul class="errorlist"><li>ไม่เกิน 5</li></ul><div class="alert"><div>1</div>2</div>3',
         '<ul class="errorlist"><li>ไม่เกิน ๕</li></ul><div class="alert"><div>๑</div>๒</div>3'),
        ('<p role="alert">ข้อ 3 <span lang="th-u-nu-thai">83.71 หรือ ๘๓.๗๑</span> 4</p><p>5</p>',
         '<p role="alert">ข้อ ๓ <span lang="th-u-nu-thai">83.71 หรือ ๘๓.๗๑</span> ๔</p><p>5</p>'),
        ('<div class="alert" translate="no">1<div>2</div></div>3<br class="alert">4'
         '<div class="errorlist">5</div>',
         '<div class="alert" translate="no">1<div>2</div></div>3<br class="alert">4'
         '<div class="errorlist">๕</div>'),
        ('<div class="alert">ดู https://a.go.th/p/2565 o12 ind_1 แผน-2568.pdf EDF1-2345-WA8H '
         "n00001-staff a1@b.co &#39;10.0.0.1&#x27;</div>",
         '<div class="alert">ดู https://a.go.th/p/2565 o12 ind_1 แผน-2568.pdf EDF1-2345-WA8H '
         "n00001-staff a1@b.co &#39;10.0.0.1&#x27;</div>"),
        ('<div class="alert" data-n="5"><input name="y" value="2565"><textarea>1</textarea></div>',
         None),
        ('<p class="text-danger alerts-off">1</p><div class="malert">2</div>', None),
    ],
)  # fmt: skip
def test_a_thai_digit_pages_messages_are_written_in_thai_digits(
    page: str, read: str | None
) -> None:
    """Django's messages and the values people typed that they quote; not the typed value in its
    box, attributes, addresses, codes, file names, nor an example marked to keep its digits."""
    assert thai.thai_digit_messages(page) == (read if read is not None else page)
