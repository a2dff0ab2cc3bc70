"""The official documents' own records: analysis paragraphs people edit, committee orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Organisation


class DocumentKind(models.TextChoices):
    """The official documents the portal prints (DOCUMENTS.md), in the order a batch prints them."""

    ANALYSIS = "analysis", _("Analysis of the ITA results")
    PLAN = "plan", _("Measures to promote integrity and transparency")
    PROGRESS = "progress", _("Report on the results of the measures")
    ORDER = "order", _("Order appointing the ITA committee")


OVERALL = 0  # the paragraph about the whole assessment, beside one per indicator (from 1)


class AnalysisText(models.Model):
    """A paragraph of the analysis report, drafted by the portal and edited by people."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="texts", verbose_name=_("assessment")
    )
    number = models.PositiveSmallIntegerField(_("indicator (0 = overall)"))
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name = _("analysis paragraph")
        verbose_name_plural = _("analysis paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_text_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.assessment.organisation}: {paragraph_words(self.assessment, self.number)}"


class Committee(models.Model):
    """The order (คำสั่ง) appointing the ITA steering committee and working group."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="committees",
        verbose_name=_("organisation"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    number = models.PositiveIntegerField(_("order number"), editable=False)
    number_year = models.PositiveSmallIntegerField(_("year of the number (B.E.)"), editable=False)
    subject = models.CharField(_("subject"), max_length=300)
    reasons = models.TextField(_("reasons"))
    duties_steering = models.TextField(_("duties of the steering committee"))
    duties_working = models.TextField(_("duties of the working group"), blank=True)
    issued_on = models.DateField(_("ordered on"))
    signer_rank = models.CharField(
        _("signer's rank"),
        max_length=100,
        blank=True,
        help_text=_("Printed on its own line above the name, as in “ว่าที่ร้อยโท”."),
    )
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signer_position = models.CharField(_("signer's position"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["organisation", "-number_year", "-number"]
        verbose_name = _("committee order")
        verbose_name_plural = _("committee orders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number_year", "number"], name="unique_order_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.number_year} {self.subject}"


class CommitteeMember(models.Model):
    class Group(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        WORKING = "working", _("Working group")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    role = models.CharField(_("role"), max_length=100, help_text=_("e.g. ประธานกรรมการ, กรรมการ"))

    class Meta:
        ordering = ["committee", "group", "order", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")

    def __str__(self) -> str:
        return self.name


class DocumentSection(models.TextChoices):
    """Free text the portal cannot draft from the figures, kept per document and year."""

    PREFACE = "preface", _("Preface")
    RATIONALE = "rationale", _("Rationale")
    EIT_PARTS = "eit_parts", _("EIT parts 1 and 2")
    ACKNOWLEDGEMENT = "acknowledgement", _("The executive's acknowledgement")
    MEASURES_INTRO = "measures_intro", _("Introduction to the measures")
    REPORTING = "reporting", _("How the results are reported")


# Which sections each document holds, in the order it prints them.
SECTIONS_OF: dict[str, tuple[DocumentSection, ...]] = {
    DocumentKind.ANALYSIS: (
        DocumentSection.PREFACE,
        DocumentSection.RATIONALE,
        DocumentSection.EIT_PARTS,
        DocumentSection.MEASURES_INTRO,
    ),
    DocumentKind.PLAN: (
        DocumentSection.PREFACE,
        DocumentSection.ACKNOWLEDGEMENT,
        DocumentSection.MEASURES_INTRO,
        DocumentSection.REPORTING,
    ),
    DocumentKind.PROGRESS: (DocumentSection.PREFACE,),
}


class DocumentText(models.Model):
    """A section of a document that people write (a preface, the rationale), stored as typed."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="document_texts",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    section = models.CharField(_("section"), max_length=20, choices=DocumentSection.choices)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["organisation", "kind", "fiscal_year", "section"]
        verbose_name = _("document section")
        verbose_name_plural = _("document sections")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "fiscal_year", "section"],
                name="one_text_per_document_section",
            )
        ]

    def __str__(self) -> str:
        words = section_words(self.section, self.kind, self.fiscal_year)
        return f"{self.organisation}: {words}"


def paragraph_words(assessment: Assessment, number: int) -> Promise:
    """A paragraph of the analysis in words, for the admin and the audit trail."""
    if number == OVERALL:
        return format_lazy(
            _("paragraph on the overall result of the analysis of {year}"),
            year=assessment.fiscal_year,
        )
    return format_lazy(
        _("paragraph on indicator {number} of the analysis of {year}"),
        number=number,
        year=assessment.fiscal_year,
    )


def section_words(section: str, kind: str, year: int) -> Promise:
    """A section of a document in words ("คำนำ of the analysis of 2568", in Thai)."""
    return format_lazy(
        _("{section} of the {document} of {year}"),
        section=DocumentSection(section).label,
        document=DocumentKind(kind).label,
        year=year,
    )
