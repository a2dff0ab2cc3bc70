"""Memos (บันทึกข้อความ), their versions, approval steps, audit events and frozen attachments."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from itaportal.accounts.models import Role, User
from reports.documents.models import DocumentKind

DEFAULT_CLOSING = "จึงเรียนมาเพื่อโปรดพิจารณา"


class Memo(models.Model):
    """บันทึกข้อความ: drafted, routed through reviewers to the executive, then frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Under review")
        RETURNED = "returned", _("Returned for changes")
        RECALLED = "recalled", _("Recalled by the drafter")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memos", verbose_name=_("organisation")
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drafted_memos",
        verbose_name=_("drafter"),
    )
    unit = models.CharField(_("government unit (ส่วนราชการ)"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    addressee = models.CharField(_("to (เรียน)"), max_length=200)
    background = models.TextField(_("background (เรื่องเดิม)"), blank=True)
    facts = models.TextField(_("facts (ข้อเท็จจริง)"), blank=True)
    considerations = models.TextField(_("considerations (ข้อพิจารณา)"), blank=True)
    proposal = models.TextField(_("proposal (ข้อเสนอ)"), blank=True)
    closing = models.CharField(_("closing line"), max_length=200, default=DEFAULT_CLOSING)
    drafter_name = models.CharField(_("drafter's name"), max_length=200)
    drafter_position = models.CharField(_("drafter's position"), max_length=200)
    attachments = models.JSONField(_("attached documents"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    number = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("number"))
    number_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("year of the number")
    )
    reference = models.CharField(_("reference (ที่)"), max_length=100, blank=True)
    dated = models.DateField(_("date"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    content_hash = models.CharField(max_length=64, blank=True, verbose_name=_("content hash"))
    # Set at the decision (reports.memos.verification); undecided memos have none.
    verification_code = models.CharField(
        max_length=40, blank=True, verbose_name=_("verification code")
    )
    # The memo as printed at the decision, rendered once and served byte for byte ever after.
    approved_pdf = models.FileField(_("decided memo (PDF)"), upload_to="memos/", blank=True)
    approved_pdf_sha256 = models.CharField(
        _("SHA-256 of the decided PDF"), max_length=64, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number_year", "number"], name="unique_memo_number"
            ),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~models.Q(verification_code=""),
                name="unique_memo_verification_code",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.subject

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.REJECTED)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED, self.Status.RECALLED)


class MemoVersion(models.Model):
    """The memo's text as it was submitted each time; earlier versions stay readable."""

    memo = models.ForeignKey(
        Memo, on_delete=models.CASCADE, related_name="versions", verbose_name=_("memo")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    content = models.JSONField(verbose_name=_("content"))
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("submitted at"))

    class Meta:
        verbose_name = _("memo version")
        verbose_name_plural = _("memo versions")
        ordering = ["memo", "version"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "version"], name="one_row_per_memo_version")
        ]

    def __str__(self) -> str:
        values = {"memo": self.memo, "version": self.version}
        return str(_("%(memo)s, version %(version)s") % values)


class MemoAction(models.TextChoices):
    """What the person at a step does: a reviewer forwards or returns, the decider approves,
    rejects or returns; returning and rejecting need a reason."""

    FORWARD = "forward", _("Forward")
    RETURN = "return", _("Return to the drafter")
    APPROVE = "approve", _("Approve (เห็นชอบ)")
    REJECT = "reject", _("Do not approve (ไม่เห็นชอบ)")

    @property
    def needs_reason(self) -> bool:
        return self in (MemoAction.RETURN, MemoAction.REJECT)


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

    memo = models.ForeignKey(
        Memo, on_delete=models.CASCADE, related_name="steps", verbose_name=_("memo")
    )
    version = models.PositiveIntegerField(verbose_name=_("version"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memo_steps",
        verbose_name=_("user"),
    )
    position = models.CharField(_("position"), max_length=200)
    acting_title = models.CharField(_("acting as"), max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.WAITING, verbose_name=_("status")
    )
    opinion = models.TextField(_("opinion"), blank=True)
    acted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acted at"))

    class Meta:
        verbose_name = _("memo step")
        verbose_name_plural = _("memo steps")
        ordering = ["memo", "version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "version", "order"], name="one_step_per_place"),
        ]

    def __str__(self) -> str:
        return str(
            _("%(memo)s, version %(version)s, step %(order)s")
            % {"memo": self.memo, "version": self.version, "order": self.order}
        )

    @property
    def actions(self) -> tuple[MemoAction, ...]:
        """The actions open at this step: the positive one first."""
        if self.kind == self.Kind.DECIDE:
            return (MemoAction.APPROVE, MemoAction.REJECT, MemoAction.RETURN)
        return (MemoAction.FORWARD, MemoAction.RETURN)

    @property
    def is_decision(self) -> bool:
        return self.kind == self.Kind.DECIDE


# The state a step is left in by each action.
STEP_STATUS_AFTER = {
    MemoAction.FORWARD: MemoStep.Status.FORWARDED,
    MemoAction.RETURN: MemoStep.Status.RETURNED,
    MemoAction.APPROVE: MemoStep.Status.APPROVED,
    MemoAction.REJECT: MemoStep.Status.REJECTED,
}


class MemoEvent(models.Model):
    """The audit trail of a memo: who did what, when, from which address. Never edited."""

    memo = models.ForeignKey(
        Memo, on_delete=models.CASCADE, related_name="events", verbose_name=_("memo")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Action(models.TextChoices):
        CREATE = "create", _("drafted")
        EDIT = "edit", _("edited")
        SUBMIT = "submit", _("submitted")
        RECALL = "recall", _("recalled")
        FORWARD = MemoAction.FORWARD.value, _("forwarded")
        RETURN = MemoAction.RETURN.value, _("returned")
        APPROVE = MemoAction.APPROVE.value, _("approved")
        REJECT = MemoAction.REJECT.value, _("did not approve")

    action = models.CharField(max_length=30, choices=Action.choices, verbose_name=_("action"))
    detail = models.TextField(blank=True, verbose_name=_("detail"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at (time)"))

    class Meta:
        verbose_name = _("memo event")
        verbose_name_plural = _("memo events")
        ordering = ["memo", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.memo}: {self.get_action_display()}"


class FrozenAttachment(models.Model):
    """An attached document as it stood when the memo was decided: what was approved."""

    memo = models.ForeignKey(
        Memo, on_delete=models.CASCADE, related_name="frozen_attachments", verbose_name=_("memo")
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, verbose_name=_("kind"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    pdf = models.FileField(upload_to="memos/", verbose_name=_("PDF file"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256 of the file"))

    class Meta:
        verbose_name = _("frozen attachment")
        verbose_name_plural = _("frozen attachments")
        ordering = ["memo", "pk"]

    def __str__(self) -> str:
        return f"{self.memo}: {self.get_kind_display()} {self.year}"


class ActingTitle(models.TextChoices):
    """How a person other than the executive signs a decision in the executive's place; the
    Thai words are printed before the executive's title in the signature block."""

    ACTING = "รักษาราชการแทน", _("Acting in the executive's place (รักษาราชการแทน)")
    ON_BEHALF = "ปฏิบัติราชการแทน", _("Acting on the executive's behalf (ปฏิบัติราชการแทน)")
    ON_DUTY = "ปฏิบัติหน้าที่", _("Performing the executive's duties (ปฏิบัติหน้าที่)")


# Roles a policy may let review; the supervisor of an area is outside the organisation.
REVIEW_ROLE_CHOICES = [(role.value, role.label) for role in Role if role != Role.SUPERVISOR]
DEFAULT_REVIEW_ROLES = [Role.REVIEWER.value]
DEFAULT_MAX_STEPS = 4
MAX_STEPS_LIMIT = 10


def default_review_roles() -> list[str]:
    return list(DEFAULT_REVIEW_ROLES)


class ApprovalPolicy(models.Model):
    """Who may decide an organisation's memos and who may review them: the executive decides,
    or a named person acting in the executive's place; the organisation's admin edits it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="approval_policy"
    )
    review_roles = models.JSONField(_("roles that may review"), default=default_review_roles)
    max_steps = models.PositiveSmallIntegerField(
        _("most people in a route"),
        default=DEFAULT_MAX_STEPS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STEPS_LIMIT)],
    )

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        constraints = [
            models.CheckConstraint(
                name="approval_policy_steps_in_range",
                condition=models.Q(max_steps__gte=1, max_steps__lte=MAX_STEPS_LIMIT),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @classmethod
    def of(cls, organisation: Organisation) -> ApprovalPolicy:
        """The organisation's policy: the shipped defaults, unsaved, until its admin saves one
        (reading writes nothing)."""
        policy = cls.objects.filter(organisation=organisation).first()
        return policy if policy is not None else cls(organisation=organisation)

    def acting(self) -> list[ActingDecider]:
        return list(self.acting_deciders.select_related("user")) if self.pk else []

    def decider_title(self, user: User) -> str | None:
        """How `user` signs a decision: "" as the executive, the acting words and the executive's
        title for a named stand-in, None if they may not decide."""
        if not user.is_active or user.organisation_id != self.organisation_id:
            return None
        if user.role == Role.EXECUTIVE:
            return ""
        stand_in = next((a for a in self.acting() if a.user_id == user.pk), None)
        if stand_in is None:
            return None
        executive = self.organisation.executive_title
        return f"{stand_in.title} {executive}" if executive else stand_in.title

    def may_review(self, user: User) -> bool:
        return user.role in self.review_roles


class ActingDecider(models.Model):
    """A person the policy names to decide in the executive's place, with the words they sign."""

    policy = models.ForeignKey(
        ApprovalPolicy, on_delete=models.CASCADE, related_name="acting_deciders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("acting as"), max_length=30, choices=ActingTitle.choices)

    class Meta:
        ordering = ["policy", "pk"]
        verbose_name = _("person deciding in the executive's place")
        verbose_name_plural = _("people deciding in the executive's place")
        constraints = [
            models.UniqueConstraint(fields=["policy", "user"], name="one_acting_title_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.title}"
