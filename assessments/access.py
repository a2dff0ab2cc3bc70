"""Who may see and change which organisation: the rule, and the one place views ask."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Organisation
from itaportal.accounts.models import Role, User
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from itaportal.language import page_about


@dataclass(frozen=True)
class Area:
    """The organisations a person may see, as the values their fields must have: none at all
    (`lookups` None), every organisation (no lookups), a province or district, or one."""

    lookups: dict[str, object] | None


def area_of(user: User) -> Area:
    """The rule: a superuser sees every organisation, a supervisor those of the supervised
    province (or district), anyone else their own organisation only."""
    if user.is_superuser:
        return Area({})
    if user.is_supervisor:
        lookups: dict[str, object] = {"province": user.supervised_province}
        if user.supervised_district:
            lookups["district"] = user.supervised_district
        return Area(lookups)
    if user.organisation_id is None:
        return Area(None)
    return Area({"pk": user.organisation_id})


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    lookups = area_of(user).lookups
    return (
        Organisation.objects.none() if lookups is None else Organisation.objects.filter(**lookups)
    )


def can_see(user: User, organisation: Organisation) -> bool:
    """The same rule for one organisation already read, without a query."""
    lookups = area_of(user).lookups
    return lookups is not None and all(
        getattr(organisation, field) == value for field, value in lookups.items()
    )


def organisation_for(
    request: AuthenticatedHttpRequest, org_id: int, *, edit: bool = False
) -> Organisation:
    """The organisation if this user may see it (404 otherwise), and change it when `edit` (403).

    404 rather than 403 for other organisations, so that their existence is not disclosed.
    """
    user = request.user
    if user.organisation_id == org_id and User.organisation.is_cached(user):
        organisation = user.organisation  # read with the person (itaportal.accounts.backends)
    else:
        organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None or not can_see(request.user, organisation):
        raise NotFound(_("There is no such organisation, or it is not yours to see."))
    if edit:
        require_edit(request, organisation)
    page_about(request, organisation)  # the page is written in its digits
    return organisation


def require_edit(request: AuthenticatedHttpRequest, organisation: Organisation) -> None:
    if not request.user.can_edit(organisation):
        raise PermissionDenied(_("Your role cannot change this organisation's data."))


def organisation_for_admin(
    request: AuthenticatedHttpRequest, org_id: int, *, refusal: str
) -> Organisation:
    """The organisation if this user is its admin (or a superuser): 404 for other organisations,
    as organisation_for, and 403 with `refusal` for its members of other roles."""
    organisation = organisation_for(request, org_id)
    if not is_admin_of(request.user, organisation):
        raise PermissionDenied(refusal)
    return organisation


def is_admin_of(user: User, organisation: Organisation) -> bool:
    """The organisation's admin, or a superuser."""
    return user.is_superuser or (
        user.organisation_id == organisation.pk and user.role == Role.ORG_ADMIN
    )
