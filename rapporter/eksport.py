"""Writing a report as CSV (semicolon, UTF-8 with BOM, Danish amounts) or xlsx (write-only)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ky_debitor.money import format_beloeb

from .definitioner import BELOEB, DATO, Rapport

XLSX_MAX_RAEKKER = 1_048_576


def _csv_vaerdi(value: Any, type_: str) -> str:
    if value is None:
        return ""
    if type_ == BELOEB or isinstance(value, Decimal):
        return format_beloeb(value)
    if type_ == DATO or isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def skriv_csv(rapport: Rapport, kommune_id: int, fil: IO[str]) -> int:
    """Write the report to a text file opened with ``encoding="utf-8-sig"``; returns rows."""
    writer = csv.writer(fil, delimiter=";", lineterminator="\r\n")
    writer.writerow([k.navn for k in rapport.kolonner])
    typer = [k.type for k in rapport.kolonner]
    n = 0
    for raekke in rapport.raekker(kommune_id):
        writer.writerow([_csv_vaerdi(v, t) for v, t in zip(raekke, typer, strict=True)])
        n += 1
    return n


def skriv_xlsx(rapport: Rapport, kommune_id: int, sti: str, *, kommune_navn: str) -> int:
    """Write the report as xlsx in openpyxl's write-only mode; a new sheet past 1,048,576 rows."""
    wb = Workbook(write_only=True)
    forside = wb.create_sheet("Om udtrækket")
    for label, value in (
        ("Rapport", rapport.titel),
        ("Kommune", kommune_navn),
        ("Udtrukket", timezone.localtime().strftime("%d-%m-%Y %H:%M")),
        ("Beskrivelse", rapport.beskrivelse),
    ):
        forside.append([label, value])
    bold = Font(bold=True)

    def nyt_ark(nummer: int) -> Any:
        ark = wb.create_sheet(
            rapport.titel[:28] if nummer == 1 else f"{rapport.titel[:24]} ({nummer})"
        )
        ark.freeze_panes = "A2"
        header = []
        for k in rapport.kolonner:
            cell = WriteOnlyCell(ark, value=k.overskrift)
            cell.font = bold
            header.append(cell)
        ark.append(header)
        return ark

    ark, arknr, i_ark, n = nyt_ark(1), 1, 1, 0
    for raekke in rapport.raekker(kommune_id):
        if i_ark >= XLSX_MAX_RAEKKER:
            arknr += 1
            ark, i_ark = nyt_ark(arknr), 1
        ark.append(list(raekke))
        i_ark += 1
        n += 1
    wb.save(sti)
    return n
