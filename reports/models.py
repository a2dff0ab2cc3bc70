from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Organisation

OVERALL = 0  # the paragraph about the whole assessment, beside indicators 1-10


class AnalysisText(models.Model):
    """A paragraph of the analysis report, drafted by the portal and edited by people."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="texts")
    number = models.PositiveSmallIntegerField(_("indicator (0 = overall)"))
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name = _("analysis paragraph")
        verbose_name_plural = _("analysis paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_text_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.number}"


class Committee(models.Model):
    """The order (คำสั่ง) appointing the ITA steering committee and working group."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="committees"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    number = models.PositiveIntegerField(_("order number"), editable=False)
    number_year = models.PositiveSmallIntegerField(_("year of the number (B.E.)"), editable=False)
    subject = models.CharField(_("subject"), max_length=300)
    reasons = models.TextField(_("reasons"))
    duties_steering = models.TextField(_("duties of the steering committee"))
    duties_working = models.TextField(_("duties of the working group"), blank=True)
    issued_on = models.DateField(_("ordered on"))
    signer_name = models.CharField(_("signer's name"), max_length=200)
    signer_position = models.CharField(_("signer's position"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

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

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
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


class MemoRegister(models.Model):
    """An organisation's running numbers for memos in a calendar year (B.E.); never reused."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_register_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.last_number}"


class Memo(models.Model):
    """บันทึกข้อความ: drafted, routed through reviewers to the executive, then frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Under review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memos")
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafted_memos"
    )
    unit = models.CharField(_("government unit (ส่วนราชการ)"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    addressee = models.CharField(_("to (เรียน)"), max_length=200)
    background = models.TextField(_("background (เรื่องเดิม)"), blank=True)
    facts = models.TextField(_("facts (ข้อเท็จจริง)"), blank=True)
    considerations = models.TextField(_("considerations (ข้อพิจารณา)"), blank=True)
    proposal = models.TextField(_("proposal (ข้อเสนอ)"), blank=True)
    closing = models.CharField(_("closing line"), max_length=200, default="จึงเรียนมาเพื่อโปรดพิจารณา")
    drafter_name = models.CharField(_("drafter's name"), max_length=200)
    drafter_position = models.CharField(_("drafter's position"), max_length=200)
    attachments = models.JSONField(_("attached documents"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    number = models.PositiveIntegerField(null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    reference = models.CharField(_("reference (ที่)"), max_length=100, blank=True)
    dated = models.DateField(_("date"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    verification_code = models.CharField(max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number_year", "number"], name="unique_memo_number"
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.subject

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REJECTED)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class MemoVersion(models.Model):
    """The memo's text as it was submitted each time; earlier versions stay readable."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["memo", "version"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "version"], name="one_row_per_memo_version")
        ]

    def __str__(self) -> str:
        return f"{self.memo} v{self.version}"


class MemoStep(models.Model):
    """One person in the chain: reviewers forward or return, the last one decides."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Review")
        DECIDE = "decide", _("Decision")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        PENDING = "pending", _("Awaiting action")
        FORWARDED = "forwarded", _("Forwarded")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        CANCELLED = "cancelled", _("Not reached")

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="steps")
    version = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memo_steps"
    )
    position = models.CharField(_("position"), max_length=200)
    acting_title = models.CharField(_("acting as"), max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    opinion = models.TextField(_("opinion"), blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["memo", "version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "version", "order"], name="one_step_per_place"),
        ]

    def __str__(self) -> str:
        return f"{self.memo} v{self.version} #{self.order}"


class MemoEvent(models.Model):
    """The audit trail of a memo: who did what, when, from which address. Never edited."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Action(models.TextChoices):
        CREATE = "create", _("drafted")
        EDIT = "edit", _("edited")
        SUBMIT = "submit", _("submitted")
        FORWARD = "forward", _("forwarded")
        RETURN = "return", _("returned")
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("did not approve")

    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["memo", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.memo} {self.action}"


class FrozenAttachment(models.Model):
    """An attached document as it stood when the memo was decided: what was approved."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="frozen_attachments")
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    pdf = models.FileField(upload_to="memos/")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["memo", "pk"]

    def __str__(self) -> str:
        return f"{self.memo} {self.kind} {self.year}"


KIND_NAMES = {
    "analysis": _("Analysis of the ITA results"),
    "plan": _("Measures to promote integrity and transparency"),
    "progress": _("Report on the results of the measures"),
    "order": _("Order appointing the ITA committee"),
}


class PrintBatch(models.Model):
    """Many documents of one fiscal year printed at once by the task workers, then zipped."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Printing")
        ASSEMBLING = "assembling", _("Packing the ZIP file")
        DONE = "done", _("Ready to download")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="print_batches"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    kinds = models.JSONField(_("documents"), default=list)
    scope = models.CharField(_("organisations"), max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    zip_file = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self) -> str:
        return f"{self.scope} {self.fiscal_year}"


class PrintJob(models.Model):
    """One document of a batch; its PDF is stored under a key naming its organisation, year, kind
    and a hash of its content, so printing it twice gives the same single file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Printed")
        FAILED = "failed", _("Could not print")

    batch = models.ForeignKey(PrintBatch, on_delete=models.CASCADE, related_name="jobs")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    fiscal_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    key = models.CharField(max_length=200, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "organisation", "kind", "fiscal_year"], name="one_job_per_document"
            )
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.organisation_id} {self.fiscal_year}"

    @property
    def kind_name(self) -> str:
        return str(KIND_NAMES.get(self.kind, self.kind))
