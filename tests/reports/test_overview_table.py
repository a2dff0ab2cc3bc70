"""The overview's rows as reports/overview/table.py writes them: each cell's figure in the
organisation's digits, "–" where a figure is missing, the warnings, and names as text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from reports.oit.readiness import OrganisationReadiness
from reports.overview.selectors import OrganisationRow
from reports.overview.table import organisation_rows

ASSESSED = OrganisationRow(
    7, "เทศบาลตำบล<script>x</script>", "subdistrict", "ท่ายาง", "เพชรบุรี", True,
    latest_year=2568, score=Decimal("83.715"), level="B", passing=True, change=Decimal("-1.5"),
    urgent=2, needing=3, uncovered=1, has_plan=False, overdue=4,
)  # fmt: skip
NEVER_ASSESSED = OrganisationRow(8, "อบต.ใหม่", "sao", "ท่ายาง", "เพชรบุรี", False)


def cells(html: str) -> list[str]:
    return [cell.split(">", 1)[1] for cell in html.split("</td>")[:-1]]


def test_an_assessed_organisations_row_in_thai_digits() -> None:
    with translation.override("th"):
        html = organisation_rows([ASSESSED], {}, None)
    assert html.startswith('<tr data-org="7">')
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'href="/orgs/7/"' in html
    row = cells(html)
    assert row[2:4] == ["๒๕๖๘", "๘๓.๗๒"]  # half up, as NACC rounds
    assert '<span class="badge text-bg-success">B</span>' in row[4]
    assert row[5] == "−๑.๕๐"
    assert row[6] == "๒"
    assert row[7] == '๑ <span class="badge text-bg-warning">ยังไม่มีแผน</span>'  # 3 need one
    assert '<td class="num text-danger fw-semibold">๔' in html  # overdue measures


def test_a_row_without_results_shows_dashes_and_its_oit_cells() -> None:
    html = organisation_rows([NEVER_ASSESSED], {}, 2569)
    row = cells(html)
    assert row[2:8] == ["–", "–", "–", "–", "–", "–"]
    assert row[8] == "0"  # no overdue measure, in Arabic digits
    assert 'href="/orgs/8/oit/2569/">–</a>' in html


@pytest.mark.parametrize(("broken", "css"), [(0, "oit-broken"), (2, "oit-broken text-danger")])
def test_the_oit_readiness_cells(broken: int, css: str) -> None:
    ready = OrganisationReadiness(
        ready=20, total=33, predicted_oit=Decimal("60.6"), broken_links=broken
    )
    html = organisation_rows([ASSESSED], {ASSESSED.id: ready}, 2569)
    assert '<td class="num oit-ready"><a href="/orgs/7/oit/2569/">๒๐/๓๓</a></td>' in html
    assert '<td class="num oit-predicted">๖๐.๖๐</td>' in html
    assert f'<td class="num {css}' in html
