"""The analysis editor starts from what the figures say until people write their own, under a
breadcrumb that leads back through the organisation and its plans."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.ita import Tier
from measures.models import InstrumentAnalysis
from measures.planning import analysis_draft
from tests.conftest import client_for


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, name
    return found[1].strip()


def test_the_draft_names_the_indicators_to_maintain_and_those_to_fix():
    drafts = analysis_draft(
        instruments=[("IIT", (1, 2)), ("OIT", (9,))],
        names={1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ", 9: "การเปิดเผยข้อมูล"},
        scores={1: Decimal("95.5"), 2: Decimal("80"), 9: Decimal("64.63")},
        tiers={1: Tier.MAINTAIN, 2: Tier.URGENT, 9: Tier.URGENT},
        thai_digits=True,
    )
    assert drafts["IIT"] == (
        "ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ได้ ๙๕.๕๐ คะแนน",
        "ตัวชี้วัดที่ ๒ การใช้งบประมาณ ได้เพียง ๘๐.๐๐ คะแนน",
    )
    assert drafts["OIT"] == ("", "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล ได้เพียง ๖๔.๖๓ คะแนน")


@pytest.mark.django_db
def test_a_new_plans_analysis_starts_from_its_results(plan, staff):
    url = reverse("measures:analysis_edit", args=[plan.organisation_id, plan.fiscal_year])
    html = client_for(staff).get(url).content.decode()
    # บางเก่า FY 2565: indicator 10 at 37.50 is urgent, nothing of OIT is to maintain
    assert "ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้เพียง ๓๗.๕๐ คะแนน" in textarea(html, "OIT_issues")
    assert 'id="drafted"' in html
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S)[1]
    assert reverse("assessments:dashboard", args=[plan.organisation_id]) in crumbs
    assert reverse("measures:plan_list", args=[plan.organisation_id]) in crumbs


@pytest.mark.django_db
def test_an_analysis_people_wrote_is_shown_as_they_wrote_it(plan, staff):
    InstrumentAnalysis.objects.filter(plan=plan, instrument="OIT").update(issues="ของเราเอง")
    url = reverse("measures:analysis_edit", args=[plan.organisation_id, plan.fiscal_year])
    html = client_for(staff).get(url).content.decode()
    assert textarea(html, "OIT_issues") == "ของเราเอง"
    assert "ได้เพียง" in textarea(html, "IIT_issues")  # IIT still unwritten: drafted


@pytest.mark.django_db
def test_a_plan_without_analysis_rows_gets_one_per_instrument(plan, staff):
    plan.analyses.all().delete()
    url = reverse("measures:analysis_edit", args=[plan.organisation_id, plan.fiscal_year])
    client = client_for(staff)
    html = client.get(url).content.decode()
    assert {"IIT_issues", "EIT_issues", "OIT_issues"} <= set(re.findall(r'name="(\w+)"', html))
    texts = {
        f"{code}_{part}": "" for code in ("IIT", "EIT", "OIT") for part in ("strengths", "issues")
    }
    client.post(url, {**texts, "IIT_issues": "แก้", "basis_year": ""})
    assert plan.analyses.get(instrument="IIT").issues == "แก้"
