"""Reads that join frameworks, organisations and scores, and evaluate them with assessments.ita."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, QuerySet

from assessments import ita
from assessments.models import Assessment, Framework, Indicator, Instrument, Organisation


class FrameworkCatalogue:
    """All frameworks, read once (three queries), with their rules built once."""

    def __init__(self) -> None:
        self._frameworks = list(
            Framework.objects.prefetch_related(
                Prefetch(
                    "instruments",
                    queryset=Instrument.objects.prefetch_related(
                        Prefetch("indicators", queryset=Indicator.objects.order_by("number"))
                    ),
                ),
                "bands",
            )
        )
        self._rules: dict[int, ita.Rules] = {}

    def for_year(self, fiscal_year: int) -> Framework | None:
        for framework in self._frameworks:
            if framework.first_year <= fiscal_year <= framework.last_year:
                return framework
        return None

    def rules(self, framework: Framework) -> ita.Rules:
        if framework.pk not in self._rules:
            self._rules[framework.pk] = framework.rules()
        return self._rules[framework.pk]

    def rules_for_year(self, fiscal_year: int) -> ita.Rules | None:
        framework = self.for_year(fiscal_year)
        return self.rules(framework) if framework else None

    def level_names(self) -> list[str]:
        """Every level label any framework knows, for the published-level suggestions."""
        return sorted(
            {
                name
                for framework in self._frameworks
                for band in framework.bands.all()
                for name in (band.code, *band.alias_list)
            }
        )

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


def assessments_with_scores(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return queryset.select_related("organisation").prefetch_related("indicator_scores")


def evaluate_years(
    assessments: Iterable[Assessment], catalogue: FrameworkCatalogue
) -> list[YearResult]:
    """Evaluate assessments in (organisation, year) order, each against its previous year."""
    results: list[YearResult] = []
    previous: dict[tuple[int, int], ita.Evaluation] = {}
    for assessment in sorted(assessments, key=lambda a: (a.organisation_id, a.fiscal_year)):
        framework = catalogue.for_year(assessment.fiscal_year)
        if framework is None:
            continue  # a year no framework covers; entry and import refuse such years
        rules = catalogue.rules(framework)
        evaluation = ita.evaluate(
            rules,
            scores=assessment.score_map(),
            published_score=assessment.published_score,
            published_level=assessment.published_level,
            thresholds=assessment.thresholds,
            previous=previous.get((assessment.organisation_id, assessment.fiscal_year - 1)),
        )
        previous[(assessment.organisation_id, assessment.fiscal_year)] = evaluation
        results.append(YearResult(assessment, framework, rules, evaluation))
    return results


def organisation_years(
    organisation: Organisation, catalogue: FrameworkCatalogue | None = None
) -> list[YearResult]:
    catalogue = catalogue or FrameworkCatalogue()
    return evaluate_years(assessments_with_scores(organisation.assessments.all()), catalogue)
