"""The OIT checklist's rules that need no database: which year a document says it is of, which
year an item wants, which addresses the checklist takes, and what an item is predicted to score."""

from decimal import Decimal

import pytest

from assessments import ita
from reports.oit import addresses, years


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ พ.ศ. ๒๕๖๘", 2568),
        ("รายงานผลการดำเนินงาน ประจำปี 2567 (ข้อมูล ณ ๓๐ กันยายน ๒๕๖๗)", 2567),
        ("ประกาศ ณ วันที่ ๑๕ พฤศจิกายน พ.ศ. ๒๕๖๗", 2567),
        ("o11_2568.pdf", 2568),
        ("คู่มือการปฏิบัติงาน", None),
        ("ฉบับปรับปรุง 2566 แทนฉบับ 2563", None),
        ("เลขที่ 125678", None),
    ],
)
def test_it_reads_the_fiscal_year_a_document_names(text: str, year: int | None) -> None:
    assert years.fiscal_year_in(text) == year


def test_plans_want_the_assessed_year_and_reports_the_year_before() -> None:
    assert years.required_year("assessed", 2569) == 2569
    assert years.required_year("previous", 2569) == 2568
    assert years.required_year("", 2569) is None
    assert years.year_ok(2568, 2569) is False
    assert years.year_ok(2569, 2569) is True
    assert years.year_ok(None, 2569) is None


@pytest.mark.parametrize(
    "url",
    [
        "ftp://www.bangkao.go.th/o1.pdf",
        "javascript:alert(1)",
        "http://127.0.0.1/admin/",
        "http://localhost:8000/",
        "http://10.0.0.5/o1.pdf",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "https://",
        "https://www.bangkao.go.th/" + "a" * 10_000,
    ],
)
def test_it_refuses_addresses_that_are_not_public_web_pages(url: str) -> None:
    assert addresses.address_problem(url)


def test_it_takes_a_public_web_page() -> None:
    assert addresses.address_problem("https://www.bangkao.go.th/ita/o1?year=2569") is None
    assert addresses.address_problem("http://203.150.10.4/o1.pdf") is None


def test_an_item_counts_only_when_everything_is_in_the_link_healthy_and_the_year_right() -> None:
    full = {"elements_total": 3, "elements_done": 3}
    assert ita.item_predicted(**full, link_ok=True, year_ok=True) == Decimal(100)
    assert ita.item_predicted(**full, link_ok=True, year_ok=None) == Decimal(100)
    assert ita.item_predicted(**full, link_ok=None, year_ok=True) == 0
    assert ita.item_predicted(**full, link_ok=False, year_ok=True) == 0
    assert ita.item_predicted(**full, link_ok=True, year_ok=False) == 0
    assert ita.item_predicted(elements_total=3, elements_done=2, link_ok=True, year_ok=True) == 0
    assert ita.item_predicted(elements_total=0, elements_done=0, link_ok=True, year_ok=True) == 0
    assert ita.item_predicted(elements_total=0, elements_done=1, link_ok=True, year_ok=True) == 100


def test_only_the_tests_own_server_may_be_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIT_LINK_ALLOWED_HOSTS = ["127.0.0.1:8765"]
    assert addresses.address_problem("http://127.0.0.1:8765/o1.html") is None
    assert addresses.address_problem("http://127.0.0.1:8766/o1.html")
    assert addresses.address_problem("http://127.0.0.1/o1.html")
