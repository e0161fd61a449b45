"""Set-based writes of many rows, for the linking run and other bulk work.

* ``rows_update``: on PostgreSQL ``UPDATE t SET … FROM unnest(%s::type[], …) AS v(…) WHERE
  t.key = v.key`` with one array parameter per column — one round trip whatever the row count.
  Each array goes as one array literal built here (``array_literal``): the driver's own quoting
  of a list, value by value, cost more than the update (40 ms for 10,000 timestamps).
  Never used on append-only tables.
* ``rows_copy``: on PostgreSQL ``COPY … FROM STDIN`` of plain value tuples, the fastest way in,
  for rows whose primary keys the caller does not need; ``rows_insert`` is the same for model
  instances.

* ``foreign_keys_check``: the deferred foreign-key checks run now rather than at commit.
* ``gc_pause``: no cyclic garbage collection while a batch builds its many small objects.
* ``blandt``: a filter ``field = ANY(%s)`` with all values as one array parameter, where
  ``field__in=`` would send one parameter per value (slow to build and to plan for thousands),
  and for ids their range beside it.

Elsewhere (SQLite, the embedded demo) they fall back to Django's ``bulk_update``/``update``/
``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import orjson
from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from psycopg.types.json import Jsonb


@contextmanager
def gc_pause() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one batch.

    A batch of a few thousand konti builds hundreds of thousands of small, short-lived objects
    (rows, rule data, evidence); each few hundred allocations the collector would walk them and
    everything else alive — half the CPU of a linking chunk. They hold no cycles, so reference
    counting frees them anyway; the collector resumes when the batch ends.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class _Blandt(Lookup):
    lookup_name = "blandt"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            if values and all(type(v) is int for v in values):
                return f"{lhs} = ANY(%s::bigint[])", [*params, array_literal(values)]
            return f"{lhs} = ANY(%s)", [*params, values]
        if not values:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


def blandt(field: str, values: Iterable[Any]) -> Lookup | Q:
    """``filter(blandt("konto_id", ids))``: the rows whose ``field`` is one of ``values``.

    For ids it adds their range (``field BETWEEN min AND max``), which the list implies. The
    planner can weigh a range but not a list of thousands: without it PostgreSQL took a table
    that grew during a run (the tasks) by another index and tested each of its rows against
    the list (0.25 s per linking chunk at 40,000 open tasks, 1 ms with it).
    """
    liste = list(values)
    lookup = _Blandt(F(field), liste)
    if not liste or not all(type(v) is int for v in liste):
        return lookup
    return Q(lookup, **{f"{field}__gte": min(liste), f"{field}__lte": max(liste)})


def foreign_keys_check() -> None:
    """Run the transaction's queued foreign-key checks now, on PostgreSQL, instead of at commit
    (Django's keys are deferred); later checks are deferred again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a concrete field"
    return field


def _db_type(field: models.Field[Any, Any]) -> str:
    db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    assert db_type is not None
    return db_type


def rows_update(
    model: type[models.Model],
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    key: str = "pk",
) -> int:
    """Set ``columns`` on the rows whose ``key`` (the primary key unless named) is the first
    value of each row tuple; with another key every row with that value gets the values.

    ``columns`` and ``key`` are model field names (``"sag"`` or ``"sag_id"`` for a foreign key).
    """
    if not rows:
        return 0
    fields = [_concrete(model, c) for c in columns]
    pk = model._meta.pk
    assert pk is not None
    key_field = pk if key == "pk" else _concrete(model, key)
    if connection.vendor != "postgresql":
        if key_field is not pk:
            manager = model._default_manager
            return sum(
                manager.filter(**{key_field.attname: row[0]}).update(
                    **{f.attname: v for f, v in zip(fields, row[1:], strict=True)}
                )
                for row in rows
            )
        objs = []
        for row in rows:
            obj = model(pk=row[0])
            for field, value in zip(fields, row[1:], strict=True):
                setattr(obj, field.attname, value)
            objs.append(obj)
        model._default_manager.bulk_update(objs, [f.name for f in fields], batch_size=500)
        return len(objs)
    names = [key_field.column] + [f.column for f in fields]
    types = [_db_type(key_field)] + [_db_type(f) for f in fields]
    sql = (
        f'UPDATE "{model._meta.db_table}" AS t SET '
        + ", ".join(f'"{n}" = v."{n}"' for n in names[1:])
        + " FROM unnest("
        + ", ".join(f"%s::{t}[]" for t in types)
        + ") AS v("
        + ", ".join(f'"{n}"' for n in names)
        + f') WHERE t."{names[0]}" = v."{names[0]}"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [array_literal(column) for column in zip(*rows, strict=True)])
        return cursor.rowcount


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):  # dates and datetimes (aware: the offset is kept)
        return value.isoformat()
    tekst = str(value)
    return '"' + tekst.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_literal(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal (``{1,2,NULL,"a \\"b\\""}``) of ints, decimals, booleans,
    dates, datetimes, strings and None, to be cast to the array type in the SQL."""
    if all(type(v) is int for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def rows_copy(
    model: type[models.Model], *, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows given as tuples of plain values for ``columns`` (field names, ``"konto"`` or
    ``"konto_id"`` for a foreign key); the other fields get their default, and an ``auto_now``
    or ``auto_now_add`` field the time of the call. Primary keys are not returned."""
    if isinstance(rows, Sequence) and not rows:
        return 0
    fields = [_concrete(model, c) for c in columns]
    navne = {f.attname for f in fields}
    nu = timezone.now()
    faste: list[tuple[models.Field[Any, Any], Any]] = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in navne:
            continue
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        faste.append((f, nu if auto else f.get_default()))
    if connection.vendor != "postgresql":
        objs = [
            model(
                **dict(zip((f.attname for f in fields), row, strict=True)),
                **{f.attname: v for f, v in faste},
            )
            for row in rows
        ]
        model._default_manager.bulk_create(objs, batch_size=500)
        return len(objs)
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    ekstra = [Jsonb(v, dumps=_json) if isinstance(f, models.JSONField) else v for f, v in faste]
    kolonner = ", ".join(f'"{f.column}"' for f in [*fields, *(f for f, _v in faste)])
    antal = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f'COPY "{model._meta.db_table}" ({kolonner}) FROM STDIN') as copy:
            for row in rows:
                values = list(row)
                for i in json_at:
                    values[i] = Jsonb(values[i], dumps=_json)
                copy.write_row(values + ekstra)
                antal += 1
    return antal


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple):  # named tuples, as the standard library writes them
        return list(value)
    raise TypeError(f"{type(value).__name__} kan ikke skrives som JSON")


def _json(value: Any) -> bytes:
    """JSON for a ``COPY``: orjson, three times faster than the standard library on the
    evidence a linking chunk writes (two thousand documents), with the same result."""
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_NON_STR_KEYS)


def ider_tag(model: type[models.Model], antal: int) -> list[int]:
    """``antal`` new primary keys for ``model``, taken before its rows are written, so a
    ``rows_copy`` can write them and the caller can name the rows at once: PostgreSQL's
    sequence in one query; elsewhere (SQLite, whose writers take turns) the next after the
    highest."""
    if antal <= 0:
        return []
    pk = model._meta.pk
    assert pk is not None
    tabel = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [tabel, pk.column, antal],
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{pk.column}"), 0) FROM "{tabel}"')
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + antal))


def rows_insert(objs: Sequence[models.Model]) -> int:
    """Insert new model instances of one model; their primary keys are not set afterwards."""
    if not objs:
        return 0
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return rows_copy(
        model,
        columns=[f.attname for f in fields],
        rows=([f.pre_save(obj, True) for f in fields] for obj in objs),
    )
