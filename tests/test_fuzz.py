"""Property-based tests: random and hostile input to the forms and the results-file importer.

Targets: the score form, the measure form, the memo form, `parse_scores_file` and the results
upload. For any input: never a server error; the answer is the form again (200) or a redirect
(302); when it is not a redirect nothing was written and every error shown is written in Thai,
its numbers in Thai digits (the organisation's);
when it is a redirect, what was stored is what was sent (numbers read from Thai or Arabic digits,
text as typed, without the spaces around it).

The bugs these tests found (a damaged workbook, English messages, control characters in names,
a 5,000-digit year) are fixed; the regression tests at the end keep them fixed.

Run with -s to see how many inputs each target got, or with --hypothesis-show-statistics.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments import ita
from assessments.importing import ImportRejected, ScoreRow, parse_scores_file
from assessments.models import Assessment, IndicatorScore, Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal import thai
from itaportal.accounts.models import AuditEvent, User
from measures.models import Measure, MeasurePlan
from measures.services import plan_create
from reports.memos.models import Memo, MemoEvent, MemoStep, MemoVersion
from reports.numbering import NumberRegister
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# How many inputs each target was given, and the known findings met on the way (printed at the
# end of the module; see `_summary`).
TRIED: Counter[str] = Counter()
OUTCOMES: Counter[str] = Counter()

FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
THAI_TEXT = re.compile("[\u0e00-\u0e7f]")
ORG_NAME, ORG_PROVINCE = "เทศบาลตำบลบางเก่า", "เพชรบุรี"  # tests.conftest's `org`
FRAMEWORK_YEARS = range(2562, 2570)  # fixtures/ita_frameworks.json
RECORDED_YEARS = {2564, 2565}  # `assessed_org`


@pytest.fixture(autouse=True)
def _plain_http(settings: Any) -> None:
    """The production settings redirect http to https; the test client speaks http."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    if not TRIED:
        return
    print("\n\nfuzz inputs tried per target:")
    for target, count in sorted(TRIED.items()):
        outcomes = ", ".join(
            f"{k.split(':', 1)[1]} {v}"
            for k, v in sorted(OUTCOMES.items())
            if k.split(":", 1)[0] == target
        )
        print(f"  {target:<16} {count:>5}   ({outcomes})")


def outcome(target: str, what: str) -> None:
    OUTCOMES[f"{target}:{what}"] += 1
    event(what)


# ---------------------------------------------------------------------------------------------
# Checks shared by the targets


def table_rows(*model_classes: type[models.Model]) -> list[list[tuple[Any, ...]]]:
    """Every row of these tables, every column: equal lists mean nothing was written."""
    return [list(model._base_manager.order_by("pk").values_list()) for model in model_classes]


def assert_thai(message: str, where: str) -> None:
    message = " ".join(message.split())
    if THAI_TEXT.search(message):
        return
    raise AssertionError(f"{where}: an error message without Thai: {message!r}")


FIELD_ERRORS = re.compile(r'<div id="id_(\w+)_error" class="invalid-feedback">(.*?)</div>', re.S)
STRONG = re.compile(r"<strong>(.*?)</strong>", re.S)
ALERTS = re.compile(r'<div[^>]*class="[^"]*alert-danger[^"]*"[^>]*>(.*?)</div>', re.S)
TAGS = re.compile(r"<[^>]+>")
# An example of both kinds of digits ("เช่น 83.71 หรือ ๘๓.๗๑"), which keeps its Arabic ones.
EXAMPLE = re.compile(rf'<span lang="{thai.THAI_NUMBERING}">.*?</span>', re.S)


def error_texts(html: str, tags: re.Pattern[str] = TAGS) -> list[tuple[str, str]]:
    """(where, text) of every error shown: each field's messages and the red alerts; `tags`:
    what is left out of the text."""
    found = [
        (f"field {name}", tags.sub(" ", text))
        for name, block in FIELD_ERRORS.findall(html)
        for text in (STRONG.findall(block) or [block])
    ]
    found += [("alert", tags.sub(" ", text)) for text in ALERTS.findall(html)]
    return found


def assert_refused_in_thai(html: str, *, banner: bool = True) -> None:
    """Every error in Thai, its numbers in Thai digits as the organisation writes them (but
    in the examples of both kinds, and in what keeps its digits: codes, addresses...)."""
    errors = error_texts(html)
    assert errors, "the form was shown again without any error"
    for where, text in errors:
        assert_thai(text, where)
    for where, text in error_texts(html, re.compile(f"{EXAMPLE.pattern}|{TAGS.pattern}", re.S)):
        digits = re.findall("[0-9]+", thai.KEEP_IN_MESSAGES.sub(" ", text))
        assert not digits, f"{where}: Arabic digits {digits} in {' '.join(text.split())!r}"
    if banner:
        assert "ไม่มีการบันทึก" in html, "the 'nothing was saved' banner is missing"


def assert_escaped(client: Client, response: Any, data: dict[str, Any]) -> None:
    """Markup typed into a field comes back as text: on the form shown again, or on the page the
    redirect leads to (where the saved value is shown)."""
    sent = " ".join(v if isinstance(v, str) else " ".join(v) for v in data.values())
    if "<script>alert" not in sent:
        return
    TRIED["markup escaped"] += 1
    page = response if response.status_code == 200 else client.get(response["Location"])
    assert "<script>alert" not in page.content.decode(), "markup sent back unescaped"


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    client.cookies.pop("messages", None)  # a previous example's success message
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    return response


# ---------------------------------------------------------------------------------------------
# Strategies: what people type, and what attackers and broken spreadsheets send

SAFE_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
ANY_CHAR = st.characters(exclude_categories=["Cs"])  # surrogates cannot be sent as UTF-8
MIXED_CHAR = st.sampled_from(
    list("0123456789๐๑๒๓๔๕๖๗๘๙.,-+ eEกขคabcабв中文٠١٢٣۴۵०१２３\t\u00a0\u200b")
)


def in_digits(text: str, style: str) -> str:
    if style == "thai":
        return text.translate(TO_THAI)
    if style == "mixed":  # every other digit Thai: people copy numbers from several sources
        return "".join(ch.translate(TO_THAI) if i % 2 else ch for i, ch in enumerate(text))
    return text


@st.composite
def number_text(draw: st.DrawFn, low: int = 0, high: int = 100) -> tuple[str, Decimal]:
    """A valid score as people type it, and the value it means."""
    cents = draw(st.integers(low * 100, high * 100))
    value = Decimal(cents).scaleb(-2)
    forms = [f"{value:.2f}"]
    if cents % 10 == 0:
        forms.append(f"{value:.1f}")
    if cents % 100 == 0:
        forms.append(str(cents // 100))
    text = draw(st.sampled_from(forms))
    text = in_digits(text, draw(st.sampled_from(["arabic", "thai", "mixed"])))
    pad = draw(st.sampled_from(["", " ", "\t", "\u00a0", "  \n"]))
    return pad + text + pad[::-1], value


HOSTILE_WORDS = [
    "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "-inf", "∞",
    "1e2", "1E2", "๑e๒", "8.371e1", "1e-2", "1e999999", "0x53", "1_000", "1,000", "๘๓,๗๑",
    "83,71", "1.2.3", "..", ".", "-", "+", "+-1", "--1", "٨٣.٧١", "۸۳", "८३", "８３．７１",
    "𝟖𝟑", "²", "½", "๘๓.๗๑๑", "100.001", "100.01", "-0.01", "-0", "+83.71", "0083.71",
    "83.", ".71", "8 3", "83\u200b", "\u200b", "\ufeff83", "\u202e17.38", "ห้าสิบ",
    "สองพันห้าร้อย", "๒๕๖๖.๕", "2566.0", "<script>alert('x')</script>",
    "<b>83</b>", "&lt;83&gt;", "'; DROP TABLE assessments_assessment; --", "{{ 7|add:1 }}",
    "{% debug %}", "%(year)s", "%s%s%s", "\x00", "83\x00", "\x1b[31m83", "\r\n", "\x7f",
    "\ud7ff", "😀", "AA", "aa", "ผ่าน", " A ", "A\u200b",
]  # fmt: skip


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Anything but a plain valid value: odd numbers, odd scripts, markup, control characters."""
    return st.one_of(
        st.sampled_from(HOSTILE_WORDS),
        st.integers(6, 9000).map(lambda n: "9" * n),  # past Decimal's and int's comfort
        st.integers(6, 5000).map(lambda n: "๑" + "๐" * n),
        st.integers(2, 400).map(lambda n: "-" + "9" * n),
        st.tuples(st.integers(-999, 999), st.integers(-99999, 99999)).map(
            lambda t: f"{t[0]}e{t[1]}"
        ),
        st.text(MIXED_CHAR, max_size=max_size),
        st.text(ANY_CHAR, max_size=max_size),
        st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=20),
        st.sampled_from(["ก" * 10_000, "x" * 10_001, "<p>" * 2_500, "๙" * 10_000]),
    )


MARKUP = "มาตรการ <script>alert(1)</script>"


def with_markup(draw: st.DrawFn, data: dict[str, Any], fields: list[str]) -> None:
    """Some forms carry markup in a text field (valid input all the same)."""
    field = draw(st.sampled_from([*fields, *[None] * (6 * len(fields))]))
    if field is not None:
        data[field] = MARKUP


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, st.just(""))


# ---------------------------------------------------------------------------------------------
# 1. The score form


SCORE_FIELDS = [
    "fiscal_year",
    *[f"ind_{n}" for n in range(1, 11)],
    "published_score",
    "published_level",
    "maintain_from",
    "raise_from",
    "target",
]
LEVELS = {  # what a published level may be called, per framework (case and spaces vary)
    range(2562, 2566): ["AA", "A", "B", "C", "D", "E", "F", "aa", " b "],
    range(2566, 2570): ["ผ่านดีเยี่ยม", "ผ่าน", "ไม่ผ่าน", "AA", "A", "ต้องปรับปรุง", "F", "a"],
}


@st.composite
def score_posts(draw: st.DrawFn) -> tuple[dict[str, str], bool]:
    """A score form as sent, and whether it is valid (then it must be saved)."""
    year = draw(st.sampled_from(FRAMEWORK_YEARS))
    style = draw(st.sampled_from(["arabic", "thai", "mixed"]))
    data = {"fiscal_year": in_digits(str(year), style)}
    for n in range(1, 11):
        data[f"ind_{n}"] = draw(maybe(number_text().map(lambda t: t[0])))
    data["published_score"] = draw(maybe(number_text().map(lambda t: t[0])))
    levels = next(names for years, names in LEVELS.items() if year in years)
    data["published_level"] = draw(maybe(st.sampled_from(levels)))
    (high_text, high), (low_text, low) = draw(number_text()), draw(number_text())
    if low > high:
        (high_text, high), (low_text, low) = (low_text, low), (high_text, high)
    data["maintain_from"], data["raise_from"] = high_text, low_text
    data["target"] = draw(number_text())[0]
    valid = year not in RECORDED_YEARS
    for field in draw(st.lists(st.sampled_from(SCORE_FIELDS), max_size=4, unique=True)):
        data[field] = draw(
            st.one_of(hostile_text(), st.just(""), number_text(-50, 300).map(lambda t: t[0]))
        )
        valid = False
    return data, valid


def parsed(text: str) -> Decimal | None:
    return thai.parse_number(text) if text.strip() else None


@pytest.mark.slow
@settings(FUZZ, max_examples=70)
@given(sent=score_posts())
@example(
    sent=(
        {
            **{f: "๙๐" for f in SCORE_FIELDS},
            "fiscal_year": "๒๕๖๖",
            "raise_from": "๘๕",
            "published_level": "",
        },
        True,
    )
)
@example(
    sent=(
        {
            **{f: "90" for f in SCORE_FIELDS},
            "fiscal_year": "2566",
            "published_level": "x" * 51 + "\x00",
        },
        False,
    )
)
def test_score_form_saves_what_was_sent_or_nothing(
    assessed_org: Organisation, staff: User, sent: tuple[dict[str, str], bool]
) -> None:
    data, valid = sent
    TRIED["score form"] += 1
    url = reverse("assessments:scores_new", args=[assessed_org.pk])
    client = client_for(staff)  # logging in is audited: before the snapshot
    tables = (Assessment, IndicatorScore, Organisation, AuditEvent)
    before = table_rows(*tables)
    response = post(client, url, data)
    assert_escaped(client, response, data)
    if response.status_code == 200:
        outcome("score form", "refused")
        assert not valid, "a valid score form was refused"
        assert table_rows(*tables) == before
        assert_refused_in_thai(response.content.decode())
        return
    outcome("score form", "saved")
    year = int(thai.parse_number(data["fiscal_year"]))
    assert year in FRAMEWORK_YEARS and year not in RECORDED_YEARS
    saved = Assessment.objects.get(organisation=assessed_org, fiscal_year=year)
    sent_scores = {n: parsed(data[f"ind_{n}"]) for n in range(1, 11)}
    assert saved.score_map() == {n: v for n, v in sent_scores.items() if v is not None}
    assert saved.published_score == parsed(data["published_score"])
    assert saved.published_level == data["published_level"].strip()
    assert saved.maintain_from == thai.parse_number(data["maintain_from"])
    assert saved.raise_from == thai.parse_number(data["raise_from"])
    assert saved.target == thai.parse_number(data["target"])
    assert saved.updated_by == staff
    saved.delete()  # the next example starts from the same two recorded years


# ---------------------------------------------------------------------------------------------
# 2. The measure form

FY2566_MONTHS = [f"{y}-{m:02d}" for y, m in [(2022, 10), (2022, 11), (2022, 12)]] + [
    f"2023-{m:02d}" for m in range(1, 10)
]
CADENCES = ["none", "monthly", "quarterly", "semiannual", "annual"]
STATUSES = ["not_started", "in_progress", "done", "cancelled"]
MEASURE_TEXTS = ["method", "other_people", "follow_up", "expected_result"]


def free_text(min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    text = st.text(SAFE_CHAR, min_size=min_size, max_size=max_size)
    if min_size:
        text = text.filter(str.strip)
    return st.one_of(text, text, text, st.just("ก" * max_size))  # one in four: the longest


@st.composite
def measure_posts(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    data: dict[str, Any] = {
        "title": draw(free_text(1, 300)),
        "indicators": draw(
            st.lists(
                st.sampled_from([str(n) for n in range(1, 11)]),
                min_size=1,
                max_size=10,
                unique=True,
            )
        ),
        "responsible_unit": draw(free_text(0, 200)),
        "cadence": draw(st.sampled_from(CADENCES)),
        "status": draw(st.sampled_from(STATUSES)),
    }
    for name in MEASURE_TEXTS:
        data[name] = draw(st.one_of(free_text(0, 300), st.just("ข้อความยาว " * 1_000)))
    if draw(st.booleans()):
        start, end = sorted(draw(st.lists(st.sampled_from(FY2566_MONTHS), min_size=2, max_size=2)))
        data["start"], data["end"] = start, end
    else:
        data["start"] = data["end"] = ""
    with_markup(draw, data, ["title", "responsible_unit", *MEASURE_TEXTS])
    valid = True
    hostile = {
        "title": st.one_of(hostile_text(), st.just("ก" * 301), st.just("  ")),
        "responsible_unit": st.one_of(hostile_text(), st.just("ก" * 201)),
        "indicators": st.one_of(
            st.just([]),
            st.lists(
                st.one_of(
                    st.sampled_from(["0", "11", "๑", "1.0", "-1", "", "๑๐"]), hostile_text(10)
                ),
                min_size=1,
                max_size=4,
            ),
        ),
        "start": st.one_of(
            st.sampled_from(["2023-13", "2021-10", "2566-01", "๒๐๒๓-๐๑"]), hostile_text(20)
        ),
        "end": st.one_of(st.sampled_from(["2022-09", "2024-01", "2022-10", ""]), hostile_text(20)),
        "cadence": st.one_of(st.sampled_from(["weekly", "", "NONE"]), hostile_text(20)),
        "status": st.one_of(st.sampled_from(["deleted", "", "Done"]), hostile_text(20)),
        "method": hostile_text(),
        "follow_up": hostile_text(),
    }
    for field in draw(st.lists(st.sampled_from(sorted(hostile)), max_size=3, unique=True)):
        data[field] = draw(hostile[field])
        valid = False
    return data, valid


@pytest.fixture
def rules_for_year(db: None) -> Any:
    return FrameworkCatalogue().rules_for_organisation


@pytest.fixture
def plan_2566(assessed_org: Organisation) -> MeasurePlan:
    return plan_create(organisation=assessed_org, fiscal_year=2566)


def month(text: str) -> dt.date | None:
    return dt.datetime.strptime(text, "%Y-%m").date() if text else None


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(sent=measure_posts())
@example(
    sent=(
        {
            "title": "x" * 301 + "\x00",
            "indicators": ["1"],
            "cadence": "none",
            "status": "done",
            "start": "",
            "end": "",
        },
        False,
    )
)
def test_measure_form_saves_what_was_sent_or_nothing(
    plan_2566: MeasurePlan, staff: User, sent: tuple[dict[str, Any], bool]
) -> None:
    data, valid = sent
    TRIED["measure form"] += 1
    plan = plan_2566
    url = reverse("measures:measure_new", args=[plan.organisation_id, plan.fiscal_year])
    client = client_for(staff)
    tables = (Measure, Measure.owners.through, MeasurePlan, AuditEvent)
    before = table_rows(*tables)
    known = set(Measure.objects.values_list("pk", flat=True))
    response = post(client, url, data)
    assert_escaped(client, response, data)
    if response.status_code == 200:
        outcome("measure form", "refused")
        assert not valid, "a valid measure was refused"
        assert table_rows(*tables) == before
        assert_refused_in_thai(response.content.decode())
        return
    outcome("measure form", "saved")
    saved = Measure.objects.exclude(pk__in=known).get()
    assert saved.plan_id == plan.pk
    assert saved.title == data["title"].strip()
    assert saved.indicators == sorted({int(n) for n in data["indicators"]})
    assert saved.responsible_unit == data["responsible_unit"].strip()
    for name in MEASURE_TEXTS:
        assert getattr(saved, name) == data[name].strip(), name
    assert (saved.cadence, saved.status) == (data["cadence"], data["status"])
    assert (saved.start_month, saved.end_month) == (month(data["start"]), month(data["end"]))
    assert not saved.owners.exists()
    saved.delete()


# ---------------------------------------------------------------------------------------------
# 3. The memo form

MEMO_LIMITS = {
    "unit": 300,
    "subject": 300,
    "addressee": 200,
    "closing": 200,
    "drafter_name": 200,
    "drafter_position": 200,
}
MEMO_TEXTS = ["background", "facts", "considerations", "proposal"]
MEMO_DOCUMENTS = ["analysis:2565", "analysis:2564"]  # what `assessed_org` can attach


@st.composite
def memo_posts(draw: st.DrawFn) -> tuple[dict[str, Any], bool]:
    data: dict[str, Any] = {name: draw(free_text(1, limit)) for name, limit in MEMO_LIMITS.items()}
    for name in MEMO_TEXTS:
        data[name] = draw(st.one_of(free_text(0, 500), st.just("ข้อเท็จจริง\r\n" * 1_000)))
    data["attached"] = draw(st.lists(st.sampled_from(MEMO_DOCUMENTS), unique=True))
    with_markup(draw, data, [*MEMO_LIMITS, *MEMO_TEXTS])
    valid = True
    hostile = {
        **{
            name: st.one_of(hostile_text(), st.just("ก" * (limit + 1)), st.just(" \t "))
            for name, limit in MEMO_LIMITS.items()
        },
        **{name: st.one_of(hostile_text(), st.just("ก" * 20_001)) for name in MEMO_TEXTS},
        "attached": st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "analysis:2599",
                        "plan:2565",
                        "analysis",
                        ":",
                        "order:x",
                        "analysis:๒๕๖๕",
                        "analysis:2565:1",
                    ]
                ),
                hostile_text(20),
            ),
            min_size=1,
            max_size=3,
        ),
    }
    for field in draw(st.lists(st.sampled_from(sorted(hostile)), max_size=3, unique=True)):
        data[field] = draw(hostile[field])
        valid = False
    return data, valid


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(sent=memo_posts())
@example(
    sent=(
        {
            **{k: "ทดสอบ" for k in MEMO_LIMITS},
            **{k: "" for k in MEMO_TEXTS},
            "subject": "ก" * 301,
            "unit": "สำนักปลัด\x00",
            "attached": [],
        },
        False,
    )
)
def test_memo_form_saves_what_was_sent_or_nothing(
    assessed_org: Organisation, staff: User, sent: tuple[dict[str, Any], bool]
) -> None:
    data, valid = sent
    TRIED["memo form"] += 1
    url = reverse("reports:memo_new", args=[assessed_org.pk])
    client = client_for(staff)
    tables = (Memo, MemoEvent, MemoStep, MemoVersion, NumberRegister, AuditEvent)
    before = table_rows(*tables)
    known = set(Memo.objects.values_list("pk", flat=True))
    response = post(client, url, data)
    assert_escaped(client, response, data)
    if response.status_code == 200:
        outcome("memo form", "refused")
        assert not valid, "a valid memo was refused"
        assert table_rows(*tables) == before
        assert_refused_in_thai(response.content.decode())
        return
    outcome("memo form", "saved")
    saved = Memo.objects.exclude(pk__in=known).get()
    assert (saved.organisation_id, saved.drafter_id) == (assessed_org.pk, staff.pk)
    for name in [*MEMO_LIMITS, *MEMO_TEXTS]:
        assert getattr(saved, name) == data[name].strip(), name
    assert saved.attachments == [
        {"kind": kind, "year": int(year)} for kind, year in (a.split(":") for a in data["attached"])
    ]
    assert (saved.status, saved.number, saved.reference) == (Memo.Status.DRAFT, None, "")
    saved.delete()


# ---------------------------------------------------------------------------------------------
# 4. Results files: the parser and the upload

COLUMNS = [
    "org_name",
    "province",
    "fiscal_year",
    "district",
    "org_code",
    *[f"ind_{n}" for n in range(1, 11)],
    "published_score",
    "published_level",
]


def org_names() -> st.SearchStrategy[str]:
    """Names a spreadsheet can hold (no control characters), not blank."""
    return st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60).filter(
        str.strip
    )


@st.composite
def result_rows(draw: st.DrawFn, own: bool) -> tuple[list[str], list[list[str]], bool]:
    """A header and rows (text cells), and whether they are valid; `own` keeps to the staff
    user's organisation. One table in three is spoiled (a bad header or bad cells)."""
    spoil = draw(st.sampled_from([False, False, True]))
    header = list(COLUMNS)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if spoil and draw(st.booleans()):  # a required column missing, or junk columns
        header = [c for c in header if c != draw(st.sampled_from(COLUMNS[:3]))]
        header = [draw(st.sampled_from(["\ufeffOrg_Name ", " ", "หมายเหตุ", "ind_11"])), *header]
    valid = all(c in header for c in COLUMNS[:3])
    years = draw(
        st.lists(
            st.sampled_from(sorted(set(FRAMEWORK_YEARS) - RECORDED_YEARS)),
            min_size=0 if spoil else 1,
            max_size=4,
            unique=True,
        )
    )
    valid = valid and bool(years)
    rows = []
    for year in years:
        cells = {
            "org_name": ORG_NAME if own else draw(org_names()),
            "province": draw(st.sampled_from([ORG_PROVINCE, "จังหวัด" + ORG_PROVINCE])),
            "fiscal_year": in_digits(str(year), draw(st.sampled_from(["arabic", "thai"]))),
            "district": draw(st.sampled_from(["", "ชะอำ", "อำเภอชะอำ"])),
            "org_code": "",
            "published_score": draw(maybe(number_text().map(lambda t: t[0]))),
            "published_level": "",
        }
        for n in range(1, 11):
            cells[f"ind_{n}"] = draw(maybe(number_text().map(lambda t: t[0])))
        if spoil:
            for field in draw(st.lists(st.sampled_from(COLUMNS), max_size=3, unique=True)):
                cells[field] = draw(st.one_of(hostile_text(40), st.just("")))
                valid = False
        rows.append([cells.get(c.strip().lstrip("\ufeff").lower(), "") for c in header])
    return header, rows, valid and not spoil


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str, newline: str) -> bytes:
    def cell(text: str) -> str:
        if any(ch in text for ch in ',"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [",".join(cell(c) for c in line) for line in [header, *rows]]
    return newline.join(lines).encode(encoding, errors="replace") + newline.encode()


NUMBER_COLUMNS = {"fiscal_year", "published_score", *(f"ind_{n}" for n in range(1, 11))}


def xlsx_bytes(header: list[str], rows: list[list[str]], typed: bool) -> bytes:
    """A real workbook; with `typed`, number-like score cells become numbers, as in Excel."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for r, line in enumerate([header, *rows], start=1):
        for c, text in enumerate(line, start=1):
            text = ILLEGAL_CHARACTERS_RE.sub("", text)[:32_000]
            value: Any = text
            if typed and r > 1 and c <= len(header) and header[c - 1] in NUMBER_COLUMNS:
                try:
                    number = thai.parse_number(text)
                except ValueError:
                    number = None
                if number is not None and abs(number) < 10**15:  # what a spreadsheet cell holds
                    value = int(number) if number == number.to_integral() else float(number)
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=..." is text typed by someone, not a formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def damaged(data: bytes, how: str, where: int, junk: bytes) -> bytes:
    at = where % max(len(data), 1)
    if how == "truncate":
        return data[:at]
    if how == "flip":
        return data[:at] + junk + data[at + len(junk) :]
    return data[:at] + data[at + len(junk) * 50 :]  # a hole


def damaged_member(data: bytes, where: int, junk: bytes, mode: str) -> bytes:
    """The workbook re-zipped with one XML part spoiled: the zip is sound, its content is not."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    victim = names[where % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            if name == victim:
                if mode == "drop":
                    continue
                at = where % max(len(content), 1)
                content = content[:at] if mode == "truncate" else content[:at] + junk + content[at:]
            target.writestr(name, content)
    return out.getvalue()


@st.composite
def result_files(draw: st.DrawFn, own: bool = False) -> tuple[str, bytes, bool]:
    """(filename, bytes, whether the file is valid)."""
    header, rows, valid = draw(result_rows(own))
    kind = draw(
        st.sampled_from(["csv"] * 3 + ["xlsx"] * 2 + ["xlsx-damaged", "xlsx-spoiled", "bytes"])
    )
    event(f"file: {kind}")
    if kind == "csv":
        encoding = draw(
            st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp874", "utf-32"])
        )
        data = csv_bytes(header, rows, encoding, draw(st.sampled_from(["\n", "\r\n", "\r"])))
        name = draw(st.sampled_from(["scores.csv", "SCORES.CSV", "ผลคะแนน.csv", "scores"]))
        valid = valid and encoding in ("utf-8", "utf-8-sig") and name != "scores"
        return name, data, valid
    if kind == "bytes":
        data = draw(
            st.one_of(
                st.binary(max_size=3000), st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b)
            )
        )
        return draw(st.sampled_from(["x.csv", "x.xlsx", "x.xlsm", "x"])), data, False
    data = xlsx_bytes(header, rows, typed=draw(st.booleans()))
    if kind == "xlsx":
        return draw(st.sampled_from(["scores.xlsx", "ผล.XLSX", "scores.csv"])), data, valid
    where, junk = draw(st.integers(0, 2**20)), draw(st.binary(min_size=1, max_size=8))
    if kind == "xlsx-damaged":
        data = damaged(data, draw(st.sampled_from(["truncate", "flip", "hole"])), where, junk)
    else:
        data = damaged_member(
            data, where, junk, draw(st.sampled_from(["truncate", "junk", "drop"]))
        )
    return "scores.xlsx", data, False


GOOD_HEADER = ["org_name", "province", "fiscal_year", "ind_1", "ind_10", "published_score"]
GOOD_XLSX = xlsx_bytes(GOOD_HEADER, [[ORG_NAME, ORG_PROVINCE, "2566", "90.5", "๘๔.๙๙", ""]], True)


def check_rows(rows: list[ScoreRow], rules_for_year: Any) -> None:
    for row in rows:
        assert (
            row.org_name
            and row.province
            and rules_for_year(row.fiscal_year, row.org_name, row.province) is not None
        )
        for value in [*row.scores.values(), row.published_score]:
            assert value is None or (0 <= value <= 100 and value == value.quantize(ita.CENT))


@pytest.mark.slow
@settings(FUZZ, max_examples=200)
@given(file=result_files())
@example(file=("big.csv", b"org_name,province,fiscal_year\nx,y," + b"9" * 5000 + b"\n", False))
@example(file=("cut.xlsx", GOOD_XLSX[: len(GOOD_XLSX) // 2], False))
@example(file=("flip.xlsx", damaged(GOOD_XLSX, "flip", 700, b"\xff\x00\xff\x00"), False))
@example(file=("nul.csv", b"org_name,province,fiscal_year\n\x00,\x00,\x00\n", False))
@example(
    file=("long.csv", b"org_name,province,fiscal_year\n" + b"x" * 140_000 + b",a,2566\n", False)
)
def test_parser_returns_rows_or_rejects_in_thai(
    rules_for_year: Any, file: tuple[str, bytes, bool]
) -> None:
    name, data, valid = file
    TRIED["parser"] += 1
    note(f"{name}: {data[:300]!r}")
    with translation.override("th"):
        try:
            rows = parse_scores_file(name, data, rules_for_year)
        except ImportRejected as rejected:
            outcome("parser", "rejected")
            assert rejected.errors
            for error in rejected.errors:
                assert_thai(error.message, f"line {error.line} {error.column}")
            assert not valid, rejected.errors
            return
    outcome("parser", "rows")
    check_rows(rows, rules_for_year)


@st.composite
def valid_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[dict[str, Any]]]:
    """Valid rows and what each means."""
    keys = draw(
        st.lists(
            st.tuples(
                org_names().map(lambda s: " ".join(s.split())), st.sampled_from(FRAMEWORK_YEARS)
            ),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    header = [
        "org_name",
        "province",
        "fiscal_year",
        *[f"ind_{n}" for n in range(1, 11)],
        "published_score",
    ]
    rows, meant = [], []
    for org_name, year in keys:
        cells = [
            org_name,
            ORG_PROVINCE,
            in_digits(str(year), draw(st.sampled_from(["arabic", "thai"]))),
        ]
        scores = {}
        for n in range(1, 12):  # the 11th is the published score
            text, value = draw(st.one_of(number_text(), st.just(("", None))))
            cells.append(text)
            if value is not None and n <= 10:
                scores[n] = value
        meant.append(
            {
                "key": (org_name, ORG_PROVINCE, year),
                "scores": scores,
                "published": thai.parse_number(cells[-1]) if cells[-1].strip() else None,
            }
        )
        rows.append(cells)
    return header, rows, meant


@pytest.mark.slow
@settings(FUZZ, max_examples=70)
@given(table=valid_tables(), form=st.sampled_from(["csv", "xlsx", "xlsx-typed"]))
def test_parser_reads_back_what_was_written(
    rules_for_year: Any, table: tuple[list[str], list[list[str]], list[dict[str, Any]]], form: str
) -> None:
    header, rows, meant = table
    TRIED["parser roundtrip"] += 1
    if form == "csv":
        data, name = csv_bytes(header, rows, "utf-8", "\r\n"), "r.csv"
    else:
        data, name = xlsx_bytes(header, rows, typed=form == "xlsx-typed"), "r.xlsx"
    with translation.override("th"):
        read = parse_scores_file(name, data, rules_for_year)
    outcome("parser roundtrip", form)
    assert [(r.org_name, r.province, r.fiscal_year) for r in read] == [m["key"] for m in meant]
    assert [r.scores for r in read] == [m["scores"] for m in meant]
    assert [r.published_score for r in read] == [m["published"] for m in meant]


@pytest.mark.slow
@settings(FUZZ, max_examples=60)
@given(file=result_files(own=True), dry_run=st.booleans())
@example(
    file=(
        "big.csv",
        f"org_name,province,fiscal_year\n{ORG_NAME},{ORG_PROVINCE},{'9' * 5000}".encode(),
        False,
    ),
    dry_run=False,
)
@example(file=("cut.xlsx", GOOD_XLSX[:-100], False), dry_run=False)
@example(file=("good.xlsx", GOOD_XLSX, True), dry_run=False)
def test_upload_imports_the_file_whole_or_nothing(
    assessed_org: Organisation, staff: User, file: tuple[str, bytes, bool], dry_run: bool
) -> None:
    name, data, valid = file
    TRIED["upload"] += 1
    client = client_for(staff)
    tables = (Assessment, IndicatorScore, Organisation, AuditEvent)
    before = table_rows(*tables)
    years_before = set(Assessment.objects.values_list("pk", flat=True))
    client.cookies.pop("messages", None)
    upload = SimpleUploadedFile(name, data)
    form = {"file": upload, **({"dry_run": "on"} if dry_run else {})}
    response = client.post(reverse("assessments:scores_import"), form)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert table_rows(*tables) == before
        html = response.content.decode()
        if "import-errors" in html:
            outcome("upload", "rejected")
            problems = re.search(r'id="import-errors">(.*?)</table>', html, re.S)
            assert problems is not None
            assert_thai(TAGS.sub(" ", problems.group(1).split("<tbody>")[0]), "summary")
            for cells in re.findall(
                r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td></tr>", problems.group(1), re.S
            ):
                assert_thai(TAGS.sub(" ", cells), "problem")
            assert not valid
        elif "import-preview" in html:
            outcome("upload", "checked only")
            assert dry_run
        else:
            outcome("upload", "form error")
            assert_refused_in_thai(html, banner=False)
            assert not valid
        return
    outcome("upload", "imported")
    assert not dry_run
    with translation.override("th"):
        rows = parse_scores_file(name, data, FrameworkCatalogue().rules_for_organisation)
    for row in rows:
        assert (row.org_name, row.province) == (ORG_NAME, ORG_PROVINCE)
        stored = Assessment.objects.get(organisation=assessed_org, fiscal_year=row.fiscal_year)
        assert {n: v for n, v in stored.score_map().items() if n in row.scores} == row.scores
        if row.published_score is not None:
            assert stored.published_score == row.published_score
    assert Organisation.objects.count() == len(before[2])
    Assessment.objects.exclude(pk__in=years_before).delete()


# ---------------------------------------------------------------------------------------------
# The bugs these tests found, one regression test each.


def _spoiled_workbooks() -> list[bytes]:
    return [
        damaged(GOOD_XLSX, "flip", 700, b"\xff\x00\xff\x00"),  # zlib.error
        damaged_member(GOOD_XLSX, 3, b"\x12", "junk"),  # XML syntax errors
        damaged_member(GOOD_XLSX, 3, b"", "drop"),  # no worksheet: IndexError
    ]


@pytest.mark.parametrize("index", range(3))
def test_it_rejects_a_damaged_workbook_in_thai(db: None, index: int) -> None:
    data = _spoiled_workbooks()[index]
    with translation.override("th"), pytest.raises(ImportRejected) as rejected:
        parse_scores_file("x.xlsx", data, FrameworkCatalogue().rules_for_organisation)
    assert [str(error.message) for error in rejected.value.errors] == [
        "ไม่สามารถอ่านไฟล์ Excel ได้ ไฟล์อาจเสียหายหรือไม่สมบูรณ์"
    ]


def test_it_says_too_long_and_nul_in_thai(assessed_org: Organisation, staff: User) -> None:
    data = {**{f: "90" for f in SCORE_FIELDS}, "fiscal_year": "2566"}
    data["published_level"] = "x" * 51 + "\x00"
    html = (
        client_for(staff)
        .post(reverse("assessments:scores_new", args=[assessed_org.pk]), data)
        .content.decode()
    )
    texts = [text for _, text in error_texts(html)]
    assert texts and all(THAI_TEXT.search(text) for text in texts), texts


def test_it_rejects_control_characters_in_names(rules_for_year: Any) -> None:
    data = "org_name,province,fiscal_year\nเทศบาล\x00ใหม่,ตาก,2566\n".encode()
    with translation.override("th"), pytest.raises(ImportRejected) as rejected:
        parse_scores_file("x.csv", data, rules_for_year)
    assert [(e.line, e.column, str(e.message)) for e in rejected.value.errors] == [
        (2, "org_name", "มีอักขระควบคุมที่มองไม่เห็นปนอยู่ กรุณาพิมพ์ข้อความใหม่")
    ]
