"""How the portal reads the signed-in person on every request (settings.AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from itaportal.accounts.models import User


class PortalBackend(ModelBackend):
    """Django's ModelBackend, reading the person's organisation with them, in the same query:
    nearly every page shows it or is about it (assessments.access.organisation_for takes it
    from here), and a second query cost 0.45 ms of CPU a page (bench/README.md, session 35)."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
