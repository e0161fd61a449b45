"""A report's rows described once: a queryset and, per column, the value it reads and how it is
shown (a code as its Danish label, a ledger credit with the opposite sign).

The same description gives the rows as Python values (``Raekkekilde.raekker``, for the screen, the
API and SQLite) and, on PostgreSQL, the finished CSV lines or sheet rows made by the database
(``rapporter.sqllinjer``), so a big report is formatted where the data is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ky_debitor.etiketter import etiket
from ky_debitor.money import NUL


@dataclass(frozen=True)
class Felt:
    """One column: ``navn`` is a field path or annotation of the queryset."""

    navn: str
    etiket: str | None = None  # the vocabulary whose Danish label is shown for the code
    modsat: bool = False  # shown with the opposite sign (ledger credits as positive amounts)

    def vis(self, vaerdi: Any) -> Any:
        if self.etiket is not None:
            return etiket(vaerdi, self.etiket)
        if self.modsat and vaerdi is not None:
            return -vaerdi + NUL
        return vaerdi


@dataclass(frozen=True)
class Raekkekilde:
    qs: QuerySet[Any]
    felter: Sequence[Felt]

    def vaerdier(self) -> QuerySet[Any, tuple[Any, ...]]:
        return self.qs.values_list(*(f.navn for f in self.felter))

    def foerste(self, antal: int) -> list[tuple[Any, ...]]:
        """The first ``antal`` rows, fetched with a LIMIT (the planner then takes the rows in
        order from an index instead of sorting them all)."""
        felter = self.felter
        return [
            tuple(f.vis(v) for f, v in zip(felter, r, strict=True)) for r in self.vaerdier()[:antal]
        ]

    def raekker(self, chunk_size: int) -> Iterator[tuple[Any, ...]]:
        felter = self.felter
        for r in self.vaerdier().iterator(chunk_size=chunk_size):
            yield tuple(f.vis(v) for f, v in zip(felter, r, strict=True))
