"""How the portal reads the signed-in person on every request (settings.AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import router
from django.db.models import Model

from itaportal.accounts.models import User
from itaportal.statements import Statement


@cache
def _fields(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _organisation_model() -> type[Model]:
    model = User._meta.get_field("organisation").related_model
    assert isinstance(model, type) and issubclass(model, Model)
    return model


# The person's columns, then their organisation's (none for supervisors and the superuser).
_PERSON = Statement(
    lambda pk: User._default_manager.filter(pk=pk).values_list(
        *_fields(User), *(f"organisation__{name}" for name in _fields(_organisation_model()))
    )
)


def read_person(user_id: Any) -> User | None:
    """The person and their organisation, as `User.objects.select_related("organisation")`
    reads them, in one statement whose SQL Django wrote once (itaportal.statements): the ORM
    built it again on every request, 0.55 ms of CPU, 6 % of a page (bench/README.md,
    session 36)."""
    rows = _PERSON.rows(User._meta.pk.to_python(user_id))  # type: ignore[union-attr]
    if not rows:
        return None
    alias = router.db_for_read(User)
    own = len(_fields(User))
    user = User.from_db(alias, _fields(User), rows[0][:own])
    organisation = None
    if user.organisation_id is not None:
        model = _organisation_model()
        organisation = model.from_db(alias, _fields(model), rows[0][own:])
    User.organisation.field.set_cached_value(user, organisation)
    return user


class PortalBackend(ModelBackend):
    """Django's ModelBackend, reading the person's organisation with them, in the same query:
    nearly every page shows it or is about it (assessments.access.organisation_for takes it
    from here), and a second query cost 0.45 ms of CPU a page (bench/README.md, session 35)."""

    def get_user(self, user_id: Any) -> User | None:
        user = read_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
