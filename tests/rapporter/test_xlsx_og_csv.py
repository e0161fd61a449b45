"""The writers: xlsx layout (bold frozen header, autofilter, widths, formats, sheets) and CSV.

The continuation past Excel's 1,048,576 rows per sheet is tested with the limit as a
parameter of the writer: 10 rows with room for 4 per sheet (plus the header) must give three
sheets. The code path is the same as with the real limit, and no test writes a million rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ky_debitor.money import parse_beloeb
from rapporter.definitioner import BELOEB, DATO, HELTAL, Kolonne
from rapporter.eksport import XLSX_MAX_RAEKKER, arknavn, csv_linjer, skriv_xlsx

from .conftest import csv_fra_bytes, koer_rapport

KOLONNER = (
    Kolonne("nr", "Nummer", HELTAL),
    Kolonne("tekst", "Tekst"),
    Kolonne("beloeb", "Beløb", BELOEB),
    Kolonne("dato", "Dato", DATO),
)


def _raekker(n):
    for i in range(1, n + 1):
        yield (i, f"Række {i}", Decimal(f"{i}234.5{i % 10}"), dt.date(2024, 1, i))


def test_rows_continue_on_new_sheets_with_the_header_repeated(tmp_path):
    sti = tmp_path / "ark.xlsx"
    n = skriv_xlsx(
        KOLONNER,
        _raekker(10),
        sti,
        arktitel="Test",
        forside=[("Rapport", "Test")],
        max_raekker=5,
    )

    wb = load_workbook(sti)
    assert n == 10
    assert wb.sheetnames == ["Om udtrækket", "Test", "Test (2)", "Test (3)"]
    data = []
    for ark in wb.worksheets[1:]:
        assert [c.value for c in ark[1]] == ["Nummer", "Tekst", "Beløb", "Dato"]
        assert ark.max_row <= 5
        assert ark.freeze_panes == "A2"
        data += [r[0] for r in ark.iter_rows(min_row=2, values_only=True)]
    assert data == list(range(1, 11))
    assert wb["Test (3)"].auto_filter.ref == "A1:D3"
    assert XLSX_MAX_RAEKKER == 1_048_576  # the real limit the parameter defaults to


def test_header_is_bold_frozen_filtered_and_columns_are_formatted(tmp_path):
    sti = tmp_path / "format.xlsx"
    skriv_xlsx(KOLONNER, _raekker(3), sti, arktitel="Format", forside=[("Rapport", "Format")])

    ark = load_workbook(sti)["Format"]
    assert all(c.font.bold for c in ark[1])
    assert ark.freeze_panes == "A2"
    assert ark.auto_filter.ref == "A1:D4"
    assert ark.column_dimensions["B"].width >= 16
    beloeb, dato = ark["C2"], ark["D2"]
    assert beloeb.value == 1234.51 and beloeb.number_format == "#,##0.00"
    assert dato.value == dt.datetime(2024, 1, 1) and dato.number_format == "dd-mm-yyyy"
    assert ark["A2"].value == 1 and ark["A2"].data_type == "n"


def test_sheet_names_are_valid_excel_names():
    assert arknavn("KMD Aktiv fordringers opgavepakker R2.1") == "KMD Aktiv fordringers opgavepak"
    assert len(arknavn("x" * 40)) == 31
    assert arknavn("a/b:c?") == "a b c"


def test_csv_stream_is_semicolon_utf8_bom_with_danish_amounts_and_dates():
    indhold = b"".join(csv_linjer(KOLONNER, _raekker(2)))
    rows = csv_fra_bytes(indhold)
    assert rows[0] == {"nr": "1", "tekst": "Række 1", "beloeb": "1.234,51", "dato": "01-01-2024"}
    assert b"\r\n" in indhold


@pytest.mark.skipif(
    shutil.which("libreoffice") is None,
    reason="LibreOffice er ikke installeret (Debian-pakken libreoffice-calc); "
    "xlsx-filen sammenlignes derfor ikke med LibreOffices læsning",
)
def test_libreoffice_reads_the_same_values_as_the_csv(rapportdata, tmp_path):
    xlsx = koer_rapport("detaljer_debitor", tmp_path, format="xlsx")
    eget = koer_rapport("detaljer_debitor", tmp_path, format="csv")
    ud = tmp_path / "lo"
    # Sheet 2 holds the data (sheet 1 is the front sheet); 59 = semicolon, 76 = UTF-8.
    subprocess.run(
        [
            str(shutil.which("libreoffice")),
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,2",
            "--outdir",
            str(ud),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    lo_fil = next(ud.glob("*.csv"))
    with open(lo_fil, encoding="utf-8-sig", newline="") as fil:
        lo = list(csv.reader(fil, delimiter=";"))
    with open(eget, encoding="utf-8-sig", newline="") as fil:
        vores = list(csv.reader(fil, delimiter=";"))
    assert len(lo) == len(vores)
    kolonner = vores[0]
    for lo_raekke, raekke in zip(lo[1:], vores[1:], strict=True):
        for navn in ("kontonummer", "cpr", "fordringsid"):
            i = kolonner.index(navn)
            assert lo_raekke[i] == raekke[i]
        # LibreOffice writes the cell's value (not "as shown"): a plain number with a point.
        i = kolonner.index("hovedstol")
        assert Decimal(lo_raekke[i]) == parse_beloeb(raekke[i])
