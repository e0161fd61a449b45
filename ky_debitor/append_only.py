"""Append-only rows: the ledger and the audit trail are written once and never changed.

The model refuses ``save()`` of an existing row and ``delete()``; its queryset refuses
``update()`` and ``delete()``. On PostgreSQL a trigger (``append_only_sql``) refuses UPDATE
and DELETE in the database itself, so not even raw SQL can rewrite history.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

from .errors import ApplicationError


class AppendOnlyError(ApplicationError):
    pass


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"{what} kan ikke ændres eller slettes; bogfør en modpostering.")


class AppendOnlyQuerySetMixin:
    """Refuses bulk ``update()`` and ``delete()``; mix in before a ``QuerySet`` class."""

    def update(self, **kwargs: Any) -> int:
        _refuse(_plural(self))

    def delete(self) -> NoReturn:
        _refuse(_plural(self))


def _plural(queryset: Any) -> str:
    return str(queryset.model._meta.verbose_name_plural).capitalize()


class AppendOnlyQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    pass


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse(str(self._meta.verbose_name).capitalize())
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _refuse(str(self._meta.verbose_name).capitalize())


def append_only_sql(table: str) -> tuple[str, str]:
    """Forward and reverse SQL for a PostgreSQL trigger that refuses UPDATE and DELETE.

    TRUNCATE is left alone: it is how a test database is emptied, never how the app works.
    """
    forward = f"""
        CREATE OR REPLACE FUNCTION ky_refuse_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'Tabellen % er kun til tilføjelse (%)', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ky_refuse_change();
    """
    reverse = f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
    return forward, reverse
