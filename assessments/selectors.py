"""Reads that join frameworks, organisations and scores, and evaluate them with assessments.ita."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from assessments import ita
from assessments.importing import ScoreRow
from assessments.models import (
    INDICATOR_SCORES,
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentPart,
    Item,
    ItemScore,
    LevelBand,
    Organisation,
)
from itaportal.statements import Statement

FRAMEWORK_TABLES = (Framework, Instrument, Indicator, InstrumentPart, Item, LevelBand)


def frameworks_fingerprint() -> tuple[object, ...]:
    """Each framework table's row count and latest edit, in one query: what changes when anyone,
    in any process, adds, edits or deletes a framework or any of its parts."""
    sql = " UNION ALL ".join(
        f"SELECT COUNT(*), MAX(updated_at) FROM {model._meta.db_table}"
        for model in FRAMEWORK_TABLES
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchall())


def _frameworks_read() -> list[Framework]:
    return list(
        Framework.objects.prefetch_related(
            Prefetch(
                "instruments",
                queryset=Instrument.objects.prefetch_related(
                    "parts",
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.order_by("number").prefetch_related(
                            Prefetch("items", queryset=Item.objects.order_by("order", "pk"))
                        ),
                    ),
                ),
            ),
            "bands",
        )
    )


@dataclass
class _Snapshot:
    """The frameworks as this process last read them, with the rules built from them."""

    fingerprint: tuple[object, ...]
    frameworks: list[Framework]
    rules: dict[int, ita.Rules] = field(default_factory=dict)
    chosen: dict[tuple[int, str | None], Framework | None] = field(default_factory=dict)


_snapshot: _Snapshot | None = None


def _frameworks_current() -> _Snapshot:
    """The frameworks, read again only when a framework table changed since this process read
    them: the tables hold a few hundred rows that every page evaluating a year needs, and they
    change a few times a year. Callers treat the objects as read-only."""
    global _snapshot
    fingerprint = frameworks_fingerprint()
    if _snapshot is None or _snapshot.fingerprint != fingerprint:
        _snapshot = _Snapshot(fingerprint, _frameworks_read())
    return _snapshot


class FrameworkCatalogue:
    """All frameworks with their rules: one query when no framework changed since this process
    last read them, seven otherwise."""

    def __init__(self) -> None:
        snapshot = _frameworks_current()
        self._frameworks = snapshot.frameworks
        self._rules = snapshot.rules
        self._chosen = snapshot.chosen

    def for_year(self, fiscal_year: int, kind: str | None = None) -> Framework | None:
        """The framework of the year for this kind of organisation: one made for the kind
        first, else one for every kind. Chosen once per year and kind (an import asks for
        each of its thousands of rows)."""
        key = (fiscal_year, kind)
        if key not in self._chosen:
            self._chosen[key] = self._choose(fiscal_year, kind)
        return self._chosen[key]

    def _choose(self, fiscal_year: int, kind: str | None) -> Framework | None:
        covering = [f for f in self._frameworks if f.first_year <= fiscal_year <= f.last_year]
        for framework in covering:
            if kind is not None and kind in framework.kind_list:
                return framework
        return next((f for f in covering if not f.kind_list), None)

    def all_for_year(self, fiscal_year: int) -> list[Framework]:
        """Every framework covering the year, whatever kinds it is for."""
        return [f for f in self._frameworks if f.first_year <= fiscal_year <= f.last_year]

    def rules(self, framework: Framework) -> ita.Rules:
        if framework.pk not in self._rules:
            self._rules[framework.pk] = framework.rules()
        return self._rules[framework.pk]

    def rules_for_year(self, fiscal_year: int, kind: str | None = None) -> ita.Rules | None:
        framework = self.for_year(fiscal_year, kind)
        return self.rules(framework) if framework else None

    @cached_property
    def _organisation_kinds(self) -> dict[tuple[str, str], str]:
        return {
            (name, province): kind
            for name, province, kind in Organisation.objects.values_list("name", "province", "kind")
        }

    def rules_for_organisation(
        self, fiscal_year: int, org_name: str, province: str
    ) -> ita.Rules | None:
        """The rules an import row falls under, chosen by the organisation's kind as the score
        form chooses them: the stored organisation's, or what its name says for a new one."""
        kind = self._organisation_kinds.get((org_name, province))
        return self.rules_for_year(fiscal_year, kind or Organisation.kind_from_name(org_name))

    def item_codes(self, fiscal_year: int, kind: str | None = None) -> dict[str, Item]:
        """The year's items by code; {} when no framework covers the year."""
        framework = self.for_year(fiscal_year, kind)
        return {item.code: item for item in framework.items()} if framework else {}

    @property
    def frameworks(self) -> list[Framework]:
        """Every framework, oldest first."""
        return list(self._frameworks)

    @property
    def latest(self) -> Framework | None:
        return self._frameworks[-1] if self._frameworks else None

    @property
    def years(self) -> range:
        if not self._frameworks:
            return range(0)
        return range(self._frameworks[0].first_year, self._frameworks[-1].last_year + 1)


@dataclass
class YearResult:
    """An assessment with its framework and what the arithmetic says of it."""

    assessment: Assessment
    framework: Framework
    rules: ita.Rules
    evaluation: ita.Evaluation

    @property
    def fiscal_year(self) -> int:
        return self.assessment.fiscal_year

    @cached_property
    def indicator_names(self) -> dict[int, str]:
        return self.framework.indicator_names()

    @cached_property
    def item_scores(self) -> dict[str, Decimal]:
        """Item code -> score, in the framework's order (codes it lacks last)."""
        stored = self.assessment.item_map()
        order = [item.code for item in self.framework.items()]
        ranked = {code: stored[code] for code in order if code in stored}
        ranked.update({code: stored[code] for code in sorted(stored) if code not in ranked})
        return ranked


def assessments_with_scores(
    queryset: QuerySet[Assessment], *, items: bool = True
) -> QuerySet[Assessment]:
    """With their organisation and scores (and item scores unless `items` is False: a page that
    shows one year's items reads them when it asks, Assessment.item_map)."""
    return _with_scores(queryset.select_related("organisation"), items=items)


def _with_scores(queryset: QuerySet[Assessment], *, items: bool) -> QuerySet[Assessment]:
    """The scores prefetched in their own columns' order: the models' default ordering (by
    assessment, whose own is by organisation, province and name) would join both tables for
    nothing, since the maps are keyed by number and code."""
    scores: list[Prefetch[Any, Any, Any]] = [
        Prefetch("indicator_scores", queryset=IndicatorScore.objects.order_by("number"))
    ]
    if items:
        scores.append(Prefetch("item_scores", queryset=ItemScore.objects.order_by("pk")))
    return queryset.prefetch_related(*scores)


def evaluate_years(
    assessments: Iterable[Assessment],
    catalogue: FrameworkCatalogue,
    scores: dict[int, dict[int, Decimal]] | None = None,
) -> list[YearResult]:
    """Evaluate assessments in (organisation, year) order, each against its previous year.
    `scores`: each assessment's indicator scores by its pk, when read apart (else its own)."""
    results: list[YearResult] = []
    previous: dict[tuple[int, int], ita.Evaluation] = {}
    for assessment in sorted(assessments, key=lambda a: (a.organisation_id, a.fiscal_year)):
        framework = catalogue.for_year(assessment.fiscal_year, assessment.organisation.kind)
        if framework is None:
            continue  # a year no framework covers; entry and import refuse such years
        rules = catalogue.rules(framework)
        evaluation = ita.evaluate(
            rules,
            scores=scores[assessment.pk] if scores is not None else assessment.score_map(),
            published_score=assessment.published_score,
            published_level=assessment.published_level,
            thresholds=assessment.thresholds,
            previous=previous.get((assessment.organisation_id, assessment.fiscal_year - 1)),
        )
        previous[(assessment.organisation_id, assessment.fiscal_year)] = evaluation
        results.append(YearResult(assessment, framework, rules, evaluation))
    return results


# The reads of every dashboard, plan and score page, their SQL written once (itaportal.statements).
# Ordered by year alone: the default ordering joins the organisation for its province and name;
# and not joined to it either: the caller hands each assessment its organisation.
_YEARS = Statement(
    lambda organisation_id: Assessment.objects.filter(organisation_id=organisation_id).order_by(
        "fiscal_year"
    )
)
# One year by `=`: a year from an address may be any number, and Django answers one beyond the
# column with no row (an `__in` list it would send, and the database refuse).
_YEAR = Statement(
    lambda organisation_id, year: Assessment.objects.filter(
        organisation_id=organisation_id, fiscal_year=year
    ).order_by()
)
_SOME_YEARS = Statement(
    lambda organisation_id, years: Assessment.objects.filter(
        organisation_id=organisation_id, fiscal_year__in=years
    ).order_by("fiscal_year")
)


def organisation_years(
    organisation: Organisation, catalogue: FrameworkCatalogue | None = None, *, items: bool = True
) -> list[YearResult]:
    """Every year of the organisation evaluated; `items`: with every year's item scores read
    at once (an export needs them all; the dashboard only its selected year's)."""
    years = _YEARS.objects(organisation.pk, known={"organisation": organisation})
    if items:
        prefetch_related_objects(
            years, Prefetch("item_scores", queryset=ItemScore.objects.order_by("pk"))
        )
    return _evaluated(years, catalogue or FrameworkCatalogue())


def _evaluated(assessments: list[Assessment], catalogue: FrameworkCatalogue) -> list[YearResult]:
    """One organisation's years evaluated, their indicator scores read as bare triples in one
    query: prefetching them built a model object per score and cost three times the
    evaluation itself."""
    scores: dict[int, dict[int, Decimal]] = {a.pk: {} for a in assessments}
    for assessment_id, number, score in INDICATOR_SCORES.rows(list(scores)):
        scores[assessment_id][number] = score
    return evaluate_years(assessments, catalogue, scores)


def organisation_assessment(organisation: Organisation, fiscal_year: int) -> Assessment | None:
    """The organisation's assessment of that fiscal year, if it has one (its scores are read
    when asked: Assessment.score_map, item_map)."""
    found = _YEAR.objects(organisation.pk, fiscal_year, known={"organisation": organisation})
    return found[0] if found else None


def organisation_year(
    organisation: Organisation, fiscal_year: int, catalogue: FrameworkCatalogue | None = None
) -> YearResult | None:
    """One year evaluated against the year before it (its change needs no more): two
    assessments read instead of every year's."""
    assessments = _SOME_YEARS.objects(
        organisation.pk, [fiscal_year - 1, fiscal_year], known={"organisation": organisation}
    )
    results = _evaluated(assessments, catalogue or FrameworkCatalogue())
    return next((r for r in results if r.fiscal_year == fiscal_year), None)


@dataclass(frozen=True)
class CellChange:
    """One cell of a results file against what is stored: `before` and `after` as stored values
    (None when empty)."""

    column: str
    before: Decimal | str | None
    after: Decimal | str | None


@dataclass(frozen=True)
class YearPreview:
    """What one row of a results file does to a year already stored."""

    line: int
    org_name: str
    fiscal_year: int
    changed: list[CellChange]
    same: list[CellChange]  # cells the row gives with the value already stored
    kept: list[CellChange]  # stored cells the row leaves empty: they stay as they are

    @property
    def named(self) -> int:
        """How many score or level columns the row fills."""
        return len(self.changed) + len(self.same)


@dataclass(frozen=True)
class ImportPreview:
    """What a results file would change: stored years cell by cell, and the years it adds."""

    years: list[YearPreview]
    new_years: list[ScoreRow]

    @property
    def changes_stored_years(self) -> bool:
        return any(year.changed for year in self.years)

    @property
    def digest(self) -> str:
        """A fingerprint of every stored value the file touches: it differs once anyone has
        changed one of them, or added one of the new years, since the preview was made."""
        stored = [
            (y.org_name, y.fiscal_year, [(c.column, str(c.before)) for c in (*y.changed, *y.same)])
            for y in self.years
        ]
        new = [(row.org_name, row.province, row.fiscal_year) for row in self.new_years]
        text = json.dumps([stored, new], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _row_cells(row: ScoreRow) -> dict[str, Decimal | str]:
    cells: dict[str, Decimal | str] = {f"ind_{n}": v for n, v in sorted(row.scores.items())}
    cells.update(sorted(row.items.items()))
    if row.published_score is not None:
        cells["published_score"] = row.published_score
    if row.published_level:
        cells["published_level"] = row.published_level
    return cells


def _stored_cells(assessment: Assessment) -> dict[str, Decimal | str]:
    cells: dict[str, Decimal | str] = {
        f"ind_{n}": v for n, v in sorted(assessment.score_map().items())
    }
    cells.update(sorted(assessment.item_map().items()))
    if assessment.published_score is not None:
        cells["published_score"] = assessment.published_score
    if assessment.published_level:
        cells["published_level"] = assessment.published_level
    return cells


def import_preview(*, rows: list[ScoreRow], lock: bool = False) -> ImportPreview:
    """What importing `rows` (parsed, valid) would change, as assessment_import writes them: a
    cell the row fills replaces the stored one, an empty cell leaves it. `lock` holds the
    stored years (select_for_update) until the caller's transaction ends."""
    names = {row.org_name for row in rows}
    organisations = {
        (o.name, o.province): o.pk for o in Organisation.objects.filter(name__in=names)
    }
    stored: dict[tuple[int, int], Assessment] = {}
    org_ids = sorted(set(organisations.values()))
    years = {row.fiscal_year for row in rows}
    for start in range(0, len(org_ids), 500):
        queryset = Assessment.objects.filter(
            organisation_id__in=org_ids[start : start + 500], fiscal_year__in=years
        )
        if lock:
            queryset = queryset.select_for_update()
        for year in queryset.prefetch_related("indicator_scores", "item_scores"):
            stored[(year.organisation_id, year.fiscal_year)] = year
    previews: list[YearPreview] = []
    new_years: list[ScoreRow] = []
    for row in rows:
        org_id = organisations.get(row.key)
        assessment = stored.get((org_id, row.fiscal_year)) if org_id is not None else None
        if assessment is None:
            new_years.append(row)
            continue
        before, after = _stored_cells(assessment), _row_cells(row)
        cells = [CellChange(column, before.get(column), value) for column, value in after.items()]
        previews.append(
            YearPreview(
                line=row.line,
                org_name=row.org_name,
                fiscal_year=row.fiscal_year,
                changed=[c for c in cells if c.before != c.after],
                same=[c for c in cells if c.before == c.after],
                kept=[CellChange(col, v, v) for col, v in before.items() if col not in after],
            )
        )
    return ImportPreview(years=previews, new_years=new_years)
