"""Writing a report as CSV (semicolon, UTF-8 with BOM, Danish amounts and dates) or as xlsx
(``rapporter.xlsx``: rows go into the zip as they come, memory stays flat).

The writers take any iterable of rows, so a report streams from the database cursor straight
into the file. ``max_raekker`` is a parameter so the sheet-continuation is tested with a
small limit instead of writing 1,048,576 rows.

Formula injection (OWASP "CSV injection"): text that came in through an import (a name, a
claim text, a reference) can start with ``=``, ``+``, ``-``, ``@``, a tab or a line break, and
a spreadsheet would run it as a formula. This module is the one writer of every file people
open, so the rule lives here once: such text goes to a CSV field with a leading ``'`` and to an
xlsx cell as a text cell marked "quote prefix" (Excel's own ``'``), never as a formula. Only
text is touched; numbers and dates the code produced (a negative amount ``-1.234,56``, too)
are written as typed values.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from ky_debitor.money import format_beloeb

from .definitioner import BELOEB, DATO, HELTAL, TEKST, Kolonne
from .xlsx import BELOEB_STIL, DATO_STIL, STANDARD, XlsxSkriver, celle_xml, tekstcelle_xml

XLSX_MAX_RAEKKER = 1_048_576  # Excel's rows per sheet, header row included
FREMSKRIDT_HVER = 5000
_UGYLDIGE_ARKTEGN = str.maketrans({c: " " for c in "[]:*?/\\"})
# The first characters that make Excel, LibreOffice or Google Sheets read text as a formula:
# OWASP's list, a line feed, and the fullwidth forms an East Asian input method produces.
FORMELTEGN = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Values written as what they are (numbers and dates); everything else is text.
_TYPEDE = (Decimal, int, float, dt.date)

Fremskridt = Callable[[int], None]


def csv_vaerdi(value: Any, type_: str) -> str:
    """A value as Danish Excel reads it: ``1.234,56`` for amounts, ``dd-mm-åååå`` for dates."""
    if value is None:
        return ""
    if type_ == BELOEB or isinstance(value, Decimal):
        return format_beloeb(value)
    if type_ == DATO or isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def er_formel(tekst: str) -> bool:
    """Whether a spreadsheet would read ``tekst`` as a formula (it starts with one of
    ``FORMELTEGN``)."""
    return tekst[:1] in FORMELTEGN


def csv_felt(value: Any, type_: str) -> str:
    """A value as written to a CSV file: ``csv_vaerdi``, and text that a spreadsheet would
    read as a formula is given a leading ``'``. Numbers and dates are never prefixed."""
    tekst = csv_vaerdi(value, type_)
    if not isinstance(value, _TYPEDE) and tekst[:1] in FORMELTEGN:
        return "'" + tekst
    return tekst


class _Linje:
    """A write-only "file" that hands back what ``csv.writer`` writes (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def _csv_skriver() -> Any:
    return csv.writer(_Linje(), delimiter=";", lineterminator="\r\n")


def csv_hoved(kolonner: Sequence[Kolonne]) -> str:
    """The header line: the contract names (DESIGN §6)."""
    return str(_csv_skriver().writerow([csv_felt(k.navn, TEKST) for k in kolonner]))


def csv_raekke_linjer(
    kolonner: Sequence[Kolonne], raekker: Iterable[Sequence[Any]]
) -> Iterator[str]:
    """Python rows as CSV lines: the rule ``rapporter.sqllinjer`` repeats in SQL."""
    writer = _csv_skriver()
    typer = [k.type for k in kolonner]
    for raekke in raekker:
        yield writer.writerow([csv_felt(v, t) for v, t in zip(raekke, typer, strict=True)])


def csv_bytes(kolonner: Sequence[Kolonne], linjer: Iterable[str]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks, BOM and header first: the body of a streaming
    response."""
    yield ("\ufeff" + csv_hoved(kolonner)).encode()
    buffer: list[str] = []
    for linje in linjer:
        buffer.append(linje)
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer.clear()
    if buffer:
        yield "".join(buffer).encode()


def csv_linjer(kolonner: Sequence[Kolonne], raekker: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """Python rows as the CSV file's byte chunks (``csv_bytes``)."""
    return csv_bytes(kolonner, csv_raekke_linjer(kolonner, raekker))


def skriv_csv(
    kolonner: Sequence[Kolonne],
    raekker: Iterable[Sequence[Any]],
    fil: IO[str],
    *,
    fremskridt: Fremskridt | None = None,
) -> int:
    """Write Python rows to a text file opened with ``encoding="utf-8-sig", newline=""``;
    returns rows."""
    return skriv_csv_linjer(
        kolonner, csv_raekke_linjer(kolonner, raekker), fil, fremskridt=fremskridt
    )


def skriv_csv_linjer(
    kolonner: Sequence[Kolonne],
    linjer: Iterable[str],
    fil: IO[str],
    *,
    fremskridt: Fremskridt | None = None,
) -> int:
    """Write the header and finished CSV lines to a text file; returns rows."""
    fil.write(csv_hoved(kolonner))
    n = 0
    buffer: list[str] = []
    for linje in linjer:
        buffer.append(linje)
        n += 1
        if len(buffer) >= FREMSKRIDT_HVER:
            fil.write("".join(buffer))
            buffer.clear()
            if fremskridt:
                fremskridt(n)
    fil.write("".join(buffer))
    return n


def arknavn(navn: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return navn.translate(_UGYLDIGE_ARKTEGN).strip()[:31] or "Ark"


def _kolonnebredde(k: Kolonne) -> float:
    # Column widths are set before the first row (write-only mode), so they come from the
    # header and the column type, not from scanning the data.
    standard = {BELOEB: 14, DATO: 12, HELTAL: 10}.get(k.type, 16)
    return float(min(max(len(k.overskrift) + 3, standard), 45))


def _stil(k: Kolonne) -> int:
    return {BELOEB: BELOEB_STIL, DATO: DATO_STIL}.get(k.type, STANDARD)


def raekke_xml(raekke: Sequence[Any], stile: Sequence[int]) -> str:
    """One row of Python values as a sheet row: the rule ``rapporter.sqlkilde`` repeats in
    SQL for the big reports (the tests hold the two to the same file)."""
    celler = "".join(celle_xml(v, s, er_formel) for v, s in zip(raekke, stile, strict=True))
    return f"<row>{celler}</row>"


def xlsx_raekke_linjer(
    kolonner: Sequence[Kolonne], raekker: Iterable[Sequence[Any]]
) -> Iterator[str]:
    stile = [_stil(k) for k in kolonner]
    return (raekke_xml(r, stile) for r in raekker)


def skriv_xlsx(
    kolonner: Sequence[Kolonne],
    raekker: Iterable[Sequence[Any]],
    fil: Any,
    *,
    arktitel: str,
    forside: Sequence[tuple[str, str]],
    max_raekker: int = XLSX_MAX_RAEKKER,
    fremskridt: Fremskridt | None = None,
) -> int:
    """Write an xlsx workbook of Python rows to ``fil`` (a path or a binary file); returns
    data rows. See ``skriv_xlsx_linjer``."""
    return skriv_xlsx_linjer(
        kolonner,
        xlsx_raekke_linjer(kolonner, raekker),
        fil,
        arktitel=arktitel,
        forside=forside,
        max_raekker=max_raekker,
        fremskridt=fremskridt,
    )


def skriv_xlsx_linjer(
    kolonner: Sequence[Kolonne],
    linjer: Iterable[str],
    fil: Any,
    *,
    arktitel: str,
    forside: Sequence[tuple[str, str]],
    max_raekker: int = XLSX_MAX_RAEKKER,
    fremskridt: Fremskridt | None = None,
) -> int:
    """Write an xlsx workbook to ``fil`` from finished sheet rows (``<row>…</row>``, one per
    data row); returns data rows.

    First a front sheet ("Om udtrækket": report, kommune, filters, time of extraction), then
    the data with a bold, frozen header row, an autofilter, column widths, ``#,##0.00`` for
    amounts and ``dd-mm-yyyy`` for dates. When a sheet holds ``max_raekker`` rows (header
    included) the rows continue on a new sheet with the same header.
    """
    if max_raekker < 2:
        raise ValueError("max_raekker skal give plads til overskrift og mindst én række.")
    bog = XlsxSkriver(fil)
    bog.ark("Om udtrækket", bredder=[22, 80])
    bog.raekker(
        [
            f"<row>{tekstcelle_xml(label, fed=True, formel=er_formel(label))}"
            f"{tekstcelle_xml(vaerdi, formel=er_formel(vaerdi))}</row>"
            for label, vaerdi in forside
        ]
    )
    basis = arknavn(arktitel)
    bredder = [_kolonnebredde(k) for k in kolonner]
    overskrifter = [k.overskrift for k in kolonner]

    def nyt_ark(nummer: int) -> None:
        navn = basis if nummer == 1 else f"{basis[:26]} ({nummer})"
        bog.ark(navn, bredder=bredder, overskrifter=overskrifter)

    arknr = 1
    nyt_ark(arknr)
    i_ark, n = 1, 0
    buffer: list[str] = []
    for linje in linjer:
        if i_ark >= max_raekker:
            bog.raekker(buffer)
            buffer = []
            arknr += 1
            nyt_ark(arknr)
            i_ark = 1
        buffer.append(linje)
        i_ark += 1
        n += 1
        if len(buffer) >= FREMSKRIDT_HVER:
            bog.raekker(buffer)
            buffer = []
            if fremskridt:
                fremskridt(n)
    bog.raekker(buffer)
    bog.luk()
    return n
