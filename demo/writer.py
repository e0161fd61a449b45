"""The five CSV files of a KMD Aktiv extract, written in the exact import format (DESIGN §6).

Semicolon-separated UTF-8 with BOM and CRLF line ends, as Danish Excel saves "CSV UTF-8";
dates ``dd-mm-åååå``, amounts ``1.234,56``, booleans ``J``/``N``, empty field = missing. The
optional ``navn`` column (the borger's name) is added to ``sager.csv``, ``bevillinger.csv`` and
``debitorkonti.csv``. Every value is produced by the generator itself and never holds a
semicolon, a quote or a line break, so rows are joined directly: that keeps 200,000 konti fast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import TracebackType
from typing import IO

from fordringer.importer.validation import FILER

SAGER = "sager.csv"
BEVILLINGER = "bevillinger.csv"
DEBITORKONTI = "debitorkonti.csv"
FORDRINGER = "fordringer.csv"
DAEKNINGER = "daekninger.csv"

# The contract's columns (and the optional name column) come from the importer's file specs.
KOLONNER: dict[str, tuple[str, ...]] = {spec.fil: spec.kolonner + spec.valgfri for spec in FILER}

SEP = ";"
BOM = "\ufeff"
EOL = "\r\n"

_datoer: dict[int, str] = {}


def dato(dag: dt.date | None) -> str:
    """``dd-mm-åååå``; an empty field for no date."""
    if dag is None:
        return ""
    ordinal = dag.toordinal()
    tekst = _datoer.get(ordinal)
    if tekst is None:
        tekst = _datoer[ordinal] = f"{dag.day:02d}-{dag.month:02d}-{dag.year:04d}"
    return tekst


def beloeb(oere: int) -> str:
    """Whole øre as a Danish amount: ``123456`` → ``1.234,56``."""
    kroner, rest = divmod(oere, 100)
    return f"{kroner:,}".replace(",", ".") + f",{rest:02d}"


def jn(vaerdi: bool) -> str:
    return "J" if vaerdi else "N"


class Udtraek:
    """The five files of one extract, open for writing; use as a context manager."""

    def __init__(self, mappe: Path) -> None:
        mappe.mkdir(parents=True, exist_ok=True)
        self.mappe = mappe
        self._filer: dict[str, IO[str]] = {}
        self.raekker: dict[str, int] = dict.fromkeys(KOLONNER, 0)

    def __enter__(self) -> Udtraek:
        for navn, kolonner in KOLONNER.items():
            fil = (self.mappe / navn).open("w", encoding="utf-8", newline="", buffering=1 << 20)
            fil.write(BOM + SEP.join(kolonner) + EOL)
            self._filer[navn] = fil
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for fil in self._filer.values():
            fil.close()

    def skriv(self, navn: str, felter: tuple[str, ...] | list[str]) -> None:
        """Write one data row of file ``navn`` (values already formatted)."""
        self._filer[navn].write(SEP.join(felter) + EOL)
        self.raekker[navn] += 1
