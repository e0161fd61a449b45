"""Detaljer_Debitor: one row per fordring, Danish formats, the status column and the filters."""

from __future__ import annotations

import datetime as dt

from fordringer.models import Fordring

from .conftest import data_ark, koer_rapport, laes_csv

KOLONNER = [
    "kontonummer",
    "cpr",
    "navn",
    "kilde",
    "fordringsid",
    "ydelsestype",
    "ydelseskode",
    "kmd_aktiv_reference",
    "tekst",
    "periode_fra",
    "periode_til",
    "forfaldsdato",
    "hovedstol",
    "restance",
    "daekninger",
    "opkraevningstilstand",
    "status",
    "frigivelsestype",
]


def test_csv_has_one_row_per_fordring_in_danish_format(rapportdata, tmp_path):
    rows = laes_csv(koer_rapport("detaljer_debitor", tmp_path))

    assert list(rows[0]) == KOLONNER
    assert {r["fordringsid"] for r in rows} == set(
        Fordring.objects.filter(kommune__kode=101).values_list("fordringsid", flat=True)
    )
    ky = next(r for r in rows if r["fordringsid"] == "F-KY")
    fordring = rapportdata["ky"]
    fordring.refresh_from_db()
    assert ky["cpr"] == "1505824321"
    assert ky["navn"] == "Karen Jensen"
    assert ky["hovedstol"] == "1.234,56"
    assert ky["restance"] == "1.100,00" and fordring.restance == 1100
    assert ky["daekninger"] == "134,56"
    assert ky["forfaldsdato"] == "15-03-2024"
    assert ky["periode_fra"] == "01-01-2024"
    assert ky["status"] == "Afventer frigivelse"
    assert ky["kilde"] == "KY"
    assert ky["ydelsestype"] == "Kontanthjælp"
    uden = next(r for r in rows if r["fordringsid"] == "F-UDEN")
    assert (uden["ydelsestype"], uden["ydelseskode"], uden["daekninger"]) == ("", "XXX", "0,00")


def test_xlsx_has_typed_cells_and_danish_formats(rapportdata, tmp_path):
    forside, ark = data_ark(koer_rapport("detaljer_debitor", tmp_path, format="xlsx"))

    header = [c.value for c in ark[1]]
    assert header[:5] == ["Kontonummer", "CPR-nummer", "Navn", "Kilde", "Fordrings-ID"]
    assert "Dækninger i perioden" in header and header[-2] == "Status"
    raekker = {r[4].value: r for r in ark.iter_rows(min_row=2)}
    assert len(raekker) == Fordring.objects.filter(kommune__kode=101).count()
    ky = raekker["F-KY"]
    hovedstol, restance, daekket = ky[12], ky[13], ky[14]
    assert hovedstol.value == 1234.56 and hovedstol.number_format == "#,##0.00"
    assert restance.value == 1100 and daekket.value == 134.56
    assert ky[11].value == dt.datetime(2024, 3, 15) and ky[11].number_format == "dd-mm-yyyy"
    assert ky[1].value == "1505824321" and ky[1].data_type == "s"  # CPR stays text
    assert ky[16].value == "Afventer frigivelse"
    assert forside["A1"].value == "Rapport" and forside["B1"].value == "Detaljer_Debitor"
    assert forside["B2"].value == "København Kommune (101)"


def test_filters_by_month_status_and_period_of_daekninger(rapportdata, tmp_path):
    marts = laes_csv(koer_rapport("detaljer_debitor", tmp_path, filtre=("maaned=03-2024",)))
    assert {r["fordringsid"] for r in marts} == {"F-KY", "F-STOP", "F-FRIGIVET"}

    afventer = laes_csv(
        koer_rapport("detaljer_debitor", tmp_path, filtre=("status=AFVENTER_FRIGIVELSE",))
    )
    assert [r["fordringsid"] for r in afventer] == ["F-KY"]

    periode = laes_csv(
        koer_rapport(
            "detaljer_debitor",
            tmp_path,
            filtre=("daekning_fra=01-01-2025", "daekning_til=31-03-2025"),
        )
    )
    assert next(r for r in periode if r["fordringsid"] == "F-KY")["daekninger"] == "100,00"


def test_front_sheet_names_the_filters(rapportdata, tmp_path):
    forside, ark = data_ark(
        koer_rapport(
            "detaljer_debitor",
            tmp_path,
            format="xlsx",
            filtre=("maaned=03-2024", "status=AFVENTER_FRIGIVELSE"),
        )
    )
    assert forside["B3"].value == "Oprettelsesmåned: 03-2024; Status: Afventer frigivelse"
    assert forside["A4"].value == "Udtrukket"
    assert [r[4].value for r in ark.iter_rows(min_row=2)] == ["F-KY"]
