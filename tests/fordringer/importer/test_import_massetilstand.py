"""Bulk mode of the import on PostgreSQL: the foreign keys come back whole and still bite.

The behaviour of the import itself is checked in both modes by ``test_import.py``.
"""

from __future__ import annotations

import io

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fordringer.importer import import_kmd_aktiv
from fordringer.importer.masseindlaesning import (
    SKREVNE_TABELLER,
    MasseindlaesningFejl,
    fjern,
    genskab,
)
from fordringer.models import Fordring, Postering
from tests.fordringer.importer.test_import import grunddata, skriv_udtraek

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def noegler() -> set[tuple[str, str, str, bool]]:
    """Every foreign key of the tables the import writes: table, name, definition, validated."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated
            FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
            """,
            (list(SKREVNE_TABELLER),),
        )
        return set(cursor.fetchall())


def test_a_bulk_import_puts_every_foreign_key_back_validated(tmp_path, settings):
    settings.KY_IMPORT_MASSE_GRAENSE = 0
    foer = noegler()
    assert len(foer) >= 20 and all(validated for *_, validated in foer)

    resultat = import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))

    assert resultat.oprettet["posteringer"] == 9
    assert "fremmednøgler" in resultat.varighed and "validering" in resultat.varighed
    assert noegler() == foer


def test_a_row_breaking_a_key_in_bulk_mode_stores_nothing_and_keeps_the_keys(tmp_path, settings):
    import_kmd_aktiv(skriv_udtraek(tmp_path, grunddata()))
    foer, posteringer = noegler(), Postering.objects.count()
    fordring = Fordring.objects.get(fordringsid="F1")

    with (
        pytest.raises(MasseindlaesningFejl, match="fordring_id"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        droppet = fjern(cursor)
        cursor.execute(
            f"""
            INSERT INTO {Postering._meta.db_table} (kommune_id, fordring_id, art, beloeb,
                valoerdato, bogfoert, ekstern_id, tekst, aktoer)
            VALUES (%s, %s, 'RENTE', 1, '2024-01-01', now(), '', '', '')
            """,
            (fordring.kommune_id, fordring.pk + 10_000),
        )
        genskab(cursor, droppet, [fordring.kommune_id])

    assert noegler() == foer
    assert Postering.objects.count() == posteringer


def test_a_bulk_import_that_cannot_get_the_tables_gives_up_clearly(tmp_path, settings):
    """Someone reads the fordringer while a large extract arrives: the import waits the
    configured time, then says why in Danish and stores nothing."""
    settings.KY_IMPORT_MASSE_GRAENSE, settings.KY_IMPORT_LAASEVENTETID = 0, 1
    mappe = skriv_udtraek(tmp_path, grunddata())
    laeser = psycopg.connect(**connection.get_connection_params())
    try:
        laeser.execute(f"SELECT count(*) FROM {Fordring._meta.db_table}")  # holds its lock

        err = io.StringIO()
        with pytest.raises(CommandError) as info:
            call_command("importer_kmd_aktiv", str(mappe), stdout=io.StringIO(), stderr=err)
    finally:
        laeser.close()

    assert info.value.returncode == 1
    assert "kunne ikke få eneadgang til fordringstabellerne inden for 1 sekund," in str(info.value)
    assert not Fordring.objects.exists()
    assert all(validated for *_, validated in noegler())
