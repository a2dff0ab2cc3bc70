"""What a memo says when it is started from an assessment or a plan (seed 001's wording).

The facts and conclusions are drafted from the figures (reports.documents.drafting), so a memo
never starts out claiming what the data contradicts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from assessments.models import Organisation
from assessments.selectors import organisation_years
from itaportal import thai
from itaportal.accounts.models import User
from measures.models import MeasurePlan
from measures.schedule import tally
from measures.selectors import measure_row, measures_with_detail, plan_answering
from reports.documents.builders import year_facts
from reports.documents.drafting import draft_overall, draft_progress, draft_tiers
from reports.documents.models import DocumentKind
from reports.documents.selectors import documents_available


def signature_defaults(organisation: Organisation, drafter: User) -> dict[str, Any]:
    units = organisation.unit_lines()
    return {
        "unit": units[0] if units else f"สำนักปลัด {organisation.place}",
        "addressee": organisation.executive_title or "ผู้บริหาร",
        "drafter_name": drafter.formal_name,
        "drafter_position": drafter.position or str(drafter.get_role_display()),
    }


def from_assessment(organisation: Organisation, year: int, drafter: User) -> dict[str, Any]:
    digits = organisation.uses_thai_digits
    y = thai.year_be(year, digits)
    years = {r.fiscal_year: r for r in organisation_years(organisation)}
    result = years.get(year)
    printable = {(d.kind, d.year) for d in documents_available(organisation)}
    plan = plan_answering(organisation, year)
    plan_year = plan.fiscal_year if plan else year + 1
    attachments = [
        {"kind": kind.value, "year": doc_year}
        for kind, doc_year in ((DocumentKind.ANALYSIS, year), (DocumentKind.PLAN, plan_year))
        if (kind, doc_year) in printable
    ]
    if result is None or result.evaluation.score is None:
        facts = f"ในปีงบประมาณ พ.ศ. {y} ยังไม่มีผลการประเมินของ{organisation.name} ในระบบ"
        considerations = (
            "จึงยังไม่อาจวิเคราะห์ผลการประเมินได้ เมื่อได้รับผลการประเมินแล้วจะได้วิเคราะห์และรายงานให้ทราบต่อไป"
        )
    else:
        ev = result.evaluation
        facts = draft_overall(year_facts(organisation, result, years.get(year - 1)), digits=digits)
        if not ev.scores:
            facts += " ยังไม่มีคะแนนรายตัวชี้วัดในระบบ จึงรายงานเฉพาะคะแนนภาพรวมที่ประกาศ"
        sentences = [
            draft_tiers(
                ev.tiers,
                raise_from=result.assessment.raise_from,
                maintain_from=result.assessment.maintain_from,
                digits=digits,
            )
        ]
        if (DocumentKind.ANALYSIS, year) in printable:
            sentences.append(
                f"พร้อมนี้ได้วิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {y} โดยจำแนกตามเครื่องมือ"
                "การประเมิน และระบุประเด็นที่เป็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน "
                "ประเด็นที่จะต้องพัฒนาให้ดีขึ้น รวมถึงการนำผลการวิเคราะห์ไปสู่การปฏิบัติ "
                "รายละเอียดปรากฏตามเอกสารแนบท้าย"
            )
        next_year = thai.year_be(plan_year, digits)
        if plan is None:
            sentences.append(
                f"ยังไม่ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {next_year}"
            )
        else:
            sentences.append(
                f"ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {next_year} "
                f"แล้ว {thai.digits(plan.measures.count(), digits)} มาตรการ"
            )
        considerations = " ".join(s for s in sentences if s)
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
        "considerations": considerations,
        "proposal": "เห็นควรนำเสนอผู้บริหารเพื่อโปรดทราบและพิจารณาให้ความเห็นชอบ",
        "closing": "จึงเรียนมาเพื่อโปรดทราบ",
        "attachments": attachments,
    }


def from_plan(plan: MeasurePlan, drafter: User, today: dt.date | None = None) -> dict[str, Any]:
    """A progress memo: every count and conclusion from the plan's measures as of `today`."""
    organisation = plan.organisation
    digits = organisation.uses_thai_digits
    y = thai.year_be(plan.fiscal_year, digits)
    today = today or timezone.localdate()
    rows = [measure_row(m, today) for m in measures_with_detail(plan.measures.all())]
    draft = draft_progress(
        tally((row.measure.status, row.lateness) for row in rows),
        year=plan.fiscal_year,
        today=today,
        digits=digits,
    )
    return {
        **signature_defaults(organisation, drafter),
        "subject": f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {y}",
        "background": (
            f"ตามที่{organisation.name} ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
            f"ประจำปีงบประมาณ พ.ศ. {y} เพื่อยกระดับผลการประเมิน ITA นั้น"
        ),
        "facts": draft.facts,
        "considerations": draft.considerations,
        "proposal": draft.proposal,
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
        "attachments": [
            {"kind": DocumentKind.PLAN.value, "year": plan.fiscal_year},
            {"kind": DocumentKind.PROGRESS.value, "year": plan.fiscal_year},
        ],
    }
