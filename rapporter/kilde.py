"""A report's rows described once: a queryset and, per column, the value it reads and how it is
shown (a code as its Danish label, a ledger credit with the opposite sign, one of several sums
of a subquery).

The same description gives the rows as Python values (``Raekkekilde.raekker``, for the screen, the
API and SQLite) and, on PostgreSQL, the finished CSV lines or sheet rows made by the database
(``rapporter.sqllinjer``), so a big report is formatted where the data is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Field, Func, QuerySet

from ky_debitor.etiketter import etiket
from ky_debitor.money import NUL, afrund


class SummerFelt(Field):
    """Reads ``Summer``: PostgreSQL gives a list, SQLite a JSON text (numbers as Decimal)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value, parse_float=Decimal)
        return value


class Summer(Func):
    """Several amounts of one subquery row as one value, so a claim's ledger is read once for
    all of them (a subquery returns one value): ``ARRAY[…]`` on PostgreSQL, ``json_array(…)``
    on SQLite. ``Felt.plads`` reads one of them."""

    template = "ARRAY[%(expressions)s]"
    output_field = SummerFelt()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="JSON_ARRAY(%(expressions)s)", **extra_context
        )


@dataclass(frozen=True)
class Felt:
    """One column: ``navn`` is a field path or annotation of the queryset.

    Several columns can read one ``Summer`` annotation, each its amount at ``plads`` (from 0;
    no value, when the subquery found no rows, is 0).
    """

    navn: str
    etiket: str | None = None  # the vocabulary whose Danish label is shown for the code
    modsat: bool = False  # shown with the opposite sign (ledger credits as positive amounts)
    plads: int | None = None  # the amount at this place of a ``Summer``

    def vis(self, vaerdi: Any) -> Any:
        if self.plads is not None:
            # Decimal() for SQLite, whose sums come back as JSON numbers or texts.
            vaerdi = NUL if vaerdi is None else afrund(Decimal(vaerdi[self.plads]))
        if self.etiket is not None:
            return etiket(vaerdi, self.etiket)
        if self.modsat and vaerdi is not None:
            return -vaerdi + NUL
        return vaerdi


@dataclass(frozen=True)
class Raekkekilde:
    qs: QuerySet[Any]
    felter: Sequence[Felt]

    @cached_property
    def kilder(self) -> tuple[str, ...]:
        """The values the query selects, each once, in the order of the columns first naming
        them."""
        return tuple(dict.fromkeys(f.navn for f in self.felter))

    @cached_property
    def placeringer(self) -> tuple[int, ...]:
        """Per column, the place of its value in a selected row."""
        return tuple(self.kilder.index(f.navn) for f in self.felter)

    def vaerdier(self) -> QuerySet[Any, tuple[Any, ...]]:
        return self.qs.values_list(*self.kilder)

    def _vis(self, r: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(f.vis(r[i]) for f, i in zip(self.felter, self.placeringer, strict=True))

    def foerste(self, antal: int) -> list[tuple[Any, ...]]:
        """The first ``antal`` rows, fetched with a LIMIT (the planner then takes the rows in
        order from an index instead of sorting them all)."""
        return [self._vis(r) for r in self.vaerdier()[:antal]]

    def raekker(self, chunk_size: int) -> Iterator[tuple[Any, ...]]:
        for r in self.vaerdier().iterator(chunk_size=chunk_size):
            yield self._vis(r)
