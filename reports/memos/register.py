"""The memo register (ทะเบียนหนังสือ บันทึกข้อความ): every memo of an organisation that has its
number, in the order of its register, with who drafted it and who decided it and when; searched
and filtered, shown as a page, and written as an XLSX table and the register book in PDF.

Nothing here is stored: the decider is the decision step of the memo's current version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Organisation
from itaportal import tables, thai
from itaportal.accounts.models import User
from reports.documents.docx import html_to_docx
from reports.memos.models import Memo, MemoStep
from reports.pdf import static_path

SEARCH_MAX_LENGTH = 200


class RegisterFilterInvalid(ValueError):
    """A filter value the register cannot read; the message says which, in Thai."""


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""
    year: int | None = None  # the register's Buddhist-era year
    status: str = ""
    person: User | None = None  # who drafted the memo or stands on its chain

    @classmethod
    def of(cls, query: QueryDict, organisation: Organisation) -> RegisterFilter:
        """Read the page's query string; RegisterFilterInvalid names the first bad value."""
        text = query.get("q", "").strip()
        if len(text) > SEARCH_MAX_LENGTH:
            raise RegisterFilterInvalid(
                _("Search for at most %(n)s characters.") % {"n": SEARCH_MAX_LENGTH}
            )
        year = None
        if year_text := query.get("year", "").strip():
            try:
                year = thai.parse_year(year_text)
            except ValueError:
                raise RegisterFilterInvalid(
                    _("“%(year)s” is not a Buddhist-era year such as ๒๕๖๘.") % {"year": year_text}
                ) from None
            if year < thai.FIRST_BE_YEAR_TYPED:
                raise RegisterFilterInvalid(
                    _("Give the year in the Buddhist era, such as ๒๕๖๘, not %(year)s.")
                    % {"year": year_text}
                )
        status = query.get("status", "").strip()
        if status and status not in Memo.Status.values:
            raise RegisterFilterInvalid(_("There is no such state of a memo."))
        person = None
        if person_text := query.get("person", "").strip():
            try:
                person_id = int(thai.arabic(person_text))
            except ValueError:
                person_id = 0
            person = people_of(organisation).filter(pk=person_id).first()
            if person is None:
                raise RegisterFilterInvalid(_("There is no such person in the organisation."))
        return cls(text=text, year=year, status=status, person=person)

    def query_string(self) -> str:
        query = QueryDict(mutable=True)
        for name, value in (
            ("q", self.text),
            ("year", str(self.year) if self.year else ""),
            ("status", self.status),
            ("person", str(self.person.pk) if self.person else ""),
        ):
            if value:
                query[name] = value
        return query.urlencode()


def people_of(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation).order_by("first_name", "username")


def register_years(organisation: Organisation) -> list[int]:
    return [
        year
        for year in Memo.objects.filter(organisation=organisation, number__isnull=False)
        .order_by("-number_year")
        .values_list("number_year", flat=True)
        .distinct()
        if year is not None
    ]


def register_rows(organisation: Organisation, chosen: RegisterFilter) -> QuerySet[Memo]:
    """The numbered memos, first number first, each with its decider's name (one query)."""
    decision = MemoStep.objects.filter(
        memo=OuterRef("pk"), version=OuterRef("version"), kind=MemoStep.Kind.DECIDE
    )
    memos = (
        Memo.objects.filter(organisation=organisation, number__isnull=False)
        .select_related("drafter")
        .only(
            "reference",
            "number",
            "number_year",
            "dated",
            "subject",
            "status",
            "version",
            "decided_at",
            "organisation",
            "drafter__first_name",
            "drafter__last_name",
            "drafter__username",
        )
        .annotate(
            decider_first=Subquery(decision.values("user__first_name")[:1]),
            decider_last=Subquery(decision.values("user__last_name")[:1]),
        )
        .order_by("number_year", "number")
    )
    if chosen.text:
        # the reference is stored in the organisation's digits: search it in both
        memos = memos.filter(
            Q(subject__icontains=chosen.text)
            | Q(reference__icontains=thai.digits(chosen.text, True))
            | Q(reference__icontains=thai.arabic(chosen.text))
        )
    if chosen.year:
        memos = memos.filter(number_year=chosen.year)
    if chosen.status:
        memos = memos.filter(status=chosen.status)
    if chosen.person:
        memos = memos.filter(
            Q(drafter=chosen.person)
            | Q(pk__in=MemoStep.objects.filter(user=chosen.person).values("memo"))
        )
    return memos


def decider_of(memo: Memo) -> str:
    first, last = memo.decider_first, memo.decider_last  # type: ignore[attr-defined]
    return f"{first or ''} {last or ''}".strip()


def _date(value: dt.date | dt.datetime | None, thai_digits: bool) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return thai.date_be(value, thai_digits)


def register_header() -> list[str]:
    return [
        _("No."),
        _("Reference"),
        _("Dated"),
        _("Subject"),
        _("Drafter"),
        _("State"),
        _("Decided by"),
        _("Decided on"),
    ]


def register_table(organisation: Organisation, memos: Iterable[Memo]) -> list[list[str]]:
    """The register's rows as people read them: B.E. dates, the organisation's digits."""
    digits = organisation.uses_thai_digits
    return [
        [
            thai.digits(memo.number, digits),
            memo.reference,
            _date(memo.dated, digits),
            memo.subject,
            memo.drafter.get_full_name() or memo.drafter.username,
            str(memo.get_status_display()),
            decider_of(memo) if memo.is_frozen else "",
            _date(memo.decided_at, digits) if memo.is_frozen else "",
        ]
        for memo in memos
    ]


def register_xlsx(organisation: Organisation, memos: QuerySet[Memo]) -> bytes:
    return tables.xlsx_bytes(
        _("Memo register"), register_header(), register_table(organisation, memos)
    )


def register_html(organisation: Organisation, memos: QuerySet[Memo], chosen: RegisterFilter) -> str:
    """The register book for WeasyPrint: A4 landscape, the organisation's digits."""
    digits = organisation.uses_thai_digits
    return render_to_string(
        "reports/documents/memo_register.html",
        {
            "organisation": organisation,
            "rows": register_table(organisation, memos),
            "chosen": chosen,
            "year": thai.digits(chosen.year, digits) if chosen.year else "",
            "printed": thai.date_be(timezone.localdate(), digits),
            "title": _("Memo register"),
            "page_counter": "thai" if digits else "decimal",
            "stylesheet": static_path("reports/documents.css").as_uri(),
        },
    )


def register_docx(
    organisation: Organisation, memos: QuerySet[Memo], chosen: RegisterFilter
) -> bytes:
    """The register book as an editable DOCX, the same as its PDF."""
    return html_to_docx(
        register_html(organisation, memos, chosen),
        thai_digits=organisation.uses_thai_digits,
        title=_("Memo register"),
        author=organisation.name,
    )


def filename_of(organisation: Organisation, chosen: RegisterFilter, extension: str) -> str:
    year = f"-{chosen.year}" if chosen.year else ""
    return f"memo-register-{organisation.pk}{year}.{extension}"
