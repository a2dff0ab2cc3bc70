"""Next year without retyping: a new year's OIT checklist started from the last one through the
crosswalk, and the crosswalk itself as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from assessments.frameworks import CROSSWALK, FrameworkDataError, frameworks_load
from assessments.models import Framework, Item, ItemCrosswalk, Organisation
from assessments.services import framework_copy
from itaportal.accounts.models import AuditEvent, Role, User
from reports.oit.carry import CarryRefused, oit_checklist_carry
from reports.oit.models import OitEntry, OitEvidence, OitStatus
from reports.oit.selectors import oit_items
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def items(org: Organisation, year: int) -> dict[str, Item]:
    return {i.code: i for i in oit_items(organisation=org, fiscal_year=year)}


def entry(org: Organisation, year: int, code: str, **fields: object) -> OitEntry:
    return OitEntry.objects.create(
        organisation=org, fiscal_year=year, item=items(org, year)[code], **fields
    )


@pytest.fixture
def staff(org: Organisation) -> User:
    return make_user("staff", organisation=org, role=Role.STAFF)


@pytest.fixture
def last_year(org: Organisation, staff: User) -> dict[str, OitEntry]:
    """บางเก่า's FY 2567 checklist: o1 and o3 (merged into 2569's o1), o14 (gone in 2569)."""
    structure = entry(
        org,
        2567,
        "o1",
        owner="สมชาย ใจดี",
        url="https://bangkao.go.th/structure",
        navigation="หน้าหลัก > ข้อมูลหน่วยงาน > โครงสร้าง",
        status=OitStatus.CHECKED,
        elements_done=[1],
        public=True,
    )
    OitEvidence.objects.create(
        entry=structure, title="แผนผังองค์กร", link="https://bangkao.go.th/chart", standing=True
    )
    OitEvidence.objects.create(
        entry=structure, title="ประกาศโครงสร้าง ๒๕๖๗", link="https://bangkao.go.th/2567"
    )
    duties = entry(org, 2567, "o3", owner="สมหญิง รักงาน", url="https://bangkao.go.th/duties")
    OitEvidence.objects.create(
        entry=duties, title="อำนาจหน้าที่ตามกฎหมาย", link="https://bangkao.go.th/law", standing=True
    )
    plan = entry(org, 2567, "o14", owner="นายจัดซื้อ")
    OitEvidence.objects.create(
        entry=plan, title="แผนจัดซื้อ ๒๕๖๗", link="https://bangkao.go.th/plan", standing=True
    )
    return {"o1": structure, "o3": duties, "o14": plan}


def state() -> list[object]:
    """What a refused carry must leave as it was."""
    return [
        *OitEntry.objects.order_by("pk").values_list(),
        *OitEvidence.objects.order_by("pk").values_list(),
        AuditEvent.objects.count(),
    ]


def test_it_carries_owners_pages_and_standing_evidence_through_the_crosswalk(
    org: Organisation, staff: User, last_year: dict[str, OitEntry]
) -> None:
    carried = oit_checklist_carry(organisation=org, fiscal_year=2569, by=staff)
    assert carried.from_year == 2567
    assert [(new.code, [o.code for o in old]) for new, old in carried.items] == [
        ("o1", ["o1", "o3"])
    ]
    assert carried.evidence == 2
    assert [i.code for i in carried.without_successor] == ["o14"]
    new = OitEntry.objects.get(organisation=org, fiscal_year=2569)
    assert new.item.code == "o1" and new.owner == "สมชาย ใจดี"
    assert new.url == "https://bangkao.go.th/structure"
    assert new.navigation == "หน้าหลัก > ข้อมูลหน่วยงาน > โครงสร้าง"
    assert new.carried_from == last_year["o1"]
    assert new.status == OitStatus.NOT_STARTED and new.elements_done == []
    titles = sorted(e.title for e in new.evidence.all())
    assert titles == ["อำนาจหน้าที่ตามกฎหมาย", "แผนผังองค์กร"]  # not the yearly announcement
    assert all(e.standing and e.created_by == staff for e in new.evidence.all())
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, organisation=org)
    assert "2567" in event.summary and event.after == {
        "fiscal_year": 2569,
        "from_year": 2567,
        "items": {"o1": ["o1", "o3"]},
        "evidence": 2,
        "without_successor": ["o14"],
    }


def test_a_second_run_copies_nothing_and_says_so(
    org: Organisation, staff: User, last_year: dict[str, OitEntry]
) -> None:
    client = client_for(staff)
    url = reverse("reports:oit_carry", args=[org.pk, 2569])
    page = client.get(url).content.decode()
    assert "เริ่มจากปีก่อน" in page and "ปีงบประมาณ ๒๕๖๗" in page
    first = client.post(url).content.decode()
    assert "คัดลอกจากปีงบประมาณ ๒๕๖๗ แล้ว: ๑ ข้อ และหลักฐานที่ใช้ได้ต่อเนื่อง ๒ รายการ" in first
    assert "o14" in first  # named as having no successor
    before = state()
    second = client.post(url).content.decode()
    assert "ไม่ได้คัดลอกสิ่งใด" in second
    assert state() == before


def test_an_item_filled_in_by_hand_is_left_alone_and_a_blank_one_is_filled(
    org: Organisation, staff: User, last_year: dict[str, OitEntry]
) -> None:
    entry(org, 2569, "o1", owner="คนใหม่")
    carried = oit_checklist_carry(organisation=org, fiscal_year=2569, by=staff)
    assert carried.nothing_copied
    assert OitEntry.objects.get(organisation=org, fiscal_year=2569).owner == "คนใหม่"
    OitEntry.objects.filter(fiscal_year=2569).update(owner="")  # as the checklist makes it
    carried = oit_checklist_carry(organisation=org, fiscal_year=2569, by=staff)
    assert [new.code for new, _ in carried.items] == ["o1"]
    assert OitEntry.objects.get(organisation=org, fiscal_year=2569).owner == "สมชาย ใจดี"


def test_it_refuses_a_year_without_framework_and_changes_nothing(
    org: Organisation, staff: User, last_year: dict[str, OitEntry]
) -> None:
    client = client_for(staff)  # a login is audited
    before = state()
    for year in (2568, 2600):  # FY 2568's framework has no OIT items; none covers 2600
        with pytest.raises(CarryRefused) as refused:
            oit_checklist_carry(organisation=org, fiscal_year=year, by=staff)
        assert "ยังไม่มีกรอบการประเมิน ITA ที่มีข้อ OIT" in refused.value.messages[0]
    answer = client.post(reverse("reports:oit_carry", args=[org.pk, 2568]))
    assert "ปีงบประมาณ ๒๕๖๘ ยังไม่มีกรอบการประเมิน ITA ที่มีข้อ OIT" in answer.content.decode()
    assert state() == before


def test_it_refuses_when_there_is_no_earlier_checklist(org: Organisation, staff: User) -> None:
    page = client_for(staff).post(reverse("reports:oit_carry", args=[org.pk, 2569]))
    assert "ไม่มีรายการตรวจของปีก่อนปีงบประมาณ ๒๕๖๙" in page.content.decode()
    assert not OitEntry.objects.exists()


def test_only_the_organisations_staff_carry(
    org: Organisation, last_year: dict[str, OitEntry], reviewer: User, outsider: User
) -> None:
    url = reverse("reports:oit_carry", args=[org.pk, 2569])
    assert client_for(reviewer).post(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 404
    assert not OitEntry.objects.filter(fiscal_year=2569).exists()


def test_the_crosswalk_data_links_fy_2567_to_2569_and_2566_to_2567(db: None) -> None:
    def successors(year: int, code: str) -> list[tuple[int, str]]:
        rows = ItemCrosswalk.objects.filter(
            item__code=code, item__indicator__instrument__framework__first_year=year
        )
        return [
            (r.successor.indicator.instrument.framework.first_year, r.successor.code)
            for r in rows.select_related("successor__indicator__instrument__framework")
        ]

    assert successors(2567, "o32") == [(2569, "o25")]
    assert successors(2567, "o33") == [(2569, "o26")]
    assert successors(2567, "o14") == []
    assert successors(2566, "o17") == [(2567, "o17")]
    assert successors(2566, "i1") == []  # only OIT items are carried
    guessed = ItemCrosswalk.objects.get(
        item__code="o7", item__indicator__instrument__framework__first_year=2567
    )
    assert guessed.uncertain  # FY 2569's o5-o7 are not confirmed


def test_a_crosswalk_row_to_a_missing_item_loads_nothing(db: None, tmp_path: Path) -> None:
    data = json.loads(CROSSWALK.read_text(encoding="utf-8"))
    data["links"][1]["rows"].append({"item": "o32", "successor": "o99"})
    bad = tmp_path / "crosswalk.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    ItemCrosswalk.objects.filter(item__code="o33").delete()  # the good rows would restore these
    before = list(ItemCrosswalk.objects.order_by("pk").values_list())
    with pytest.raises(FrameworkDataError) as error:
        frameworks_load(apps, crosswalk=bad)
    assert "ข้อ o99 ของกรอบการประเมินปีงบประมาณ 2569" in str(error.value)
    assert "ไม่ได้บันทึกข้อมูลใดเลย" in str(error.value)
    assert list(ItemCrosswalk.objects.order_by("pk").values_list()) == before


def test_a_framework_copied_for_next_year_carries_the_checklist(
    org: Organisation, staff: User
) -> None:
    framework = Framework.objects.get(first_year=2569)
    framework_copy(framework=framework, first_year=2570, user=None)
    entry(org, 2569, "o25", owner="ฝ่ายแผน", url="https://bangkao.go.th/ita")
    carried = oit_checklist_carry(organisation=org, fiscal_year=2570, by=staff)
    assert [(new.code, [o.code for o in old]) for new, old in carried.items] == [("o25", ["o25"])]
    assert OitEntry.objects.get(fiscal_year=2570).owner == "ฝ่ายแผน"
