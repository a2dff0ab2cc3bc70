"""The shipped frameworks as data, their checks in the admin, and copying one for the next year."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from assessments import ita
from assessments.models import Framework, LevelBand
from assessments.selectors import FrameworkCatalogue
from itaportal.accounts.models import AuditEvent, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("root", "root@example.org", "a-long-test-password-1")


def test_it_ships_each_years_framework_down_to_the_items():
    catalogue = FrameworkCatalogue()
    shapes = {}
    for year in (2562, 2565, 2566, 2567, 2568, 2569):
        framework = catalogue.for_year(year)
        items = framework.items()
        shapes[year] = (
            framework.first_year,
            len(catalogue.rules(framework).indicator_numbers),
            sum(1 for i in items if i.code.startswith("o")),
            [p.name_th for inst in framework.instruments.all() for p in inst.parts.all()],
        )
    assert shapes == {
        2562: (2562, 10, 0, []),
        2565: (2562, 10, 0, []),
        2566: (2566, 10, 33, []),
        2567: (2567, 10, 33, []),
        2568: (2568, 10, 0, ["EIT ส่วนที่ ๑", "EIT ส่วนที่ ๒"]),
        2569: (2569, 10, 26, ["EIT ส่วนที่ ๑", "EIT ส่วนที่ ๒"]),
    }
    fy2569 = {item.code: item for item in catalogue.for_year(2569).items()}
    assert fy2569["o25"].title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert fy2569["o12"].evidence_year == "previous"
    assert "ยังไม่ยืนยัน" in fy2569["o2"].uncertain


def test_it_rates_with_floors_from_2566_and_says_2566_is_uncertain():
    catalogue = FrameworkCatalogue()
    old, fy2566, fy2567 = (catalogue.for_year(y) for y in (2565, 2566, 2567))
    assert not any(band.floors for band in old.bands.all())
    floors = {band.code: band.floor_map() for band in fy2567.bands.all() if band.floors}
    assert floors == {
        "ผ่านดีเยี่ยม": dict.fromkeys(("IIT", "EIT", "OIT"), Decimal(95)),
        "ผ่านดี": dict.fromkeys(("IIT", "EIT", "OIT"), Decimal(85)),
    }
    assert "๒๕๖๖" in fy2566.uncertain
    assert all(band.uncertain for band in fy2566.bands.all() if band.floors)


def test_it_shows_what_is_uncertain_in_the_admin(root):
    page = client_for(root).get(reverse("admin:assessments_framework_changelist"))
    rows = page.content.decode()
    assert "⚠ ไม่ยืนยันว่าปี ๒๕๖๖ ใช้เกณฑ์คะแนนขั้นต่ำรายแบบวัด" in rows
    item = Framework.objects.get(first_year=2569).instruments.get(code="OIT")
    items = client_for(root).get(reverse("admin:assessments_item_changelist") + "?q=o2")
    assert "⚠ หัวข้อยังไม่ยืนยัน" in items.content.decode()
    assert item.all_or_nothing


def framework_post(framework: Framework, **changes: Any) -> dict[str, str]:
    """The framework's admin page as posted unchanged, with `changes` applied over it."""
    data = {
        field: str(getattr(framework, field))
        for field in (
            "name",
            "first_year",
            "last_year",
            "kinds",
            "uncertain",
            "discrepancy_tolerance",
            "default_maintain_from",
            "default_raise_from",
            "default_target",
        )
    }
    for prefix, rows, fields in (
        (
            "instruments",
            list(framework.instruments.all()),
            ("code", "name_th", "name_en", "weight", "order"),
        ),
        (
            "bands",
            list(framework.bands.all()),
            ("code", "min_score", "aliases", "floors", "uncertain"),
        ),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(row.pk)
            data[f"{prefix}-{i}-framework"] = str(framework.pk)
            for field in fields:
                data[f"{prefix}-{i}-{field}"] = str(getattr(row, field))
            for flag in ("passing", "all_or_nothing"):
                if getattr(row, flag, False):
                    data[f"{prefix}-{i}-{flag}"] = "on"
    data.update(changes)
    return data


def admin_errors(html: str) -> list[str]:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", f).split()) for f in found]


def test_it_saves_a_framework_posted_unchanged(root):
    framework = Framework.objects.get(first_year=2567)
    url = reverse("admin:assessments_framework_change", args=[framework.pk])
    response = client_for(root).post(url, framework_post(framework, name="ITA 2567 (แก้)"))
    assert response.status_code == 302, admin_errors(response.content.decode())
    assert Framework.objects.get(pk=framework.pk).name == "ITA 2567 (แก้)"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"instruments-2-weight": "0.50"},
            "น้ำหนักของเครื่องมือการประเมินรวมกันได้ ๑.๑ ต้องรวมกันได้ ๑ พอดี",
        ),
        (
            {"bands-1-floors": "IIT 85, EIT 85, XYZ 85"},
            "คะแนนขั้นต่ำอ้างถึงเครื่องมือที่กรอบการประเมินนี้ไม่มี: XYZ",
        ),
        (
            {"instruments-2-DELETE": "on", "instruments-1-weight": "0.70"},
            "คะแนนขั้นต่ำอ้างถึงเครื่องมือที่กรอบการประเมินนี้ไม่มี: OIT",
        ),
        (
            {"bands-1-floors": ""},
            "ระดับ “ผ่านดี” และ “ผ่าน” เริ่มที่คะแนนเดียวกัน",
        ),
        (
            {"bands-4-DELETE": "on"},
            "คะแนนต่ำกว่า ๗๐.๐๐ ไม่มีระดับรองรับ",
        ),
        (
            {"bands-0-floors": "IIT ๙๕, EIT"},
            "“EIT” ไม่ใช่คะแนนขั้นต่ำที่อ่านได้",
        ),
    ],
)
def test_it_refuses_a_framework_that_cannot_rate_and_saves_nothing(root, changes, message):
    framework = Framework.objects.get(first_year=2567)
    assert [b.code for b in framework.bands.all()][:2] == ["ผ่านดีเยี่ยม", "ผ่านดี"]
    before = (
        list(framework.instruments.values_list("code", "weight")),
        list(LevelBand.objects.filter(framework=framework).values_list("code", "floors")),
    )
    url = reverse("admin:assessments_framework_change", args=[framework.pk])
    response = client_for(root).post(url, framework_post(framework, **changes))
    assert response.status_code == 200
    assert any(message in error for error in admin_errors(response.content.decode()))
    assert before == (
        list(framework.instruments.values_list("code", "weight")),
        list(LevelBand.objects.filter(framework=framework).values_list("code", "floors")),
    )


def test_it_copies_a_framework_for_the_next_year_down_to_the_items(root):
    framework = Framework.objects.get(first_year=2569)
    response = client_for(root).post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "copy_for_next_year", "_selected_action": [str(framework.pk)]},
    )
    assert response.status_code == 302
    copy = Framework.objects.get(first_year=2570)
    assert copy.last_year == 2570 and copy.name == "กรอบการประเมิน ITA ปีงบประมาณ พ.ศ. 2570"
    assert "คัดลอกจาก" in copy.uncertain
    catalogue = FrameworkCatalogue()
    assert [i.code for i in catalogue.for_year(2570).items()] == [
        i.code for i in catalogue.for_year(2569).items()
    ]
    assert catalogue.rules_for_year(2570).bands == catalogue.rules_for_year(2569).bands
    assert AuditEvent.objects.filter(object_type="assessments.framework", object_id=str(copy.pk))
    again = client_for(root).post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "copy_for_next_year", "_selected_action": [str(framework.pk)]},
        follow=True,
    )
    assert "ซ้อนทับกับกรอบการประเมิน" in again.content.decode()
    assert Framework.objects.filter(first_year=2570).count() == 1


def test_it_rates_the_shipped_2568_framework_as_ita_md_says():
    rules = FrameworkCatalogue().rules_for_year(2568)
    rate = ita.rate(rules, score=Decimal("94.64"), instrument_scores={})
    assert [b.code for b in rate.possible] == ["ผ่านดี", "ผ่าน"] and rate.level is None
    sobprab = {"IIT": Decimal(100), "EIT": Decimal("99.47"), "OIT": Decimal("97.50")}
    assert ita.rate(rules, score=Decimal("98.84"), instrument_scores=sobprab).level.code == (
        "ผ่านดีเยี่ยม"
    )


def _first_item_2569(catalogue: FrameworkCatalogue) -> Any:
    framework = catalogue.for_year(2569)
    assert framework is not None
    return framework.items()[0]


def test_the_catalogue_reads_the_frameworks_again_only_after_a_change(
    django_assert_num_queries: Any,
) -> None:
    FrameworkCatalogue()  # this process has read them
    with django_assert_num_queries(1):  # the fingerprint alone
        catalogue = FrameworkCatalogue()
    item = _first_item_2569(catalogue)
    assert _first_item_2569(FrameworkCatalogue()) is item  # the same objects, kept

    stored = type(item).objects.get(pk=item.pk)
    stored.title = "ชื่อที่แก้ในหน้าผู้ดูแลระบบ"
    stored.save()
    assert _first_item_2569(FrameworkCatalogue()).title == "ชื่อที่แก้ในหน้าผู้ดูแลระบบ"

    band = LevelBand.objects.filter(framework__first_year=2569).order_by("min_score").first()
    assert band is not None
    band.delete()
    rules = FrameworkCatalogue().rules_for_year(2569)
    assert rules is not None and band.code not in {b.code for b in rules.bands}


def test_it_ships_oit_indicators_computed_from_items_from_2566_and_says_it_is_unsure():
    catalogue = FrameworkCatalogue()
    rules = {
        year: {i.code: i.score_from_items for i in catalogue.rules_for_year(year).instruments}
        for year in (2565, 2566, 2567, 2568, 2569)
    }
    assert rules[2565] == {"IIT": "", "EIT": "", "OIT": ""}
    assert all(rules[year] == {"IIT": "", "EIT": "", "OIT": "mean"} for year in range(2566, 2570))
    assert all("ค่าเฉลี่ยของข้อ" in catalogue.for_year(y).uncertain for y in range(2566, 2570))


def test_it_lets_a_supervisor_copy_a_framework_from_the_portal(supervisor):
    client = client_for(supervisor)
    listing = client.get(reverse("frameworks")).content.decode()
    assert "คัดลอกเพื่อเริ่มปีถัดไป" in listing and "ITA ปีงบประมาณ พ.ศ. ๒๕๖๙" in listing
    framework = Framework.objects.get(first_year=2569)
    url = reverse("framework_copy", args=[framework.pk])
    assert "ปีงบประมาณ ๒๕๗๐" in client.get(url).content.decode()  # asks first
    assert not Framework.objects.filter(first_year=2570).exists()
    done = client.post(url, follow=True).content.decode()
    assert "คัดลอกเป็น “กรอบการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๗๐”" in done
    copy = Framework.objects.get(first_year=2570)
    assert [i.code for i in FrameworkCatalogue().for_year(2570).items()] == [
        i.code for i in FrameworkCatalogue().for_year(2569).items()
    ]
    event = AuditEvent.objects.get(object_type="assessments.framework", object_id=str(copy.pk))
    assert event.username == supervisor.username
    again = client.post(url, follow=True).content.decode()
    assert "ซ้อนทับกับกรอบการประเมิน" in again
    assert Framework.objects.filter(first_year=2570).count() == 1


def test_it_refuses_the_frameworks_pages_to_organisation_members(staff):
    framework = Framework.objects.get(first_year=2569)
    client = client_for(staff)
    for response in (
        client.get(reverse("frameworks")),
        client.get(reverse("framework_copy", args=[framework.pk])),
        client.post(reverse("framework_copy", args=[framework.pk])),
    ):
        assert response.status_code == 403
        assert "ผู้กำกับดูแลและผู้ดูแลระบบสูงสุด" in response.content.decode()
    assert not Framework.objects.filter(first_year=2570).exists()
