"""Formula injection (OWASP "CSV injection"): text from an import never becomes a formula.

Names, claim texts, references and numbers that start with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return reach every report, in both formats, by every way a file leaves the system:
the command, the screen's direct download, the stored export (screen and API) (the Celery worker's
stored export: ``test_formelinjektion_arbejder``). The xlsx shows the text in a text cell (never a
formula); the CSV field starts with ``'``. Amounts stay numbers: a negative amount is a numeric
xlsx cell with the amount format and ``-100,00`` without a prefix in the CSV.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from fordringer.importer import import_kmd_aktiv
from rapporter.definitioner import BELOEB, RAPPORTER, Kolonne
from rapporter.eksport import csv_linjer, skriv_xlsx
from rapporter.models import Eksport, EksportStatus

from ..fordringer.importer.test_import import grunddata, skriv_udtraek
from .conftest import koer_rapport
from .formler import (
    FORMATER,
    FORVENTET,
    HYPERLINK,
    MINUS,
    PLUS,
    SNABEL,
    assert_neutraliseret,
    csv_raekker,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Every report, every format, every way out ------------------------------------------------


def _hent_direkte(client: Any, rapport: str, format: str) -> bytes:
    svar = client.post(reverse("udtraek_hent"), {"rapport": rapport, "format": format})
    assert svar.status_code == 200, svar.content[:500]
    return b"".join(svar.streaming_content)


@pytest.mark.parametrize("format", FORMATER)
@pytest.mark.parametrize("rapport", list(RAPPORTER))
def test_command_writes_no_formula(formeldata, tmp_path, rapport, format):
    fil = koer_rapport(rapport, tmp_path, format=format)
    assert_neutraliseret(fil.read_bytes(), format, FORVENTET[rapport])


@pytest.mark.parametrize("format", FORMATER)
@pytest.mark.parametrize("rapport", list(RAPPORTER))
def test_screen_download_has_no_formula(client, pia, formeldata, rapport, format):
    client.force_login(pia)
    assert_neutraliseret(_hent_direkte(client, rapport, format), format, FORVENTET[rapport])


@pytest.mark.parametrize("format", FORMATER)
@pytest.mark.parametrize("rapport", list(RAPPORTER))
def test_stored_export_from_the_screen_has_no_formula(
    client, pia, formeldata, settings, django_capture_on_commit_callbacks, rapport, format
):
    settings.KY_EKSPORT_GRAENSE = -1  # every download, an empty one too, becomes a stored export
    client.force_login(pia)
    with django_capture_on_commit_callbacks(execute=True):
        svar = client.post(reverse("udtraek_hent"), {"rapport": rapport, "format": format})
    assert svar.status_code == 302
    eksport = Eksport.objects.get()
    assert eksport.status == EksportStatus.FAERDIG
    fil = client.get(reverse("eksport_fil", args=[eksport.pk]))
    assert_neutraliseret(b"".join(fil.streaming_content), format, FORVENTET[rapport])


@pytest.mark.parametrize("format", FORMATER)
@pytest.mark.parametrize("rapport", list(RAPPORTER))
def test_export_through_the_api_has_no_formula(
    pia, formeldata, django_capture_on_commit_callbacks, rapport, format
):
    api = APIClient()
    api.force_login(pia)
    with django_capture_on_commit_callbacks(execute=True):
        svar = api.post(
            reverse("api:eksport_bestil"),
            {"rapport": rapport, "format": format},
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"formel-{rapport}-{format}",
        )
    assert svar.status_code == 201, svar.content
    fil = api.get(reverse("api:eksport_fil", args=[svar.json()["id"]]))
    assert fil.status_code == 200
    assert_neutraliseret(fil.getvalue(), format, FORVENTET[rapport])


def test_names_and_texts_from_a_kmd_aktiv_import_are_text_in_both_formats(db, tmp_path):
    data = grunddata()
    data["debitorkonti.csv"][0][-1] = HYPERLINK  # Anne's name on K1
    data["fordringer.csv"][0][5] = PLUS  # the text of F1
    data["fordringer.csv"][1][5] = SNABEL  # the text of F2
    import_kmd_aktiv(skriv_udtraek(tmp_path / "udtraek", data))

    for format in FORMATER:
        fil = koer_rapport("detaljer_debitor", tmp_path, format=format)
        assert_neutraliseret(fil.read_bytes(), format, {HYPERLINK, PLUS, SNABEL})


# --- Amounts stay numbers ---------------------------------------------------------------------


def test_a_negative_amount_stays_a_number_in_both_formats(formeldata, tmp_path):
    filtre = ("daekning_fra=01-06-2025",)  # only the reversal: -100,00 dækket in the period
    xlsx = koer_rapport("detaljer_debitor", tmp_path, format="xlsx", filtre=filtre)
    ark = load_workbook(xlsx).worksheets[1]
    overskrift = [c.value for c in ark[1]]
    celle = ark.cell(row=2, column=overskrift.index("Dækninger i perioden") + 1)
    assert celle.value == -100 and celle.data_type == "n"
    assert celle.number_format == "#,##0.00"
    hovedstol = ark.cell(row=2, column=overskrift.index("Hovedstol") + 1)
    assert hovedstol.value == 500 and hovedstol.data_type == "n"

    rows = csv_raekker(
        koer_rapport("detaljer_debitor", tmp_path, format="csv", filtre=filtre).read_bytes()
    )
    raekke = dict(zip(rows[0], rows[1], strict=True))
    assert raekke["daekninger"] == "-100,00"
    assert raekke["hovedstol"] == "500,00"
    assert raekke["tekst"] == "'" + PLUS


def test_the_writer_prefixes_text_only_and_keeps_numbers_and_dates_typed(tmp_path):
    kolonner = (Kolonne("tekst", "Tekst"), Kolonne("beloeb", "Beløb", BELOEB))
    raekker = [
        (MINUS, Decimal("-1234.56")),
        ("-", Decimal("0.00")),
        ("\n=1", None),
        ("\uff1d1+1", None),  # fullwidth equals sign
        ("Karen = Jensen", Decimal("1.00")),
    ]
    rows = csv_raekker(b"".join(csv_linjer(kolonner, raekker)))
    assert rows[1:] == [
        ["'-2+3", "-1.234,56"],
        ["'-", "0,00"],
        ["'\n=1", ""],
        ["'\uff1d1+1", ""],
        ["Karen = Jensen", "1,00"],
    ]

    sti = tmp_path / "skriver.xlsx"
    skriv_xlsx(kolonner, raekker, sti, arktitel="T", forside=[("Filtre", "=1+1")])
    wb = load_workbook(sti)
    forside = wb.worksheets[0]["B1"]
    assert forside.value == "=1+1" and forside.data_type == "s" and forside.quotePrefix
    ark = wb.worksheets[1]
    assert ark["A2"].value == MINUS and ark["A2"].data_type == "s" and ark["A2"].quotePrefix
    assert ark["B2"].value == -1234.56 and ark["B2"].data_type == "n"
    assert ark["B2"].number_format == "#,##0.00"
    assert ark["A6"].value == "Karen = Jensen" and not ark["A6"].quotePrefix


# --- LibreOffice shows the text, it does not calculate it -------------------------------------


@pytest.mark.skipif(
    shutil.which("libreoffice") is None,
    reason="LibreOffice er ikke installeret (Debian-pakken libreoffice-calc)",
)
def test_libreoffice_shows_the_text_and_calculates_nothing(formeldata, tmp_path):
    xlsx = koer_rapport("detaljer_debitor", tmp_path, format="xlsx")
    ud = tmp_path / "lo"
    # Sheet 2 holds the data (sheet 1 is the front sheet); 59 = semicolon, 76 = UTF-8; the
    # cells are written as shown.
    subprocess.run(
        [
            str(shutil.which("libreoffice")),
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,2",
            "--outdir",
            str(ud),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with open(next(ud.glob("*.csv")), encoding="utf-8-sig", newline="") as fil:
        lo = list(csv.reader(fil, delimiter=";"))
    raekke = dict(zip(lo[0], lo[1], strict=True))
    assert raekke["Navn"] == HYPERLINK  # not "klik", the link text of a live formula
    assert raekke["Tekst"] == PLUS  # not 2
    assert raekke["Ydelseskode"] == MINUS  # not 1
    assert raekke["Kontonummer"] == SNABEL


def test_a_control_character_or_an_error_word_in_imported_text_stays_text_in_xlsx(tmp_path):
    """A name with a control character (an odd byte in an extract) used to stop the whole
    xlsx report; ``#N/A`` became an error cell. Both are shown as text now."""
    kolonner = (Kolonne("navn", "Navn"), Kolonne("beloeb", "Beløb", BELOEB))
    raekker = [("Karen\x01Jensen", Decimal("1.00")), ("#N/A", Decimal("2.00"))]
    sti = tmp_path / "styretegn.xlsx"
    skriv_xlsx(kolonner, raekker, sti, arktitel="T", forside=[])
    ark = load_workbook(sti).worksheets[1]
    assert (ark["A2"].value, ark["A2"].data_type) == ("Karen\ufffdJensen", "s")
    assert (ark["A3"].value, ark["A3"].data_type) == ("#N/A", "s")
    assert ark["B3"].value == 2 and ark["B3"].data_type == "n"
