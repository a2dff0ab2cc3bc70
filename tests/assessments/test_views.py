"""The pages: what each persona sees, what bad input gets, that nothing leaks to outsiders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Organisation
from itaportal.accounts.models import User
from tests.conftest import client_for, snapshot

pytestmark = pytest.mark.django_db

GOOD_2566 = {
    "fiscal_year": "๒๕๖๖",
    **{f"ind_{n}": "๙๐.๕๐" for n in range(1, 11)},
    "ind_10": "๘๔.๙๙",
    "published_score": "",
    "published_level": "",
    "maintain_from": "๙๐",
    "raise_from": "๘๕",
    "target": "๙๐",
}


def org_urls(org: Organisation) -> dict[str, str]:
    """Every URL that names this organisation or one of its objects."""
    return {
        "dashboard": reverse("assessments:dashboard", args=[org.pk]),
        "dashboard-year": reverse("assessments:dashboard", args=[org.pk]) + "?year=2565",
        "new": reverse("assessments:scores_new", args=[org.pk]),
        "edit": reverse("assessments:scores_edit", args=[org.pk, 2565]),
        "export-csv": reverse("assessments:scores_export", args=[org.pk, "csv"]),
        "export-xlsx": reverse("assessments:scores_export", args=[org.pk, "xlsx"]),
        "export-json": reverse("assessments:scores_export", args=[org.pk, "json"]),
    }


def test_it_shows_the_dashboard_with_tiers_and_chart(assessed_org, staff):
    response = client_for(staff).get(reverse("assessments:dashboard", args=[assessed_org.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "๖๘.๗๘" in html  # published overall of FY 2565, in Thai digits
    assert "−๕๖.๒๕" in html  # indicator 10 against FY 2564
    assert html.count('text-bg-danger">แก้ไขเร่งด่วน') == 8 * 2  # table and weakest list
    assert "<svg" in html and "ita-chart" in html
    assert 'id="level">C<' in html


def test_it_warns_of_a_discrepancy(assessed_org, staff):
    url = reverse("assessments:dashboard", args=[assessed_org.pk]) + "?year=๒๕๖๔"
    html = client_for(staff).get(url).content.decode()
    assert 'id="discrepancy"' in html
    assert "๙๐.๓๕" in html and "๙๒.๔๔" in html


def test_it_shows_arabic_digits_when_the_organisation_prefers_them(assessed_org, staff):
    assessed_org.digit_style = Organisation.DigitStyle.ARABIC
    assessed_org.save()
    html = client_for(staff).get(reverse("assessments:dashboard", args=[assessed_org.pk])).content
    assert "68.78" in html.decode()
    assert "๖๘.๗๘" not in html.decode()


def test_it_answers_an_unknown_year_with_a_thai_404(assessed_org, staff):
    for year in ("abc", "2599", "๒๕๐๐"):
        url = reverse("assessments:dashboard", args=[assessed_org.pk]) + f"?year={year}"
        response = client_for(staff).get(url)
        assert response.status_code == 404
        assert "ไม่มีผลการประเมิน" in response.content.decode()


def test_it_lets_staff_enter_a_year_with_thai_digits(assessed_org, staff):
    client = client_for(staff)
    response = client.post(reverse("assessments:scores_new", args=[assessed_org.pk]), GOOD_2566)
    assert response.status_code == 302
    assessment = Assessment.objects.get(organisation=assessed_org, fiscal_year=2566)
    assert str(assessment.score_map()[10]) == "84.99"
    assert assessment.updated_by == staff
    page = client.get(response["Location"]).content.decode()
    assert "บันทึกคะแนนปีงบประมาณ ๒๕๖๖" in page  # the success message
    assert page.count("ยกระดับ") >= 1 and "แก้ไขเร่งด่วน" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ind_3", "101", "๐ ถึง ๑๐๐"),
        ("ind_3", "-1", "๐ ถึง ๑๐๐"),
        ("ind_3", "99999999999999999999", "๐ ถึง ๑๐๐"),
        ("ind_4", "๘๓,๗๑", "๘๓.๗๑"),
        ("ind_4", "abc", "๘๓.๗๑"),
        ("ind_5", "83.715", "ทศนิยม"),
        ("fiscal_year", "2565", "มีข้อมูลแล้ว"),
        ("fiscal_year", "2555", "ไม่มีกรอบการประเมิน"),
        ("fiscal_year", "สองห้า", "พ.ศ."),
        ("published_level", "Z", "ระดับ"),
        ("raise_from", "95", "เกณฑ์"),
    ],
)
def test_it_refuses_bad_input_with_a_thai_message_and_saves_nothing(
    assessed_org, staff, field, value, message
):
    before = snapshot()
    response = client_for(staff).post(
        reverse("assessments:scores_new", args=[assessed_org.pk]), {**GOOD_2566, field: value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "ไม่มีการบันทึก" in response.content.decode()
    assert snapshot() == before


def test_it_edits_a_year_and_clears_an_emptied_score(assessed_org, staff):
    url = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    form = client_for(staff).get(url).context["form"]
    data = {k: ("" if v is None else str(v)) for k, v in form.initial.items()}
    data["ind_10"] = "๕๐"
    data["ind_9"] = ""
    response = client_for(staff).post(url, data)
    assert response.status_code == 302
    scores = Assessment.objects.get(organisation=assessed_org, fiscal_year=2565).score_map()
    assert scores[10] == 50 and 9 not in scores


def test_it_keeps_the_year_of_an_edited_assessment(assessed_org, staff):
    url = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    client_for(staff).post(url, {**GOOD_2566, "fiscal_year": "2570"})
    assert set(assessed_org.assessments.values_list("fiscal_year", flat=True)) == {
        2564,
        2565,
        2566,
    } - {2566}


def test_it_lets_a_reviewer_read_but_not_edit(assessed_org, reviewer):
    client = client_for(reviewer)
    assert client.get(reverse("assessments:dashboard", args=[assessed_org.pk])).status_code == 200
    before = snapshot()
    response = client.post(reverse("assessments:scores_new", args=[assessed_org.pk]), GOOD_2566)
    assert response.status_code == 403
    assert "ไม่สามารถแก้ไข" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("name", list(org_urls(Organisation(pk=1))))
def test_it_hides_every_organisation_url_from_an_outsider(assessed_org, outsider, name):
    url = org_urls(assessed_org)[name]
    before = snapshot()
    client = client_for(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD_2566).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", list(org_urls(Organisation(pk=1))))
def test_it_sends_anonymous_visitors_to_log_in(assessed_org, name):
    response = client_for(None).get(org_urls(assessed_org)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_lets_a_supervisor_read_the_province_but_not_edit(assessed_org, other_org, supervisor):
    client = client_for(supervisor)
    listing = client.get(reverse("reports:overview")).content.decode()
    assert assessed_org.name in listing and other_org.name not in listing
    assert client.get(reverse("assessments:dashboard", args=[assessed_org.pk])).status_code == 200
    assert client.get(reverse("assessments:dashboard", args=[other_org.pk])).status_code == 404
    assert client.get(reverse("assessments:scores_new", args=[assessed_org.pk])).status_code == 403


def test_it_narrows_a_district_supervisor(assessed_org, db):
    elsewhere = Organisation.objects.create(
        kind="sao", name="อบต.ทดสอบ", district="ท่ายาง", province="เพชรบุรี"
    )
    user = User.objects.create_user(
        "district", role="supervisor", supervised_province="เพชรบุรี", supervised_district="ชะอำ"
    )
    client = client_for(user)
    assert client.get(reverse("assessments:dashboard", args=[assessed_org.pk])).status_code == 200
    assert client.get(reverse("assessments:dashboard", args=[elsewhere.pk])).status_code == 404


def test_it_sends_members_home_to_their_own_dashboard(org, staff):
    response = client_for(staff).get(reverse("home"))
    assert response["Location"] == reverse("assessments:dashboard", args=[org.pk])


def test_it_exports_the_organisations_years(assessed_org, outsider, staff):
    response = client_for(staff).get(
        reverse("assessments:scores_export", args=[assessed_org.pk, "csv"])
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "เทศบาลตำบลบางเก่า,เพชรบุรี,2565,83.71" in text
    xlsx = client_for(staff).get(
        reverse("assessments:scores_export", args=[assessed_org.pk, "xlsx"])
    )
    assert xlsx.content[:2] == b"PK"
    bad = client_for(staff).get(reverse("assessments:scores_export", args=[assessed_org.pk, "pdf"]))
    assert bad.status_code == 404


def test_it_shows_login_and_logout_in_thai(staff):
    page = client_for(None).get(reverse("accounts:login")).content.decode()
    assert "เข้าสู่ระบบ" in page
    response = client_for(staff).post(reverse("accounts:logout"))
    assert response.status_code == 302


def test_it_refuses_a_wrong_password_in_thai(staff):
    response = client_for(None).post(
        reverse("accounts:login"), {"username": "staff", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode() or "รหัสผ่าน" in response.content.decode()
