"""Loading staging rows with ``executemany`` (SQLite, the embedded demo)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db.backends.utils import CursorWrapper

from .parsing import NULL
from .validation import Filspec, Raekke


@contextmanager
def skriver(cursor: CursorWrapper, spec: Filspec) -> Iterator[Callable[[list[Raekke]], None]]:
    """A sink for ``validation.valider`` that inserts batches into the file's staging table."""
    kolonner = ", ".join(navn for navn, _ in spec.staging)
    pladser = ", ".join(["%s"] * len(spec.staging))
    sql = f"INSERT INTO {spec.tabel} ({kolonner}) VALUES ({pladser})"

    def skriv(batch: list[Raekke]) -> None:
        cursor.executemany(
            sql, [tuple(None if felt == NULL else felt for felt in raekke) for raekke in batch]
        )

    yield skriv
