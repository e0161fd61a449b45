"""Loading staging rows into PostgreSQL with ``COPY … FROM STDIN`` (psycopg 3).

Rows are joined into COPY text format a batch at a time. Only free text can hold a backslash,
tab, newline or carriage return; a batch without any (checked with a few C-speed scans of the
whole batch) needs no per-field escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.db import DatabaseError, transaction
from django.db.backends.utils import CursorWrapper

from .parsing import NULL
from .validation import Filspec, Raekke

# Serialises concurrent imports (an arbitrary, fixed advisory-lock key).
_LAAS = 7_314_001

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def forbered(cursor: CursorWrapper) -> None:
    """Settings for one import transaction: one import at a time, room for the hash joins, no
    JIT (compiling costs more than it saves on these one-off statements: up to a second each),
    and local buffers big enough to keep the staging tables in memory."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LAAS,))
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL jit = off")
    # Only possible before the session's first use of a temporary table.
    with suppress(DatabaseError), transaction.atomic():
        cursor.execute("SET LOCAL temp_buffers = '512MB'")


def copy_tekst(batch: list[Raekke], kolonner: int) -> str:
    """The batch in COPY text format, ``NULL`` as ``\\N``."""
    tekst = "\n".join(map("\t".join, batch))
    if (
        "\\" in tekst
        or "\r" in tekst
        or tekst.count("\t") != len(batch) * (kolonner - 1)
        or tekst.count("\n") != len(batch) - 1
    ):
        tekst = "\n".join(
            "\t".join(felt.translate(_ESCAPES) for felt in raekke) for raekke in batch
        )
    if NULL in tekst:
        tekst = tekst.replace(NULL, "\\N")
    return tekst + "\n"


@contextmanager
def skriver(pg: Any, spec: Filspec) -> Iterator[Callable[[list[Raekke]], None]]:
    """A sink for ``validation.valider`` that copies batches into the file's staging table."""
    kolonner = ", ".join(navn for navn, _ in spec.staging)
    antal = len(spec.staging)
    with pg.cursor() as cursor, cursor.copy(f"COPY {spec.tabel} ({kolonner}) FROM STDIN") as copy:
        yield lambda batch: copy.write(copy_tekst(batch, antal))
