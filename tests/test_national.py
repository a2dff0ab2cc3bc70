"""The national data set of `manage.py generate_national`: its shape, its seed, its refusal to
overwrite, and that the portal's own pages show what it generates."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Q

from assessments.models import Assessment, IndicatorScore, Organisation
from assessments.selectors import organisation_years
from fixtures.loaders.national import (
    FULL_SCALE,
    MAIN_KINDS,
    PROVINCES,
    TODAY,
    national_layout,
)
from itaportal import thai
from itaportal.accounts.models import Role, User
from measures.models import Measure, MeasurePlan
from measures.selectors import plan_view
from reports.documents.models import Committee
from reports.memos.models import Memo, MemoStep
from reports.numbering import NumberRegister
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SMALL = 40


def generate(*args: str, organisations: int = SMALL) -> str:
    out = io.StringIO()
    call_command("generate_national", "--organisations", str(organisations), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def national(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """One data set for the whole module, rolled back at its end; each test works inside it and
    its own changes are rolled back after it, as usual."""
    path = tmp_path_factory.mktemp("national") / "national.json"
    with django_db_blocker.unblock(), transaction.atomic():
        generate("--seed", "7", "--manifest", str(path))
        yield json.loads(path.read_text(encoding="utf-8"))
        transaction.set_rollback(True)


@pytest.fixture
def manifest(national: dict[str, Any], db: None) -> dict[str, Any]:
    return national


def generated() -> Any:
    return Organisation.objects.filter(code__regex=r"^N[0-9]{5}$")


def fingerprint() -> list[list[tuple[Any, ...]]]:
    """What a person would see of the data set, without the database's ids."""
    return [
        list(
            generated()
            .order_by("code")
            .values_list("code", "kind", "name", "district", "province", "letter_code")
        ),
        list(
            IndicatorScore.objects.order_by(
                "assessment__organisation__code", "assessment__fiscal_year", "number"
            ).values_list("assessment__organisation__code", "assessment__fiscal_year", "score")
        ),
        list(
            Measure.objects.order_by(
                "plan__organisation__code", "plan__fiscal_year", "order"
            ).values_list("plan__organisation__code", "title", "status", "start_month", "end_month")
        ),
        list(Memo.objects.order_by("reference", "subject").values_list("reference", "status")),
        sorted(User.objects.values_list("username", "first_name", "last_name", "position")),
    ]


@pytest.mark.django_db(False)
def test_it_lays_out_the_country_as_the_dla_counts_it():
    specs = national_layout(FULL_SCALE, seed=1)
    kinds = Counter(spec.kind for spec in specs)
    assert len(specs) == FULL_SCALE
    assert (kinds["pao"], kinds["city"], kinds["town"], kinds["other"]) == (76, 30, 195, 2)
    assert kinds["subdistrict"] == 2247 and kinds["sao"] == 5300
    per_province = Counter(spec.province for spec in specs)
    assert len(per_province) == len(PROVINCES) == 77
    assert per_province.most_common(1)[0][0] == "นครราชสีมา"
    assert 320 <= per_province["นครราชสีมา"] <= 340
    assert 15 <= per_province["ภูเก็ต"] <= 50
    assert len({(spec.province, spec.name) for spec in specs}) == FULL_SCALE
    for province in PROVINCES:
        districts = {spec.district for spec in specs if spec.province == province.name}
        if province.name != "กรุงเทพมหานคร":
            assert f"เมือง{province.name}" in districts
            assert 1 <= len(districts) <= 32


def test_it_generates_every_kind_with_three_accounts_each(manifest):
    orgs = generated()
    assert orgs.count() == SMALL
    assert sorted(orgs.values_list("code", flat=True)) == [f"N{i:05d}" for i in range(1, 41)]
    assert set(MAIN_KINDS) <= set(orgs.values_list("kind", flat=True))
    names = list(orgs.values_list("name", flat=True))
    assert all(
        name.startswith(("องค์การบริหารส่วน", "เทศบาล", "เมืองพัทยา", "กรุงเทพมหานคร")) for name in names
    )
    for code in orgs.values_list("code", flat=True)[:5]:
        login = code.lower()
        roles = dict(
            User.objects.filter(username__startswith=f"{login}-").values_list("username", "role")
        )
        assert roles == {
            f"{login}-staff": Role.STAFF,
            f"{login}-reviewer": Role.REVIEWER,
            f"{login}-executive": Role.EXECUTIVE,
        }
    provinces = set(orgs.values_list("province", flat=True))
    supervisors = User.objects.filter(role=Role.SUPERVISOR, supervised_district="")
    assert set(supervisors.values_list("supervised_province", flat=True)) == provinces
    largest = manifest["largest_province"]
    assert largest["organisations"] == orgs.filter(province=largest["province"]).count()
    assert User.objects.filter(
        username__startswith=f"{largest['supervisor']}-d", supervised_province=largest["province"]
    ).exists()


def test_it_gives_every_organisation_seven_years_of_ten_scores(manifest):
    shapes = Counter(
        generated()
        .annotate(
            years=Count("assessments", distinct=True),
            scores=Count("assessments__indicator_scores"),
        )
        .values_list("years", "scores")
    )
    assert shapes == {(7, 70): SMALL}
    assessments = Assessment.objects.filter(organisation__in=generated())
    assert set(assessments.values_list("fiscal_year", flat=True)) == set(range(2562, 2569))
    assert assessments.filter(published_score__isnull=False).count() > 0.8 * assessments.count()
    scores = IndicatorScore.objects.filter(assessment__in=assessments)
    assert not scores.filter(Q(score__lt=0) | Q(score__gt=100)).exists()
    means = {
        year: sum(
            assessments.filter(fiscal_year=year).values_list("published_score", flat=True)
            .exclude(published_score=None)
        )
        / assessments.filter(fiscal_year=year).exclude(published_score=None).count()
        for year in (2562, 2568)
    }  # fmt: skip
    assert means[2568] > means[2562] + 5


def test_it_plans_both_years_with_gaps_and_overdue_measures(manifest):
    plans = MeasurePlan.objects.filter(organisation__in=generated())
    assert sorted(Counter(plans.values_list("fiscal_year", flat=True)).items()) == [
        (2568, SMALL),
        (2569, SMALL),
    ]
    views = [plan_view(plan, TODAY) for plan in plans.filter(fiscal_year=2569)]
    assert any(view.uncovered for view in views)
    assert any(not view.uncovered and view.needing for view in views)
    rows = [row for view in views for row in view.rows]
    assert any(row.lateness.overdue for row in rows)
    assert any(not row.lateness.overdue for row in rows)
    assert all(row.measure.owners.exists() for row in rows)
    assert any(row.measure.progress.exists() for row in rows)


def test_it_numbers_memos_from_their_registers(manifest):
    memos = Memo.objects.filter(organisation__in=generated())
    assert {"draft", "in_review", "returned"} <= set(memos.values_list("status", flat=True))
    assert not memos.filter(status__in=["approved", "rejected"]).exists()
    numbered = memos.exclude(number=None)
    assert not numbered.filter(reference="").exists()
    assert not memos.filter(number=None).exclude(reference="").exists()
    registers = NumberRegister.objects.filter(organisation__in=generated())
    for register in registers.filter(series=NumberRegister.Series.MEMO):
        highest = numbered.filter(
            organisation=register.organisation, number_year=register.year
        ).aggregate(m=Max("number"))["m"]
        assert register.last_number == highest
    for register in registers.filter(series=NumberRegister.Series.ORDER):
        highest = Committee.objects.filter(
            organisation=register.organisation, number_year=register.year
        ).aggregate(m=Max("number"))["m"]
        assert register.last_number == highest
    for memo in memos.filter(status="in_review"):
        assert memo.steps.filter(status=MemoStep.Status.PENDING).count() == 1


def test_it_is_the_same_data_for_the_same_seed(manifest):
    first = fingerprint()
    generate("--seed", "7", "--replace")
    assert fingerprint() == first
    generate("--seed", "8", "--replace")
    assert fingerprint() != first


def test_it_refuses_to_generate_over_generated_data(manifest):
    before = fingerprint()
    with pytest.raises(CommandError, match="--replace"):
        generate("--seed", "9")
    assert fingerprint() == before


def test_it_replaces_only_what_it_generated(manifest, org, staff):
    generate("--replace", organisations=30)
    assert generated().count() == 30
    assert not User.objects.filter(username="n00031-staff").exists()
    assert Organisation.objects.filter(pk=org.pk).exists()
    assert User.objects.filter(pk=staff.pk).exists()


def test_the_reviewer_finds_the_memos_waiting_in_the_inbox(manifest):
    waiting = manifest["inbox_reviewer"]
    reviewer = User.objects.get(username=waiting["username"])
    response = client_for(reviewer).get(waiting["inbox"])
    assert response.status_code == 200
    awaiting = [row.memo for row in response.context["awaiting"]]
    assert len(awaiting) == waiting["awaiting"] >= 1
    assert awaiting[0].reference in response.content.decode()
    memo_page = client_for(reviewer).get(f"/memos/{awaiting[0].pk}/").content.decode()
    assert awaiting[0].subject in memo_page
    assert 'name="action" value="forward"' in memo_page  # it is their turn to give an opinion


def test_the_sample_pages_render_for_the_organisations_staff(manifest):
    for sample in manifest["sample_organisations"]:
        client = client_for(User.objects.get(username=sample["staff"]))
        dashboard = client.get(sample["dashboard"]).content.decode()
        org = Organisation.objects.get(pk=sample["id"])
        latest = organisation_years(org)[-1]
        assert sample["name"] in dashboard
        overall = thai.digits(latest.evaluation.score, org.uses_thai_digits)
        assert f'id="overall">{overall}<' in dashboard
        plan = client.get(sample["plan"])
        assert plan.context["view"].plan.pk == sample["plan_id"]
        titles = list(
            Measure.objects.filter(plan=sample["plan_id"]).values_list("title", flat=True)
        )
        assert titles and all(title in plan.content.decode() for title in titles)


def test_the_province_supervisor_reads_its_organisations_only(manifest):
    largest = manifest["largest_province"]
    client = client_for(User.objects.get(username=largest["supervisor"]))
    inside = generated().filter(province=largest["province"]).first()
    outside = generated().exclude(province=largest["province"]).first()
    assert inside is not None and outside is not None
    assert inside.name in client.get(f"/orgs/{inside.pk}/").content.decode()
    assert client.get(f"/orgs/{outside.pk}/").status_code == 404
