"""itaportal/statements.py: a queryset's SQL written once, its rows the ORM's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Model, QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, IndicatorScore, Organisation
from itaportal.statements import Statement
from measures.models import Measure, MeasurePlan
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def fields(instance: Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


class Counted:
    """A queryset builder that counts how often it is asked."""

    def __init__(self, build: Any) -> None:
        self.build, self.calls = build, 0

    def __call__(self, *values: Any) -> QuerySet[Any]:
        self.calls += 1
        return self.build(*values)


def years_of(organisation_id: int) -> QuerySet[Assessment]:
    return Assessment.objects.filter(organisation_id=organisation_id).order_by("fiscal_year")


def test_it_reads_the_objects_the_orm_reads_writing_the_sql_once(
    assessed_org: Organisation, other_org: Organisation
) -> None:
    build = Counted(years_of)
    statement = Statement(build)
    for organisation in (assessed_org, other_org, assessed_org):
        with CaptureQueriesContext(connection) as queries:
            read = statement.objects(organisation.pk)
        assert len(queries) == 1
        assert [fields(a) for a in read] == [fields(a) for a in years_of(organisation.pk)]
        assert all(not a._state.adding and a._state.db == "default" for a in read)
    assert [a.fiscal_year for a in statement.objects(assessed_org.pk)] == [2564, 2565]
    assert build.calls == 3  # once for its model, twice for its SQL (two sets of samples)


def test_values_list_rows_convert_as_the_orm_s(assessed_org: Organisation) -> None:
    ids = list(Assessment.objects.values_list("pk", flat=True))

    def scores(assessments: list[int], number: int) -> QuerySet[Any]:
        return (
            IndicatorScore.objects.filter(assessment__in=assessments, number__gte=number)
            .order_by("assessment_id", "number")
            .values_list("assessment_id", "number", "score")
        )

    statement = Statement(scores)
    for chosen, number in ((ids, 1), (ids[:1], 5), (ids, 9), ([], 1), (ids[1:], 3)):
        assert statement.rows(chosen, number) == list(scores(chosen, number))
    assert statement.rows(ids, 1) != [] and statement.rows([], 1) == []


def test_texts_constants_dates_and_json_come_back_as_stored(org: Organisation) -> None:
    plan = MeasurePlan.objects.create(organisation=org, fiscal_year=2569)
    for order, status in enumerate(("planned", "done", "planned")):
        Measure.objects.create(
            plan=plan,
            order=order,
            title=f"มาตรการที่ {order}",
            indicators=[1, 9],
            status=status,
            start_month=dt.date(2569 - 543, 1, 1),
            end_month=dt.date(2569 - 543, 9, 1),
        )

    def planned(plan_id: int, title: str) -> QuerySet[Measure]:
        return Measure.objects.filter(plan_id=plan_id, status="planned").exclude(title=title)

    statement = Statement(planned)
    read = statement.objects(plan.pk, "มาตรการที่ 0", known={"plan": plan})
    assert [fields(m) for m in read] == [fields(m) for m in planned(plan.pk, "มาตรการที่ 0")]
    assert [m.title for m in read] == ["มาตรการที่ 2"]
    assert read[0].indicators == [1, 9] and read[0].start_month == dt.date(2026, 1, 1)
    with CaptureQueriesContext(connection) as queries:
        assert read[0].plan is plan
    assert len(queries) == 0


@pytest.mark.parametrize(
    ("build", "value", "refused"),
    [
        (lambda title: Organisation.objects.filter(name__contains=title), "x", "changes a value"),
        (lambda pk: Organisation.objects.filter(pk__gt=pk + 1), 1, "changes a value"),
        (lambda pk: Assessment.objects.filter(pk=pk).select_related("organisation"), 1, "select"),
        (lambda pk: Organisation.objects.filter(pk=pk).annotate(n=Count("plans")), 1, "annot"),
        (lambda pk: Organisation.objects.filter(pk=pk).only("name"), 1, "deferred"),
        (lambda pk: Organisation.objects.filter(pk=pk).values("name"), 1, "values_list"),
    ],
)
def test_a_queryset_it_cannot_run_as_the_orm_would_is_refused(
    build: Any, value: object, refused: str
) -> None:
    with pytest.raises(ValueError, match=refused):
        Statement(build).objects(value)  # type: ignore[arg-type]


def test_values_other_than_numbers_texts_and_lists_of_numbers_are_refused(
    org: Organisation,
) -> None:
    statement = Statement(years_of)
    for value in (True, 1.5, None, [1, "2"], dt.date(2026, 1, 1)):
        with pytest.raises(TypeError):
            statement.objects(value)  # type: ignore[arg-type]


def test_a_number_beyond_every_column_is_answered_by_the_orm(org: Organisation) -> None:
    below = Statement(lambda pk: Organisation.objects.filter(pk__lt=pk).order_by("pk"))
    same = Statement(lambda pk: Organisation.objects.filter(pk=pk))
    assert [o.pk for o in below.objects(10**30)] == [org.pk]
    assert same.objects(10**30) == [] and same.objects(-(10**30)) == []
    assert [o.pk for o in same.objects(org.pk)] == [org.pk]


def test_a_number_beyond_its_column_reads_as_the_orm_reads(assessed_org: Organisation) -> None:
    """A number no small column holds (99999, or past PostgreSQL's int2) reads the ORM's rows
    (none for `=`, all for `>= -99999`), not a database error."""
    org = assessed_org
    MeasurePlan.objects.create(organisation=org, fiscal_year=2569)
    plans = Statement(
        lambda org_id, year: MeasurePlan.objects.filter(organisation_id=org_id, fiscal_year=year)
    )
    assert [p.fiscal_year for p in plans.objects(org.pk, 2569)] == [2569]
    for year in (32768, 99999, 2**31, -40000):
        assert plans.objects(org.pk, year) == []
    years = Statement(
        lambda years: MeasurePlan.objects.filter(fiscal_year__in=years).values_list("fiscal_year")
    )
    assert years.rows([2569, 99999]) == [(2569,)]
    numbers = Statement(
        lambda number: IndicatorScore.objects.filter(number__gte=number).values_list("number")
    )
    for number in (5, 99999, -99999):
        orm = list(IndicatorScore.objects.filter(number__gte=number).values_list("number"))
        assert numbers.rows(number) == orm
    assert numbers.rows(-99999) != []


@pytest.mark.parametrize("year", [32768, 99999, 2**31, 10**25])
def test_a_year_no_column_holds_is_a_thai_not_found_page(
    assessed_org: Organisation, year: int
) -> None:
    """The pages that read by statement answer a year beyond any column with a 404 in Thai,
    never a database error, on SQLite and PostgreSQL alike."""
    MeasurePlan.objects.create(organisation=assessed_org, fiscal_year=2569)
    client = client_for(make_user("clerk", organisation=assessed_org, role="staff"))
    for name in ("assessments:scores_edit", "measures:plan_detail", "measures:analysis_edit"):
        page = client.get(reverse(name, args=[assessed_org.pk, year]))
        assert page.status_code == 404, name
        assert "ไม่พบ" in page.content.decode(), name
    assert (
        client.get(reverse("measures:plan_detail", args=[assessed_org.pk, 2569])).status_code == 200
    )
