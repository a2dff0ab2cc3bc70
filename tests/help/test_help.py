"""The help pages and the glossary: open to every role, linked from the menu and from each area's
main page, and quoting the framework's own figures (change the data, the help follows)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Framework, LevelBand
from assessments.selectors import FrameworkCatalogue
from itaportal.accounts.models import Role, User
from itaportal.help.figures import percent
from itaportal.help.views import TOPICS
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

HELP_URLS = [reverse("help:index"), reverse("help:glossary")] + [
    reverse(f"help:{topic}") for topic in TOPICS
]
TAGS = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    return " ".join(TAGS.sub(" ", html).split())


def glossary_text(user: User) -> str:
    response = client_for(user).get(reverse("help:glossary"))
    assert response.status_code == 200
    return text_of(response.content.decode())


def latest_framework() -> Framework:
    framework = FrameworkCatalogue().latest
    assert framework is not None
    return framework


def test_it_sends_an_anonymous_visitor_to_log_in() -> None:
    for url in HELP_URLS:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_opens_every_help_page_in_thai(org, role: str) -> None:
    where = (
        {"supervised_province": org.province} if role == Role.SUPERVISOR else {"organisation": org}
    )
    user = make_user(f"person-{role}", role=role, **where)
    client = client_for(user)
    for url in HELP_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'id="nav-help"' in page  # the menu's "วิธีใช้"
        assert "วิธีใช้" in text_of(page)


def test_each_area_links_to_its_help_page(org, staff) -> None:
    client = client_for(staff)
    main_pages = {
        "scores": reverse("assessments:dashboard", args=[org.pk]),
        "plans": reverse("measures:plan_list", args=[org.pk]),
        "memos": reverse("reports:memo_inbox"),
        "documents": reverse("reports:document_index", args=[org.pk]),
        "oit": reverse("reports:oit_current", args=[org.pk]),
    }
    assert set(main_pages) == set(TOPICS)
    for topic, url in main_pages.items():
        page = client.get(url, follow=True).content.decode()
        link = re.search(r'<a [^>]*id="help-link"[^>]*>', page)
        assert link is not None, topic
        assert f'href="{reverse(f"help:{topic}")}"' in link.group(0), topic
        assert "วิธีใช้หน้านี้" in page


def test_the_glossary_quotes_the_frameworks_weights_bands_and_tiers(staff) -> None:
    text = glossary_text(staff)
    framework = latest_framework()
    assert framework.name.replace("2569", "๒๕๖๙") in text
    for term in ("ITA", "IIT", "EIT", "OIT", "ตัวชี้วัด", "ข้อ", "ระดับผลการประเมิน", "มาตรการ",
                 "ปีงบประมาณ", "ผู้ตรวจทาน", "รักษาระดับ", "ยกระดับ", "แก้ไขเร่งด่วน"):  # fmt: skip
        assert term in text, term
    assert "IIT ๓๐% + EIT ๓๐% + OIT ๔๐%" in text
    assert "ร้อยละ ๔๐ ของคะแนนรวม มี ๒ ตัวชี้วัด ตัวละร้อยละ ๒๐" in text
    assert "ผ่านดีเยี่ยม (AA): คะแนนรวมตั้งแต่ ๙๕.๐๐ ขึ้นไป และ IIT ๙๕.๐๐, EIT ๙๕.๐๐, OIT ๙๕.๐๐" in text
    assert "ต้องปรับปรุงโดยด่วน (ไม่ผ่าน, C, D, E, F): คะแนนรวมต่ำกว่า ๗๐.๐๐" in text
    assert "รักษาระดับ ตั้งแต่ ๙๐.๐๐ ขึ้นไป" in text
    assert "ยกระดับ ตั้งแต่ ๘๕.๐๐ แต่ต่ำกว่า ๙๐.๐๐" in text
    assert "แต่ละข้อได้ ๑๐๐ คะแนนเมื่อมีองค์ประกอบครบทุกอย่าง มิฉะนั้นได้ ๐" in text


def test_the_glossary_follows_the_framework_when_its_data_changes(staff) -> None:
    framework = latest_framework()
    weights = {"IIT": Decimal("0.25"), "EIT": Decimal("0.25"), "OIT": Decimal("0.50")}
    for instrument in framework.instruments.all():
        instrument.weight = weights[instrument.code]
        instrument.save()
    framework.default_maintain_from = Decimal("92.50")
    framework.default_raise_from = Decimal("80.00")
    framework.discrepancy_tolerance = Decimal("0.10")
    framework.save()
    band = LevelBand.objects.get(framework=framework, code="ผ่านดีเยี่ยม")
    band.min_score, band.floors = Decimal("96.00"), "IIT 96, EIT 96, OIT 96"
    band.save()
    text = glossary_text(staff)
    assert "IIT ๒๕% + EIT ๒๕% + OIT ๕๐%" in text
    assert "ร้อยละ ๕๐ ของคะแนนรวม มี ๒ ตัวชี้วัด ตัวละร้อยละ ๒๕" in text
    assert "ร้อยละ ๒๕ ของคะแนนรวม มี ๕ ตัวชี้วัด ตัวละร้อยละ ๕" in text
    assert "ผ่านดีเยี่ยม (AA): คะแนนรวมตั้งแต่ ๙๖.๐๐ ขึ้นไป และ IIT ๙๖.๐๐" in text
    assert "รักษาระดับ ตั้งแต่ ๙๒.๕๐ ขึ้นไป" in text
    assert "ยกระดับ ตั้งแต่ ๘๐.๐๐ แต่ต่ำกว่า ๙๒.๕๐" in text
    assert "เกิน ๐.๑๐ คะแนน" in text
    oit = client_for(staff).get(reverse("help:oit")).content.decode()
    assert "แต่ละข้อจึงมีค่า ๑.๙๒ คะแนน" in text_of(oit)  # 50 / 26 items


def test_the_help_writes_figures_in_the_organisations_digits(org, staff) -> None:
    org.digit_style = org.DigitStyle.ARABIC
    org.save()
    text = glossary_text(staff)
    assert "IIT 30% + EIT 30% + OIT 40%" in text and "๓๐%" not in text


def test_a_share_reads_as_people_write_it() -> None:
    assert percent(Decimal("0.30")) == Decimal(30) and str(percent(Decimal("0.30"))) == "30"
    assert str(percent(Decimal("0.06"))) == "6"
    assert str(percent(Decimal("0.35") / 3)) == "11.67"
