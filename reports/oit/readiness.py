"""What the checklist predicts: each item's 0 or 100, the OIT score its items make, the overall
and rating with the other instruments' scores, and what each missing item costs. The arithmetic
is assessments.ita's; this module only gathers the facts it needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments import ita
from assessments.models import Indicator, Item, Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal import thai
from reports.oit import selectors, years
from reports.oit.models import LinkCheck, OitEntry, OitEstimate, OitEvidence, OitNote, OitStatus
from reports.oit.selectors import OitYear

READY_STATUSES = (OitStatus.READY, OitStatus.CHECKED)


def elements_total(item: Item) -> int:
    """An item with no elements listed is one element: the item as a whole."""
    return max(len(item.element_list), 1)


def elements_in(done: Iterable[int], total: int) -> int:
    return len({n for n in done if isinstance(n, int) and 1 <= n <= total})


@dataclass(frozen=True)
class ItemReadiness:
    """One item's facts and what they predict."""

    elements_total: int
    elements_done: int
    required_year: int | None
    years_found: tuple[int, ...]  # read from the evidence and the page at its last check
    link_ok: bool | None  # the page at its last check; None: never checked

    @property
    def wrong_year(self) -> int | None:
        """The first year found that is not the one required; None when none is wrong."""
        return next(
            (y for y in self.years_found if years.year_ok(y, self.required_year) is False), None
        )

    @property
    def year_ok(self) -> bool | None:
        if self.wrong_year is not None:
            return False
        if any(years.year_ok(y, self.required_year) for y in self.years_found):
            return True
        return None

    @property
    def predicted(self) -> Decimal:
        return ita.item_predicted(
            elements_total=self.elements_total,
            elements_done=self.elements_done,
            link_ok=self.link_ok,
            year_ok=self.year_ok,
        )


def item_readiness(
    item: Item,
    fiscal_year: int,
    *,
    elements_done: Iterable[int],
    evidence_years: Iterable[int | None],
    link_ok: bool | None,
    link_year: int | None,
) -> ItemReadiness:
    total = elements_total(item)
    found = [y for y in (*evidence_years, link_year) if y is not None]
    return ItemReadiness(
        elements_total=total,
        elements_done=elements_in(elements_done, total),
        required_year=years.required_year(item.evidence_year, fiscal_year),
        years_found=tuple(dict.fromkeys(found)),
        link_ok=link_ok,
    )


def entry_readiness(entry: OitEntry) -> ItemReadiness:
    """An entry read by selectors.entries_of (evidence prefetched, latest_check attached)."""
    check: LinkCheck | None = getattr(entry, "latest_check", None)
    return item_readiness(
        entry.item,
        entry.fiscal_year,
        elements_done=entry.elements_done or [],
        evidence_years=[e.document_year for e in entry.evidence.all()],
        link_ok=check.ok if check else None,
        link_year=check.year_found if check else None,
    )


@dataclass(frozen=True)
class Cost:
    code: str
    title: str
    points: Decimal


@dataclass
class Prediction:
    """The year's predicted figures. `others` are the scores used for the instruments the
    checklist does not cover, `others_year` the assessed year they come from (None: the office's
    estimate, or nothing known)."""

    items: dict[str, Decimal]
    instrument_scores: dict[str, Decimal]  # the checklist's instruments, predicted
    others: dict[str, Decimal] = field(default_factory=dict)
    others_year: int | None = None
    overall: Decimal | None = None
    rating: ita.Rating | None = None
    costs: list[Cost] = field(default_factory=list)

    @property
    def oit(self) -> Decimal | None:
        """The checklist's instrument score (OIT's), when there is one."""
        values = list(self.instrument_scores.values())
        return values[0] if len(values) == 1 else None


def checklist_instruments(rules: ita.Rules) -> list[ita.InstrumentRule]:
    """The instruments whose items the checklist lists (all-or-nothing items: OIT)."""
    codes = {rules.instrument_of(i.indicator).code for i in rules.items if i.all_or_nothing}
    return [inst for inst in rules.instruments if inst.code in codes]


def predict(
    rules: ita.Rules,
    predicted: Mapping[str, Decimal],
    *,
    titles: Mapping[str, str] | None = None,
    others: Mapping[str, Decimal] | None = None,
    others_year: int | None = None,
) -> Prediction:
    """The predicted OIT from the items' predictions by the framework's rule, the overall and
    rating with `others` (the remaining instruments' scores), and each item below 100's cost in
    overall points, costliest first."""
    titles = titles or {}
    computed = ita.scores_from_items(rules, scores={}, items=predicted).computed
    means = ita.instrument_means(rules, computed)
    own = {
        inst.code: ita.round2(means[inst.code])
        for inst in checklist_instruments(rules)
        if inst.code in means
    }
    others = {code: value for code, value in (others or {}).items() if code not in own}
    overall = ita.overall_from_means(rules, {**others, **own})
    score = ita.round2(overall) if overall is not None else None
    rating = (
        ita.rate(rules, score=score, instrument_scores={**others, **own})
        if score is not None
        else None
    )
    costs = []
    for code, value in predicted.items():
        if value < ita.HUNDRED:
            points = ita.item_cost(rules, code, predicted)
            if points is not None:
                costs.append(Cost(code, titles.get(code, ""), ita.round2(points)))
    costs.sort(key=lambda c: -c.points)
    return Prediction(
        items=dict(predicted),
        instrument_scores=own,
        others=others,
        others_year=others_year,
        overall=score,
        rating=rating,
        costs=costs,
    )


def year_problem(state: ItemReadiness, thai_digits: bool = True) -> str:
    """The Thai flag of an item whose evidence or page names another fiscal year; "" if none."""
    if state.wrong_year is None or state.required_year is None:
        return ""
    return _("The document is of fiscal year %(found)s but this item needs %(required)s.") % {
        "found": thai.year_be(state.wrong_year, thai_digits),
        "required": thai.year_be(state.required_year, thai_digits),
    }


@dataclass
class Row:
    """An item of the checklist as the page shows it: its entry (None for a reader before
    anyone who may edit opened the year), evidence, notes, last page check and readiness."""

    item: Item
    entry: OitEntry | None
    state: ItemReadiness
    evidence: list[OitEvidence]
    notes: list[OitNote]
    check: LinkCheck | None
    year_problem: str

    @property
    def elements(self) -> list[tuple[int, str, bool]]:
        done = set(self.entry.elements_done if self.entry else [])
        labels = self.item.element_list or [""]
        return [(n, label, n in done) for n, label in enumerate(labels, start=1)]

    @property
    def status(self) -> str:
        return self.entry.status if self.entry else OitStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(OitStatus(self.status).label)

    @property
    def ready(self) -> bool:
        return self.status in READY_STATUSES


@dataclass
class Checklist:
    organisation: Organisation
    fiscal_year: int
    year: OitYear
    groups: list[tuple[Indicator, list[Row]]]
    prediction: Prediction
    estimate: OitEstimate | None
    other_instruments: list[ita.InstrumentRule]
    assessed: dict[str, Decimal]  # the other instruments as last assessed

    @property
    def rows(self) -> list[Row]:
        return [row for _indicator, rows in self.groups for row in rows]

    @property
    def ready_count(self) -> int:
        return sum(1 for row in self.rows if row.ready)

    @property
    def public_count(self) -> int:
        """How many items the public page shows."""
        return sum(1 for row in self.rows if row.entry is not None and row.entry.public)


def checklist_of(
    organisation: Organisation,
    fiscal_year: int,
    year: OitYear,
    catalogue: FrameworkCatalogue | None = None,
) -> Checklist:
    """Every item of the year with its entry and readiness, and the predicted figures: the
    other instruments from the office's estimate where given, else the last assessed year."""
    catalogue = catalogue or FrameworkCatalogue()
    digits = organisation.uses_thai_digits
    entries = {e.item_id: e for e in selectors.entries_of(organisation, fiscal_year, year)}
    groups = []
    for indicator, items in year.groups:
        rows = []
        for item in items:
            entry = entries.get(item.pk)
            evidence = list(entry.evidence.all()) if entry else []
            check = getattr(entry, "latest_check", None)
            state = (
                entry_readiness(entry)
                if entry
                else item_readiness(
                    item,
                    fiscal_year,
                    elements_done=[],
                    evidence_years=[],
                    link_ok=None,
                    link_year=None,
                )
            )
            rows.append(
                Row(
                    item=item,
                    entry=entry,
                    state=state,
                    evidence=evidence,
                    notes=list(entry.remarks.all()) if entry else [],
                    check=check,
                    year_problem=year_problem(state, digits),
                )
            )
        groups.append((indicator, rows))
    rules = catalogue.rules(year.framework)
    own = {inst.code for inst in checklist_instruments(rules)}
    others_rules = [inst for inst in rules.instruments if inst.code not in own]
    estimate = selectors.estimate_of(organisation, fiscal_year)
    estimated = {
        code: Decimal(value) for code, value in (estimate.scores if estimate else {}).items()
    }
    others, others_year = selectors.assessed_others(
        organisation, fiscal_year, [inst.code for inst in others_rules], catalogue
    )
    assessed = dict(others)
    if estimated:
        others_year = None if all(i.code in estimated for i in others_rules) else others_year
        others = {**others, **estimated}
    predicted = {row.item.code: row.state.predicted for _i, rows in groups for row in rows}
    prediction = predict(
        rules,
        predicted,
        titles={row.item.code: row.item.title for _i, rows in groups for row in rows},
        others=others,
        others_year=others_year,
    )
    return Checklist(
        organisation=organisation,
        fiscal_year=fiscal_year,
        year=year,
        groups=groups,
        prediction=prediction,
        estimate=estimate,
        other_instruments=others_rules,
        assessed=assessed,
    )


@dataclass(frozen=True)
class OrganisationReadiness:
    """What the supervisor overview shows of an organisation's checklist for a year."""

    ready: int
    total: int
    predicted_oit: Decimal | None
    broken_links: int


def readiness_of_organisations(
    organisations: QuerySet[Organisation],
    fiscal_year: int,
    catalogue: FrameworkCatalogue | None = None,
) -> dict[int, OrganisationReadiness]:
    """Each organisation's checklist of the year (those that have one), in a constant number of
    queries whatever their number: items ready of all, the predicted OIT, broken page links."""
    catalogue = catalogue or FrameworkCatalogue()
    items: dict[int, tuple[Item, ita.Rules]] = {}
    for framework in catalogue.all_for_year(fiscal_year):
        rules = catalogue.rules(framework)
        for item in framework.items():
            items[item.pk] = (item, rules)
    by_organisation: dict[int, list[selectors.EntryFacts]] = defaultdict(list)
    for facts in selectors.entry_facts(organisations, fiscal_year):
        if facts.item_id in items:
            by_organisation[facts.organisation_id].append(facts)
    result = {}
    for org_id, entries in by_organisation.items():
        rules = items[entries[0].item_id][1]
        predicted = {}
        for facts in entries:
            item = items[facts.item_id][0]
            predicted[item.code] = item_readiness(
                item,
                fiscal_year,
                elements_done=facts.elements_done,
                evidence_years=facts.evidence_years,
                link_ok=facts.link_ok,
                link_year=facts.link_year,
            ).predicted
        result[org_id] = OrganisationReadiness(
            ready=sum(1 for f in entries if f.status in READY_STATUSES),
            total=len(entries),
            predicted_oit=predict(rules, predicted).oit,
            broken_links=sum(1 for f in entries if f.link_ok is False),
        )
    return result
