from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from assessments.models import Organisation


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    REVIEWER = "reviewer", _("Reviewer")
    EXECUTIVE = "executive", _("Executive")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    SUPERVISOR = "supervisor", _("Supervisor (province or district office)")


# Roles that may change an organisation's scores and plans.
EDITOR_ROLES = frozenset({Role.STAFF, Role.ORG_ADMIN})


class User(AbstractUser):
    """A person who signs in: belongs to one organisation with one role, or supervises an area."""

    organisation = models.ForeignKey(
        "assessments.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    name_prefix = models.CharField(
        _("title before the name"),
        max_length=50,
        blank=True,
        help_text=_("As signed documents print it: นาย, นาง, นางสาว, ว่าที่ร้อยตรี …"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    line_id = models.CharField(
        _("LINE user or group ID"),
        max_length=64,
        blank=True,
        validators=[
            RegexValidator(
                r"^[UCR][0-9a-f]{32}\Z",
                _("A LINE ID is U, C or R followed by 32 characters 0-9 and a-f."),
            )
        ],
        help_text=_(
            "The ID the organisation's LINE Official Account knows this person (U…) or a group "
            "(C…) by: memo steps are also sent there."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the portal speaks to this person; empty: Thai."),
    )
    supervised_province = models.CharField(_("supervised province"), max_length=100, blank=True)
    supervised_district = models.CharField(
        _("supervised district"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to supervise the whole province."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="supervisor_has_province",
                condition=~Q(role="supervisor") | ~Q(supervised_province=""),
            ),
        ]

    @property
    def formal_name(self) -> str:
        """The name as a signature prints it: "นางนภาพร ศรีสุข" (the title joined to the name)."""
        name = self.get_full_name()
        return f"{self.name_prefix}{name}" if name else self.get_username()

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def uses_thai_digits(self) -> bool:
        """The digits this person's own pages write: their organisation's style, Thai for those
        of no organisation (supervisors, the superuser). A `num`/`digits` filter takes the
        person as it takes an organisation."""
        return self.organisation.uses_thai_digits if self.organisation is not None else True

    def can_edit(self, organisation: Organisation) -> bool:
        if self.is_superuser:
            return True
        return self.organisation_id == organisation.pk and self.role in EDITOR_ROLES


class AuditEvent(models.Model):
    """A security event or a change to official data: who, when, from where, before and after.

    The one audit trail of the portal: written only by itaportal.accounts.audit.audit(), called by
    the service that makes the change; read by the organisation's admins on its audit page and by
    superusers in the admin, changed by nobody (the admin grants no add, change or delete).
    `object_type` is the changed model's label ("measures.measure"), so that the page names its
    kind and its fields in Thai; `before` and `after` map field names to values.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("logged in")
        LOGOUT = "logout", _("logged out")
        LOGIN_FAILED = "login_failed", _("login failed")
        LOCKED_OUT = "locked_out", _("login locked")
        PERMISSION_DENIED = "denied", _("refused access")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        COPY_FORWARD = "copy_forward", _("copied from last year's plan")
        SUBMIT = "submit", _("submitted")
        FORWARD = "forward", _("forwarded")
        RETURN = "return", _("returned")
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("did not approve")
        PASSWORD_LINK = "password_link", _("issued a link to set a password")

    organisation = models.ForeignKey(
        "assessments.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object kind"), max_length=50, blank=True)
    object_id = models.CharField(_("object number"), max_length=50, blank=True)
    summary = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"
