"""Bulk mode for large extracts on PostgreSQL: foreign keys checked once per set, not per row.

PostgreSQL checks a foreign key with one trigger query per written row, queued until commit.
An extract of a million fordringer writes about four million rows with ten million such checks:
a third of the import's time (docs/adr/0004). In bulk mode the import, inside its transaction,

1. drops the foreign keys of the tables it writes (``fjern``),
2. writes set-based as always,
3. checks each key with one anti-join over the rows of the kommuner it wrote — the only rows
   that can have changed, since nobody else can write the tables meanwhile — and adds the key
   back ``NOT VALID`` so rows of other kommuner are not re-read under the lock (``genskab``),

and after commit validates each key (``valider``: ``VALIDATE CONSTRAINT`` takes a lock that lets
other sessions read and write), so every key is again fully validated by PostgreSQL itself.

The price: dropping a key locks both of its tables exclusively until commit, so other sessions
wait for the import. It is used only for extracts of ``KY_IMPORT_MASSE_GRAENSE`` rows or more,
which are loaded in a planned window; smaller imports keep the row-by-row checks and lock only
the rows they write.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper

from fordringer.models import (
    Bevilling,
    Borger,
    Debitorkonto,
    Fordring,
    Indbetaling,
    Parkering,
    Postering,
    Sag,
)
from ky_debitor.errors import ConflictError

logger = logging.getLogger(__name__)

# The tables the import writes; every one carries ``kommune_id``.
SKREVNE_TABELLER = tuple(
    model._meta.db_table
    for model in (Borger, Sag, Bevilling, Debitorkonto, Fordring, Indbetaling, Postering, Parkering)
)
# Keys to these tables stay: the import writes no such column (it is NULL in every row it
# inserts), and locking the user table would lock every person out while the import runs.
_BEHOLDES = ("ky_debitor_bruger",)


class MasseindlaesningFejl(RuntimeError):
    """A written row breaks a foreign key: a fault in the import itself; nothing is stored."""


@dataclass(frozen=True)
class Fremmednoegle:
    tabel: str
    navn: str
    definition: str
    kolonne: str
    maal: str
    maalkolonne: str


def fremmednoegler(cursor: CursorWrapper) -> list[Fremmednoegle]:
    """The single-column foreign keys of the written tables, as PostgreSQL defines them."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid),
            a.attname, c.confrelid::regclass::text, af.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
            AND c.conrelid::regclass::text = ANY(%s)
            AND NOT c.confrelid::regclass::text = ANY(%s)
        ORDER BY 1, 2
        """,
        (list(SKREVNE_TABELLER), list(_BEHOLDES)),
    )
    return [Fremmednoegle(*raekke) for raekke in cursor.fetchall()]


def fjern(cursor: CursorWrapper) -> list[Fremmednoegle]:
    """Drop the written tables' foreign keys for the rest of the transaction; returns them."""
    noegler = fremmednoegler(cursor)
    # A table with queued (deferred) key checks cannot be altered: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    sekunder = int(settings.KY_IMPORT_LAASEVENTETID)
    cursor.execute(f"SET LOCAL lock_timeout = '{sekunder}s'")
    try:
        with transaction.atomic():
            for noegle in noegler:
                cursor.execute(f'ALTER TABLE {noegle.tabel} DROP CONSTRAINT "{noegle.navn}"')
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        raise ConflictError(
            "Indlæsningen kunne ikke få eneadgang til fordringstabellerne inden for "
            f"{sekunder} sekund{'' if sekunder == 1 else 'er'}, fordi andre arbejder i dem. "
            "Prøv igen, når de er færdige (et stort udtræk indlæses bedst uden for arbejdstid). "
            "Intet er gemt."
        ) from exc
    cursor.execute("SET LOCAL lock_timeout = 0")
    logger.debug("%d fremmednøgler midlertidigt fjernet", len(noegler))
    return noegler


def genskab(
    cursor: CursorWrapper, noegler: Sequence[Fremmednoegle], kommune_ider: Iterable[int]
) -> None:
    """Check every written row against each key set-based, then add the keys back.

    Raises ``MasseindlaesningFejl`` (rolling the whole import back) if a row breaks a key.
    """
    kommuner = sorted(set(kommune_ider))
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks queued by the keys that stayed
    for n in noegler:
        cursor.execute(
            f"""
            SELECT count(*) FROM {n.tabel} x
            WHERE x.kommune_id = ANY(%s) AND x.{n.kolonne} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM {n.maal} y WHERE y.{n.maalkolonne} = x.{n.kolonne}
            )
            """,
            (kommuner,),
        )
        brud = cursor.fetchone()[0]
        if brud:
            raise MasseindlaesningFejl(
                f"{brud} rækker i {n.tabel}.{n.kolonne} peger på noget, der ikke findes i "
                f"{n.maal}; intet er gemt."
            )
        cursor.execute(f'ALTER TABLE {n.tabel} ADD CONSTRAINT "{n.navn}" {n.definition} NOT VALID')
    # Back to the keys' own (Django's) mode: checked at commit.
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def valider(noegler: Sequence[Fremmednoegle]) -> None:
    """After commit: let PostgreSQL validate each re-added key over the whole table.

    ``VALIDATE CONSTRAINT`` only takes a SHARE UPDATE EXCLUSIVE lock, so people work on while
    it runs. Inside an outer transaction it runs there (and is rolled back with it).
    """
    with connection.cursor() as cursor:
        for n in noegler:
            cursor.execute(f'ALTER TABLE {n.tabel} VALIDATE CONSTRAINT "{n.navn}"')
