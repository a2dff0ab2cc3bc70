"""The OIT checklist's records: one entry per organisation, assessed year and OIT item; the
evidence for its elements; supervisors' notes; and the history of its link checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Item, Organisation

URL_LENGTH = 1000  # longer addresses are refused with a message, not stored


class OitStatus(models.TextChoices):
    """Where the office says an item stands (the checklist's status column)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("Being prepared")
    READY = "ready", _("Ready for checking")
    CHECKED = "checked", _("Checked")


class OitEntry(models.Model):
    """One OIT item of one organisation's checklist for one assessed fiscal year."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oit_entries"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("assessed fiscal year (B.E.)"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="oit_entries")
    owner = models.CharField(_("responsible person"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    url = models.URLField(_("page on the main website"), max_length=URL_LENGTH, blank=True)
    navigation = models.CharField(
        _("navigation path"),
        max_length=300,
        blank=True,
        help_text=_("e.g. หน้าหลัก > ข้อมูลหน่วยงาน > โครงสร้างองค์กร"),
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OitStatus.choices, default=OitStatus.NOT_STARTED
    )
    elements_done = models.JSONField(
        _("elements in place"),
        default=list,
        blank=True,
        help_text=_("The numbers (from 1) of the item's required elements that are in place."),
    )
    itas_text = models.TextField(
        _("text for ITAS"), blank=True, help_text=_("Empty: the portal's draft is used.")
    )
    public = models.BooleanField(_("shown on the public page"), default=False)
    pre_audited_at = models.DateTimeField(_("pre-audited at"), null=True, blank=True)
    pre_audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day its people were last reminded of it (reports.oit.reminders: once a day at most).
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation", "fiscal_year", "item"]
        verbose_name = _("OIT checklist item")
        verbose_name_plural = _("OIT checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "item"], name="one_oit_entry_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year} {self.item.code}"


class OitEvidence(models.Model):
    """A file, a link or one of the portal's own approved documents that shows an element of an
    item (element 0: the item as a whole)."""

    entry = models.ForeignKey(OitEntry, on_delete=models.CASCADE, related_name="evidence")
    element = models.PositiveSmallIntegerField(_("element"), default=0)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="oit/%Y/", max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=URL_LENGTH, blank=True)
    portal_document = models.CharField(
        _("the portal's document"),
        max_length=20,
        blank=True,
        help_text=_("Filled by the portal from an approved document (reports.documents kinds)."),
    )
    document_year = models.PositiveSmallIntegerField(
        _("fiscal year of the document (B.E.)"), null=True, blank=True
    )
    attachment = models.ForeignKey(
        "reports.FrozenAttachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The approved document's stored PDF, for evidence the portal filled."),
    )
    standing = models.BooleanField(
        _("standing evidence"),
        default=False,
        help_text=_("Still valid next year (a manual, a channel): carried into the next list."),
    )
    public = models.BooleanField(_("shown on the public page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["entry", "element", "pk"]
        verbose_name = _("OIT evidence")
        verbose_name_plural = _("OIT evidence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(link="") | ~Q(portal_document=""),
                name="oit_evidence_has_a_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


class OitNote(models.Model):
    """A supervisor's (or the office's) note on an item, as NACC's clarification round will ask."""

    entry = models.ForeignKey(OitEntry, on_delete=models.CASCADE, related_name="remarks")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "created_at", "pk"]
        verbose_name = _("OIT note")
        verbose_name_plural = _("OIT notes")

    def __str__(self) -> str:
        return self.text[:50]


class LinkCheck(models.Model):
    """One check of one address of an item (its page or an evidence link): what came back."""

    entry = models.ForeignKey(OitEntry, on_delete=models.CASCADE, related_name="link_checks")
    evidence = models.ForeignKey(
        OitEvidence, on_delete=models.CASCADE, null=True, blank=True, related_name="link_checks"
    )
    url = models.URLField(_("web address"), max_length=URL_LENGTH)
    checked_at = models.DateTimeField(_("checked at"))
    ok = models.BooleanField(_("healthy"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final address"), max_length=URL_LENGTH, blank=True)
    redirects = models.JSONField(_("redirects"), default=list, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    title = models.CharField(_("title found"), max_length=300, blank=True)
    year_found = models.PositiveSmallIntegerField(_("fiscal year found"), null=True, blank=True)
    on_own_domain = models.BooleanField(_("on the organisation's website"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=300, blank=True)

    class Meta:
        ordering = ["entry", "-checked_at", "-pk"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        indexes = [models.Index(fields=["entry", "-checked_at"], name="oit_linkcheck_latest")]

    def __str__(self) -> str:
        return f"{self.url} {self.checked_at:%Y-%m-%d}"


class OitEstimate(models.Model):
    """The office's own estimate of the instruments the checklist does not cover (IIT, EIT) for
    an assessed year: what the predicted overall uses in place of the last assessed year's."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="oit_estimates"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("assessed fiscal year (B.E.)"))
    scores = models.JSONField(
        _("estimated instrument scores"),
        default=dict,
        blank=True,
        help_text=_('Instrument code -> score, e.g. {"IIT": "92.50"}.'),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("estimate for the predicted score")
        verbose_name_plural = _("estimates for the predicted score")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="one_oit_estimate_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"
