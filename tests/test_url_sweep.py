"""Every URL that names an object by id, asked by the three people who must not get it.

For each URL pattern with an `<int:...>` part there is an entry in SWEEP (a URL missing from it
fails `test_every_url_with_an_id_is_swept`). Each entry builds concrete URLs from the demo data
(องค์การบริหารส่วนตำบลภูซาง: its assessment, plan, measures, committee and memos) and says what
a member of that organisation without the needed role gets. Then every URL is asked, GET and POST
(empty, and with a plausible body where one exists), by:

- an anonymous visitor: a redirect to the login page;
- users of another organisation (an org admin of เทศบาลตำบลบางเก่า and the supervisor of
  Phetchaburi): 404 (405 for a GET of a POST-only URL), and nothing of ภูซาง in the answer;
- members of ภูซาง without the role: 403 on editing URLs (200 only for pages they may read);
  on the memo chain, a refusal sent back to the memo with a Thai message.

No request of the sweep may change the database (the audit trail may only gain "denied" rows).
Run with -s for the number of patterns and requests per persona.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone, translation
from django.utils.translation import gettext

from assessments.models import Framework, Organisation
from itaportal.accounts.models import AuditEvent, User
from measures.models import Measure, MeasurePlan, Progress, SuggestedMeasure
from reports.batch.models import PrintBatch
from reports.documents.models import Committee
from reports.documents.selectors import documents_available
from reports.memos.models import Memo
from reports.memos.services import MemoContent, RouteStep, memo_create, memo_submit
from reports.oit.models import OitEvidence
from reports.oit.selectors import oit_year
from reports.oit.services import checklist_open
from tests.conftest import client_for
from tests.reports.conftest import demo_with_memos  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

PHUSANG = "องค์การบริหารส่วนตำบลภูซาง"
OIT_YEAR = 2569  # a year whose framework has OIT items
OTHER_ORGS = ["เทศบาลตำบลบางเก่า", "เทศบาลนครนครศรีธรรมราช", "เทศบาลตำบลสบปราบ", "เทศบาลตำบลโคกสำโรง"]
THAI = re.compile("[\u0e00-\u0e7f]")
TAGS = re.compile(r"<[^>]+>")

REQUESTS: Counter[str] = Counter()
PATTERNS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Iterator[None]:
    yield
    if REQUESTS:
        print(f"\n\nURL sweep: {PATTERNS['patterns']} patterns, {PATTERNS['urls']} concrete URLs")
        for persona, count in sorted(REQUESTS.items()):
            print(f"  {count:>5} requests  {persona}")


# ---------------------------------------------------------------------------------------------
# The URL patterns with an id


def _walk(
    patterns: list[Any], namespace: list[str], converters: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    for entry in patterns:
        found = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            inner = [*namespace, entry.namespace] if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern):
            yield ":".join([*namespace, entry.name or "?"]), found


def url_names_with_ids() -> set[str]:
    """Names of the project's URL patterns with an <int:...> part (the Django admin aside: it
    is for superusers only and has its own test below)."""
    return {
        name
        for name, converters in _walk(get_resolver().url_patterns, [], {})
        if not name.startswith("admin:")
        and any(isinstance(c, IntConverter) for c in converters.values())
    }


# ---------------------------------------------------------------------------------------------
# The world: ภูซาง's objects, and the people


@dataclass
class World:
    org: Organisation
    people: dict[str, User]
    year: int  # ภูซาง's assessed and planned fiscal year
    measure: Measure
    progress: Progress
    suggestion: SuggestedMeasure
    committee: Committee
    decided: Memo  # memo 119, approved and frozen
    draft: Memo  # drafted by phusang-staff, not submitted
    in_review: Memo  # submitted: the reviewer's step is pending, the executive's waits
    documents: list[tuple[str, int]]
    batch: PrintBatch  # asked for by phusang-staff: private to them
    oit_evidence: OitEvidence  # on ภูซาง's FY 2569 OIT checklist (OIT_YEAR)


def memo_text(subject: str) -> MemoContent:
    return MemoContent(
        unit="สำนักปลัด",
        subject=subject,
        addressee="นายกองค์การบริหารส่วนตำบลภูซาง",
        facts="ข้อเท็จจริงลับ",
        drafter_name="ทับทิม",
        drafter_position="นักวิเคราะห์",
    )


@pytest.fixture
def world(demo_with_memos: None, settings: Any) -> World:  # noqa: F811
    settings.SECURE_SSL_REDIRECT = False
    org = Organisation.objects.get(name=PHUSANG)
    people = {
        username: User.objects.get(username=username)
        for username in [
            "phusang-staff",
            "phusang-reviewer",
            "phusang-executive",
            "phusang-orgadmin",
            "bangkao-orgadmin",
            "supervisor-phetchaburi",
        ]
    }
    plan = MeasurePlan.objects.get(organisation=org, fiscal_year=2567)  # the seed's plan
    measure = plan.measures.filter(progress__isnull=False).order_by("pk").first()
    assert measure is not None
    progress = measure.progress.order_by("pk").first()
    assert progress is not None
    progress.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n% phusang\n%%EOF\n"))
    staff = people["phusang-staff"]
    draft = memo_create(organisation=org, drafter=staff, data=memo_text("ร่างลับ"), ip=None)
    in_review = memo_create(organisation=org, drafter=staff, data=memo_text("เสนอลับ"), ip=None)
    memo_submit(
        memo=in_review,
        user=staff,
        route=[RouteStep(people["phusang-reviewer"]), RouteStep(people["phusang-executive"])],
        ip=None,
        today=timezone.localdate(),
    )
    suggestion = SuggestedMeasure.objects.filter(active=True).order_by("pk").first()
    assert suggestion is not None
    checklist = oit_year(org, OIT_YEAR)
    assert checklist is not None
    checklist_open(organisation=org, fiscal_year=OIT_YEAR, year=checklist, user=staff)
    oit_entry = org.oit_entries.get(fiscal_year=OIT_YEAR, item__code="o1")
    oit_entry.url = "https://www.phusang.go.th/o1-secret"
    oit_entry.owner = "ผู้รับผิดชอบลับของภูซาง"
    oit_entry.save()
    oit_evidence = OitEvidence(entry=oit_entry, title="โครงสร้างลับ")
    oit_evidence.file.save("o1.pdf", ContentFile(b"%PDF-1.4\n% phusang o1\n%%EOF\n"))
    return World(
        org=org,
        people=people,
        year=plan.fiscal_year,
        measure=measure,
        progress=progress,
        suggestion=suggestion,
        committee=Committee.objects.get(organisation=org),
        decided=Memo.objects.get(organisation=org, number=119),
        draft=draft,
        in_review=Memo.objects.get(pk=in_review.pk),
        documents=[(d.kind, d.year) for d in documents_available(org)],
        batch=PrintBatch.objects.create(
            requested_by=staff,
            fiscal_year=plan.fiscal_year,
            kinds=["plan"],
            scope="ชุดเอกสารลับของภูซาง",
            status=PrintBatch.Status.DONE,
            zip_file="batches/zips/secret.zip",
        ),
        oit_evidence=oit_evidence,
    )


# ---------------------------------------------------------------------------------------------
# What each URL is, and what the members of ภูซาง without the role get

READERS = ("phusang-reviewer",)  # may read everything of their organisation
NOT_EDITORS = ("phusang-reviewer", "phusang-executive")
NOT_ADMINS = ("phusang-staff", "phusang-reviewer", "phusang-executive")


@dataclass(frozen=True)
class Target:
    """One concrete URL. `get` and `post` say what each of `insiders` gets: "200", "403", "405"
    or "back" (sent back to the memo with a Thai error message); `post_valid` what they get for
    the plausible `bodies` (default: as `post`)."""

    args: list[Any]
    insiders: tuple[str, ...]
    get: str
    post: str
    bodies: tuple[dict[str, Any], ...] = ()
    post_valid: str | None = None
    secrets: tuple[str, ...] = ()  # text of ภูซาง's that outsiders must not see
    note: str = ""


def reader(args: list[Any], post: str = "200", **kw: Any) -> Target:
    return Target(args, READERS, get="200", post=post, **kw)


def editor(args: list[Any], bodies: tuple[dict[str, Any], ...] = (), **kw: Any) -> Target:
    return Target(args, NOT_EDITORS, get="403", post="403", bodies=bodies, **kw)


def admin_only(args: list[Any], bodies: tuple[dict[str, Any], ...] = ()) -> Target:
    return Target(args, NOT_ADMINS, get="403", post="403", bodies=bodies)


def scores_body(year: str) -> dict[str, Any]:
    return {
        "fiscal_year": year,
        **{f"ind_{n}": "๑๐๐" for n in range(1, 11)},
        "maintain_from": "90",
        "raise_from": "85",
        "target": "90",
        "published_level": "",
    }


def measure_body(w: World) -> dict[str, Any]:
    return {
        "title": "แก้โดยผู้ไม่มีสิทธิ์",
        "indicators": ["1"],
        "cadence": "none",
        "status": "done",
        "start": "",
        "end": "",
        "version": str(w.measure.version),
    }


def memo_body() -> dict[str, Any]:
    return {k: v for k, v in memo_text("แก้โดยผู้ไม่มีสิทธิ์").values().items() if k != "attachments"}


def route_body(w: World) -> dict[str, Any]:
    return {"user_0": str(w.people["phusang-executive"].pk)}


def policy_body(w: World) -> dict[str, Any]:
    return {
        "review_roles": ["reviewer", "staff"],
        "max_steps": "๙",
        "acting-TOTAL_FORMS": "1",
        "acting-INITIAL_FORMS": "0",
        "acting-0-user": str(w.people["phusang-reviewer"].pk),
        "acting-0-title": "ปฏิบัติราชการแทน",
    }


def settings_body() -> dict[str, Any]:
    return {
        "letter_code": "ผู้บุกรุก ๑",
        "executive_title": "ผู้บุกรุก",
        "executive_name": "นายผู้บุกรุก",
        "digit_style": "arabic",
        "units-TOTAL_FORMS": "1",
        "units-INITIAL_FORMS": "0",
        "units-0-name": "กองผู้บุกรุก",
        "units-0-phone": "๐ ๕๔๔๘ ๑๒๓๔",
    }


ACT_BODIES = ({"action": "forward", "opinion": "ส่งต่อ"}, {"action": "approve", "opinion": "ok"})

SWEEP: dict[str, Callable[[World], list[Target]]] = {
    # accounts: only the organisation's admin manages its people and reads its audit trail
    "accounts:people": lambda w: [admin_only([w.org.pk])],
    "accounts:person_new": lambda w: [
        admin_only(
            [w.org.pk],
            (
                {
                    "username": "intruder",
                    "email": "i@example.com",
                    "role": "org_admin",
                    "is_active": "on",
                },
            ),
        )
    ],
    "accounts:person_edit": lambda w: [
        admin_only(
            [w.org.pk, w.people["phusang-reviewer"].pk],
            (
                {
                    "username": "phusang-reviewer",
                    "email": "r@example.com",
                    "role": "org_admin",
                    "is_active": "on",
                },
            ),
        )
    ],
    "accounts:person_password": lambda w: [
        admin_only([w.org.pk, w.people["phusang-reviewer"].pk], ({"how": "link"}, {"how": "email"}))
    ],
    "accounts:audit": lambda w: [admin_only([w.org.pk])],
    "accounts:audit_export": lambda w: [admin_only([w.org.pk])],
    # assessments
    "assessments:dashboard": lambda w: [reader([w.org.pk])],
    "assessments:scores_new": lambda w: [editor([w.org.pk], (scores_body("2568"),))],
    "assessments:scores_edit": lambda w: [editor([w.org.pk, w.year], (scores_body(str(w.year)),))],
    "assessments:scores_export": lambda w: [reader([w.org.pk, f]) for f in ("csv", "xlsx")],
    # the organisation's settings: its admin's alone
    "assessments:organisation_settings": lambda w: [admin_only([w.org.pk], (settings_body(),))],
    # measures
    "measures:plan_list": lambda w: [
        Target([w.org.pk], READERS, get="200", post="403", bodies=({"fiscal_year": "2568"},))
    ],
    "measures:plan_detail": lambda w: [reader([w.org.pk, w.year])],
    "measures:analysis_edit": lambda w: [
        editor([w.org.pk, w.year], ({"IIT_strengths": "แก้", "IIT_issues": "แก้"},))
    ],
    "measures:measure_new": lambda w: [editor([w.org.pk, w.year], (measure_body(w),))],
    "measures:suggestion_add": lambda w: [
        Target([w.org.pk, w.year, w.suggestion.pk], NOT_EDITORS, get="405", post="403")
    ],
    "measures:copy_forward": lambda w: [
        Target([w.org.pk, w.year], NOT_EDITORS, get="405", post="403")
    ],
    "measures:plan_export": lambda w: [reader([w.org.pk, w.year, f]) for f in ("csv", "xlsx")],
    "measures:measure_detail": lambda w: [
        reader(
            [w.measure.pk],
            post="403",
            bodies=({"date": "2024-01-01", "done": "แก้"},),
            secrets=(w.measure.title,),
        )
    ],
    "measures:measure_edit": lambda w: [
        editor([w.measure.pk], (measure_body(w),), secrets=(w.measure.title,))
    ],
    "measures:measure_delete": lambda w: [editor([w.measure.pk], secrets=(w.measure.title,))],
    "measures:evidence": lambda w: [reader([w.measure.pk, w.progress.pk])],
    "measures:progress_edit": lambda w: [
        editor(
            [w.measure.pk, w.progress.pk],
            ({"date": "2024-01-01", "done": "แก้โดยผู้ไม่มีสิทธิ์"},),
            secrets=(w.measure.title,),
        )
    ],
    "measures:progress_delete": lambda w: [
        editor([w.measure.pk, w.progress.pk], secrets=(w.measure.title,))
    ],
    "measures:plan_delete": lambda w: [editor([w.org.pk, w.year])],
    # documents
    "reports:document_index": lambda w: [reader([w.org.pk], post="403")],
    "reports:document_preview": lambda w: [
        reader([w.org.pk, kind, year]) for kind, year in w.documents
    ],
    "reports:document_pdf": lambda w: [reader([w.org.pk, *w.documents[0]])],
    "reports:document_docx": lambda w: [reader([w.org.pk, *w.documents[0]])],
    "reports:analysis_texts": lambda w: [editor([w.org.pk, w.year], ({"text_0": "แก้"},))],
    "reports:document_texts": lambda w: [
        editor([w.org.pk, kind, year], ({"preface": "คำนำของคนอื่น"},))
        for kind, year in w.documents
        if kind in ("analysis", "plan", "progress")
    ],
    "reports:committee_new": lambda w: [editor([w.org.pk], ({"fiscal_year": "2568"},))],
    "reports:committee_edit": lambda w: [
        editor([w.org.pk, w.committee.pk], ({"fiscal_year": "2568"},))
    ],
    # memos
    "reports:memo_new": lambda w: [editor([w.org.pk], (memo_body(),))],
    "reports:memo_detail": lambda w: [
        reader([m.pk], secrets=(m.subject, m.facts)) for m in (w.decided, w.draft, w.in_review)
    ],
    "reports:memo_edit": lambda w: [
        Target(
            [w.draft.pk],
            (*NOT_EDITORS, "phusang-orgadmin"),
            get="403",
            post="403",
            bodies=(memo_body(),),
            secrets=(w.draft.subject,),
            note="not the drafter",
        ),
        Target(
            [w.decided.pk],
            ("phusang-staff", "phusang-reviewer"),
            get="403",
            post="403",
            bodies=(memo_body(),),
            note="decided: frozen, even for its drafter",
        ),
    ],
    "reports:memo_submit": lambda w: [
        Target(
            [w.draft.pk],
            (*NOT_EDITORS, "phusang-orgadmin"),
            get="405",
            post="back",
            bodies=(route_body(w),),
            post_valid="403",
            note="not the drafter",
        ),
        Target(
            [w.decided.pk],
            ("phusang-staff",),
            get="405",
            post="back",
            bodies=(route_body(w),),
            post_valid="403",
            note="decided",
        ),
    ],
    "reports:memo_act": lambda w: [
        Target(
            [w.in_review.pk],
            ("phusang-staff", "phusang-executive", "phusang-orgadmin"),
            get="405",
            post="back",
            bodies=ACT_BODIES,
            note="not their turn",
        ),
        Target(
            [w.decided.pk],
            ("phusang-staff", "phusang-reviewer", "phusang-executive"),
            get="405",
            post="back",
            bodies=ACT_BODIES,
            note="decided",
        ),
    ],
    "reports:memo_recall": lambda w: [
        Target(
            [w.in_review.pk],
            (*NOT_EDITORS, "phusang-orgadmin"),
            get="405",
            post="403",
            note="not the drafter",
        ),
        Target([w.decided.pk], ("phusang-staff",), get="405", post="back", note="decided"),
    ],
    "reports:approval_policy": lambda w: [admin_only([w.org.pk], bodies=(policy_body(w),))],
    "reports:memo_pdf": lambda w: [reader([w.decided.pk])],
    "reports:memo_docx": lambda w: [reader([w.decided.pk])],
    # the register: every member reads it, outsiders get nothing of it
    "reports:memo_register": lambda w: [
        reader([w.org.pk], secrets=(w.decided.subject, w.in_review.subject))
    ],
    "reports:memo_register_xlsx": lambda w: [reader([w.org.pk])],
    "reports:memo_register_pdf": lambda w: [reader([w.org.pk])],
    "reports:memo_register_docx": lambda w: [reader([w.org.pk])],
    # batch printing: a batch is private to whoever asked for it, even within the organisation
    "reports:batch_detail": lambda w: [
        Target([w.batch.pk], NOT_ADMINS[1:], get="404", post="404", secrets=(w.batch.scope,))
    ],
    "reports:batch_zip": lambda w: [
        Target([w.batch.pk], NOT_ADMINS[1:], get="404", post="404", secrets=(w.batch.scope,))
    ],
    "reports:memo_attachment": lambda w: [reader([w.decided.pk, 0])],
    # OIT: what the webmaster takes from the public page, the start from last year (staff), the
    # pre-audit (supervisors only: 403 for every member) and notes (supervisors and staff)
    "reports:oit_public_fragment": lambda w: [editor([w.org.pk, OIT_YEAR])],
    "reports:oit_public_zip": lambda w: [editor([w.org.pk, OIT_YEAR])],
    "reports:oit_carry": lambda w: [editor([w.org.pk, OIT_YEAR])],
    "reports:oit_review": lambda w: [
        reader([w.org.pk, OIT_YEAR], secrets=(w.oit_evidence.entry.owner,))
    ],
    "reports:oit_review_file": lambda w: [reader([w.org.pk, OIT_YEAR, w.oit_evidence.pk])],
    "reports:oit_pre_audit": lambda w: [
        Target(
            [w.org.pk, OIT_YEAR, w.oit_evidence.entry_id],
            (*NOT_ADMINS, "phusang-orgadmin"),
            get="405",
            post="403",
            bodies=({"passed": "1"},),
            note="the office never pre-audits its own items",
        )
    ],
    "reports:oit_note": lambda w: [
        Target(
            [w.org.pk, OIT_YEAR, w.oit_evidence.entry_id],
            NOT_EDITORS,
            get="405",
            post="403",
            bodies=({"text": "บันทึกของผู้ไม่มีสิทธิ์"},),
        )
    ],
    # the OIT checklist: every member reads it, staff and org admins change it
    "reports:oit_current": lambda w: [Target([w.org.pk], READERS, get="302", post="302")],
    "reports:oit_checklist": lambda w: [reader([w.org.pk, OIT_YEAR], secrets=("o1-secret",))],
    "reports:oit_estimate": lambda w: [
        Target([w.org.pk, OIT_YEAR], NOT_EDITORS, get="405", post="403", bodies=({"IIT": "๙๙"},))
    ],
    "reports:oit_links_check": lambda w: [
        Target([w.org.pk, OIT_YEAR], NOT_EDITORS, get="405", post="403")
    ],
    "reports:oit_itas": lambda w: [reader([w.org.pk, OIT_YEAR], secrets=("o1-secret",))],
    "reports:oit_itas_xlsx": lambda w: [reader([w.org.pk, OIT_YEAR])],
    "reports:oit_entry": lambda w: [
        Target(
            [w.org.pk, OIT_YEAR, "o1"],
            NOT_EDITORS,
            get="200",
            post="403",
            bodies=({"owner": "ผู้บุกรุก", "status": "ready", "elements": ["1"]},),
            secrets=("o1-secret", w.oit_evidence.title),
        )
    ],
    "reports:oit_evidence_new": lambda w: [
        Target(
            [w.org.pk, OIT_YEAR, "o1"],
            NOT_EDITORS,
            get="405",
            post="403",
            bodies=({"element": "0", "title": "x", "link": "https://a.go.th/"},),
        )
    ],
    "reports:oit_evidence_delete": lambda w: [
        Target([w.org.pk, w.oit_evidence.pk], NOT_EDITORS, get="405", post="403")
    ],
    "reports:oit_evidence_file": lambda w: [reader([w.org.pk, w.oit_evidence.pk])],
}


# URLs whose object belongs to no organisation (the ITA frameworks): supervisors and superusers
# use them; every member of an organisation, whatever the role, gets 403.
NATIONAL: dict[str, Callable[[World], list[list[Any]]]] = {
    "framework_copy": lambda w: [[f.pk] for f in Framework.objects.order_by("pk")[:2]],
}

# URLs anyone may open without logging in, showing only what the organisation made public
# (the OIT public page and its files: tests/reports/oit/test_public.py).
PUBLIC = {"reports:oit_public", "reports:oit_public_file", "reports:oit_public_document"}


def test_every_url_with_an_id_is_swept() -> None:
    """A new URL with an id must be added to SWEEP (or NATIONAL, or PUBLIC), saying who may use
    it."""
    found = url_names_with_ids()
    swept = SWEEP.keys() | NATIONAL.keys() | PUBLIC
    assert found - swept == set(), "URLs with an id missing from the sweep"
    assert swept - found == set(), "SWEEP names URLs that are gone"


# ---------------------------------------------------------------------------------------------
# The database, before and after each request


def db_state() -> dict[str, Any]:
    """Every row of every table (raw SQL: the ORM costs a millisecond a table), sessions, login
    failures and the audit trail's "denied" rows aside."""
    ignored = {"django_session", AccessAttempt._meta.db_table, AuditEvent._meta.db_table}
    state: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table not in ignored:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
                state[table] = cursor.fetchall()
    audit = AuditEvent.objects.exclude(action=AuditEvent.Action.PERMISSION_DENIED)
    state["audit trail (refusals aside)"] = list(audit.order_by("pk").values_list())
    return state


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


# ---------------------------------------------------------------------------------------------
# The sweep


@dataclass
class Sweep:
    world: World
    problems: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=db_state)  # as after the last request

    def request(
        self, persona: str, client: Client, method: str, url: str, body: dict[str, Any] | None
    ) -> Any:
        REQUESTS[persona] += 1
        response = client.get(url) if method == "GET" else client.post(url, body or {})
        after = db_state()
        if changed := changed_tables(self.state, after):
            self.problems.append(f"{persona} {method} {url} {body or ''}: changed {changed}")
        self.state = after
        return response

    def expect(
        self, persona: str, what: str, response: Any, method: str, url: str, body: Any, ok: str
    ) -> None:
        status = response.status_code
        where = f"{persona} {method} {url} {body or ''}"
        if ok == "login":
            if status != 302 or not response["Location"].startswith("/accounts/login/"):
                self.problems.append(f"{where}: {status}, expected a redirect to the login page")
            return
        if ok == "back":
            if status != 302 or "/memos/" not in response.get("Location", ""):
                self.problems.append(f"{where}: {status}, expected a refusal sent back to memo")
            return
        if str(status) != ok:
            self.problems.append(f"{where}: {status}, expected {ok} ({what})")
            return
        if status == 403 and not THAI.search(TAGS.sub(" ", response.content.decode())):
            self.problems.append(f"{where}: a 403 page without Thai")

    def refusal_is_thai(self, persona: str, client: Client, location: str, where: str) -> None:
        page = self.request(persona, client, "GET", location, None).content.decode()
        alerts = re.findall(r'class="alert alert-danger[^"]*"[^>]*>(.*?)<button', page, re.S)
        if not alerts or not all(THAI.search(TAGS.sub(" ", a)) for a in alerts):
            self.problems.append(f"{where}: sent back without a Thai error message ({alerts})")


def concrete(world: World) -> Iterator[tuple[str, Target, str]]:
    for name, build in SWEEP.items():
        PATTERNS["patterns"] += 1
        for target in build(world):
            PATTERNS["urls"] += 1
            yield name, target, reverse(name, args=target.args)


def text_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_no_url_with_an_id_answers_the_wrong_person(world: World) -> None:
    anonymous = Client()
    outsiders = {
        u: client_for(world.people[u]) for u in ("bangkao-orgadmin", "supervisor-phetchaburi")
    }
    insiders = {
        u: client_for(User.objects.get(username=u))
        for u in ("phusang-staff", "phusang-reviewer", "phusang-executive", "phusang-orgadmin")
    }
    sweep = Sweep(world)  # after logging in: a login is audited
    for name, target, url in concrete(world):
        post_only = target.get == "405"
        bodies: list[dict[str, Any] | None] = [None, *target.bodies]
        secrets = (world.org.name, *target.secrets)

        for method in ("GET", "POST"):
            response = sweep.request("anonymous", anonymous, method, url, None)
            sweep.expect("anonymous", name, response, method, url, None, "login")

        for username, client in outsiders.items():
            persona = f"other organisation ({username})"
            calls = [("GET", None)] + [("POST", body) for body in bodies]
            for method, body in calls:
                response = sweep.request(persona, client, method, url, body)
                ok = "405" if method == "GET" and post_only else "404"
                sweep.expect(persona, f"{name} {target.note}", response, method, url, body, ok)
                shown = text_of(response)
                for secret in secrets:
                    if secret and secret in shown:
                        sweep.problems.append(f"{persona} {method} {url}: shows {secret[:40]!r}")

        for username in target.insiders:
            client = insiders[username]
            persona = f"same organisation without the role ({username})"
            calls = [("GET", None)] + [("POST", body) for body in bodies]
            for method, body in calls:
                response = sweep.request(persona, client, method, url, body)
                if method == "GET":
                    ok = target.get
                elif body is None:
                    ok = target.post
                else:
                    ok = target.post_valid or target.post
                sweep.expect(persona, f"{name} {target.note}", response, method, url, body, ok)
                if ok == "back" and response.status_code == 302:
                    sweep.refusal_is_thai(
                        persona, client, response["Location"], f"{persona} POST {url}"
                    )
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    shown = text_of(response)
                    for other in OTHER_ORGS:
                        if other in shown:
                            sweep.problems.append(f"{persona} {method} {url}: shows {other}")

    assert not sweep.problems, "\n".join(sweep.problems)


# ---------------------------------------------------------------------------------------------
# The public page, and the Django admin


def test_verify_shows_only_number_date_decision_and_hash(world: World) -> None:
    memo = world.decided
    url = reverse("reports:verify", args=[memo.verification_code.lower()])
    response = Client().get(url, follow=True)  # to the code as printed
    assert response.status_code == 200
    html = response.content.decode()
    card = re.search(r'id="verification">(.*?)</div>\s*</main>', html, re.S)
    assert card is not None
    labels = [TAGS.sub("", t).strip() for t in re.findall(r"<dt[^>]*>(.*?)</dt>", card.group(1))]
    with translation.override("th"):
        shown = [gettext(label) for label in ("Organisation", "Reference", "Date", "Decision")]
        file_hash = gettext("SHA-256 of the decided PDF")
    assert labels == [*shown, "SHA-256", file_hash], labels
    assert memo.reference in html and memo.content_hash in html
    assert memo.approved_pdf_sha256 and memo.approved_pdf_sha256 in html
    memo_data = [
        memo.subject,
        memo.facts,
        memo.background,
        memo.considerations,
        memo.proposal,
        memo.addressee,
        memo.drafter_name,
        memo.drafter_position,
        memo.unit,
    ]
    memo_data += [s.opinion for s in memo.steps.all() if s.opinion.strip(" -")]
    memo_data += [s.user.get_full_name() for s in memo.steps.select_related("user")]
    for text in memo_data:
        assert not text.strip() or text not in html, text
    # Undecided memos have no public page, whatever their code.
    for other in (world.draft, world.in_review):
        code = other.verification_code or "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
        assert Client().get(reverse("reports:verify", args=[code])).status_code == 404


@pytest.mark.parametrize("model", ["reports.memo", "assessments.organisation", "measures.measure"])
def test_the_admin_answers_no_portal_user(world: World, model: str) -> None:
    """The admin takes `<path:object_id>`: it is for superusers, not for any portal role."""
    objects = {
        "reports.memo": world.decided,
        "assessments.organisation": world.org,
        "measures.measure": world.measure,
    }
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[objects[model].pk])
    for username in ("phusang-orgadmin", "bangkao-orgadmin", "supervisor-phetchaburi"):
        client = client_for(world.people[username])
        before = db_state()
        for answer in (client.get(url), client.post(url, {"name": "แก้"})):
            assert answer.status_code == 302, username
            assert answer["Location"].startswith("/admin/login/"), username
        assert db_state() == before


def test_ids_of_another_organisation_inside_ones_own_urls(world: World) -> None:
    """An editor of เทศบาลตำบลบางเก่า puts ภูซาง's ids into บางเก่า's own URLs and forms."""
    bangkao = Organisation.objects.get(name=OTHER_ORGS[0])
    admin = world.people["bangkao-orgadmin"]
    bangkao_plan = MeasurePlan.objects.get(organisation=bangkao, fiscal_year=2566)
    bangkao_measure = bangkao_plan.measures.order_by("pk").first()
    assert bangkao_measure is not None
    draft = memo_create(organisation=bangkao, drafter=admin, data=memo_text("ร่าง"), ip=None)
    client = client_for(admin)
    sweep = Sweep(world)
    persona = "mixed ids (bangkao-orgadmin)"
    urls_404 = [
        (
            reverse("accounts:person_edit", args=[bangkao.pk, world.people["phusang-reviewer"].pk]),
            {
                "username": "phusang-reviewer",
                "email": "r@example.com",
                "role": "org_admin",
                "is_active": "on",
            },
        ),
        (
            reverse("reports:committee_edit", args=[bangkao.pk, world.committee.pk]),
            {"fiscal_year": "2568"},
        ),
        (reverse("measures:evidence", args=[bangkao_measure.pk, world.progress.pk]), {}),
    ]
    for url, body in urls_404:
        for method, data in (("GET", None), ("POST", body)):
            response = sweep.request(persona, client, method, url, data)
            sweep.expect(persona, url, response, method, url, data, "404")
    # Ids in a form's choices: owners and the memo's route are people of one's own organisation.
    phusang_staff = world.people["phusang-staff"]
    url = reverse("measures:measure_new", args=[bangkao.pk, bangkao_plan.fiscal_year])
    owners = {**measure_body(world), "owners": [str(phusang_staff.pk)]}
    response = sweep.request(persona, client, "POST", url, owners)
    sweep.expect(persona, url, response, "POST", url, owners, "200")
    url = reverse("reports:memo_submit", args=[draft.pk])
    body = {"user_0": str(world.people["phusang-executive"].pk)}
    response = sweep.request(persona, client, "POST", url, body)
    sweep.expect(persona, url, response, "POST", url, body, "back")
    if response.status_code == 302:
        sweep.refusal_is_thai(persona, client, response["Location"], f"POST {url}")
    assert not sweep.problems, "\n".join(sweep.problems)


def test_no_national_url_answers_an_organisation_member(world: World) -> None:
    members = {
        u: client_for(User.objects.get(username=u))
        for u in (
            "phusang-staff",
            "phusang-reviewer",
            "phusang-executive",
            "phusang-orgadmin",
            "bangkao-orgadmin",
        )
    }
    urls = [reverse("frameworks")] + [
        reverse(name, args=args) for name, build in NATIONAL.items() for args in build(world)
    ]
    sweep = Sweep(world)
    for url in urls:
        for method in ("GET", "POST"):
            response = sweep.request("anonymous", Client(), method, url, None)
            sweep.expect("anonymous", url, response, method, url, None, "login")
            for username, client in members.items():
                response = sweep.request(username, client, method, url, None)
                sweep.expect(username, url, response, method, url, None, "403")
    assert not sweep.problems, "\n".join(sweep.problems)
