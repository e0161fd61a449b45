"""Writing a report as CSV (semicolon, UTF-8 with BOM, Danish amounts and dates) or as xlsx
(openpyxl write-only mode: rows go to disk as they come, memory stays flat).

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

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from ky_debitor.money import format_beloeb

from .definitioner import BELOEB, DATO, HELTAL, TEKST, Kolonne

XLSX_MAX_RAEKKER = 1_048_576  # Excel's rows per sheet, header row included
# Excel stores the format once; a Danish Excel shows "#,##0.00" as 1.234,56.
BELOEBSFORMAT = "#,##0.00"
DATOFORMAT = "dd-mm-yyyy"
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


def csv_linjer(kolonner: Sequence[Kolonne], raekker: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks, BOM first: the body of a streaming response."""
    writer = csv.writer(_Linje(), delimiter=";", lineterminator="\r\n")
    typer = [k.type for k in kolonner]
    yield ("\ufeff" + writer.writerow([csv_felt(k.navn, TEKST) for k in kolonner])).encode()
    buffer: list[str] = []
    for raekke in raekker:
        buffer.append(writer.writerow([csv_felt(v, t) for v, t in zip(raekke, typer, strict=True)]))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer.clear()
    if buffer:
        yield "".join(buffer).encode()


def skriv_csv(
    kolonner: Sequence[Kolonne],
    raekker: Iterable[Sequence[Any]],
    fil: IO[str],
    *,
    fremskridt: Fremskridt | None = None,
) -> int:
    """Write to a text file opened with ``encoding="utf-8-sig", newline=""``; returns rows."""
    writer = csv.writer(fil, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_felt(k.navn, TEKST) for k in kolonner])
    typer = [k.type for k in kolonner]
    n = 0
    for raekke in raekker:
        writer.writerow([csv_felt(v, t) for v, t in zip(raekke, typer, strict=True)])
        n += 1
        if fremskridt and n % FREMSKRIDT_HVER == 0:
            fremskridt(n)
    return n


def arknavn(navn: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return navn.translate(_UGYLDIGE_ARKTEGN).strip()[:31] or "Ark"


def tekstcelle(ark: WriteOnlyWorksheet, tekst: str) -> Cell:
    """An xlsx cell holding ``tekst`` as text. Text a spreadsheet would read as a formula is
    written as a text cell with Excel's quote prefix: it shows as typed and stays text when
    someone edits the cell (openpyxl alone would store ``=…`` as a formula)."""
    celle = WriteOnlyCell(ark, value=xlsx_tekst(tekst))
    celle.data_type = "s"
    if er_formel(tekst):
        celle.quotePrefix = True
    return celle


def xlsx_tekst(tekst: str) -> str:
    """Control characters an xlsx file cannot hold (an imported ``\x01``) become U+FFFD, so
    one odd name cannot stop a whole report."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", tekst)


def skal_vaere_tekstcelle(tekst: str) -> bool:
    """Text openpyxl would otherwise store as something else: a formula, an error value
    (``#N/A``) or a string it refuses (control characters)."""
    return (
        er_formel(tekst) or tekst in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(tekst) is not None
    )


def _kolonnebredde(k: Kolonne) -> float:
    # Column widths are set before the first row (write-only mode), so they come from the
    # header and the column type, not from scanning the data.
    standard = {BELOEB: 14, DATO: 12, HELTAL: 10}.get(k.type, 16)
    return float(min(max(len(k.overskrift) + 3, standard), 45))


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
    """Write an xlsx workbook to ``fil`` (a path or a binary file); returns data rows.

    First a front sheet ("Om udtrækket": report, kommune, filters, time of extraction), then
    the data with a bold, frozen header row, an autofilter, column widths, ``#,##0.00`` for
    amounts and ``dd-mm-yyyy`` for dates. When a sheet holds ``max_raekker`` rows (header
    included) the rows continue on a new sheet with the same header.
    """
    if max_raekker < 2:
        raise ValueError("max_raekker skal give plads til overskrift og mindst én række.")
    wb = Workbook(write_only=True)
    om = wb.create_sheet("Om udtrækket")
    om.column_dimensions["A"].width = 22
    om.column_dimensions["B"].width = 80
    fed = Font(bold=True)
    for label, value in forside:
        celle = tekstcelle(om, label)
        celle.font = fed
        om.append([celle, tekstcelle(om, value)])

    basis = arknavn(arktitel)
    sidste_kolonne = get_column_letter(len(kolonner))

    def nyt_ark(nummer: int) -> WriteOnlyWorksheet:
        navn = basis if nummer == 1 else f"{basis[:26]} ({nummer})"
        ark = wb.create_sheet(navn)
        ark.freeze_panes = "A2"
        for i, k in enumerate(kolonner, 1):
            ark.column_dimensions[get_column_letter(i)].width = _kolonnebredde(k)
        header = []
        for k in kolonner:
            celle = tekstcelle(ark, k.overskrift)
            celle.font = fed
            header.append(celle)
        ark.append(header)
        return ark

    def afslut(ark: WriteOnlyWorksheet, raekker_i_ark: int) -> None:
        ark.auto_filter.ref = f"A1:{sidste_kolonne}{raekker_i_ark}"

    def typede_celler(ark: WriteOnlyWorksheet) -> list[Any]:
        # One styled cell per column, reused for every row: openpyxl serialises a cell the
        # moment it is appended, so this keeps per-row work at plain-value cost.
        celler: list[Any] = []
        for k in kolonner:
            if k.type in (BELOEB, DATO):
                celle = WriteOnlyCell(ark)
                celle.number_format = BELOEBSFORMAT if k.type == BELOEB else DATOFORMAT
                celler.append(celle)
            else:
                celler.append(None)
        return celler

    arknr = 1
    ark = nyt_ark(arknr)
    celler = typede_celler(ark)
    i_ark, n = 1, 0
    for raekke in raekker:
        if i_ark >= max_raekker:
            afslut(ark, i_ark)
            arknr += 1
            ark, i_ark = nyt_ark(arknr), 1
            celler = typede_celler(ark)
        vaerdier = list(raekke)
        for i, v in enumerate(vaerdier):
            if isinstance(v, str):
                if skal_vaere_tekstcelle(v):
                    vaerdier[i] = tekstcelle(ark, v)
            elif v is not None and celler[i] is not None:
                celle = celler[i]
                celle.value = v
                vaerdier[i] = celle
        ark.append(vaerdier)
        i_ark += 1
        n += 1
        if fremskridt and n % FREMSKRIDT_HVER == 0:
            fremskridt(n)
    afslut(ark, i_ark)
    wb.save(fil)
    return n
