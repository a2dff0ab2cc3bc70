from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
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
    position = models.CharField(_("position"), max_length=200, blank=True)
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
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    def can_edit(self, organisation: Organisation) -> bool:
        if self.is_superuser:
            return True
        return self.organisation_id == organisation.pk and self.role in EDITOR_ROLES
