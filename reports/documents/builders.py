"""The four official documents: what each holds, gathered from the data, as HTML for WeasyPrint.

DOCUMENTS.md describes them; templates/reports/documents/ lays them out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.dashboard import year_dashboard
from assessments.emblem import emblem_print_uri
from assessments.ita import Tier, extremes, pass_mark
from assessments.models import Organisation
from assessments.selectors import YearResult, organisation_years
from assessments.tiers import TIER_LABELS, TIER_MEANINGS
from itaportal import thai
from measures.models import MeasurePlan
from measures.selectors import plan_view
from reports.documents.drafting import IndicatorFacts, YearFacts, draft_indicator, draft_overall
from reports.documents.models import OVERALL, AnalysisText, Committee, DocumentKind
from reports.pdf import static_path


class DocumentMissing(Exception):
    """The data the document needs is not there; the message says what to enter first."""


@dataclass
class Document:
    kind: str
    organisation: Organisation
    year: int
    title: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.organisation.pk}-{self.year}.pdf"

    def html(self, *, for_browser: bool = False) -> str:
        """The document's HTML: for WeasyPrint, or for a browser preview (stylesheet URL)."""
        stylesheet = (
            static("reports/documents.css")
            if for_browser
            else static_path("reports/documents.css").as_uri()
        )
        return render_to_string(
            f"reports/documents/{self.kind}.html", {**self.context, "stylesheet": stylesheet}
        )


def _emblem_uri(organisation: Organisation) -> str:
    return emblem_print_uri(organisation.emblem)


def _base(kind: str, organisation: Organisation, year: int, title: str) -> Document:
    digits = organisation.uses_thai_digits
    return Document(
        kind=kind,
        organisation=organisation,
        year=year,
        title=title,
        context={
            "organisation": organisation,
            "title": title,
            "thai_digits": digits,
            "page_counter": "thai" if digits else "decimal",
            "emblem": _emblem_uri(organisation),
            "today": timezone.localdate(),
            "year": year,
        },
    )


def _year(years: list[YearResult], year: int) -> tuple[YearResult, YearResult | None]:
    by_year = {r.fiscal_year: r for r in years}
    if year not in by_year:
        raise DocumentMissing(
            _("There are no results for fiscal year %(year)s: enter the scores first.")
            % {"year": year}
        )
    return by_year[year], by_year.get(year - 1)


def year_facts(
    organisation: Organisation, result: YearResult, previous: YearResult | None
) -> YearFacts:
    ev = result.evaluation
    return YearFacts(
        organisation=organisation.name,
        year=result.fiscal_year,
        score=ev.score,
        level=ev.level_text,
        passing=bool(ev.passing),
        pass_mark=pass_mark(result.rules),
        published_level=ev.published_level,
        level_mismatch=ev.level_mismatch,
        previous_year=previous.fiscal_year if previous else None,
        previous_score=previous.evaluation.score if previous else None,
        change=ev.overall_change,
        scores=ev.scores,
        changes=ev.change,
        names=result.indicator_names,
    )


def analysis_texts(
    organisation: Organisation, result: YearResult, previous: YearResult | None
) -> dict[int, str]:
    """Each paragraph as saved by people, or as the portal drafts it."""
    ev = result.evaluation
    digits = organisation.uses_thai_digits
    saved = {t.number: t.text for t in AnalysisText.objects.filter(assessment=result.assessment)}
    names = result.indicator_names
    lowest, highest = extremes(ev.scores)
    if lowest == highest:  # all equal: no indicator stands out
        lowest = highest = []
    issues = _plan_issues(organisation, result.fiscal_year + 1)
    texts = {}
    for number, score in sorted(ev.scores.items()):
        instrument = result.rules.instrument_of(number).code
        tied = lowest if number in lowest else highest if number in highest else []
        facts = IndicatorFacts(
            number=number,
            name=names.get(number, ""),
            score=score,
            tier=ev.tiers[number],
            change=ev.change.get(number),
            previous_year=previous.fiscal_year if previous else None,
            lowest=number in lowest,
            highest=number in highest,
            issues=issues.get(instrument, ""),
            tied_with=tuple(n for n in tied if n != number),
        )
        texts[number] = saved.get(number) or draft_indicator(
            facts,
            target=result.assessment.target,
            maintain_from=result.assessment.maintain_from,
            raise_from=result.assessment.raise_from,
            digits=digits,
        )
    texts[OVERALL] = saved.get(OVERALL) or draft_overall(
        year_facts(organisation, result, previous), digits=digits
    )
    return texts


def _plan_issues(organisation: Organisation, fiscal_year: int) -> dict[str, str]:
    plan = MeasurePlan.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
    if plan is None:
        return {}
    return {a.instrument: a.issues for a in plan.analyses.all() if a.issues}


def analysis_document(organisation: Organisation, year: int) -> Document:
    years = organisation_years(organisation)
    result, previous = _year(years, year)
    if result.evaluation.score is None:
        raise DocumentMissing(
            _("Fiscal year %(year)s has neither indicator scores nor a published score.")
            % {"year": year}
        )
    doc = _base(
        DocumentKind.ANALYSIS,
        organisation,
        year,
        _("Report on the analysis of the ITA results, fiscal year %(year)s")
        % {"year": thai.year_be(year, organisation.uses_thai_digits)},
    )
    dashboard = year_dashboard(organisation, result, previous)
    next_plan = MeasurePlan.objects.filter(organisation=organisation, fiscal_year=year + 1).first()
    texts = analysis_texts(organisation, result, previous)
    rows = {row.number: row for block in dashboard.instruments for row in block.rows}
    lowest, highest = extremes(result.evaluation.scores)
    doc.context.update(
        {
            # Every indicator tied for the top or the bottom, not one of them.
            "highest_rows": [rows[n] for n in highest if n in rows],
            "lowest_rows": [rows[n] for n in lowest if n in rows],
            "result": result,
            "previous": previous,
            "dashboard": dashboard,
            "texts": texts,
            "overall_text": texts[OVERALL],
            "rows": [
                (row, texts.get(row.number, ""))
                for block in dashboard.instruments
                for row in block.rows
            ],
            # The evaluated years are at hand: plan_view would otherwise read them all again.
            "next_plan": plan_view(next_plan, timezone.localdate(), years) if next_plan else None,
        }
    )
    return doc


def _plan(organisation: Organisation, year: int) -> MeasurePlan:
    plan = MeasurePlan.objects.filter(organisation=organisation, fiscal_year=year).first()
    if plan is None:
        raise DocumentMissing(
            _("There is no measures plan for fiscal year %(year)s.") % {"year": year}
        )
    return plan


def plan_document(organisation: Organisation, year: int) -> Document:
    plan = _plan(organisation, year)
    years = organisation_years(organisation)
    view = plan_view(plan, timezone.localdate(), years)
    doc = _base(
        DocumentKind.PLAN,
        organisation,
        year,
        _("Measures to promote integrity and transparency, fiscal year %(year)s")
        % {"year": thai.year_be(year, organisation.uses_thai_digits)},
    )
    basis = view.basis
    before = next((r for r in years if r.fiscal_year == plan.based_on_year - 1), None)
    dashboard = year_dashboard(organisation, basis, before) if basis else None
    doc.context.update(
        {
            "plan": plan,
            "view": view,
            "basis": basis,
            "before": before,
            "dashboard": dashboard,
            "tier_table": [(tier, TIER_LABELS[tier], TIER_MEANINGS[tier]) for tier in Tier],
        }
    )
    return doc


def progress_document(organisation: Organisation, year: int) -> Document:
    plan = _plan(organisation, year)
    doc = _base(
        DocumentKind.PROGRESS,
        organisation,
        year,
        _("Report on the results of the measures, fiscal year %(year)s")
        % {"year": thai.year_be(year, organisation.uses_thai_digits)},
    )
    view = plan_view(plan, timezone.localdate())
    doc.context.update({"plan": plan, "view": view})
    return doc


def order_document(organisation: Organisation, year: int) -> Document:
    committee = (
        Committee.objects.filter(organisation=organisation, fiscal_year=year)
        .prefetch_related("members")
        .first()
    )
    if committee is None:
        raise DocumentMissing(
            _("There is no committee order for fiscal year %(year)s.") % {"year": year}
        )
    doc = _base(DocumentKind.ORDER, organisation, year, committee.subject)
    members = list(committee.members.all())
    doc.context.update(
        {
            "committee": committee,
            "steering": [m for m in members if m.group == "steering"],
            "working": [m for m in members if m.group == "working"],
        }
    )
    return doc


BUILDERS: dict[str, Callable[[Organisation, int], Document]] = {
    DocumentKind.ANALYSIS: analysis_document,
    DocumentKind.PLAN: plan_document,
    DocumentKind.PROGRESS: progress_document,
    DocumentKind.ORDER: order_document,
}


def build(kind: str, organisation: Organisation, year: int) -> Document:
    if kind not in BUILDERS:
        raise DocumentMissing(_("Unknown document “%(kind)s”.") % {"kind": kind})
    return BUILDERS[kind](organisation, year)
