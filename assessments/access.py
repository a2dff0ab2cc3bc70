"""Who may see and change which organisation: the one place views ask."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from assessments.changes import organisation_with_version
from assessments.models import Organisation
from assessments.selectors import can_see
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound


def organisation_for(
    request: AuthenticatedHttpRequest, org_id: int, *, edit: bool = False
) -> Organisation:
    """The organisation if this user may see it (404 otherwise), and change it when `edit` (403).

    404 rather than 403 for other organisations, so that their existence is not disclosed. It
    comes with its province's change counter, the key of its cached pages (itaportal.fragments).
    """
    organisation = organisation_with_version(org_id)
    if organisation is None or not can_see(request.user, organisation):
        raise NotFound(_("There is no such organisation, or it is not yours to see."))
    if edit:
        require_edit(request, organisation)
    return organisation


def require_edit(request: AuthenticatedHttpRequest, organisation: Organisation) -> None:
    if not request.user.can_edit(organisation):
        raise PermissionDenied(_("Your role cannot change this organisation's data."))
