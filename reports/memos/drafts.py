"""What a memo says when it is started from an assessment or a plan (seed 001's wording)."""

from __future__ import annotations

from typing import Any

from assessments.models import Organisation
from assessments.selectors import organisation_years
from itaportal import thai
from itaportal.accounts.models import User
from measures.models import MeasurePlan
from reports.documents.models import DocumentKind
from reports.documents.selectors import documents_available


def signature_defaults(organisation: Organisation, drafter: User) -> dict[str, Any]:
    place = organisation.name
    if organisation.district:
        place += f" อำเภอ{organisation.district}"
    return {
        "unit": f"สำนักปลัด {place} จังหวัด{organisation.province}",
        "addressee": organisation.executive_title or "ผู้บริหาร",
        "drafter_name": drafter.get_full_name() or drafter.get_username(),
        "drafter_position": drafter.position or str(drafter.get_role_display()),
    }


def from_assessment(organisation: Organisation, year: int, drafter: User) -> dict[str, Any]:
    digits = organisation.uses_thai_digits
    y = thai.year_be(year, digits)
    result = next((r for r in organisation_years(organisation) if r.fiscal_year == year), None)
    facts = f"ในปีงบประมาณ {y} ยังไม่มีผลการประเมินในระบบ"
    if result and result.evaluation.score is not None:
        ev = result.evaluation
        level = ev.published_level or (ev.level.code if ev.level else "")
        facts = (
            f"ในปีงบประมาณ {y} ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
            f"ประจำปีงบประมาณ พ.ศ. {y} ของ{organisation.name} คะแนนภาพรวมหน่วยงาน "
            f"{organisation.name} : {thai.number(ev.score, digits)} คะแนน ผลการประเมินระดับ{level}"
        )
    printable = {(d.kind, d.year) for d in documents_available(organisation)}
    attachments = [
        {"kind": kind.value, "year": doc_year}
        for kind, doc_year in ((DocumentKind.ANALYSIS, year), (DocumentKind.PLAN, year + 1))
        if (kind, doc_year) in printable
    ]
    return {
        **signature_defaults(organisation, drafter),
        "subject": (
            "รายงานผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
            f"ประจำปีงบประมาณ พ.ศ. {y}"
        ),
        "background": (
            f"ตามที่{organisation.name} ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
            "หน่วยงานภาครัฐ (Integrity and Transparency Assessment: ITA) ประจำปีงบประมาณ "
            f"พ.ศ. {y} โดยมีวัตถุประสงค์เพื่อให้ได้รับทราบถึงสถานะการดำเนินงานด้านคุณธรรมและ"
            "ความโปร่งใส และนำผลการประเมินที่ได้ไปสู่การปรับปรุงพัฒนาการบริหารงาน นั้น"
        ),
        "facts": facts,
        "considerations": (
            f"พร้อมนี้ได้วิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {y} โดยจำแนกตามเครื่องมือการประเมิน "
            "และระบุประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน ประเด็นที่จะต้อง"
            "พัฒนาให้ดีขึ้น รวมถึงการนำผลการวิเคราะห์ไปสู่การปฏิบัติ รายละเอียดปรากฏตามเอกสารแนบท้าย"
        ),
        "proposal": "เห็นควรนำเสนอผู้บริหารเพื่อโปรดทราบและพิจารณาให้ความเห็นชอบ",
        "closing": "จึงเรียนมาเพื่อโปรดทราบ",
        "attachments": attachments,
    }


def from_plan(plan: MeasurePlan, drafter: User) -> dict[str, Any]:
    organisation = plan.organisation
    y = thai.year_be(plan.fiscal_year, organisation.uses_thai_digits)
    measures = plan.measures.count()
    done = plan.measures.filter(status="done").count()
    digits = organisation.uses_thai_digits
    return {
        **signature_defaults(organisation, drafter),
        "subject": f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {y}",
        "background": (
            f"ตามที่{organisation.name} ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
            f"ประจำปีงบประมาณ พ.ศ. {y} เพื่อยกระดับผลการประเมิน ITA นั้น"
        ),
        "facts": (
            f"มาตรการทั้งหมด {thai.digits(measures, digits)} มาตรการ ดำเนินการแล้วเสร็จ "
            f"{thai.digits(done, digits)} มาตรการ รายละเอียดตามรายงานผลการดำเนินการที่แนบ"
        ),
        "considerations": "ผลการดำเนินการเป็นไปตามมาตรการที่กำหนด",
        "proposal": "เห็นควรรายงานผลการดำเนินการตามมาตรการต่อผู้บริหารและเผยแพร่ทางเว็บไซต์ของหน่วยงาน",
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
        "attachments": [
            {"kind": DocumentKind.PLAN.value, "year": plan.fiscal_year},
            {"kind": DocumentKind.PROGRESS.value, "year": plan.fiscal_year},
        ],
    }
