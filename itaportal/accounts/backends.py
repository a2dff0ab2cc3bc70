"""How the portal reads the signed-in person on every request (settings.AUTHENTICATION_BACKENDS)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models import Model
from django.db.models.sql.compiler import SQLCompiler

from itaportal.accounts.models import User


@dataclass(frozen=True)
class _Statement:
    """Django's own SELECT of a person with their organisation, and what reads its rows."""

    sql: str
    compiler: SQLCompiler  # its columns and their values' converters (SQLite's booleans, …)
    person: list[str]  # the person's fields, in the statement's order, then their organisation's
    organisation: list[str]
    organisation_model: type[Model]


@cache
def _statement(alias: str) -> _Statement:
    """`User.objects.select_related("organisation").filter(pk=…)` as Django writes it for the
    database `alias`, written once per process."""
    organisation_model = User._meta.get_field("organisation").related_model
    assert isinstance(organisation_model, type) and issubclass(organisation_model, Model)
    query = User._default_manager.select_related("organisation").filter(pk=0).query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    person = [f.attname for f in User._meta.concrete_fields]
    organisation = [f.attname for f in organisation_model._meta.concrete_fields]
    if list(params) != [0] or len(compiler.select) != len(person) + len(organisation):
        raise RuntimeError(f"Django wrote an unexpected statement for a person: {sql}")
    return _Statement(sql, compiler, person, organisation, organisation_model)


def read_person(user_id: Any) -> User | None:
    """The person and their organisation, as `User.objects.select_related("organisation")`
    reads them, by a statement Django wrote once: building it again on every request cost
    0.55 ms of CPU, 6 % of a page (bench/README.md, session 36)."""
    alias = router.db_for_read(User)
    statement = _statement(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, [User._meta.pk.to_python(user_id)])  # type: ignore[union-attr]
        row = cursor.fetchone()
    if row is None:
        return None
    values = next(iter(statement.compiler.results_iter([[row]])))
    own = len(statement.person)
    user = User.from_db(alias, statement.person, values[:own])
    organisation = None
    if user.organisation_id is not None:  # supervisors and the superuser belong to none
        organisation = statement.organisation_model.from_db(
            alias, statement.organisation, values[own:]
        )
    User.organisation.field.set_cached_value(user, organisation)
    return user


class PortalBackend(ModelBackend):
    """Django's ModelBackend, reading the person's organisation with them, in the same query:
    nearly every page shows it or is about it (assessments.access.organisation_for takes it
    from here), and a second query cost 0.45 ms of CPU a page (bench/README.md, session 35)."""

    def get_user(self, user_id: Any) -> User | None:
        user = read_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
