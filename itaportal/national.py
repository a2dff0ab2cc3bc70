"""A national-scale synthetic data set for benchmarks and demos (`manage.py generate_national`).

About 7,850 local governments spread over the real provinces as the Department of Local
Administration counts them (one อบจ. per province, 30 เทศบาลนคร, 195 เทศบาลเมือง, about 2,250
เทศบาลตำบล, the rest อบต., กรุงเทพมหานคร and เมืองพัทยา), each with its FY 2562-2568 results,
measures plans for FY 2568 and 2569, a staff, a reviewer and an executive account, and for some of
them a committee order and memos on their way through the approval chain. Names and people are
made up, the provinces are real. One seed gives the same data every time.

Generated organisations carry the codes N00001, N00002, … and that is how they are found again:
`national_delete` removes exactly them, their people and everything hanging from them.

At this size the portal's services (one transaction, one audit event and one e-mail per write)
would take an hour, so rows are built in memory and written with bulk_create (the half million
indicator scores with plain multi-row INSERTs), a chunk of organisations at a time, in one
transaction. What the services would add besides the rows (audit events, e-mails, frozen PDFs) is
left out, so no memo is generated as decided; the provinces' change counters are raised, as
every bulk write must (assessments.changes).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments import ita
from assessments.changes import province_changed
from assessments.models import Assessment, IndicatorScore, Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal import thai
from itaportal.accounts.models import Role, User
from measures.catalogue import FIXTURE as CATALOGUE_FIXTURE
from measures.models import InstrumentAnalysis, Measure, MeasurePlan, Progress
from measures.planning import indicators_needing_measures
from measures.schedule import fiscal_year_end, fiscal_year_start, months_of_fiscal_year
from reports.memo_drafts import signature_defaults
from reports.memos import BE_OFFSET, memo_content, reference_of
from reports.models import (
    AnalysisText,
    Committee,
    CommitteeMember,
    Memo,
    MemoEvent,
    MemoRegister,
    MemoStep,
    MemoVersion,
)

FULL_SCALE = 7850
MAX_ORGANISATIONS = 99_999  # the codes have five digits
DEFAULT_PASSWORD = "ita-demo-2569"
DEFAULT_SEED = 1
CODE_PREFIX = "N"
CODE_REGEX = r"^N[0-9]{5}$"
SUPERVISOR_REGEX = r"^sup-p[0-9]{2}(-d[0-9]{2})?$"
ORG_USER_REGEX = r"^n[0-9]{5}-(staff|reviewer|executive)$"
ASSESSED_YEARS = tuple(range(2562, 2569))
PLAN_YEARS = (2568, 2569)
# The data's "now": every FY 2569 measure has ended (open ones are overdue, closed ones are not)
# and the memos in flight were written in the weeks before. A fixed day keeps the data the same
# whenever it is generated.
TODAY = dt.date(2026, 11, 20)
BATCH_SIZE = 2000
CHUNK = 500  # organisations whose rows are built and written together: bounds the memory used

MEMO_SHARE = 0.12
COMMITTEE_SHARE = 0.3
UNCOVERED_SHARE = 0.3  # plans that leave one urgent/raise indicator without a measure
THAI_DIGIT_SHARE = 0.85

BANGKOK = "กรุงเทพมหานคร"
PATTAYA_PROVINCE = "ชลบุรี"

Kind = Organisation.Kind
MAIN_KINDS = (
    Kind.PAO,
    Kind.CITY_MUNICIPALITY,
    Kind.TOWN_MUNICIPALITY,
    Kind.SUBDISTRICT_MUNICIPALITY,
    Kind.SAO,
)
KIND_ORDER = (*MAIN_KINDS, Kind.OTHER)
# Kinds whose number is what it is in reality: never more of them when N grows past full scale.
FIXED_KINDS = frozenset({Kind.PAO, Kind.CITY_MUNICIPALITY, Kind.OTHER})
NATIONAL_TOWNS = 195
NATIONAL_SUBDISTRICTS = 2247


@dataclass(frozen=True)
class Province:
    name: str
    abbreviation: str  # อักษรย่อ, the start of the letter code of its organisations
    weight: int  # about how many local governments it has


PROVINCES: tuple[Province, ...] = (
    Province("กระบี่", "กบ", 60),
    Province("กรุงเทพมหานคร", "กท", 1),
    Province("กาญจนบุรี", "กจ", 110),
    Province("กาฬสินธุ์", "กส", 151),
    Province("กำแพงเพชร", "กพ", 80),
    Province("ขอนแก่น", "ขก", 225),
    Province("จันทบุรี", "จบ", 76),
    Province("ฉะเชิงเทรา", "ฉช", 107),
    Province("ชลบุรี", "ชบ", 99),
    Province("ชัยนาท", "ชน", 53),
    Province("ชัยภูมิ", "ชย", 140),
    Province("ชุมพร", "ชพ", 78),
    Province("เชียงราย", "ชร", 143),
    Province("เชียงใหม่", "ชม", 211),
    Province("ตรัง", "ตง", 100),
    Province("ตราด", "ตร", 42),
    Province("ตาก", "ตก", 66),
    Province("นครนายก", "นย", 44),
    Province("นครปฐม", "นฐ", 115),
    Province("นครพนม", "นพ", 103),
    Province("นครราชสีมา", "นม", 326),
    Province("นครศรีธรรมราช", "นศ", 185),
    Province("นครสวรรค์", "นว", 142),
    Province("นนทบุรี", "นบ", 48),
    Province("นราธิวาส", "นธ", 88),
    Province("น่าน", "นน", 99),
    Province("บึงกาฬ", "บก", 60),
    Province("บุรีรัมย์", "บร", 209),
    Province("ปทุมธานี", "ปท", 61),
    Province("ประจวบคีรีขันธ์", "ปข", 64),
    Province("ปราจีนบุรี", "ปจ", 65),
    Province("ปัตตานี", "ปน", 113),
    Province("พระนครศรีอยุธยา", "อย", 158),
    Province("พะเยา", "พย", 70),
    Province("พังงา", "พง", 51),
    Province("พัทลุง", "พท", 73),
    Province("พิจิตร", "พจ", 89),
    Province("พิษณุโลก", "พล", 103),
    Province("เพชรบุรี", "พบ", 93),
    Province("เพชรบูรณ์", "พช", 126),
    Province("แพร่", "พร", 82),
    Province("ภูเก็ต", "ภก", 19),
    Province("มหาสารคาม", "มค", 142),
    Province("มุกดาหาร", "มห", 53),
    Province("แม่ฮ่องสอน", "มส", 45),
    Province("ยโสธร", "ยส", 88),
    Province("ยะลา", "ยล", 64),
    Province("ร้อยเอ็ด", "รอ", 203),
    Province("ระนอง", "รน", 30),
    Province("ระยอง", "รย", 68),
    Province("ราชบุรี", "รบ", 104),
    Province("ลพบุรี", "ลบ", 124),
    Province("ลำปาง", "ลป", 100),
    Province("ลำพูน", "ลพ", 57),
    Province("เลย", "ลย", 100),
    Province("ศรีสะเกษ", "ศก", 206),
    Province("สกลนคร", "สน", 144),
    Province("สงขลา", "สข", 141),
    Province("สตูล", "สต", 39),
    Province("สมุทรปราการ", "สป", 49),
    Province("สมุทรสงคราม", "สส", 36),
    Province("สมุทรสาคร", "สค", 40),
    Province("สระแก้ว", "สก", 68),
    Province("สระบุรี", "สบ", 108),
    Province("สิงห์บุรี", "สห", 41),
    Province("สุโขทัย", "สท", 87),
    Province("สุพรรณบุรี", "สพ", 124),
    Province("สุราษฎร์ธานี", "สฎ", 137),
    Province("สุรินทร์", "สร", 172),
    Province("หนองคาย", "นค", 65),
    Province("หนองบัวลำภู", "นภ", 66),
    Province("อ่างทอง", "อท", 65),
    Province("อำนาจเจริญ", "อจ", 63),
    Province("อุดรธานี", "อด", 178),
    Province("อุตรดิตถ์", "อต", 78),
    Province("อุทัยธานี", "อน", 62),
    Province("อุบลราชธานี", "อบ", 216),
)

# The thirty เทศบาลนคร: (province, name after "เทศบาลนคร", district; "" for the provincial seat).
CITIES: tuple[tuple[str, str, str], ...] = (
    ("นนทบุรี", "นนทบุรี", ""),
    ("นนทบุรี", "ปากเกร็ด", "ปากเกร็ด"),
    ("สมุทรปราการ", "สมุทรปราการ", ""),
    ("ปทุมธานี", "รังสิต", "ธัญบุรี"),
    ("พระนครศรีอยุธยา", "พระนครศรีอยุธยา", "พระนครศรีอยุธยา"),
    ("นครปฐม", "นครปฐม", ""),
    ("สมุทรสาคร", "สมุทรสาคร", ""),
    ("สมุทรสาคร", "อ้อมน้อย", "กระทุ่มแบน"),
    ("ระยอง", "ระยอง", ""),
    ("ชลบุรี", "แหลมฉบัง", "ศรีราชา"),
    ("ชลบุรี", "เจ้าพระยาสุรศักดิ์", "ศรีราชา"),
    ("เชียงใหม่", "เชียงใหม่", ""),
    ("เชียงราย", "เชียงราย", ""),
    ("ลำปาง", "ลำปาง", ""),
    ("พิษณุโลก", "พิษณุโลก", ""),
    ("นครสวรรค์", "นครสวรรค์", ""),
    ("ตาก", "แม่สอด", "แม่สอด"),
    ("ขอนแก่น", "ขอนแก่น", ""),
    ("อุดรธานี", "อุดรธานี", ""),
    ("นครราชสีมา", "นครราชสีมา", ""),
    ("อุบลราชธานี", "อุบลราชธานี", ""),
    ("สกลนคร", "สกลนคร", ""),
    ("สุราษฎร์ธานี", "สุราษฎร์ธานี", ""),
    ("สุราษฎร์ธานี", "เกาะสมุย", "เกาะสมุย"),
    ("นครศรีธรรมราช", "นครศรีธรรมราช", ""),
    ("ภูเก็ต", "ภูเก็ต", ""),
    ("ตรัง", "ตรัง", ""),
    ("สงขลา", "หาดใหญ่", "หาดใหญ่"),
    ("สงขลา", "สงขลา", ""),
    ("ยะลา", "ยะลา", ""),
)
BANGKOK_DISTRICTS = ("พระนคร", "ดุสิต", "ปทุมวัน", "บางรัก", "จตุจักร")

NAME_STARTS = (
    "หนอง", "โนน", "ดอน", "โคก", "นา", "ห้วย", "บาง", "ท่า", "วัง", "คลอง", "เขา", "ทุ่ง",
    "สระ", "บึง", "หัว", "ป่า", "แม่", "ลำ", "กุด", "บ้าน", "ศรี", "โพธิ์", "ไผ่", "หาด",
    "เกาะ", "ปาก", "ดง", "นาง", "สัน", "ทับ", "บ่อ", "เวียง", "ม่วง", "ตาล", "ชัย",
)  # fmt: skip
NAME_ENDS = (
    "แก้ว", "ทอง", "ใหญ่", "น้อย", "งาม", "สูง", "ยาง", "ขาม", "บัว", "จาน", "ไผ่", "โพธิ์",
    "สะแก", "มะม่วง", "ตาล", "ไทร", "เจริญ", "สมบูรณ์", "พัฒนา", "หลวง", "กลาง", "เหนือ",
    "ใต้", "หิน", "ดู่", "แดง", "ขาว", "เขียว", "คำ", "หว้า", "ม่วง", "ศรี", "ชัย", "สวรรค์",
    "เรือ", "ทราย", "กระทุ่ม", "ตะเคียน", "มะขาม", "ยาว", "เต่า", "ช้าง", "เสือ", "แสง",
    "สว่าง", "ทรัพย์", "ปรือ", "โคก", "สำราญ", "พยอม",
)  # fmt: skip
NAME_TAILS = ("ใหม่", "เก่า", "พัฒนา", "ตะวันออก", "ตะวันตก", "เหนือ", "ใต้")

FIRST_NAMES = (
    "สมชาย", "สมศักดิ์", "วิชัย", "ประเสริฐ", "สุรชัย", "ธนพล", "กิตติพงษ์", "อนุชา",
    "ชัยวัฒน์", "วีระ", "ณัฐพล", "ปิยะ", "สุภาพร", "วราภรณ์", "กาญจนา", "นงลักษณ์", "ศิริพร",
    "อรุณี", "พรทิพย์", "จิราพร", "มาลัย", "สุนิสา", "ปวีณา", "รัตนา", "อัญชลี", "ธิดารัตน์",
    "เพ็ญศรี", "บุญเรือน", "ทองใบ", "ประภาพร", "วันเพ็ญ", "สมพร", "กมล", "ชุติมา", "ภัทรา",
    "นิตยา", "เกศินี", "ยุทธนา", "ศักดิ์ชัย", "อำนาจ",
)  # fmt: skip
LAST_NAMES = (
    "ใจดี", "ศรีสุข", "มั่นคง", "ทองดี", "แก้วมณี", "บุญมา", "สุขสวัสดิ์", "พรหมมา",
    "จันทร์เพ็ญ", "วงศ์ไทย", "ศรีวงศ์", "ทองคำ", "สายบุญ", "ประเสริฐสุข", "เรืองศรี",
    "อินทร์แก้ว", "คงสมบูรณ์", "ชัยมงคล", "บุญประเสริฐ", "ศรีอ่อน", "พันธุ์ดี", "สิทธิชัย",
    "แสงทอง", "รุ่งเรือง", "นาคสวัสดิ์", "มีสุข", "ดวงแก้ว", "ปัญญาดี", "สมบัติทอง",
    "เพชรรัตน์", "กองแก้ว", "ทิพย์มณี", "ยอดดี", "วิเศษศักดิ์", "หอมจันทร์", "ขันทอง",
    "บัวทอง", "ศรีประเสริฐ", "ภูมิสุข", "โพธิ์ทอง",
)  # fmt: skip
STAFF_POSITIONS = (
    "นักวิเคราะห์นโยบายและแผน",
    "นักวิเคราะห์นโยบายและแผนชำนาญการ",
    "นักจัดการงานทั่วไป",
    "นักทรัพยากรบุคคล",
    "นิติกร",
)
DIRECTORS = ("ผู้อำนวยการกองคลัง", "ผู้อำนวยการกองช่าง", "ผู้อำนวยการกองการศึกษา")
PROGRESS_DONE = (
    "ดำเนินการตามแผนที่กำหนดและรายงานผลในการประชุมหัวหน้าส่วนราชการ",
    "จัดทำประกาศและเผยแพร่ทางเว็บไซต์ของหน่วยงานแล้ว",
    "จัดประชุมชี้แจงบุคลากรทุกกองเพื่อรับทราบแนวทาง",
    "ติดตามผลการดำเนินการประจำไตรมาสและสรุปเสนอผู้บริหาร",
    "ปรับปรุงข้อมูลบนเว็บไซต์ให้ครบถ้วนตามหัวข้อของแบบวัด OIT",
)
PROGRESS_OUTCOMES = (
    "บุคลากรรับทราบและถือปฏิบัติ",
    "ดำเนินการแล้วเสร็จตามกำหนด",
    "อยู่ระหว่างดำเนินการ คาดว่าแล้วเสร็จตามแผน",
    "ผู้รับบริการมีความพึงพอใจเพิ่มขึ้น",
    "",
)
FORWARD_OPINIONS = (
    "ตรวจสอบแล้ว เห็นควรเสนอผู้บริหารเพื่อโปรดพิจารณา",
    "เห็นควรนำเสนอผู้บริหารเพื่อโปรดทราบและพิจารณาให้ความเห็นชอบ",
)
RETURN_REASONS = (
    "ขอให้ตรวจสอบคะแนนรายตัวชี้วัดให้ตรงกับที่ประกาศในระบบ ITAS",
    "ขอให้แนบรายงานผลการดำเนินการตามมาตรการให้ครบถ้วน",
)

# How far below 100 the overall score sits on average each year: the national means of ITA.md
# (87.57 in FY 2565, 90.19 in 2566, 93.82 in 2568), the years between interpolated.
MEAN_GAP = {2562: 20.5, 2563: 18.0, 2564: 15.0, 2565: 12.4, 2566: 9.8, 2567: 8.0, 2568: 6.2}
# Each indicator's usual distance below 100 relative to the overall: IIT close to 100, the OIT
# checklist furthest and most spread, as the seeds' tables show.
GAP_PROFILE = {
    1: 0.55, 2: 0.9, 3: 0.6, 4: 0.75, 5: 0.95,  # IIT
    6: 1.15, 7: 1.05, 8: 1.3,  # EIT
    9: 1.35, 10: 1.6,  # OIT
}  # fmt: skip
ORG_SPREAD = 0.6  # how much better or worse an organisation is than others, year after year
YEAR_SPREAD = 0.65  # how much an indicator moves from one year to the next

# What the memos in flight are waiting for, and how often.
MEMO_KINDS = {"reviewer": 0.4, "executive": 0.25, "draft": 0.2, "returned": 0.15}
# How far the measures got: FY 2568's plan is long over, FY 2569's ended on 30 September 2026
# (TODAY is after it), so its open measures are the overdue ones.
STATUS_SHARES = {
    2568: {"done": 0.7, "cancelled": 0.05, "in_progress": 0.2, "not_started": 0.05},
    2569: {"done": 0.4, "cancelled": 0.05, "in_progress": 0.35, "not_started": 0.2},
}


class NationalDataExists(Exception):
    """Generated data is already in the database and was not to be replaced."""

    def __init__(self, organisations: int, users: int) -> None:
        super().__init__(organisations, users)
        self.organisations = organisations
        self.users = users


class FrameworkMissing(Exception):
    """No ITA framework covers a fiscal year the data set needs."""

    def __init__(self, years: Sequence[int]) -> None:
        super().__init__(years)
        self.years = list(years)


# ---------------------------------------------------------------------------------------------
# The layout: which organisations, where. Pure: no database.


@dataclass(frozen=True)
class OrgSpec:
    index: int  # 1-based; the code is N plus it on five digits
    province_index: int  # 1-based position in PROVINCES
    province: str
    kind: str
    name: str
    district: str
    letter_code: str
    digit_style: str
    executive_title: str
    clerk_title: str  # ปลัด…: the position the reviewer reports to

    @property
    def code(self) -> str:
        return f"{CODE_PREFIX}{self.index:05d}"


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights`: whole numbers by largest remainder, ties first."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    quotas = [total * w / whole for w in weights]
    counts = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


Cell = tuple[int, str]  # (province index, kind)


def full_scale_cells() -> dict[Cell, int]:
    """How many organisations of each kind each province has at full scale (7,850 in all)."""
    cities = Counter(province for province, _name, _district in CITIES)
    regular = [(i, p) for i, p in enumerate(PROVINCES, start=1) if p.name != BANGKOK]
    weights = [p.weight for _i, p in regular]
    totals = apportion(FULL_SCALE - 1, weights)  # กรุงเทพมหานคร is one organisation
    towns = apportion(NATIONAL_TOWNS, weights)
    subdistricts = apportion(NATIONAL_SUBDISTRICTS, weights)
    cells: dict[Cell, int] = {}
    for (i, province), total, town, subdistrict in zip(
        regular, totals, towns, subdistricts, strict=True
    ):
        other = 1 if province.name == PATTAYA_PROVINCE else 0
        cells[(i, Kind.PAO)] = 1
        cells[(i, Kind.CITY_MUNICIPALITY)] = cities[province.name]
        cells[(i, Kind.TOWN_MUNICIPALITY)] = town
        cells[(i, Kind.SUBDISTRICT_MUNICIPALITY)] = subdistrict
        cells[(i, Kind.SAO)] = total - 1 - cities[province.name] - town - subdistrict - other
        cells[(i, Kind.OTHER)] = other
    bangkok = next(i for i, p in enumerate(PROVINCES, start=1) if p.name == BANGKOK)
    cells[(bangkok, Kind.OTHER)] = 1
    return cells


def scaled_cells(n: int) -> dict[Cell, int]:
    """The full-scale layout shrunk (or grown) to `n` organisations, every kind kept when n ≥ 5."""
    full = full_scale_cells()
    keys = list(full)
    counts = dict(zip(keys, apportion(n, [full[k] for k in keys]), strict=True))
    for key in keys:
        excess = counts[key] - full[key]
        if key[1] in FIXED_KINDS and excess > 0:
            counts[key] = full[key]
            sink = (key[0], Kind.SAO) if (key[0], Kind.SAO) in counts else _biggest(counts)
            counts[sink] += excess
    if n >= len(MAIN_KINDS):
        totals: Counter[str] = Counter()
        for (_p, kind), count in counts.items():
            totals[kind] += count
        for kind in MAIN_KINDS:
            if totals[kind]:
                continue
            # one from the biggest cell of a kind that has more than one to spare
            donor = max(
                (k for k in keys if counts[k] and totals[k[1]] > 1),
                key=lambda k: (counts[k], -k[0]),
            )
            target = max((k for k in keys if k[1] == kind), key=lambda k: (full[k], -k[0]))
            counts[donor] -= 1
            counts[target] += 1
            totals[donor[1]] -= 1
            totals[kind] += 1
    return counts


def _biggest(counts: Mapping[Cell, int]) -> Cell:
    return max(counts, key=lambda k: (counts[k], -k[0]))


def _place_name(rng: random.Random, used: set[str]) -> str:
    """A made-up Thai place name (หนองบัว, โนนสูง, ท่าช้าง…) not in `used`; adds it there."""
    for attempt in range(200):
        start, end = rng.choice(NAME_STARTS), rng.choice(NAME_ENDS)
        if start == end:
            continue
        name = start + end if attempt < 100 else start + end + rng.choice(NAME_TAILS)
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)}{len(used)}"
    used.add(name)
    return name


def _districts(province: Province, full_total: int, rng: random.Random) -> list[str]:
    """A few to ~30 districts, the seat "เมือง…" first, those of its เทศบาลนคร among them."""
    if province.name == BANGKOK:
        return list(BANGKOK_DISTRICTS)
    names = [f"เมือง{province.name}"]
    for city_province, _name, district in CITIES:
        if city_province == province.name and district and district not in names:
            names.append(district)
    if province.name == PATTAYA_PROVINCE and "บางละมุง" not in names:
        names.append("บางละมุง")
    wanted = max(3, min(32, round(full_total / 10.5)))
    used = set(names)
    while len(names) < wanted:
        names.append(_place_name(rng, used))
    return names


def national_layout(
    n: int, seed: int, taken: Mapping[str, Iterable[str]] | None = None
) -> list[OrgSpec]:
    """The `n` organisations: province, kind, unique name, district, letter code, titles.

    `taken` holds, per province, the names already used by organisations that are not generated.
    """
    full = full_scale_cells()
    cells = scaled_cells(n)
    specs: list[OrgSpec] = []
    for p_index, province in enumerate(PROVINCES, start=1):
        counts: dict[str, int] = {kind: cells.get((p_index, kind), 0) for kind in KIND_ORDER}
        if any(counts.values()):
            builder = _ProvinceBuilder(
                p_index,
                province,
                random.Random(f"{seed}:province:{p_index}"),
                full_total=sum(full.get((p_index, kind), 0) for kind in KIND_ORDER),
                taken=set((taken or {}).get(province.name, ())),
                first_index=len(specs) + 1,
            )
            specs += builder.build(counts)
    return specs


class _ProvinceBuilder:
    """The organisations of one province, named and placed with the province's own random draw."""

    def __init__(
        self,
        p_index: int,
        province: Province,
        rng: random.Random,
        *,
        full_total: int,
        taken: set[str],
        first_index: int,
    ) -> None:
        self.p_index, self.province, self.rng = p_index, province, rng
        self.districts = _districts(province, full_total, rng)
        self.seat = self.districts[0]
        self.names = taken
        self.bases: set[str] = set()
        self.specs: list[OrgSpec] = []
        self.first_index = first_index

    def build(self, counts: Mapping[str, int]) -> list[OrgSpec]:
        province, seat = self.province.name, self.seat
        if counts[Kind.PAO]:
            self._add(
                Kind.PAO,
                f"องค์การบริหารส่วนจังหวัด{province}",
                seat,
                f"นายกองค์การบริหารส่วนจังหวัด{province}",
                "ปลัดองค์การบริหารส่วนจังหวัด",
            )
        cities = [(name, district) for prov, name, district in CITIES if prov == province]
        for city, district in cities[: counts[Kind.CITY_MUNICIPALITY]]:
            self.bases.add(city)
            self._add(
                Kind.CITY_MUNICIPALITY,
                f"เทศบาลนคร{city}",
                district or seat,
                f"นายกเทศมนตรีนคร{city}",
                "ปลัดเทศบาล",
            )
        # a เทศบาลเมือง is usually the town at the heart of its district, and named after it
        town_districts = [d for d in self.districts[1:] if not d.startswith("เมือง")]
        self.rng.shuffle(town_districts)
        for _ in range(counts[Kind.TOWN_MUNICIPALITY]):
            district = town_districts.pop() if town_districts else self._district()
            base = district if district not in self.bases else self._base("เทศบาลเมือง")
            self.bases.add(base)
            self._add(
                Kind.TOWN_MUNICIPALITY,
                f"เทศบาลเมือง{base}",
                district,
                f"นายกเทศมนตรีเมือง{base}",
                "ปลัดเทศบาล",
            )
        for _ in range(counts[Kind.SUBDISTRICT_MUNICIPALITY]):
            base = self._base("เทศบาลตำบล")
            self._add(
                Kind.SUBDISTRICT_MUNICIPALITY,
                f"เทศบาลตำบล{base}",
                self._district(),
                f"นายกเทศมนตรีตำบล{base}",
                "ปลัดเทศบาล",
            )
        for _ in range(counts[Kind.SAO]):
            base = self._base("องค์การบริหารส่วนตำบล")
            self._add(
                Kind.SAO,
                f"องค์การบริหารส่วนตำบล{base}",
                self._district(),
                f"นายกองค์การบริหารส่วนตำบล{base}",
                "ปลัดองค์การบริหารส่วนตำบล",
            )
        if counts[Kind.OTHER] and province == BANGKOK:
            self._add(Kind.OTHER, BANGKOK, "พระนคร", "ผู้ว่าราชการกรุงเทพมหานคร", "ปลัดกรุงเทพมหานคร")
        elif counts[Kind.OTHER]:
            self._add(Kind.OTHER, "เมืองพัทยา", "บางละมุง", "นายกเมืองพัทยา", "ปลัดเมืองพัทยา")
        return self.specs

    def _base(self, prefix: str) -> str:
        """A place name no organisation of the province is named after yet."""
        base = _place_name(self.rng, self.bases)
        while prefix + base in self.names:
            base = _place_name(self.rng, self.bases)
        return base

    def _district(self) -> str:
        # the provincial seat has more organisations than any other district
        return self.seat if self.rng.random() < 0.12 else self.rng.choice(self.districts)

    def _add(self, kind: str, name: str, district: str, executive: str, clerk: str) -> None:
        if name in self.names:  # a real organisation holds the name: keep it apart
            name = f"{name} (ข้อมูลจำลอง)"
        self.names.add(name)
        local = len(self.specs) + 1
        digit_style = (
            Organisation.DigitStyle.THAI
            if self.rng.random() < THAI_DIGIT_SHARE
            else Organisation.DigitStyle.ARABIC
        )
        self.specs.append(
            OrgSpec(
                index=self.first_index + len(self.specs),
                province_index=self.p_index,
                province=self.province.name,
                kind=kind,
                name=name,
                district=district,
                letter_code=f"{self.province.abbreviation} {self.p_index:02d}{local:03d}",
                digit_style=digit_style,
                executive_title=executive,
                clerk_title=clerk,
            )
        )


# ---------------------------------------------------------------------------------------------
# Scores: improving over the years as the national means do. Pure.


@dataclass(frozen=True)
class YearRules:
    year: int
    rules: ita.Rules
    thresholds: ita.Thresholds
    indicator_names: dict[int, str]

    @cached_property
    def gap_scale(self) -> float:
        """The gap of an indicator of profile 1 for a middling organisation and year, chosen so
        that the weighted mean of the log-normal gaps is the year's MEAN_GAP."""
        weighted = sum(
            float(self.rules.indicator_weight(n)) * GAP_PROFILE[n]
            for n in self.rules.indicator_numbers
        )
        return MEAN_GAP[self.year] / (weighted * math.exp((ORG_SPREAD**2 + YEAR_SPREAD**2) / 2))


def draw_scores(rng: random.Random, years: Sequence[YearRules]) -> dict[int, dict[int, Decimal]]:
    """Ten indicator scores (2 decimals, 0-100) per year for one organisation.

    A score is 100 minus a gap drawn log-normally around the year's national gap: skewed like
    the published tables (most near the top, a long tail down), and the same organisation tends
    to stay strong or weak over the years.
    """
    strength = rng.gauss(0, 1)
    result = {}
    for year in years:
        base = year.gap_scale * math.exp(ORG_SPREAD * strength)
        scores = {}
        for n in year.rules.indicator_numbers:
            gap = base * GAP_PROFILE[n] * math.exp(YEAR_SPREAD * rng.gauss(0, 1))
            value = 100.0 if gap < 0.5 else max(0.0, 100.0 - gap)  # a full mark, as often published
            scores[n] = Decimal(f"{value:.2f}")
        result[year.year] = scores
    return result


def published_result(
    rng: random.Random, year: YearRules, scores: Mapping[int, Decimal]
) -> tuple[Decimal | None, str]:
    """The published overall and level: mostly the computed score, some missing, a few off."""
    exact = ita.overall_score(year.rules, scores)
    assert exact is not None, "all ten indicators are drawn"
    computed = ita.round2(exact)
    draw = rng.random()
    if draw < 0.06:
        return None, ""  # not entered yet
    if draw < 0.09:  # NACC rounds from unrounded figures: a hundredth either way
        published = computed + rng.choice((Decimal("-0.01"), Decimal("0.01")))
    elif draw < 0.10:  # a typo or another source: a discrepancy the dashboard shows
        published = computed + Decimal(f"{rng.uniform(-2, 2):.2f}")
    else:
        published = computed
    published = min(max(published, ita.ZERO), ita.HUNDRED)
    level = ita.level_of(year.rules, published).code if rng.random() < 0.92 else ""
    return published, level


# ---------------------------------------------------------------------------------------------
# Writing.


@dataclass
class People:
    staff: User
    reviewer: User
    executive: User


@dataclass
class Rows:
    """The rows of one chunk of organisations, parents before children."""

    assessments: list[Assessment] = field(default_factory=list)
    scores: list[tuple[Assessment, int, Decimal]] = field(default_factory=list)
    plans: list[MeasurePlan] = field(default_factory=list)
    analyses: list[InstrumentAnalysis] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    owners: list[tuple[Measure, int]] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    members: list[CommitteeMember] = field(default_factory=list)
    memos: list[Memo] = field(default_factory=list)
    registers: list[MemoRegister] = field(default_factory=list)
    versions: list[MemoVersion] = field(default_factory=list)
    steps: list[MemoStep] = field(default_factory=list)
    events: list[MemoEvent] = field(default_factory=list)
    # when each row really happened: auto_now_add would stamp them all with today
    stamps: list[tuple[models.Model, str, dt.datetime]] = field(default_factory=list)


@dataclass
class Context:
    seed: int
    years: list[YearRules]
    suggestions: list[dict[str, Any]]
    today: dt.date = TODAY
    awaiting: Counter[int] = field(default_factory=Counter)  # user pk -> memos pending with them


@dataclass(frozen=True)
class Summary:
    organisations: int
    counts: dict[str, int]  # model label -> rows written
    seconds: float
    manifest: dict[str, Any]


def generated_organisations() -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(code__regex=CODE_REGEX)


def generated_users() -> models.QuerySet[User]:
    return User.objects.filter(
        Q(organisation__in=generated_organisations())
        | Q(username__regex=SUPERVISOR_REGEX)
        | Q(username__regex=ORG_USER_REGEX)
    )


def national_exists() -> tuple[int, int]:
    """How many generated organisations and users are in the database."""
    return generated_organisations().count(), generated_users().count()


@transaction.atomic
def national_delete() -> tuple[int, int]:
    """Remove the generated organisations, their people and everything that hangs from them.

    The bulky tables go first with plain DELETEs: through the ORM each of their half a million
    rows would be loaded and would send its own change signal. People, organisations, memos and
    committees then go through the ORM, which also clears whatever else the portal attached to
    them (audit events, print jobs) and raises the provinces' change counters.
    """
    counts = national_exists()
    orgs = generated_organisations()
    plans = MeasurePlan.objects.filter(organisation__in=orgs)
    measures = Measure.objects.filter(plan__in=plans)
    assessments = Assessment.objects.filter(organisation__in=orgs)
    bulky: tuple[models.QuerySet[Any], ...] = (
        Progress.objects.filter(measure__in=measures),
        Measure.owners.through.objects.filter(measure__in=measures),
        measures,
        InstrumentAnalysis.objects.filter(plan__in=plans),
        plans,
        IndicatorScore.objects.filter(assessment__in=assessments),
        AnalysisText.objects.filter(assessment__in=assessments),
        assessments,
    )
    for queryset in bulky:
        queryset._raw_delete(queryset.db)
    Memo.objects.filter(organisation__in=orgs).delete()
    generated_users().delete()
    orgs.delete()
    return counts


def _batches[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _create[M: models.Model](model: type[M], rows: list[M], counts: Counter[str]) -> list[M]:
    """bulk_create in batches; both PostgreSQL and SQLite give the new primary keys back."""
    created = model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    counts[model._meta.label] += len(created)
    return created


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _year_rules(catalogue: FrameworkCatalogue) -> list[YearRules]:
    years, missing = [], []
    for year in ASSESSED_YEARS:
        framework = catalogue.for_year(year)
        if framework is None:
            missing.append(year)
            continue
        years.append(
            YearRules(
                year=year,
                rules=catalogue.rules(framework),
                thresholds=framework.default_thresholds(),
                indicator_names=framework.indicator_names(),
            )
        )
    if missing:
        raise FrameworkMissing(missing)
    return years


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _org_rows(
    spec: OrgSpec, org: Organisation, people: People, ctx: Context, rows: Rows, *, force_memo: bool
) -> None:
    """Everything one organisation has: seven years of results, two plans, maybe memos."""
    rng = random.Random(f"{ctx.seed}:org:{spec.code}")
    scores = draw_scores(rng, ctx.years)
    by_year = {y.year: y for y in ctx.years}
    published: dict[int, tuple[Decimal | None, str]] = {}
    for year in ctx.years:
        score, level = published[year.year] = published_result(rng, year, scores[year.year])
        assessment = Assessment(
            organisation=org,
            fiscal_year=year.year,
            published_score=score,
            published_level=level,
            maintain_from=year.thresholds.maintain_from,
            raise_from=year.thresholds.raise_from,
            target=year.thresholds.target,
        )
        rows.assessments.append(assessment)
        rows.scores.extend((assessment, n, s) for n, s in scores[year.year].items())
    for plan_year in PLAN_YEARS:
        basis = by_year[plan_year - 1]
        _plan_rows(rng, org, people, basis, scores[basis.year], plan_year, ctx, rows)
    if rng.random() < COMMITTEE_SHARE:
        _committee_rows(rng, spec, org, people, rows)
    if force_memo or rng.random() < MEMO_SHARE:
        basis = by_year[PLAN_YEARS[-1] - 1]
        score, level = published[basis.year]
        if score is None:  # the memo quotes what the portal computes, as the dashboard shows it
            score = ita.round2(ita.overall_score(basis.rules, scores[basis.year]) or ita.ZERO)
        level = level or ita.level_of(basis.rules, score).code
        _memo_rows(rng, spec, org, people, (score, level), ctx, rows, force_memo)


def _plan_rows(
    rng: random.Random,
    org: Organisation,
    people: People,
    basis: YearRules,
    scores: Mapping[int, Decimal],
    plan_year: int,
    ctx: Context,
    rows: Rows,
) -> None:
    """A plan answering the year before: measures on its urgent and raise indicators."""
    plan = MeasurePlan(organisation=org, fiscal_year=plan_year)
    rows.plans.append(plan)
    tiers = {n: ita.tier_of(s, basis.thresholds) for n, s in scores.items()}
    digits = org.uses_thai_digits

    def lines(numbers: Iterable[int], wanted: Iterable[ita.Tier], verb: str) -> str:
        return "\n".join(
            thai.digits(f"ตัวชี้วัดที่ {n} {basis.indicator_names[n]} {verb} ", digits)
            + f"{thai.number(scores[n], digits)} คะแนน"
            for n in numbers
            if tiers[n] in wanted
        )

    rows.analyses.extend(
        InstrumentAnalysis(
            plan=plan,
            instrument=instrument.code,
            expected_strengths=lines(instrument.indicators, (ita.Tier.MAINTAIN,), "ได้"),
            issues=lines(instrument.indicators, (ita.Tier.URGENT, ita.Tier.RAISE), "ได้เพียง"),
        )
        for instrument in basis.rules.instruments
    )
    needing = indicators_needing_measures(tiers)
    skipped = rng.choice(needing) if needing and rng.random() < UNCOVERED_SHARE else None
    chosen: list[dict[str, Any]] = []
    covered: set[int] = set()
    for number in needing:
        if number == skipped or number in covered:
            continue
        offers = [s for s in ctx.suggestions if number in s["indicators"] and s not in chosen]
        avoiding = [s for s in offers if skipped not in s["indicators"]]
        if avoiding or offers:
            pick = rng.choice(avoiding or offers)
            chosen.append(pick)
            covered.update(pick["indicators"])
    while len(chosen) < 2:  # even a strong year keeps a measure or two to hold the level
        pick = rng.choice(ctx.suggestions)
        if pick not in chosen and (skipped is None or skipped not in pick["indicators"]):
            chosen.append(pick)
    months = months_of_fiscal_year(plan_year)
    shares = STATUS_SHARES[plan_year]
    for order, suggestion in enumerate(chosen, start=1):
        start: dt.date | None = None
        end: dt.date | None = None
        if rng.random() >= 0.2:  # the rest run the whole fiscal year
            first = rng.randrange(0, 6)
            start, end = months[first], months[rng.randrange(first + 2, 12)]
        status = rng.choices(list(shares), list(shares.values()))[0]
        measure = Measure(
            plan=plan,
            order=order,
            title=suggestion["title"],
            indicators=list(suggestion["indicators"]),
            method=suggestion["method"],
            responsible_unit=suggestion["responsible_unit"],
            other_people=people.reviewer.position,
            start_month=start,
            end_month=end,
            follow_up=suggestion["follow_up"],
            cadence=suggestion["cadence"],
            expected_result=suggestion["expected_result"],
            status=status,
        )
        rows.measures.append(measure)
        rows.owners.append((measure, people.staff.pk))
        records = {"done": rng.randint(1, 3), "in_progress": rng.randint(0, 2)}.get(status, 0)
        first_day = start or fiscal_year_start(plan_year)
        last_day = min(fiscal_year_end(plan_year), ctx.today)
        span = (last_day - first_day).days
        for day in sorted(rng.randint(0, span) for _ in range(records)):
            rows.progress.append(
                Progress(
                    measure=measure,
                    date=first_day + dt.timedelta(days=day),
                    done=rng.choice(PROGRESS_DONE),
                    outcome=rng.choice(PROGRESS_OUTCOMES),
                    recorded_by_id=people.staff.pk,
                )
            )


def _committee_rows(
    rng: random.Random, spec: OrgSpec, org: Organisation, people: People, rows: Rows
) -> None:
    """The order appointing the FY 2569 ITA committee, issued late in 2025 (B.E. 2568)."""
    issued = dt.date(2025, 10, 1) + dt.timedelta(days=rng.randrange(0, 75))
    digits = org.uses_thai_digits
    year = thai.digits(PLAN_YEARS[-1], digits)
    executive = people.executive.get_full_name()
    committee = Committee(
        organisation=org,
        fiscal_year=PLAN_YEARS[-1],
        number=rng.randint(1, 300),
        number_year=issued.year + BE_OFFSET,
        subject=(
            "แต่งตั้งคณะกรรมการอำนวยการ และคณะทำงานโครงการประเมินคุณธรรมและความโปร่งใส "
            f"(Integrity and Transparency Assessment ; ITA) ประจำปีงบประมาณ พ.ศ. {year}"
        ),
        reasons=(
            "ตามที่สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ (สำนักงาน ป.ป.ช.) "
            "ได้ดำเนินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
            f"ประจำปีงบประมาณ พ.ศ. {year} เพื่อให้การประเมินของ{spec.name} "
            "เป็นไปด้วยความเรียบร้อย จึงแต่งตั้งคณะกรรมการอำนวยการ และคณะทำงาน ดังนี้"
        ),
        duties_steering=(
            "1. ให้คำปรึกษา แนะนำ แก้ไขปัญหา อุปสรรคในการดำเนินการประเมิน\n"
            "2. ส่งเสริม สนับสนุน ให้บุคลากรและผู้มีส่วนได้ส่วนเสียตอบแบบวัดการรับรู้"
        ),
        duties_working=(
            "1. จัดเตรียมข้อมูล เอกสาร หลักฐาน ตามแบบตรวจการเปิดเผยข้อมูลสาธารณะ\n"
            "2. สรุปผลการดำเนินงาน ปัญหา อุปสรรค เสนอผู้บังคับบัญชา"
        ),
        issued_on=issued,
        signer_name=executive,
        signer_position=spec.executive_title,
    )
    rows.committees.append(committee)
    members = [
        (CommitteeMember.Group.STEERING, executive, spec.executive_title, "ประธานกรรมการ"),
        (
            CommitteeMember.Group.STEERING,
            people.reviewer.get_full_name(),
            people.reviewer.position,
            "รองประธานกรรมการ",
        ),
        *(
            (CommitteeMember.Group.STEERING, " ".join(_person(rng)), director, "กรรมการ")
            for director in DIRECTORS
        ),
        (
            CommitteeMember.Group.WORKING,
            people.staff.get_full_name(),
            people.staff.position,
            "คณะทำงานและเลขานุการ",
        ),
    ]
    rows.members.extend(
        CommitteeMember(
            committee=committee, group=group, order=i, name=name, position=position, role=role
        )
        for i, (group, name, position, role) in enumerate(members)
    )


def _memo_rows(
    rng: random.Random,
    spec: OrgSpec,
    org: Organisation,
    people: People,
    result: tuple[Decimal, str],
    ctx: Context,
    rows: Rows,
    force: bool,
) -> None:
    """One to three memos not yet decided (four when `force`): drafts, returned ones, and some
    awaiting the reviewer or the executive."""
    kinds = rng.choices(list(MEMO_KINDS), list(MEMO_KINDS.values()), k=rng.choice((1, 1, 2, 3)))
    if force:  # one organisation shows every state, however small the data set
        kinds = list(MEMO_KINDS)
    digits = org.uses_thai_digits
    basis_year, plan_year = PLAN_YEARS[-1] - 1, PLAN_YEARS[-1]
    score, level = result
    drafted = sorted(ctx.today - dt.timedelta(days=rng.randint(3, 50)) for _ in kinds)
    register_base = rng.randint(20, 300)
    numbered = 0
    staff, reviewer, executive = people.staff, people.reviewer, people.executive
    for kind, day in zip(kinds, drafted, strict=True):
        about_results = rng.random() < 0.5
        y = thai.year_be(basis_year if about_results else plan_year, digits)
        memo = Memo(
            organisation=org,
            drafter=staff,
            **signature_defaults(org, staff),
            closing="จึงเรียนมาเพื่อโปรดพิจารณา",
        )
        if about_results:
            memo.subject = (
                "รายงานผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
                f"ประจำปีงบประมาณ พ.ศ. {y}"
            )
            memo.background = (
                f"ตามที่{spec.name} ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
                f"หน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {y} นั้น"
            )
            memo.facts = (
                f"ผลการประเมินของ{spec.name} ได้คะแนน {thai.number(score, digits)} คะแนน "
                f"ผลการประเมินระดับ{level}"
            )
            memo.attachments = [
                {"kind": "analysis", "year": basis_year},
                {"kind": "plan", "year": plan_year},
            ]
        else:
            memo.subject = (
                f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. {y}"
            )
            memo.background = (
                f"ตามที่{spec.name} ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
                f"ประจำปีงบประมาณ พ.ศ. {y} เพื่อยกระดับผลการประเมิน ITA นั้น"
            )
            memo.facts = "รายละเอียดตามรายงานผลการดำเนินการที่แนบ"
            memo.attachments = [
                {"kind": "plan", "year": plan_year},
                {"kind": "progress", "year": plan_year},
            ]
        memo.proposal = "เห็นควรนำเสนอผู้บริหารเพื่อโปรดพิจารณา"
        rows.memos.append(memo)
        rows.stamps.append((memo, "created_at", _aware(day, 9)))
        rows.events.append(MemoEvent(memo=memo, user=staff, action=MemoEvent.Action.CREATE))
        rows.stamps.append((rows.events[-1], "at", _aware(day, 9)))
        if kind == "draft":
            memo.status = Memo.Status.DRAFT
            continue
        numbered += 1
        memo.number, memo.number_year, memo.dated = (
            register_base + numbered,
            day.year + BE_OFFSET,
            day,
        )
        memo.reference = reference_of(org, register_base + numbered)
        memo.status = {
            "reviewer": Memo.Status.IN_REVIEW,
            "executive": Memo.Status.IN_REVIEW,
            "returned": Memo.Status.RETURNED,
        }[kind]
        version = MemoVersion(memo=memo, version=1, content=memo_content(memo))
        rows.versions.append(version)
        rows.stamps.append((version, "submitted_at", _aware(day, 10)))
        rows.events.append(
            MemoEvent(
                memo=memo,
                user=staff,
                action=MemoEvent.Action.SUBMIT,
                detail=f"v1 {memo.reference}",
            )
        )
        rows.stamps.append((rows.events[-1], "at", _aware(day, 10)))
        acted = min(day + dt.timedelta(days=rng.randint(1, 3)), ctx.today)
        acting = (
            f"{reviewer.position} รักษาราชการแทน {spec.clerk_title}"
            if reviewer.position == "หัวหน้าสำนักปลัด" and rng.random() < 0.3
            else ""
        )
        first, last = MemoStep.Status.PENDING, MemoStep.Status.WAITING
        opinion, acted_at = "", None
        if kind == "executive":
            first, last = MemoStep.Status.FORWARDED, MemoStep.Status.PENDING
            opinion, acted_at = rng.choice(FORWARD_OPINIONS), _aware(acted, 14)
        elif kind == "returned":
            first, last = MemoStep.Status.RETURNED, MemoStep.Status.CANCELLED
            opinion, acted_at = rng.choice(RETURN_REASONS), _aware(acted, 14)
        rows.steps.append(
            MemoStep(
                memo=memo,
                version=1,
                order=0,
                user=reviewer,
                position=reviewer.position,
                acting_title=acting,
                kind=MemoStep.Kind.REVIEW,
                status=first,
                opinion=opinion,
                acted_at=acted_at,
            )
        )
        rows.steps.append(
            MemoStep(
                memo=memo,
                version=1,
                order=1,
                user=executive,
                position=executive.position,
                kind=MemoStep.Kind.DECIDE,
                status=last,
            )
        )
        if kind != "returned":  # a returned memo waits for its drafter, not in an inbox
            ctx.awaiting[(reviewer if kind == "reviewer" else executive).pk] += 1
        if acted_at is not None:
            action = MemoEvent.Action.FORWARD if kind == "executive" else MemoEvent.Action.RETURN
            rows.events.append(MemoEvent(memo=memo, user=reviewer, action=action, detail=opinion))
            rows.stamps.append((rows.events[-1], "at", acted_at))
    if numbered:
        rows.registers.append(
            MemoRegister(
                organisation=org,
                year=drafted[-1].year + BE_OFFSET,
                last_number=register_base + numbered,
            )
        )


def _write(rows: Rows, counts: Counter[str]) -> list[tuple[type[models.Model], str, int, Any]]:
    """Write a chunk's rows, parents first (bulk_create fills each child's foreign key)."""
    _create(Assessment, rows.assessments, counts)
    _insert_scores([(a.pk, n, s) for a, n, s in rows.scores], counts)
    _create(MeasurePlan, rows.plans, counts)
    _create(InstrumentAnalysis, rows.analyses, counts)
    _create(Measure, rows.measures, counts)
    _create(Progress, rows.progress, counts)
    _create(Committee, rows.committees, counts)
    _create(CommitteeMember, rows.members, counts)
    _create(Memo, rows.memos, counts)
    _create(MemoRegister, rows.registers, counts)
    _create(MemoVersion, rows.versions, counts)
    _create(MemoStep, rows.steps, counts)
    _create(MemoEvent, rows.events, counts)
    through = Measure.owners.through
    _create(
        through,
        [through(measure_id=measure.pk, user_id=user_id) for measure, user_id in rows.owners],
        counts,
    )
    return [(type(obj), name, obj.pk, at) for obj, name, at in rows.stamps]


def _insert_scores(rows: Sequence[tuple[int, int, Decimal]], counts: Counter[str]) -> None:
    """Insert indicator scores as plain multi-row INSERTs, BATCH_SIZE rows each.

    They are seven rows in ten of the data set and need no default, signal or id back; as model
    instances through bulk_create they cost 1.3 times the CPU on PostgreSQL and 7 times on SQLite
    (measured: 2.0 s against 1.6 s, and 4.4 s against 0.6 s, per 70,000 rows).
    """
    meta = IndicatorScore._meta
    quote = connection.ops.quote_name
    column = {f.name: str(f.column) for f in meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in ("assessment", "number", "score"))
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH_SIZE):
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(head + values, [value for row in batch for value in row])
    counts[meta.label] += len(rows)


def _restamp(stamps: list[tuple[type[models.Model], str, int, Any]]) -> None:
    """Put back the real times of the memo rows, one UPDATE per model, field and moment."""
    groups: dict[tuple[type[models.Model], str, Any], list[int]] = {}
    for model, name, pk, at in stamps:
        groups.setdefault((model, name, at), []).append(pk)
    for (model, name, at), pks in groups.items():
        for batch in _batches(pks, 900):  # SQLite's limit on query parameters
            model._default_manager.filter(pk__in=batch).update(**{name: at})


def _users(
    specs: Sequence[OrgSpec],
    orgs: Sequence[Organisation],
    seed: int,
    password_hash: str,
    counts: Counter[str],
) -> list[People]:
    users: list[User] = []
    for spec, org in zip(specs, orgs, strict=True):
        rng = random.Random(f"{seed}:people:{spec.code}")
        login = spec.code.lower()
        reviewer_position = rng.choice(("หัวหน้าสำนักปลัด", "หัวหน้าสำนักปลัด", f"รอง{spec.clerk_title}"))
        for role, position in (
            (Role.STAFF, rng.choice(STAFF_POSITIONS)),
            (Role.REVIEWER, reviewer_position),
            (Role.EXECUTIVE, spec.executive_title),
        ):
            first, last = _person(rng)
            users.append(
                User(
                    username=f"{login}-{role.value}",
                    password=password_hash,
                    first_name=first,
                    last_name=last,
                    organisation=org,
                    role=role,
                    position=position,
                )
            )
    created = _create(User, users, counts)
    return [People(*created[i : i + 3]) for i in range(0, len(created), 3)]


def _supervisors(
    specs: Sequence[OrgSpec], seed: int, password_hash: str, counts: Counter[str]
) -> dict[str, Any]:
    """One supervisor per province, and one per district of the largest province."""
    rng = random.Random(f"{seed}:supervisors")
    per_province = Counter(spec.province_index for spec in specs)
    largest = max(per_province, key=lambda i: (per_province[i], -i))
    districts: list[str] = []
    for spec in specs:
        if spec.province_index == largest and spec.district not in districts:
            districts.append(spec.district)
    users = [
        User(
            username=f"sup-p{i:02d}",
            password=password_hash,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            role=Role.SUPERVISOR,
            position=f"ท้องถิ่นจังหวัด{PROVINCES[i - 1].name}",
            supervised_province=PROVINCES[i - 1].name,
        )
        for i in sorted(per_province)
    ]
    users += [
        User(
            username=f"sup-p{largest:02d}-d{j:02d}",
            password=password_hash,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            role=Role.SUPERVISOR,
            position=f"ท้องถิ่นอำเภอ{district}",
            supervised_province=PROVINCES[largest - 1].name,
            supervised_district=district,
        )
        for j, district in enumerate(districts, start=1)
    ]
    _create(User, users, counts)
    return {
        "province": PROVINCES[largest - 1].name,
        "organisations": per_province[largest],
        "supervisor": f"sup-p{largest:02d}",
        "district_supervisors": [
            {
                "username": f"sup-p{largest:02d}-d{j:02d}",
                "district": district,
                "organisations": sum(
                    1 for s in specs if s.province_index == largest and s.district == district
                ),
            }
            for j, district in enumerate(districts, start=1)
        ],
    }


def _load_suggestions() -> list[dict[str, Any]]:
    data = json.loads(CATALOGUE_FIXTURE.read_text(encoding="utf-8"))
    return list(data["suggestions"])


def national_generate(
    *,
    organisations: int,
    seed: int = DEFAULT_SEED,
    password: str = DEFAULT_PASSWORD,
    replace: bool = False,
    on_chunk: Callable[[int, int], None] | None = None,
) -> Summary:
    """Generate the data set in one transaction; refuse if it exists and `replace` is false.

    `on_chunk(done, total)` is told how many organisations are written, after each chunk.
    """
    started = time.monotonic()
    counts: Counter[str] = Counter()
    with transaction.atomic():
        existing = national_exists()
        if any(existing):
            if not replace:
                raise NationalDataExists(*existing)
            national_delete()
        ctx = Context(
            seed=seed,
            years=_year_rules(FrameworkCatalogue()),
            suggestions=_load_suggestions(),
        )
        taken: dict[str, set[str]] = {}
        for name, province in Organisation.objects.values_list("name", "province"):
            taken.setdefault(province, set()).add(name)
        specs = national_layout(organisations, seed, taken)
        orgs = _create(
            Organisation,
            [
                Organisation(
                    kind=s.kind,
                    name=s.name,
                    district=s.district,
                    province=s.province,
                    code=s.code,
                    letter_code=s.letter_code,
                    digit_style=s.digit_style,
                    executive_title=s.executive_title,
                )
                for s in specs
            ],
            counts,
        )
        password_hash = make_password(password)  # once: hashing per user would take minutes
        people = _users(specs, orgs, seed, password_hash, counts)
        largest = _supervisors(specs, seed, password_hash, counts)
        stamps = []
        for start in range(0, len(specs), CHUNK):
            rows = Rows()
            for i in range(start, min(start + CHUNK, len(specs))):
                _org_rows(specs[i], orgs[i], people[i], ctx, rows, force_memo=i == 0)
            stamps += _write(rows, counts)
            if on_chunk:
                on_chunk(min(start + CHUNK, len(specs)), len(specs))
        _restamp(stamps)
        for province in dict.fromkeys(spec.province for spec in specs):
            province_changed(province)  # bulk writes send no signals: expire cached overviews
        manifest = _manifest(specs, orgs, people, ctx, largest, password, seed)
    seconds = time.monotonic() - started
    manifest["counts"] = dict(counts)
    manifest["seconds"] = round(seconds, 1)
    return Summary(len(specs), dict(counts), seconds, manifest)


def _manifest(
    specs: Sequence[OrgSpec],
    orgs: Sequence[Organisation],
    people: Sequence[People],
    ctx: Context,
    largest: dict[str, Any],
    password: str,
    seed: int,
) -> dict[str, Any]:
    """What a benchmark needs to find its sample pages: accounts, ids and addresses."""
    samples: list[int] = []
    for kind in KIND_ORDER:
        first = next((i for i, s in enumerate(specs) if s.kind == kind), None)
        if first is not None:
            samples.append(first)
    biggest = next((i for i, s in enumerate(specs) if s.province == largest["province"]), None)
    if biggest is not None and biggest not in samples:
        samples.append(biggest)
    plan_year = PLAN_YEARS[-1]
    plan_ids = dict(
        MeasurePlan.objects.filter(
            organisation__in=[orgs[i] for i in samples], fiscal_year=plan_year
        ).values_list("organisation_id", "pk")
    )

    def org_entry(i: int) -> dict[str, Any]:
        org, who = orgs[i], people[i]
        return {
            "id": org.pk,
            "code": specs[i].code,
            "name": org.name,
            "kind": org.kind,
            "province": org.province,
            "district": org.district,
            "staff": who.staff.username,
            "reviewer": who.reviewer.username,
            "executive": who.executive.username,
            "dashboard": reverse("assessments:dashboard", args=[org.pk]),
            "plan": reverse("measures:plan_detail", args=[org.pk, plan_year]),
            "plan_id": plan_ids.get(org.pk),
        }

    deciders = {
        user.pk: (user, org)
        for org, who in zip(orgs, people, strict=True)
        for user in (who.reviewer, who.executive)
    }

    def waiting(role: str) -> dict[str, Any] | None:
        """The person of this role with the most memos in the inbox."""
        for pk, count in ctx.awaiting.most_common():
            user, org = deciders[pk]
            if user.role == role:
                return {
                    "username": user.username,
                    "organisation_id": org.pk,
                    "organisation": org.name,
                    "awaiting": count,
                    "inbox": reverse("reports:memo_inbox"),
                }
        return None

    return {
        "seed": seed,
        "today": ctx.today.isoformat(),
        "password": password,
        "organisations": len(specs),
        "sample_organisations": [org_entry(i) for i in samples],
        "inbox_reviewer": waiting(Role.REVIEWER),
        "inbox_executive": waiting(Role.EXECUTIVE),
        "largest_province": {**largest, "home": reverse("home")},
        "plan_ids": {
            str(plan_year): list(
                MeasurePlan.objects.filter(
                    organisation__code__regex=CODE_REGEX, fiscal_year=plan_year
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:20]
            )
        },
    }
