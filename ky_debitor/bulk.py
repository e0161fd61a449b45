"""Set-based writes of many rows, for the linking run and other bulk work.

* ``rows_update``: on PostgreSQL ``UPDATE t SET … FROM unnest(%s::type[], …) AS v(…) WHERE
  t.pk = v.pk`` with one array parameter per column — one round trip whatever the row count.
  Never used on append-only tables.
* ``rows_insert``: on PostgreSQL ``COPY … FROM STDIN``, the fastest way in; for rows whose
  primary keys the caller does not need.

Elsewhere (SQLite, the embedded demo) both fall back to Django's ``bulk_update``/``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a concrete field"
    return field


def rows_update(
    model: type[models.Model], *, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Update ``columns`` of the rows whose primary key is the first value of each row tuple.

    ``columns`` are model field names (``"sag"`` or ``"sag_id"`` for a foreign key).
    """
    if not rows:
        return 0
    fields = [_concrete(model, c) for c in columns]
    if connection.vendor != "postgresql":
        objs = []
        for row in rows:
            obj = model(pk=row[0])
            for field, value in zip(fields, row[1:], strict=True):
                setattr(obj, field.attname, value)
            objs.append(obj)
        model._default_manager.bulk_update(objs, [f.name for f in fields], batch_size=500)
        return len(objs)
    pk = model._meta.pk
    assert pk is not None
    names = [pk.column] + [f.column for f in fields]  # type: ignore[attr-defined]
    types = [pk.rel_db_type(connection) if pk.is_relation else pk.db_type(connection)]
    types += [f.rel_db_type(connection) if f.is_relation else f.db_type(connection) for f in fields]
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
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return cursor.rowcount


def rows_insert(objs: Sequence[models.Model]) -> int:
    """Insert new model instances of one model; their primary keys are not set afterwards."""
    if not objs:
        return 0
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=500)
        return len(objs)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    return len(objs)
