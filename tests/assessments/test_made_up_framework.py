"""A framework the portal has never seen (four instruments, seven indicators, twelve items, a band
with floors on two instruments), loaded from a fixture file alone: entered, imported, exported,
planned and printed without a line of code knowing its shape."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.frameworks import frameworks_load
from assessments.models import Assessment, Organisation
from measures.models import MeasurePlan
from reports.documents.builders import build
from reports.pdf import renderer
from tests.conftest import client_for, snapshot
from tests.reports.conftest import flat, pdftotext

MADE_UP = Path(__file__).with_name("made_up_framework.json")
NAMES = [
    "ความซื่อตรงทดลอง",
    "ความรับผิดชอบทดลอง",
    "การสื่อสารทดลอง",
    "การเปิดเผยทดลอง",
    "การป้องกันทดลอง",
    "นวัตกรรมทดลอง",
    "การมีส่วนร่วมทดลอง",
]
# AAA (80, 100) = 90, BBB 70, CCC (100, 100) = 100, DDD (90, 90) = 90:
# 0.25 × 90 + 0.15 × 70 + 0.35 × 100 + 0.25 × 90 = 90.50, AAA and CCC at their floors of 90.
ENTERED = {"1": "๘๐", "2": "100", "3": "70", "4": "100", "5": "100", "6": "90", "7": "90"}
# AAA (70, 100) = 85, below its floor: 0.25 × 85 + 0.15 × 80 + 35 + 22.5 = 90.75 is เงินทดลอง.
# Indicator 4 is left empty: CCC computes it from its items c1 and c2, (100 + 100) / 2 = 100.
IMPORTED = (
    "org_name,province,fiscal_year,ind_1,ind_2,ind_3,ind_4,ind_5,ind_6,ind_7,a1,c1,c2,d3\n"
    "เทศบาลตำบลบางเก่า,เพชรบุรี,๒๕๙๑,70,100,80,,100,90,90,75,๑๐๐,100,88.5\n"
)


@pytest.fixture
def made_up(db: None) -> None:
    assert frameworks_load(apps, MADE_UP) == 1


def upload(client, text: str, name: str = "results.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(reverse("assessments:scores_import"), {"file": upload})


def export(fmt: str = "json") -> str:
    out = io.StringIO()
    call_command("export_scores", "--format", fmt, "--year", "2591", stdout=out)
    return out.getvalue()


def test_it_enters_imports_exports_plans_and_prints_a_made_up_framework(made_up, org, staff):
    client = client_for(staff)
    form = client.get(reverse("assessments:scores_new", args=[org.pk])).content.decode()
    assert all(name in form for name in NAMES)
    assert 'name="ind_7"' in form and 'name="ind_8"' not in form
    assert "การปฏิบัติหน้าที่" not in form

    entered = client.post(
        reverse("assessments:scores_new", args=[org.pk]),
        {
            "fiscal_year": "๒๕๙๐",
            **{f"ind_{n}": v for n, v in ENTERED.items()},
            "maintain_from": "90",
            "raise_from": "85",
            "target": "90",
        },
    )
    assert entered.status_code == 302
    dashboard = client.get(entered["Location"]).content.decode()
    assert 'id="overall">๙๐.๕๐<' in dashboard and 'id="level">ทองทดลอง<' in dashboard
    assert all(f'data-indicator="{n}"' in dashboard for n in range(1, 8))

    imported = upload(client, IMPORTED)
    assert imported.status_code == 302
    said = flat(client.get(imported["Location"], follow=True).content.decode())
    assert flat("คำนวณจากคะแนนรายข้อตามกรอบการประเมิน: ตัวชี้วัดที่ ๔ ๑๐๐.๐๐") in said
    [record] = json.loads(export())
    assert record["scores"] == {"1": 70.0, "2": 100.0, "3": 80.0, "4": 100.0, "5": 100.0,
                                "6": 90.0, "7": 90.0}  # fmt: skip
    assert record["instrument_scores"] == {"AAA": 85.0, "BBB": 80.0, "CCC": 100.0, "DDD": 90.0}
    assert record["score"] == 90.75
    assert record["level"] == "เงินทดลอง" and record["possible_levels"] == ["เงินทดลอง"]
    assert record["items"] == {"a1": 75.0, "c1": 100.0, "c2": 100.0, "d3": 88.5}
    header = export("csv").splitlines()[0].split(",")
    assert header[3:10] == [f"ind_{n}" for n in range(1, 8)]
    assert "ind_8" not in header and header[10:14] == ["aaa", "bbb", "ccc", "ddd"]
    assert header[-4:] == ["a1", "c1", "c2", "d3"]

    planned = client.post(reverse("measures:plan_list", args=[org.pk]), {"fiscal_year": "2591"})
    assert planned.status_code == 302
    measure = {
        "title": "มาตรการทดลอง",
        "indicators": ["7"],
        "responsible_unit": "สำนักปลัด",
        "start": "2047-10",
        "end": "2048-03",
        "cadence": "monthly",
        "status": "not_started",
    }
    new_measure = reverse("measures:measure_new", args=[org.pk, 2591])
    assert "การมีส่วนร่วมทดลอง" in client.get(new_measure).content.decode()
    refused = client.post(new_measure, {**measure, "indicators": ["8"]})
    assert refused.status_code == 200
    refused = client.post(new_measure, {**measure, "items": ["d9"]})
    assert "ไม่มีข้อ d9" in refused.content.decode()
    assert client.post(new_measure, {**measure, "items": ["d3", "d2"]}).status_code == 302
    plan = MeasurePlan.objects.get(organisation=org, fiscal_year=2591)
    assert (plan.measures.get().indicators, plan.measures.get().items) == ([7], ["d2", "d3"])
    plan_page = client.get(reverse("measures:plan_detail", args=[org.pk, 2591])).content.decode()
    assert "ข้อ d๒, ข้อ d๓" in plan_page
    assert flat("ข้อ d๒, ข้อ d๓") in flat(build("plan", org, 2591).html())

    # The plan answers FY 2591: its analysis prints the measure's items, and indicator 1
    # (70, urgent) names its lowest item.
    text = flat(pdftotext(renderer().render(build("analysis", org, 2591).html()).pdf))
    assert all(flat(name) in text for name in NAMES)
    assert "เงินทดลอง" in text
    assert flat("ข้อ d๒, ข้อ d๓") in text
    assert flat("ข้อที่ได้คะแนนต่ำสุดของตัวชี้วัดที่ ๑: ข้อ a๑ ๗๕.๐๐ คะแนน") in text


def test_it_rejects_a_results_file_whose_items_the_framework_refuses(made_up, org, staff):
    before = snapshot()
    response = upload(
        client_for(staff),
        "org_name,province,fiscal_year,ind_1,a1,c1,o12,d1\n"
        "เทศบาลตำบลบางเก่า,เพชรบุรี,2591,80,101,50,100,๙๐\n",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "๑๐๑ ไม่อยู่ในช่วง ๐ ถึง ๑๐๐" in page  # a1: an item of 0-100
    assert "ข้อ c1 มีคะแนนได้เพียง ๐ หรือ ๑๐๐" in page  # CCC is all or nothing
    assert "กรอบการประเมินของปีงบประมาณ พ.ศ. ๒๕๙๑ ไม่มีข้อ o12" in page
    assert snapshot() == before
    assert not Assessment.objects.filter(fiscal_year=2591).exists()


def test_it_keeps_the_real_frameworks_beside_the_made_up_one(made_up, org):
    assert Organisation.objects.count() == 1
    from assessments.selectors import FrameworkCatalogue

    catalogue = FrameworkCatalogue()
    assert len(catalogue.rules_for_year(2568).indicator_numbers) == 10
    assert len(catalogue.rules_for_year(2590).indicator_numbers) == 7


def test_it_imports_by_the_framework_of_the_organisations_kind(made_up, org, tmp_path):
    from assessments.models import Framework

    framework = Framework.objects.get(first_year=2590)
    framework.kinds = "sao"  # for อบต. only
    framework.save()
    Organisation.objects.create(name="บ้านทดลอง", province="เพชรบุรี", kind="sao")
    path = tmp_path / "results.csv"
    path.write_text(
        "org_name,province,fiscal_year,ind_1,a1\n"
        "องค์การบริหารส่วนตำบลทดลอง,เพชรบุรี,2591,70,75\n"  # new: a sao by its name
        "บ้านทดลอง,เพชรบุรี,2591,80,๙๐\n"  # stored as a sao
    )
    call_command("import_scores", str(path), stdout=io.StringIO())
    imported = Assessment.objects.filter(fiscal_year=2591).order_by("organisation__name")
    assert [(a.organisation.name, a.item_map()) for a in imported] == [
        ("บ้านทดลอง", {"a1": 90}),
        ("องค์การบริหารส่วนตำบลทดลอง", {"a1": 75}),
    ]
    before = snapshot()
    path.write_text("org_name,province,fiscal_year,ind_1,a1\nเทศบาลตำบลบางเก่า,เพชรบุรี,2591,70,75\n")
    with pytest.raises(CommandError, match="2591"):  # a municipality: no framework for it
        call_command("import_scores", str(path), stdout=io.StringIO())
    assert snapshot() == before
