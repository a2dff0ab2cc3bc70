"""Writes that touch several rows: saving a year's scores, importing a results file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from itaportal.accounts.audit import audit
from itaportal.accounts.models import AuditEvent, User

from . import ita
from .importing import ImportRejected, RowError, ScoreRow
from .models import Assessment, IndicatorScore, Organisation
from .selectors import FrameworkCatalogue


def _replace_scores(assessment: Assessment, scores: Mapping[int, Decimal | None]) -> None:
    """Set the given indicators; None clears one. Indicators not mentioned are left alone."""
    cleared = [n for n, v in scores.items() if v is None]
    kept = {n: v for n, v in scores.items() if v is not None}
    assessment.indicator_scores.filter(number__in=[*cleared, *kept]).delete()
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, number=n, score=v) for n, v in kept.items()
    )


@transaction.atomic
def assessment_save(
    *,
    organisation: Organisation,
    fiscal_year: int,
    scores: Mapping[int, Decimal | None],
    published_score: Decimal | None,
    published_level: str,
    thresholds: ita.Thresholds,
    user: User | None,
) -> Assessment:
    """Create or replace one year's results and planning settings, as a score form submits them."""
    existing = Assessment.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()
    before = _snapshot(existing) if existing else None
    assessment, _created = Assessment.objects.update_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        defaults={
            "published_score": published_score,
            "published_level": published_level,
            "maintain_from": thresholds.maintain_from,
            "raise_from": thresholds.raise_from,
            "target": thresholds.target,
            "updated_by": user,
        },
    )
    _replace_scores(assessment, scores)
    audit(
        AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
        user=user,
        organisation_id=organisation.pk,
        obj=assessment,
        summary=f"FY {fiscal_year}",
        before=before,
        after=_snapshot(assessment),
    )
    return assessment


def _snapshot(assessment: Assessment) -> dict[str, object]:
    return {
        "published_score": assessment.published_score,
        "published_level": assessment.published_level,
        "thresholds": [assessment.maintain_from, assessment.raise_from, assessment.target],
        "scores": {s.number: s.score for s in assessment.indicator_scores.all()},
    }


@dataclass(frozen=True)
class ImportSummary:
    organisations_created: int
    assessments_created: int
    assessments_updated: int


@transaction.atomic
def assessment_import(*, rows: list[ScoreRow], user: User | None = None) -> ImportSummary:
    """Write parsed rows: organisations by (name, province), one assessment per organisation-year.

    Re-importing updates; an empty cell leaves what is stored (a row may carry only some fields).
    """
    names = {row.org_name for row in rows}
    organisations = {
        (org.name, org.province): org for org in Organisation.objects.filter(name__in=names)
    }
    _check_codes(rows, organisations)
    new_orgs = []
    for row in rows:
        if row.key not in organisations:
            org = Organisation(
                name=row.org_name,
                province=row.province,
                district=row.district,
                code=row.org_code,
                kind=_kind_from_name(row.org_name),
            )
            organisations[row.key] = org
            new_orgs.append(org)
    Organisation.objects.bulk_create(new_orgs)
    if new_orgs and new_orgs[0].pk is None:  # backends that do not return ids
        organisations = {
            (org.name, org.province): org for org in Organisation.objects.filter(name__in=names)
        }

    org_ids = {org.pk for org in organisations.values()}
    existing = {
        (a.organisation_id, a.fiscal_year): a
        for a in Assessment.objects.filter(
            organisation_id__in=org_ids, fiscal_year__in={row.fiscal_year for row in rows}
        )
    }
    catalogue = FrameworkCatalogue()
    created = updated = 0
    for row in rows:
        org = organisations[row.key]
        assessment = existing.get((org.pk, row.fiscal_year))
        if assessment is None:
            framework = catalogue.for_year(row.fiscal_year)
            assert framework is not None, "parse_scores_file refuses years without a framework"
            thresholds = framework.default_thresholds()
            assessment = Assessment.objects.create(
                organisation=org,
                fiscal_year=row.fiscal_year,
                published_score=row.published_score,
                published_level=row.published_level,
                maintain_from=thresholds.maintain_from,
                raise_from=thresholds.raise_from,
                target=thresholds.target,
                updated_by=user,
            )
            created += 1
        else:
            if row.published_score is not None:
                assessment.published_score = row.published_score
            if row.published_level:
                assessment.published_level = row.published_level
            assessment.updated_by = user
            assessment.save(
                update_fields=["published_score", "published_level", "updated_by", "updated_at"]
            )
            updated += 1
        _replace_scores(assessment, row.scores)
    for org_id in {organisations[row.key].pk for row in rows}:
        audit(
            AuditEvent.Action.UPDATE,
            user=user,
            organisation_id=org_id,
            summary="import: "
            + ", ".join(
                f"FY {row.fiscal_year}" for row in rows if organisations[row.key].pk == org_id
            ),
        )
    return ImportSummary(
        organisations_created=len(new_orgs),
        assessments_created=created,
        assessments_updated=updated,
    )


def _kind_from_name(name: str) -> str:
    prefixes = [
        ("เทศบาลนคร", Organisation.Kind.CITY_MUNICIPALITY),
        ("เทศบาลเมือง", Organisation.Kind.TOWN_MUNICIPALITY),
        ("เทศบาลตำบล", Organisation.Kind.SUBDISTRICT_MUNICIPALITY),
        ("องค์การบริหารส่วนตำบล", Organisation.Kind.SAO),
        ("อบต.", Organisation.Kind.SAO),
        ("องค์การบริหารส่วนจังหวัด", Organisation.Kind.PAO),
        ("อบจ.", Organisation.Kind.PAO),
    ]
    for prefix, kind in prefixes:
        if name.startswith(prefix):
            return kind
    return Organisation.Kind.OTHER


def _check_codes(rows: list[ScoreRow], known: dict[tuple[str, str], Organisation]) -> None:
    """A new organisation may not take a local-government code another one already holds."""
    wanted = {row.org_code: row for row in rows if row.org_code and row.key not in known}
    taken = Organisation.objects.filter(code__in=wanted).values_list("code", "name")
    errors = [
        RowError(
            wanted[code].line,
            "org_code",
            _("Code %(code)s already belongs to %(name)s.") % {"code": code, "name": name},
        )
        for code, name in taken
    ]
    if errors:
        raise ImportRejected(errors)
