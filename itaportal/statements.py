"""Reads whose SQL Django writes once per process, for the statements every page runs.

Django's ORM builds a queryset and writes its SQL again each time it runs it: about 0.5 ms of
CPU for a read of one table, four times what sending it and reading its rows costs
(bench/README.md, session 36). A `Statement` holds a function that builds the queryset from the
values that change from one run to the next (numbers, texts, lists of numbers). Django writes
its SQL once per database and shape (a list's length), from sample values; each run puts the
caller's values where the samples were and reads the rows through Django's own converters, so
that they come back exactly as the ORM returns them.

What a statement may hold is checked when it is written: model objects of one table (no
`select_related`, annotation, deferred field or prefetch) or `values_list` rows; a value that
the queryset changes before it reaches the SQL (`__contains` wraps it in %…%) is refused there,
not run wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

Value = int | str | Sequence[int]

# Sample numbers: within every integer column's range (Django finds a value beyond it matches
# nothing, and writes no SQL); two sets, so that a constant of the queryset that happens to equal
# a sample is still told apart from it.
SAMPLES = (20_000, 25_000)
LONGEST_LIST = 499


def _shape(values: Sequence[Value]) -> tuple[object, ...]:
    shape: list[object] = []
    for value in values:
        if type(value) is int or type(value) is str:
            shape.append(type(value))
        elif isinstance(value, list | tuple) and all(type(v) is int for v in value):
            if len(value) > LONGEST_LIST:
                raise ValueError(f"a list of {len(value)} values; a statement takes {LONGEST_LIST}")
            shape.append(len(value))
        else:
            raise TypeError(f"a statement takes numbers, texts and lists of numbers: {value!r}")
    return tuple(shape)


def _samples(
    shape: tuple[object, ...], first: int = SAMPLES[0]
) -> tuple[list[object], dict[object, tuple[int, int]]]:
    """Values of `shape`, and where each one stands: (argument, element; -1 for the argument
    itself)."""
    samples: list[object] = []
    where: dict[object, tuple[int, int]] = {}
    for index, kind in enumerate(shape):
        base = first + 500 * index
        if kind is int:
            samples.append(base)
            where[base] = (index, -1)
        elif kind is str:
            text = f"\ufdd0statement sample {first} {index}\ufdd0"
            samples.append(text)
            where[text] = (index, -1)
        else:
            assert isinstance(kind, int)
            elements = [base + 1 + k for k in range(kind)]
            samples.append(elements)
            where.update({element: (index, k) for k, element in enumerate(elements)})
    return samples, where


@dataclass(frozen=True)
class _Slot:
    """Where one SQL parameter comes from: the caller's argument (an element of it for a list,
    -1 for the argument itself), in the type the backend wraps it in (psycopg's Int2 for a small
    column on PostgreSQL); with no argument, the queryset's own constant."""

    argument: int | None
    element: int = -1
    wrap: type = int
    constant: object = None


@dataclass(frozen=True)
class _Written:
    sql: str | None  # None: Django found it empty (`__in=[]`), no row without asking
    slots: list[_Slot]
    compiler: SQLCompiler | None
    converters: dict[int, Any]
    fields: list[str] | None  # a model's fields, in the SQL's order; None for values_list rows


class Statement[M]:  # M: the model (or, for values_list, the row) the queryset yields
    """`build(*values)`'s queryset, its SQL written once per database and shape."""

    def __init__(self, build: Callable[..., QuerySet[Any, M]]) -> None:
        self.build = build
        self._written: dict[tuple[str, tuple[object, ...]], _Written] = {}
        self._model: type[Model] | None = None

    def objects(self, *values: Value, known: dict[str, Model] | None = None) -> list[M]:
        """The model objects, as `list(build(*values))`; `known`: related objects each of
        them points to (as a related manager hands them over), e.g. {"plan": plan}."""
        written, rows = self._run(values)
        if written.fields is None:
            raise TypeError("this statement reads rows: use rows()")
        model = self._model
        assert model is not None
        if rows is _BEYOND:
            objects = list(self.build(*values))
        else:
            alias = router.db_for_read(model)
            objects = [model.from_db(alias, written.fields, row) for row in rows]  # type: ignore[misc]
        for name, related in (known or {}).items():
            field = model._meta.get_field(name)
            for instance in objects:
                field.set_cached_value(instance, related)  # type: ignore[union-attr, arg-type]
        return objects

    def rows(self, *values: Value) -> list[tuple[Any, ...]]:
        """The rows of a `values_list` queryset, as `list(build(*values))`."""
        written, rows = self._run(values)
        if written.fields is not None:
            raise TypeError("this statement reads model objects: use objects()")
        if rows is _BEYOND:
            rows = list(self.build(*values))
        return [tuple(row) for row in rows]

    def _run(self, values: Sequence[Value]) -> tuple[_Written, list[Any]]:
        shape = _shape(values)
        if self._model is None:  # the router needs it before the first statement is written
            self._model = self.build(*_samples(shape)[0]).model
        alias = router.db_for_read(self._model)
        written = self._written.get((alias, shape))
        if written is None:
            written = self._written[(alias, shape)] = self._write(alias, shape)
        if written.sql is None:
            return written, []
        params = []
        for slot in written.slots:
            if slot.argument is None:
                params.append(slot.constant)
                continue
            value = values[slot.argument]
            if slot.element != -1:
                value = value[slot.element]  # type: ignore[index]
            if not _fits(value, slot.wrap):
                return written, _BEYOND
            params.append(value if type(value) is slot.wrap else slot.wrap(value))
        with connections[alias].cursor() as cursor:
            cursor.execute(written.sql, params)  # type: ignore[arg-type]
            rows: list[Any] = cursor.fetchall()
        if written.converters:
            assert written.compiler is not None
            rows = list(written.compiler.apply_converters(rows, written.converters))
        return written, rows

    def _write(self, alias: str, shape: tuple[object, ...]) -> _Written:
        """Django's SQL for two sets of samples: where the two differ, the caller's values go;
        where they agree, the queryset's own constants stay."""
        if len(shape) > 9:
            raise ValueError("a statement takes up to 9 values")
        written = [self._compile(alias, shape, first) for first in SAMPLES]
        (sql, params, where, compiler, fields), (other_sql, other_params, other_where, *_) = written
        if sql is None:
            return _Written(None, [], None, {}, fields)
        if other_sql != sql or len(other_params) != len(params):
            raise ValueError(f"the SQL changes with the values: {sql}")
        slots: list[_Slot] = []
        for param, other in zip(params, other_params, strict=True):
            place = where.get(param) if isinstance(param, int | str) else None
            if place is not None and place == other_where.get(other):
                slots.append(_Slot(*place, wrap=type(param)))
            elif param == other and "statement sample" not in str(param):
                slots.append(_Slot(None, constant=param))
            else:
                raise ValueError(f"the queryset changes a value before the SQL: {param!r}")
        missing = set(where.values()) - {
            (s.argument, s.element) for s in slots if s.argument is not None
        }
        if missing:
            raise ValueError(f"values the SQL does not take as they are: {sorted(missing)}")
        assert compiler is not None
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        if fields is not None and len(columns) != len(fields):
            raise ValueError(f"{len(columns)} columns for {len(fields)} fields: {sql}")
        return _Written(sql, slots, compiler, compiler.get_converters(columns), fields)

    def _compile(
        self, alias: str, shape: tuple[object, ...], first: int
    ) -> tuple[str | None, Sequence[Any], dict[object, tuple[int, int]], SQLCompiler | None, Any]:
        samples, where = _samples(shape, first)
        queryset = self.build(*samples)
        fields = _fields(queryset)
        compiler = queryset.query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # `__in=[]`: Django knows there is no row
            return None, (), where, None, fields
        return sql, params, where, compiler, fields


_BEYOND: list[Any] = []  # a number its column cannot hold: the ORM answers (it knows ranges)
# The bits of the numbers PostgreSQL's backend sends for small and large columns (psycopg's
# Int2, Int4, Int8: a value beyond them would be cut, not refused); 64 for a plain int.
_BITS = {"Int2": 16, "Int4": 32, "Int8": 64}


def _fits(value: object, wrap: type) -> bool:
    if type(value) is not int:
        return True
    half = 2 ** (_BITS.get(wrap.__name__, 64) - 1)
    return -half <= value < half


def _fields(queryset: QuerySet[Any]) -> list[str] | None:
    """The model's fields in the SQL's order, for model objects; None for values_list rows."""
    query = queryset.query
    unsupported = [
        name
        for name, present in (
            ("select_related", query.select_related),
            ("annotations", query.annotation_select),
            ("extra", query.extra_select),
            ("deferred fields", query.deferred_loading != (frozenset(), True)),
            ("prefetch_related", getattr(queryset, "_prefetch_related_lookups", ())),
            ("a related manager's object", getattr(queryset, "_known_related_objects", {})),
        )
        if present
    ]
    if unsupported:
        raise ValueError(f"a statement cannot hold {', '.join(unsupported)}")
    if queryset._iterable_class is ValuesListIterable:
        return None
    if queryset._iterable_class is not ModelIterable:
        raise ValueError("a statement reads model objects or values_list rows")
    return [field.attname for field in queryset.model._meta.concrete_fields]
