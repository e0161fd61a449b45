"""Checks across rows, files and what is already stored, run set-based in SQL on the staging
tables. Each returns the staging row number of every bad row and the facts for its message, so
``fil:række: årsag`` is as precise as for a field error. The same SQL runs on PostgreSQL and
SQLite.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.backends.utils import CursorWrapper

from fordringer.choices import Tilknytning
from fordringer.models import Bevilling, Borger, Debitorkonto, Fordring, Indbetaling, Postering, Sag
from ky_debitor.money import format_beloeb

logger = logging.getLogger(__name__)

BORGER = Borger._meta.db_table
SAG = Sag._meta.db_table
BEVILLING = Bevilling._meta.db_table
KONTO = Debitorkonto._meta.db_table
FORDRING = Fordring._meta.db_table
POSTERING = Postering._meta.db_table
INDBETALING = Indbetaling._meta.db_table

# The dækninger of the files that are not yet booked (re-imports skip the booked ones). The
# condition on ``ekstern_id`` is written exactly as the partial unique index's predicate, or
# SQLite will not use that index.
NYE_DAEKNINGER = f"""
    SELECT s.* FROM imp_daekninger s
    WHERE NOT EXISTS (
        SELECT 1 FROM {POSTERING} p
        WHERE p.kommune_id = s.kommune_id AND p.ekstern_id = s.daekningsid
            AND NOT (p.ekstern_id = '')
    )
"""


@dataclass(frozen=True)
class Kontrol:
    fil: str
    sql: str
    # One reason, or several for one row.
    besked: Callable[[Sequence[Any]], str | list[str]]


def _kr(oere: Any) -> str:
    return format_beloeb(Decimal(int(oere)) / 100)


def _dato(value: Any) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value:%d-%m-%Y}"


def _vis(value: Any, *, dato: bool) -> str:
    if value is None or value == "":
        return "tom"
    return _dato(value) if dato else f"'{value}'"


@dataclass(frozen=True)
class Laast:
    """A column the import writes when it creates a row and never updates: ``gemt`` is the
    stored value (table alias ``m``), ``fil`` the file's (alias ``s``)."""

    felt: str
    gemt: str
    fil: str
    dato: bool = False


def _laaste_felter(
    fil: str, staging: str, model_tabel: str, paa: str, noegle: str, hvad: str, *felter: Laast
) -> Kontrol:
    """A row of the file that is already stored may not change a column the import does not
    update: otherwise a re-import would silently ignore it. One reason per changed column."""
    kolonner = ", ".join(f"{f.gemt}, {f.fil}" for f in felter)
    forskel = " OR ".join(f"({f.gemt}) IS DISTINCT FROM ({f.fil})" for f in felter)

    def besked(r: Sequence[Any]) -> list[str]:
        navn, *vaerdier = r
        # Compared as shown: SQLite hands back a stored date as a date, a staged one as text.
        par = [
            (f, _vis(gemt, dato=f.dato), _vis(ny, dato=f.dato))
            for f, gemt, ny in zip(felter, vaerdier[::2], vaerdier[1::2], strict=True)
        ]
        return [
            f"{hvad} {navn}: {f.felt} er allerede indlæst som {gemt} og kan ikke ændres "
            f"(i filen {ny})"
            for f, gemt, ny in par
            if gemt != ny
        ]

    return Kontrol(
        fil,
        f"""
        SELECT s.linje, s.{noegle}, {kolonner} FROM {staging} s
        JOIN {model_tabel} m ON m.kommune_id = s.kommune_id AND {paa}
        WHERE {forskel}
        """,
        besked,
    )


def _ikke_afvist(tabel: str, kommune: str, noegle: str) -> str:
    """A reference to a row rejected for another reason is not reported again."""
    return f"""NOT EXISTS (
        SELECT 1 FROM imp_afviste a
        WHERE a.tabel = '{tabel}' AND a.kommune_id = {kommune} AND a.noegle = {noegle}
    )"""


def _dubletter(fil: str, tabel: str, noegle: str) -> Kontrol:
    # Rows rejected for another reason still occupy their key.
    alle = f"""(
        SELECT linje, kommune_id, {noegle} AS noegle FROM {tabel}
        UNION ALL
        SELECT linje, kommune_id, noegle FROM imp_afviste WHERE tabel = '{tabel}'
    )"""
    return Kontrol(
        fil,
        f"""
        SELECT s.linje, s.noegle, d.foerste FROM {alle} s
        JOIN (
            SELECT kommune_id, noegle, min(linje) AS foerste FROM {alle} u
            GROUP BY kommune_id, noegle HAVING count(*) > 1
        ) d ON d.kommune_id = s.kommune_id AND d.noegle = s.noegle
        WHERE s.linje > d.foerste
        """,
        lambda r: f"{noegle} {r[0]} står også i række {r[1]}",
    )


def _anden_borger(fil: str, tabel: str, model_tabel: str, noegle: str, hvad: str) -> Kontrol:
    return Kontrol(
        fil,
        f"""
        SELECT s.linje, s.{noegle} FROM {tabel} s
        JOIN {model_tabel} m ON m.kommune_id = s.kommune_id AND m.{noegle} = s.{noegle}
        JOIN {BORGER} b ON b.id = m.borger_id
        WHERE b.cpr <> s.cpr
        """,
        lambda r: (
            f"{hvad} {r[0]} findes allerede for en anden borger (CPR-nummeret kan ikke ændres)"
        ),
    )


def _bevilling_sag() -> Kontrol:
    return Kontrol(
        "bevillinger.csv",
        f"""
        SELECT s.linje, s.sagsnummer,
            CASE WHEN EXISTS (
                SELECT 1 FROM imp_sager g
                WHERE g.kommune_id = s.kommune_id AND g.sagsnummer = s.sagsnummer
            ) OR EXISTS (
                SELECT 1 FROM {SAG} g
                WHERE g.kommune_id = s.kommune_id AND g.sagsnummer = s.sagsnummer
            ) THEN 1 ELSE 0 END
        FROM imp_bevillinger s
        WHERE s.sagsnummer <> ''
        AND {_ikke_afvist("imp_sager", "s.kommune_id", "s.sagsnummer")}
        AND NOT EXISTS (
            SELECT 1 FROM imp_sager g
            WHERE g.kommune_id = s.kommune_id AND g.sagsnummer = s.sagsnummer AND g.cpr = s.cpr
        )
        AND NOT EXISTS (
            SELECT 1 FROM {SAG} g JOIN {BORGER} b ON b.id = g.borger_id
            WHERE g.kommune_id = s.kommune_id AND g.sagsnummer = s.sagsnummer AND b.cpr = s.cpr
        )
        """,
        lambda r: f"sag {r[0]} tilhører en anden borger" if r[1] else f"sag {r[0]} findes ikke",
    )


def _bevilling_periode() -> Kontrol:
    return Kontrol(
        "bevillinger.csv",
        f"""
        SELECT s.linje, s.periode_til, m.periode_fra FROM imp_bevillinger s
        JOIN {BEVILLING} m ON m.kommune_id = s.kommune_id
            AND m.bevillingsnummer = s.bevillingsnummer
        WHERE s.periode_til < m.periode_fra
        """,
        lambda r: f"periode_til {_dato(r[0])} ligger før bevillingens periode_fra {_dato(r[1])}",
    )


def _reference_findes(
    fil: str, staging: str, maal_staging: str, maal_tabel: str, noegle: str, navn: str
) -> Kontrol:
    """A row names a ``noegle`` that is neither in the extract (``maal_staging``) nor already
    stored (``maal_tabel``). Rows whose target was rejected for another reason are not reported
    again."""
    return Kontrol(
        fil,
        f"""
        SELECT s.linje, s.{noegle} FROM {staging} s
        WHERE {_ikke_afvist(maal_staging, "s.kommune_id", f"s.{noegle}")}
        AND NOT EXISTS (
            SELECT 1 FROM {maal_staging} m
            WHERE m.kommune_id = s.kommune_id AND m.{noegle} = s.{noegle}
        )
        AND NOT EXISTS (
            SELECT 1 FROM {maal_tabel} m
            WHERE m.kommune_id = s.kommune_id AND m.{noegle} = s.{noegle}
        )
        """,
        lambda r: f"{navn} {r[0]} findes ikke",
    )


def _fordring_konto() -> Kontrol:
    return _reference_findes(
        "fordringer.csv", "imp_fordringer", "imp_debitorkonti", KONTO, "kontonummer", "debitorkonto"
    )


def _fordring_aendret(r: Sequence[Any]) -> str:
    fordringsid, konto, ny_konto, hovedstol, ny_hovedstol = r
    if konto != ny_konto:
        return f"fordring {fordringsid} står allerede på debitorkonto {konto} og kan ikke flyttes"
    return (
        f"hovedstolen på fordring {fordringsid} kan ikke ændres (bogført {_kr(hovedstol)} kr., "
        f"i filen {_kr(ny_hovedstol)} kr.); en bogført postering ændres aldrig"
    )


def _fordring_findes() -> Kontrol:
    return Kontrol(
        "fordringer.csv",
        f"""
        SELECT s.linje, s.fordringsid, k.kontonummer, s.kontonummer,
            round(f.hovedstol * 100), s.hovedstol
        FROM imp_fordringer s
        JOIN {FORDRING} f ON f.kommune_id = s.kommune_id AND f.fordringsid = s.fordringsid
        JOIN {KONTO} k ON k.id = f.konto_id
        WHERE k.kontonummer <> s.kontonummer OR round(f.hovedstol * 100) <> s.hovedstol
        """,
        _fordring_aendret,
    )


def _daekning_fordring() -> Kontrol:
    return _reference_findes(
        "daekninger.csv", "imp_daekninger", "imp_fordringer", FORDRING, "fordringsid", "fordring"
    )


def _daekning_bogfoert() -> Kontrol:
    return Kontrol(
        "daekninger.csv",
        f"""
        SELECT s.linje, s.daekningsid FROM imp_daekninger s
        JOIN {POSTERING} p ON p.kommune_id = s.kommune_id AND p.ekstern_id = s.daekningsid
            AND NOT (p.ekstern_id = '')
        JOIN {FORDRING} f ON f.id = p.fordring_id
        WHERE f.fordringsid <> s.fordringsid OR p.art <> s.art
            OR round(p.beloeb * -100) <> s.beloeb
        """,
        lambda r: (
            f"dækning {r[0]} er allerede bogført med en anden fordring, art eller "
            "beløb; en bogført postering ændres aldrig"
        ),
    )


def _overdaekning() -> Kontrol:
    """DESIGN §4.2: the restance never goes below zero. Names the dækning that breaks it."""
    return Kontrol(
        "daekninger.csv",
        f"""
        WITH nye AS ({NYE_DAEKNINGER}),
        total AS (
            SELECT kommune_id, fordringsid, sum(beloeb) AS kredit FROM nye
            GROUP BY kommune_id, fordringsid
        ),
        over AS (
            SELECT t.kommune_id, t.fordringsid,
                COALESCE(round(f.restance * 100), i.hovedstol) AS raadig
            FROM total t
            LEFT JOIN {FORDRING} f
                ON f.kommune_id = t.kommune_id AND f.fordringsid = t.fordringsid
            LEFT JOIN imp_fordringer i
                ON i.kommune_id = t.kommune_id AND i.fordringsid = t.fordringsid
            WHERE t.kredit > COALESCE(round(f.restance * 100), i.hovedstol)
        )
        SELECT linje, fordringsid, kumuleret, raadig FROM (
            SELECT n.linje, n.fordringsid, n.beloeb, o.raadig,
                sum(n.beloeb) OVER (
                    PARTITION BY n.kommune_id, n.fordringsid ORDER BY n.linje
                ) AS kumuleret
            FROM nye n
            JOIN over o ON o.kommune_id = n.kommune_id AND o.fordringsid = n.fordringsid
        ) x
        WHERE kumuleret > raadig AND kumuleret - beloeb <= raadig
        """,
        lambda r: (
            f"fordring {r[0]} overdækkes: dækninger i alt {_kr(r[1])} kr. overstiger "
            f"restancen {_kr(r[2])} kr."
        ),
    )


def _laast(felt: str, *, dato: bool = False) -> Laast:
    return Laast(felt, f"m.{felt}", f"s.{felt}", dato)


# What a re-import may not change (it updates only status fields, names and the ledger).
_SAG_LAAST = _laaste_felter(
    "sager.csv", "imp_sager", SAG, "m.sagsnummer = s.sagsnummer", "sagsnummer", "sag",
    _laast("ydelseskode"),
)  # fmt: skip
_BEVILLING_LAAST = _laaste_felter(
    "bevillinger.csv", "imp_bevillinger", BEVILLING, "m.bevillingsnummer = s.bevillingsnummer",
    "bevillingsnummer", "bevilling", _laast("ydelseskode"), _laast("periode_fra", dato=True),
)  # fmt: skip
_KONTO_LAAST = _laaste_felter(
    "debitorkonti.csv", "imp_debitorkonti", KONTO, "m.kontonummer = s.kontonummer",
    "kontonummer", "debitorkonto", _laast("kilde"),
)  # fmt: skip
# The linking (or a person) may since have set the reference; only the import's own is compared.
_FORDRING_LAAST = _laaste_felter(
    "fordringer.csv", "imp_fordringer", FORDRING, "m.fordringsid = s.fordringsid",
    "fordringsid", "fordring",
    Laast(
        "kmd_aktiv_reference",
        f"CASE WHEN m.reference_kilde = '{Tilknytning.IMPORT.value}' "
        "THEN m.kmd_aktiv_reference ELSE s.kmd_aktiv_reference END",
        "s.kmd_aktiv_reference",
    ),
    _laast("ydelseskode"),
    _laast("tekst"),
    _laast("periode_fra", dato=True),
    _laast("periode_til", dato=True),
    _laast("forfaldsdato", dato=True),
)  # fmt: skip
_DAEKNING_LAAST = _laaste_felter(
    "daekninger.csv", "imp_daekninger", POSTERING,
    f"m.ekstern_id = s.daekningsid AND NOT (m.ekstern_id = '') "
    f"LEFT JOIN {INDBETALING} i ON i.id = m.indbetaling_id",
    "daekningsid", "dækning",
    _laast("valoerdato", dato=True),
    Laast("indbetalingsid", "COALESCE(i.indbetalingsid, '')", "s.indbetalingsid"),
)  # fmt: skip

KONTROLLER: tuple[Kontrol, ...] = (
    _dubletter("sager.csv", "imp_sager", "sagsnummer"),
    _anden_borger("sager.csv", "imp_sager", SAG, "sagsnummer", "sag"),
    _SAG_LAAST,
    _dubletter("bevillinger.csv", "imp_bevillinger", "bevillingsnummer"),
    _anden_borger("bevillinger.csv", "imp_bevillinger", BEVILLING, "bevillingsnummer", "bevilling"),
    _BEVILLING_LAAST,
    _bevilling_periode(),
    _bevilling_sag(),
    _dubletter("debitorkonti.csv", "imp_debitorkonti", "kontonummer"),
    _anden_borger("debitorkonti.csv", "imp_debitorkonti", KONTO, "kontonummer", "debitorkonto"),
    _KONTO_LAAST,
    _dubletter("fordringer.csv", "imp_fordringer", "fordringsid"),
    _fordring_konto(),
    _fordring_findes(),
    _FORDRING_LAAST,
    _dubletter("daekninger.csv", "imp_daekninger", "daekningsid"),
    _daekning_fordring(),
    _daekning_bogfoert(),
    _DAEKNING_LAAST,
    _overdaekning(),
)


def kontroller(cursor: CursorWrapper) -> list[tuple[str, int, str]]:
    """Run every check (a file not in the extract has an empty staging table);
    ``(fil, række, årsag)`` per bad row."""
    fejl: set[tuple[str, int, str]] = set()
    for kontrol in KONTROLLER:
        start = time.perf_counter()
        cursor.execute(kontrol.sql)
        for linje, *fakta in cursor.fetchall():
            besked = kontrol.besked(fakta)
            for aarsag in [besked] if isinstance(besked, str) else besked:
                fejl.add((kontrol.fil, int(linje), aarsag))
        logger.debug("%.2f s: kontrol %s", time.perf_counter() - start, kontrol.sql.split()[:4])
    return sorted(fejl)
