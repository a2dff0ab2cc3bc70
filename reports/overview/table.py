"""The overview's table of organisations, a row each, written in Python.

Fifty rows of twelve cells cost Django's template engine about 12 ms of CPU a page, half of the
page and the most of any page a supervisor opens all day; written here they cost a fraction of
that (bench/profile_pages.py). The markup is what reports/overview/page.html wrote: the cells'
classes (oit-ready, oit-predicted, oit-broken) and data-org are what people's scripts and the
tests read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from itaportal import thai
from itaportal.templatetags.thai import num, signed  # the filters the template used
from reports.oit.readiness import OrganisationReadiness
from reports.overview.selectors import OrganisationRow

DASH = "–"
ALERT = " text-danger fw-semibold"


def _level(row: OrganisationRow) -> str:
    if not row.level:
        return DASH
    css = (
        "text-bg-success"
        if row.passing
        else "text-bg-danger"
        if row.passing is False
        else "text-bg-secondary"
    )
    return f'<span class="badge {css}">{escape(row.level)}</span>'


def _year(row: OrganisationRow, digits: bool) -> str:
    """The latest year, marked as the dashboard marks it (assessments/_demo_mark.html) when its
    figures are the demo's, made up."""
    if not row.latest_year:
        return DASH
    year = thai.digits(row.latest_year, digits)
    if not row.is_demo:
        return year
    title = escape(gettext("Made-up figures of the demo data, not published results."))
    label = escape(gettext("demo data"))
    return f'{year} <span class="badge text-bg-info demo-mark" title="{title}">{label}</span>'


def _uncovered(row: OrganisationRow, digits: bool) -> str:
    if not row.latest_year:
        return DASH
    label = gettext("no plan")  # not inside the f-string, where makemessages would miss it
    no_plan = (
        f' <span class="badge text-bg-warning">{escape(label)}</span>'
        if not row.has_plan and row.needing
        else ""
    )
    return thai.digits(row.uncovered, digits) + no_plan


def _oit_cells(
    row: OrganisationRow, ready: OrganisationReadiness | None, oit_year: int, digits: bool
) -> str:
    checklist = escape(reverse("reports:oit_checklist", args=[row.id, oit_year]))
    if ready is None:
        return (
            f'<td class="num oit-ready"><a href="{checklist}">{DASH}</a></td>'
            f'<td class="num">{DASH}</td><td class="num">{DASH}</td>'
        )
    counted = f"{thai.digits(ready.ready, digits)}/{thai.digits(ready.total, digits)}"
    broken = ALERT if ready.broken_links else ""
    return (
        f'<td class="num oit-ready"><a href="{checklist}">{counted}</a></td>\n'
        f'<td class="num oit-predicted">{num(ready.predicted_oit, digits)}</td>\n'
        f'<td class="num oit-broken{broken}">{thai.digits(ready.broken_links, digits)}</td>'
    )


def _row(row: OrganisationRow, ready: OrganisationReadiness | None, oit_year: int | None) -> str:
    digits = row.thai_digits
    dashboard = escape(reverse("assessments:dashboard", args=[row.id]))
    assessed = bool(row.latest_year)
    cells = [
        f'<td><a href="{dashboard}">{escape(row.name)}</a>'
        f'<div class="small text-body-secondary">{escape(row.kind_label)}</div></td>',
        f"<td>{escape(row.district)}</td>",
        f'<td class="num">{_year(row, digits)}</td>',
        f'<td class="num">{num(row.score, digits)}</td>',
        f"<td>{_level(row)}</td>",
        f'<td class="num">{signed(row.change, digits)}</td>',
        f'<td class="num">{thai.digits(row.urgent, digits) if assessed else DASH}</td>',
        f'<td class="num{ALERT if row.uncovered else ""}">{_uncovered(row, digits)}</td>',
        f'<td class="num{ALERT if row.overdue else ""}">{thai.digits(row.overdue, digits)}</td>',
    ]
    if oit_year:
        cells.append(_oit_cells(row, ready, oit_year, digits))
    return f'<tr data-org="{row.id}">\n' + "\n".join(cells) + "\n</tr>"


def organisation_rows(
    rows: Sequence[OrganisationRow],
    readiness: Mapping[int, OrganisationReadiness],
    oit_year: int | None,
) -> SafeString:
    """The table's body rows for a page of organisations, with their OIT readiness of
    `oit_year` when the overview shows one."""
    return SafeString("\n".join(_row(row, readiness.get(row.id), oit_year) for row in rows))
