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

from assessments.charts import instrument_chart
from assessments.dashboard import YearDashboard, year_dashboard
from assessments.emblem import emblem_print_uri
from assessments.ita import Tier, extremes, measure_topic, pass_mark, rate
from assessments.models import Organisation
from assessments.selectors import YearResult, organisation_years
from assessments.tiers import TIER_LABELS, TIER_MEANINGS
from itaportal import thai
from measures.models import MeasurePlan
from measures.selectors import PlanView, plan_answering, plan_view
from reports.documents.drafting import (
    IndicatorFacts,
    YearFacts,
    draft_acknowledgement,
    draft_indicator,
    draft_instrument_changes,
    draft_instrument_description,
    draft_overall,
    instrument_change_note,
)
from reports.documents.models import (
    OVERALL,
    SECTIONS_OF,
    AnalysisText,
    Committee,
    DocumentKind,
    DocumentSection,
    DocumentText,
)
from reports.pdf import static_path


class DocumentMissing(Exception):
    """The data the document needs is not there; the message says what to enter first."""


def missing_message(kind: str, year: int | str) -> str:
    """Why a document of `kind` for fiscal year `year` cannot be printed when the record it is
    made from is missing: the one wording of the preview, the PDF and the batch's page."""
    if kind == DocumentKind.ANALYSIS:
        message = _("There are no results for fiscal year %(year)s: enter the scores first.")
    elif kind == DocumentKind.ORDER:
        message = _("There is no committee order for fiscal year %(year)s.")
    else:  # the plan and the progress report are both made from the measures plan
        message = _("There is no measures plan for fiscal year %(year)s.")
    return message % {"year": year}


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
        raise DocumentMissing(missing_message(DocumentKind.ANALYSIS, year))
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
    measures = _measures_by_indicator(plan_answering(organisation, result.fiscal_year))
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
            tied_with=tuple(n for n in tied if n != number),
            instrument=instrument,
            instrument_mean=ev.instrument_scores.get(instrument),
            measures=tuple(measures.get(number, ())),
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


def _measures_by_indicator(plan: MeasurePlan | None) -> dict[int, list[str]]:
    """The titles of the plan's measures that name each indicator."""
    found: dict[int, list[str]] = {}
    if plan is None:
        return found
    for title, indicators in plan.measures.values_list("title", "indicators"):
        for number in indicators:
            found.setdefault(number, []).append(title)
    return found


def document_sections(
    organisation: Organisation, kind: str, year: int, drafts: dict[str, str] | None = None
) -> dict[str, str]:
    """The free-text sections of a document, as people saved them or as drafted ("" if none)."""
    saved = dict(
        DocumentText.objects.filter(
            organisation=organisation, kind=kind, fiscal_year=year
        ).values_list("section", "text")
    )
    drafts = drafts or {}
    return {
        section.value: saved.get(section.value) or drafts.get(section.value, "")
        for section in SECTIONS_OF.get(kind, ())
    }


def section_drafts(organisation: Organisation, kind: str, year: int) -> dict[str, str]:
    """What the portal writes in a section nobody wrote: the plan's acknowledgement."""
    if kind != DocumentKind.PLAN:
        return {}
    plan = MeasurePlan.objects.filter(organisation=organisation, fiscal_year=year).first()
    if plan is None:
        return {}
    return {
        DocumentSection.ACKNOWLEDGEMENT.value: draft_acknowledgement(
            executive=executive_title(organisation),
            basis_year=plan.based_on_year,
            plan_year=plan.fiscal_year,
            digits=organisation.uses_thai_digits,
        )
    }


def executive_title(organisation: Organisation) -> str:
    """The executive's full title ("นายกเทศมนตรีตำบลบางเก่า"), or the office's head by name."""
    return organisation.executive_title or _("the executive of %(name)s") % {
        "name": organisation.name
    }


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
    next_plan = plan_answering(organisation, year)
    texts = analysis_texts(organisation, result, previous)
    rows = {row.number: row for block in dashboard.instruments for row in block.rows}
    lowest, highest = extremes(result.evaluation.scores)
    weak_items = {row.number: items for row, items in dashboard.weak_items}
    digits = organisation.uses_thai_digits
    before = previous.evaluation if previous else None
    instruments = instrument_chart(
        codes=[block.code for block in dashboard.instruments],
        current=result.evaluation.instrument_scores,
        previous=before.instrument_scores if before else {},
        overall=(result.evaluation.score, before.score if before else None),
        thresholds=result.assessment.thresholds,
        year=year,
        previous_year=previous.fiscal_year if previous else None,
        thai_digits=digits,
        title=_(
            "Each instrument and the overall score, fiscal year %(year)s against the year before"
        )
        % {"year": thai.year_be(year, digits)},
    )
    # The evaluated years are at hand: plan_view would otherwise read them all again.
    plan = plan_view(next_plan, timezone.localdate(), years) if next_plan else None
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
            "instrument_chart": instruments,
            "rows": [
                (row, texts.get(row.number, ""))
                for block in dashboard.instruments
                for row in block.rows
            ],
            # Each indicator's paragraph, and for a weak one its lowest items, as the
            # dashboard names them.
            "analysis_rows": [
                (row, texts.get(row.number, ""), weak_items.get(row.number, []))
                for block in dashboard.instruments
                for row in block.rows
            ],
            "next_plan": plan,
            # Each measure with this year's result of the indicators it answers (seed 003's
            # "ผลการวิเคราะห์ตัวชี้วัด" column).
            "next_measures": [
                (r, [rows[n] for n in r.measure.indicators if n in rows]) for r in plan.rows
            ]
            if plan
            else [],
            "next_year": next_plan.fiscal_year if next_plan else year + 1,
            "sections": document_sections(organisation, DocumentKind.ANALYSIS, year),
        }
    )
    return doc


def _plan(organisation: Organisation, year: int) -> MeasurePlan:
    plan = MeasurePlan.objects.filter(organisation=organisation, fiscal_year=year).first()
    if plan is None:
        raise DocumentMissing(missing_message(DocumentKind.PLAN, year))
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
            "sections": document_sections(
                organisation,
                DocumentKind.PLAN,
                year,
                section_drafts(organisation, DocumentKind.PLAN, year),
            ),
            **_plan_analysis(organisation, view, basis, before, dashboard),
        }
    )
    return doc


@dataclass(frozen=True)
class InstrumentPart:
    """One instrument in the plan: its figures, what the plan says of it, its measures."""

    code: str
    name: str
    mean: Any
    previous_mean: Any
    note: str  # "IIT คะแนนลดลงเมื่อเทียบกับปีก่อน"
    description: str  # "IIT ประกอบด้วย ๕ ตัวชี้วัด โดยประเมินจาก… ซึ่งคะแนนเฉลี่ยลดลง…"
    rows: list[Any]
    expected_strengths: str
    issues: str
    timelines: list[str]
    units: list[str]


def _plan_analysis(
    organisation: Organisation,
    view: PlanView,
    basis: YearResult | None,
    before: YearResult | None,
    dashboard: YearDashboard | None,
) -> dict[str, Any]:
    """Seeds 000 and 002 in the plan: each instrument's change, scores, issues and measures,
    the sentence under the year-over-year table and the target's level."""
    if basis is None or dashboard is None:
        return {"instrument_parts": [], "changes_text": "", "target_level": ""}
    ev = basis.evaluation
    previous_means = before.evaluation.instrument_scores if before else {}
    analyses = {a.instrument: a for a in view.plan.analyses.all()}
    parts = []
    for block in dashboard.instruments:
        numbers = {row.number for row in block.rows}
        rows = [r for r in view.rows if numbers & set(r.measure.indicators)]
        change = (
            block.mean - previous_means[block.code]
            if block.mean is not None and block.code in previous_means
            else None
        )
        analysis = analyses.get(block.code)
        parts.append(
            InstrumentPart(
                code=block.code,
                name=block.name,
                mean=block.mean,
                previous_mean=previous_means.get(block.code),
                note=instrument_change_note(block.code, change),
                description=draft_instrument_description(
                    code=block.code,
                    changes=[row.change for row in block.rows],
                    mean_change=change,
                    digits=organisation.uses_thai_digits,
                ),
                rows=block.rows,
                expected_strengths=analysis.expected_strengths if analysis else "",
                issues=analysis.issues if analysis else "",
                timelines=list(dict.fromkeys(r.measure.timeline_text for r in rows)),
                units=list(
                    dict.fromkeys(
                        r.measure.responsible_unit for r in rows if r.measure.responsible_unit
                    )
                ),
            )
        )
    names = basis.indicator_names
    needing = [names.get(n, str(n)) for n in sorted(ev.tiers) if ev.tiers[n] != Tier.MAINTAIN]
    changes_text = (
        draft_instrument_changes(
            organisation.name,
            {
                p.code: (p.mean - p.previous_mean)
                if p.mean is not None and p.previous_mean is not None
                else None
                for p in parts
            },
            needing,
        )
        if before
        else ""
    )
    target = basis.assessment.target
    return {
        "instrument_parts": parts,
        "changes_text": changes_text,
        # the rating the target reaches whatever the instruments (several where floors decide)
        "target_level": (
            rate(basis.rules, score=target, instrument_scores={}).level_text
            if target is not None
            else ""
        ),
    }


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
    doc.context.update(
        {
            "plan": plan,
            "view": view,
            "groups": progress_groups(view),
            "sections": document_sections(organisation, DocumentKind.PROGRESS, year),
        }
    )
    return doc


def progress_groups(view: PlanView) -> list[tuple[int | None, str, list[Any]]]:
    """The measures under NACC's topics, in the topics' order, as seed 001 reports them (each
    measure under the topic of the first indicator it answers); measures no topic reports last."""
    groups: dict[int | None, tuple[str, list[Any]]] = {}
    for row in view.rows:
        topic = measure_topic(row.measure.indicators)
        number, name = (topic.number, topic.name) if topic else (None, "")
        groups.setdefault(number, (name, []))[1].append(row)
    return [
        (number, name, rows)
        for number, (name, rows) in sorted(groups.items(), key=lambda g: (g[0] is None, g[0] or 0))
    ]


def order_document(organisation: Organisation, year: int) -> Document:
    committee = (
        Committee.objects.filter(organisation=organisation, fiscal_year=year)
        .prefetch_related("members")
        .first()
    )
    if committee is None:
        raise DocumentMissing(missing_message(DocumentKind.ORDER, year))
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
