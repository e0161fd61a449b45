"""Temporary staging tables: one per file, plus the helper tables the SQL steps build.

They live in the import's own connection and transaction and are dropped at the end (a
rollback drops them too). Column kinds map to the backend's types; amounts are whole øre and
flags 0/1 on both backends, so sums and comparisons are exact everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.backends.utils import CursorWrapper

from .validation import Filspec

_TYPER = {
    "postgresql": {"heltal": "bigint", "tekst": "text", "dato": "date", "flag": "smallint"},
    "sqlite": {"heltal": "integer", "tekst": "text", "dato": "text", "flag": "integer"},
}
# Helper tables built from the staging tables by ``skrivning.py``.
HJAELPETABELLER = ("imp_borgere", "imp_nye_daekninger", "imp_fordring_aendringer")
AFVISTE = "imp_afviste"


def opret(cursor: CursorWrapper, vendor: str, specs: Iterable[Filspec]) -> None:
    typer = _TYPER.get(vendor, _TYPER["sqlite"])
    for spec in specs:
        kolonner = ", ".join(f"{navn} {typer[art]}" for navn, art in spec.staging)
        cursor.execute(f"DROP TABLE IF EXISTS {spec.tabel}")
        cursor.execute(f"CREATE TEMPORARY TABLE {spec.tabel} ({kolonner})")
    for tabel in HJAELPETABELLER:
        cursor.execute(f"DROP TABLE IF EXISTS {tabel}")
    cursor.execute(f"DROP TABLE IF EXISTS {AFVISTE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {AFVISTE} "
        f"(tabel text, linje {typer['heltal']}, kommune_id {typer['heltal']}, noegle text)"
    )


def gem_afviste(cursor: CursorWrapper, afviste: list[tuple[str, int, str, str]]) -> None:
    """Keys (staging table, row number, kommune id, key) of rows rejected while reading."""
    if afviste:
        cursor.executemany(f"INSERT INTO {AFVISTE} VALUES (%s, %s, %s, %s)", afviste)


def klargoer(cursor: CursorWrapper, vendor: str, specs: Iterable[Filspec]) -> None:
    """After loading: PostgreSQL needs statistics (temporary tables are never auto-analysed);
    SQLite, which has no hash joins, needs an index on each file's key."""
    for spec in specs:
        if vendor == "postgresql":
            cursor.execute(f"ANALYZE {spec.tabel}")
        else:
            noegle = spec.staging[2][0]
            cursor.execute(
                f"CREATE INDEX {spec.tabel}_noegle ON {spec.tabel} (kommune_id, {noegle})"
            )
            if spec.tabel == "imp_daekninger":
                cursor.execute(
                    f"CREATE INDEX {spec.tabel}_fordring ON {spec.tabel} (kommune_id, fordringsid)"
                )


def slet(cursor: CursorWrapper, specs: Iterable[Filspec]) -> None:
    for tabel in (*(spec.tabel for spec in specs), *HJAELPETABELLER, AFVISTE):
        cursor.execute(f"DROP TABLE IF EXISTS {tabel}")
