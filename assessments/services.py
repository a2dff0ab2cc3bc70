"""Writes that touch several rows: saving a year's scores, importing a results file, an
organisation's settings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import ita
from assessments.importing import ImportRejected, RowError, ScoreRow
from assessments.models import (
    Assessment,
    Framework,
    IndicatorScore,
    InstrumentPart,
    Item,
    ItemCrosswalk,
    ItemScore,
    LevelBand,
    Organisation,
    Unit,
)
from assessments.selectors import FrameworkCatalogue, import_preview
from assessments.summaries import summaries_refresh
from itaportal.accounts.audit import audit, values_of
from itaportal.accounts.models import AuditEvent, User


class StaleScores(Exception):
    """Someone saved this year's scores since the form was opened; their change is kept."""

    def __init__(self, current: Assessment) -> None:
        super().__init__(current.fiscal_year)
        self.current = current


def _replace_scores(assessment: Assessment, scores: Mapping[int, Decimal | None]) -> None:
    """Set the given indicators; None clears one. Indicators not mentioned are left alone."""
    cleared = [n for n, v in scores.items() if v is None]
    kept = {n: v for n, v in scores.items() if v is not None}
    assessment.indicator_scores.filter(number__in=[*cleared, *kept]).delete()
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, number=n, score=v) for n, v in kept.items()
    )


def _replace_item_scores(assessment: Assessment, items: Mapping[str, Decimal | None]) -> None:
    """Set the given items; None clears one. Items not mentioned are left alone."""
    kept = {code: v for code, v in items.items() if v is not None}
    assessment.item_scores.filter(code__in=list(items)).delete()
    ItemScore.objects.bulk_create(
        ItemScore(assessment=assessment, code=code, score=v) for code, v in kept.items()
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
    ip: str | None = None,
    expected_version: dt.datetime | None = None,
    items: Mapping[str, Decimal | None] | None = None,
) -> Assessment:
    """Create or replace one year's results and planning settings, as a score form submits them.

    With `expected_version` (the `updated_at` the form was opened with), a year saved by
    someone else since then raises StaleScores and nothing is written. Indicators left empty
    that the framework computes from items are written from them; the returned assessment's
    `from_items` says which, and which published scores their items contradict."""
    existing = (
        Assessment.objects.select_for_update()
        .filter(organisation=organisation, fiscal_year=fiscal_year)
        .first()
    )
    if existing and expected_version is not None and existing.updated_at != expected_version:
        raise StaleScores(existing)
    before = assessment_values(existing) if existing else None
    assessment, _created = Assessment.objects.update_or_create(
        organisation=organisation,
        fiscal_year=fiscal_year,
        defaults={
            "published_score": published_score,
            "published_level": published_level,
            "maintain_from": thresholds.maintain_from,
            "raise_from": thresholds.raise_from,
            "target": thresholds.target,
            "is_demo": False,  # saved figures make a demo year the office's
            "updated_by": user,
        },
    )
    assessment.organisation = organisation
    _replace_scores(assessment, scores)
    _replace_item_scores(assessment, items or {})
    assessment.from_items = _indicators_from_items([assessment], FrameworkCatalogue()).get(
        assessment.pk, NOTHING_FROM_ITEMS
    )
    summaries_refresh(organisation_ids=[organisation.pk], years=[fiscal_year])
    audit(
        action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
        user=user,
        organisation_id=organisation.pk,
        obj=assessment,
        summary=format_lazy(gettext_lazy("ITA results of {year}"), year=fiscal_year),
        before=before,
        after=assessment_values(assessment),
        ip=ip,
    )
    return assessment


NOTHING_FROM_ITEMS = ita.FromItems(computed={}, mismatches={})


def _indicators_from_items(
    assessments: Sequence[Assessment], catalogue: FrameworkCatalogue
) -> dict[int, ita.FromItems]:
    """Write the indicator scores that each year's framework computes from its stored items
    where the indicator is empty (assessments.ita.scores_from_items); return, by assessment
    id, what the items said of the years they said something of."""
    ruled: dict[int, ita.Rules] = {}
    for assessment in assessments:
        rules = catalogue.rules_for_year(assessment.fiscal_year, assessment.organisation.kind)
        if rules is not None and any(inst.score_from_items for inst in rules.instruments):
            ruled[assessment.pk] = rules
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    items: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for ids in _chunks(sorted(ruled)):
        for pk, number, value in IndicatorScore.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "number", "score"
        ):
            scores[pk][number] = value
        for pk, code, value in ItemScore.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "code", "score"
        ):
            items[pk][code] = value
    found: dict[int, ita.FromItems] = {}
    for pk, rules in ruled.items():
        facts = ita.scores_from_items(rules, scores=scores[pk], items=items[pk])
        if facts.computed or facts.mismatches:
            found[pk] = facts
    IndicatorScore.objects.bulk_create(
        [
            IndicatorScore(assessment_id=pk, number=number, score=value)
            for pk, facts in found.items()
            for number, value in facts.computed.items()
        ],
        batch_size=BATCH_SIZE,
    )
    return found


@transaction.atomic
def framework_copy(
    *, framework: Framework, first_year: int, user: User | None, ip: str | None = None
) -> Framework:
    """A copy of `framework`, down to its items and bands' floors, for the fiscal year
    `first_year`: the start of the next year's framework, edited in the admin from there.
    Raises ValidationError (nothing saved) when a framework already covers that year."""
    copy = Framework(
        name=_("ITA framework of fiscal year %(year)s") % {"year": first_year},
        first_year=first_year,
        last_year=first_year,
        kinds=framework.kinds,
        uncertain=(
            _("Copied from “%(name)s”: check everything against NACC's manual of the year.")
            % {"name": framework.name}
            + (f" {framework.uncertain}" if framework.uncertain else "")
        ),
        discrepancy_tolerance=framework.discrepancy_tolerance,
        default_maintain_from=framework.default_maintain_from,
        default_raise_from=framework.default_raise_from,
        default_target=framework.default_target,
    )
    copy.full_clean()
    copy.save()
    for instrument in framework.instruments.all():
        parts = list(instrument.parts.all())
        indicators = [(ind, list(ind.items.all())) for ind in instrument.indicators.all()]
        instrument.pk = None
        instrument.framework = copy
        instrument.save()
        InstrumentPart.objects.bulk_create(
            InstrumentPart(instrument=instrument, number=p.number, name_th=p.name_th) for p in parts
        )
        for indicator, items in indicators:
            indicator.pk = None
            indicator.instrument = instrument
            indicator.save()
            originals = [item.pk for item in items]
            for item in items:
                item.pk = None
                item.indicator = indicator
            Item.objects.bulk_create(items)
            # Each item of the copy follows its original: next year's OIT checklist starts
            # from this year's (reports.oit.carry).
            ItemCrosswalk.objects.bulk_create(
                ItemCrosswalk(item_id=original, successor=item)
                for original, item in zip(originals, items, strict=True)
            )
    bands = list(framework.bands.all())
    for band in bands:
        band.pk = None
        band.framework = copy
    LevelBand.objects.bulk_create(bands)
    summaries_refresh(years=[first_year])  # results entered before the year had a framework
    audit(
        action=AuditEvent.Action.CREATE,
        user=user,
        organisation_id=None,
        obj=copy,
        summary=format_lazy(gettext_lazy("ITA framework copied from {name}"), name=framework.name),
        after=values_of(copy, ["name", "first_year", "last_year"]),
        ip=ip,
    )
    return copy


AUDITED_ASSESSMENT_FIELDS = (
    "published_score",
    "published_level",
    "maintain_from",
    "raise_from",
    "target",
)


def assessment_values(assessment: Assessment) -> dict[str, object]:
    """What the audit trail keeps of a year's results: its settings and each indicator's score,
    the latter as `score_N` (Assessment.audit_label names them)."""
    values = values_of(assessment, AUDITED_ASSESSMENT_FIELDS)
    for score in assessment.indicator_scores.all().order_by("number"):
        values[f"score_{score.number}"] = str(score.score)
    for item in assessment.item_scores.all().order_by("pk"):
        values[f"item_{item.code}"] = str(item.score)
    return values


@dataclass(frozen=True)
class ImportSummary:
    organisations_created: int
    assessments_created: int
    assessments_updated: int
    # What the items said, for the years whose rows carried items: the indicators computed
    # from them and the published ones they contradict, by (organisation, fiscal year).
    from_items: dict[tuple[str, int], ita.FromItems] = field(default_factory=dict)


# Rows per INSERT/UPDATE statement, and values per IN (...) list: well under SQLite's 32,766
# variables and PostgreSQL's 65,535 parameters, large enough that a national file (7,850 rows,
# 78,500 indicator scores) takes a few dozen statements instead of one per row.
BATCH_SIZE = 1000


def _chunks[T](items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class PreviewOutdated(Exception):
    """The stored years an import touches changed after its preview was shown."""


@transaction.atomic
def assessment_import_previewed(
    *, rows: list[ScoreRow], digest: str, user: User | None = None, ip: str | None = None
) -> ImportSummary:
    """Import `rows` only if every stored value they touch is still what the preview showed
    (`digest`, ImportPreview.digest): the years are locked, compared, then written."""
    if import_preview(rows=rows, lock=True).digest != digest:
        raise PreviewOutdated
    return assessment_import(rows=rows, user=user, ip=ip)


@transaction.atomic
def assessment_import(
    *, rows: list[ScoreRow], user: User | None = None, ip: str | None = None
) -> ImportSummary:
    """Write parsed rows: organisations by (name, province), one assessment per organisation-year.

    Re-importing updates; an empty cell leaves what is stored (a row may carry only some fields).
    Every write is in bulk, a few statements per thousand rows whatever the file's size, the
    kept figures (assessments.summaries) included.
    """
    names = sorted({row.org_name for row in rows})
    organisations = _organisations_named(names)
    _check_codes(rows, organisations)
    new_orgs = []
    for row in rows:
        if row.key not in organisations:
            org = Organisation(
                name=row.org_name,
                province=row.province,
                district=row.district,
                code=row.org_code,
                kind=Organisation.kind_from_name(row.org_name),
            )
            organisations[row.key] = org
            new_orgs.append(org)
    Organisation.objects.bulk_create(new_orgs, batch_size=BATCH_SIZE)
    if new_orgs and new_orgs[0].pk is None:  # backends that do not return ids
        organisations = _organisations_named(names)

    org_ids = sorted({organisations[row.key].pk for row in rows})
    years = {row.fiscal_year for row in rows}
    existing = {
        (a.organisation_id, a.fiscal_year): a
        for ids in _chunks(org_ids)
        for a in Assessment.objects.filter(organisation_id__in=ids, fiscal_year__in=years)
    }
    catalogue = FrameworkCatalogue()
    now = timezone.now()
    created: list[tuple[Assessment, ScoreRow]] = []
    updated: list[tuple[Assessment, ScoreRow]] = []
    for row in rows:
        org = organisations[row.key]
        assessment = existing.get((org.pk, row.fiscal_year))
        if assessment is None:
            framework = catalogue.for_year(row.fiscal_year, org.kind)
            assert framework is not None, "parse_scores_file refuses years without a framework"
            thresholds = framework.default_thresholds()
            assessment = Assessment(
                organisation=org,
                fiscal_year=row.fiscal_year,
                published_score=row.published_score,
                published_level=row.published_level,
                maintain_from=thresholds.maintain_from,
                raise_from=thresholds.raise_from,
                target=thresholds.target,
                updated_by=user,
            )
            created.append((assessment, row))
        else:
            assessment.organisation = org  # read below, by kind: no query per row
            if row.published_score is not None:
                assessment.published_score = row.published_score
            if row.published_level:
                assessment.published_level = row.published_level
            assessment.updated_by = user
            assessment.updated_at = now
            assessment.is_demo = False  # imported figures make a demo year the office's
            updated.append((assessment, row))
    Assessment.objects.bulk_create([a for a, _row in created], batch_size=BATCH_SIZE)
    if created and created[0][0].pk is None:  # backends that do not return ids
        stored = {
            (a.organisation_id, a.fiscal_year): a.pk
            for ids in _chunks(org_ids)
            for a in Assessment.objects.filter(organisation_id__in=ids, fiscal_year__in=years)
        }
        for assessment, _row in created:
            assessment.pk = stored[(assessment.organisation_id, assessment.fiscal_year)]
    # Stored years are written back whole by an upsert on (organisation, year): bulk_update's
    # CASE WHEN per row and field took 18 s for a country's file, the upsert under one.
    Assessment.objects.bulk_create(
        [a for a, _row in updated],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["organisation", "fiscal_year"],
        update_fields=["published_score", "published_level", "is_demo", "updated_by", "updated_at"],
    )
    _replace_imported_scores(updated, fresh=created)
    ItemScore.objects.bulk_create(
        [
            ItemScore(assessment_id=assessment.pk, code=code, score=v)
            for assessment, row in (*updated, *created)
            for code, v in row.items.items()
        ],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["assessment", "code"],
        update_fields=["score"],
    )
    with_items = [assessment for assessment, row in (*updated, *created) if row.items]
    from_items = _indicators_from_items(with_items, catalogue)
    _audit_import(rows, organisations, user, ip)
    summaries_refresh(organisation_ids=org_ids, years=years)
    return ImportSummary(
        organisations_created=len(new_orgs),
        assessments_created=len(created),
        assessments_updated=len(updated),
        from_items={
            (a.organisation.name, a.fiscal_year): from_items[a.pk]
            for a in with_items
            if a.pk in from_items
        },
    )


def _organisations_named(names: Sequence[str]) -> dict[tuple[str, str], Organisation]:
    return {
        (org.name, org.province): org
        for chunk in _chunks(names)
        for org in Organisation.objects.filter(name__in=chunk)
    }


def _replace_imported_scores(
    updated: list[tuple[Assessment, ScoreRow]], *, fresh: list[tuple[Assessment, ScoreRow]]
) -> None:
    """Set each row's indicators, as _replace_scores does: those a row gives are replaced, the
    others kept. An upsert (an existing score is updated in place) of a thousand rows a
    statement, sent as plain parameters; standard SQL that SQLite (3.24+) and PostgreSQL run.

    Not bulk_create(update_conflicts=True), measured on 2026-12-03 (78,500 scores, the
    national file's, CPU seconds of the importing process, load average 2.3-4): on SQLite it
    took 3.7-5.3 s against this statement's 0.4 s, whatever the batch size (1,000, 5,000 or
    all) and with instances built from positional arguments (1.0 s of it is building the
    instances, the rest Django's compiler preparing every value, then setting the returned
    ids); on PostgreSQL (UNNEST arrays) 3.1-3.8 s against 1.4-2.1 s, the server's own
    CPU the same for both (about 2 s). In the whole command that was 2-3 more of a national
    import's 13-16 CPU seconds on SQLite; on PostgreSQL within the noise of the whole
    command (about 1 s)."""
    table = IndicatorScore._meta.db_table
    values = [
        (assessment.pk, number, value)
        for assessment, row in (*updated, *fresh)
        for number, value in row.scores.items()
    ]
    with connection.cursor() as cursor:
        for batch in _chunks(values):  # a thousand rows a statement: one round trip each
            rows = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (assessment_id, number, score) VALUES {rows} "
                "ON CONFLICT (assessment_id, number) DO UPDATE SET score = excluded.score",
                [param for row in batch for param in row],
            )


def _imported_words(words: str, fiscal_years: list[str]) -> str:
    return (words % {"years": ", ".join(fiscal_years)})[:300]


def _audit_import(
    rows: list[ScoreRow],
    organisations: dict[tuple[str, str], Organisation],
    user: User | None,
    ip: str | None,
) -> None:
    """One audit event per organisation, naming the years the file gave it (as audit() writes)."""
    years: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        years[organisations[row.key].pk].append(str(row.fiscal_year))
    with translation.override(settings.LANGUAGE_CODE):
        words = _("ITA results of %(years)s, from an imported file")
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organisation_id=org_id,
                user=user if user is not None and user.pk else None,
                username=user.get_username() if user is not None else "",
                action=AuditEvent.Action.UPDATE,
                object_type=Assessment._meta.label_lower,
                summary=_imported_words(words, fiscal_years),
                ip=ip,
            )
            for org_id, fiscal_years in years.items()
        ]
    )


def _check_codes(rows: list[ScoreRow], known: dict[tuple[str, str], Organisation]) -> None:
    """A new organisation may not take a local-government code another one already holds."""
    wanted = {row.org_code: row for row in rows if row.org_code and row.key not in known}
    taken = [
        pair
        for codes in _chunks(sorted(wanted))
        for pair in Organisation.objects.filter(code__in=codes).values_list("code", "name")
    ]
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


SETTINGS_FIELDS = ("letter_code", "executive_title", "executive_name", "digit_style", "emblem")


@dataclass(frozen=True)
class UnitData:
    """A unit of the organisation and its telephone, as a memo's ส่วนราชการ line names it."""

    name: str
    phone: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})" if self.phone else self.name


def _settings_values(organisation: Organisation) -> dict[str, Any]:
    values = values_of(organisation, SETTINGS_FIELDS)
    values["units"] = [str(UnitData(u.name, u.phone)) for u in organisation.units.all()]
    return values


@transaction.atomic
def organisation_settings_save(
    *,
    organisation: Organisation,
    values: Mapping[str, Any],
    units: Sequence[UnitData],
    user: User | None,
    ip: str | None = None,
) -> None:
    """Store what the organisation's admin set (SETTINGS_FIELDS in `values`; an emblem of None
    or False takes it away) and its units in their order, as one entry of the audit trail with
    what changed.

    What it was comes from the database, under a row lock: a bound form has already set the new
    values on the object it was given, and two admins saving at once are written one after the
    other."""
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _settings_values(stored)
    for name in SETTINGS_FIELDS:
        if name in values:
            value = values[name]
            setattr(organisation, name, (value or "") if name == "emblem" else value)
    organisation.save(update_fields=[name for name in SETTINGS_FIELDS if name in values])
    organisation.units.all().delete()
    Unit.objects.bulk_create(
        Unit(organisation=organisation, name=unit.name, phone=unit.phone, order=i)
        for i, unit in enumerate(units)
    )
    after = _settings_values(organisation)
    changed = [name for name in after if before[name] != after[name]]
    if changed:
        audit(
            action=AuditEvent.Action.UPDATE,
            user=user,
            organisation_id=organisation.pk,
            obj=organisation,
            summary=organisation.name,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            ip=ip,
        )
