"""The published level on the score form: a choice of the year's framework's level labels."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Organisation
from assessments.services import assessment_save
from itaportal.accounts.models import User
from tests.conftest import DEFAULT_THRESHOLDS, client_for

pytestmark = pytest.mark.django_db

FY2566_LEVELS = ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน"]


def level_options(html: str) -> tuple[list[str], str | None]:
    """The published level's options as the drop-down lists them, and the one selected."""
    select = re.search(r'<select name="published_level".*?</select>', html, re.S)
    assert select, "the published level is not a drop-down"
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select.group(0))
    chosen = [value for value, selected in options if selected]
    return [value for value, _selected in options], chosen[0] if chosen else None


def test_it_offers_the_years_level_labels_and_none(assessed_org: Organisation, staff: User):
    new = reverse("assessments:scores_new", args=[assessed_org.pk]) + "?year=2566"
    values, chosen = level_options(client_for(staff).get(new).content.decode())
    assert values == ["", *FY2566_LEVELS]
    assert chosen in (None, "")
    edit = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    values, _chosen = level_options(client_for(staff).get(edit).content.decode())
    assert values == ["", "AA", "A", "B", "C", "D", "E", "F"]


def test_it_keeps_a_level_an_import_stored_by_another_name(assessed_org: Organisation, staff: User):
    assessment_save(
        organisation=assessed_org,
        fiscal_year=2566,
        scores={},
        published_score=Decimal("86.10"),
        published_level="A",  # FY 2566's other name of ผ่าน, as a results file may give it
        thresholds=DEFAULT_THRESHOLDS,
        user=None,
    )
    url = reverse("assessments:scores_edit", args=[assessed_org.pk, 2566])
    response = client_for(staff).get(url)
    values, chosen = level_options(response.content.decode())
    assert chosen == "A" and values[1:6] == FY2566_LEVELS
    data = {k: ("" if v is None else str(v)) for k, v in response.context["form"].initial.items()}
    data["published_score"] = "๘๖.๒๐"
    assert client_for(staff).post(url, data).status_code == 302
    saved = Assessment.objects.get(organisation=assessed_org, fiscal_year=2566)
    assert (saved.published_level, saved.published_score) == ("A", Decimal("86.20"))


def test_it_takes_a_level_sent_with_spaces_as_the_level(assessed_org: Organisation, staff: User):
    """A level posted as " b " (a script's or an old form's) is the level b, as the import
    reads it: not "not one of the choices" for the spaces alone."""
    url = reverse("assessments:scores_new", args=[assessed_org.pk])
    data = {
        "fiscal_year": "2562",
        **{f"ind_{n}": "80" for n in range(1, 11)},
        "published_level": " b ",
        "maintain_from": "85",
        "raise_from": "70",
        "target": "90",
    }
    response = client_for(staff).post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Assessment.objects.get(organisation=assessed_org, fiscal_year=2562)
    assert saved.published_level == "b"
