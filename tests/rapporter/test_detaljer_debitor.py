"""Detaljer_Debitor: one row per fordring, Danish formats, the status column and the filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fordringer.choices import PosteringArt
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Fordring
from rapporter import sqllinjer
from rapporter.definitioner import rapport_hent
from rapporter.eksport import csv_raekke_linjer, xlsx_raekke_linjer

from ..factories import FordringFactory, kommune
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
    "renter",
    "gebyrer",
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
    hovedstol, renter, gebyrer, restance, daekket = ky[12], ky[13], ky[14], ky[15], ky[16]
    assert hovedstol.value == 1234.56 and hovedstol.number_format == "#,##0.00"
    assert (renter.value, gebyrer.value) == (0, 0) and renter.number_format == "#,##0.00"
    assert restance.value == 1100 and daekket.value == 134.56
    assert ky[11].value == dt.datetime(2024, 3, 15) and ky[11].number_format == "dd-mm-yyyy"
    assert ky[1].value == "1505824321" and ky[1].data_type == "s"  # CPR stays text
    assert ky[18].value == "Afventer frigivelse"
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


@pytest.fixture
def renter_og_gebyrer(db, bent):
    """F-RENTE: interest of 12,50 and 7,50 (the 7,50 reversed), a fee of 250,00 and a dækning
    of 100,00 (restance 1.000,00 + 12,50 + 250,00 - 100,00); F-INGEN: the hovedstol only."""
    med = FordringFactory.create(
        fordringsid="F-RENTE", konto__kontonummer="K-R", hovedstol=Decimal("1000.00")
    )
    FordringFactory.create(fordringsid="F-INGEN", konto__kontonummer="K-I")

    def bogfoer(art, beloeb, **kw):
        return postering_bogfoer(
            fordring=med,
            art=art,
            beloeb=Decimal(beloeb),
            valoerdato=dt.date(2025, 3, 31),
            user=bent,
            **kw,
        )

    bogfoer(PosteringArt.RENTE, "12.50")
    forkert = bogfoer(PosteringArt.RENTE, "7.50")
    bogfoer(PosteringArt.TILBAGEFOERSEL, "7.50", tilbagefoerer=forkert)
    bogfoer(PosteringArt.GEBYR, "250.00")
    bogfoer(PosteringArt.DAEKNING, "100.00")
    med.refresh_from_db()
    assert med.restance == Decimal("1162.50")


def test_renter_and_gebyrer_are_the_net_of_the_entries_less_their_reversals(
    renter_og_gebyrer, tmp_path
):
    rows = {r["fordringsid"]: r for r in laes_csv(koer_rapport("detaljer_debitor", tmp_path))}

    vaelg = ("hovedstol", "renter", "gebyrer", "restance", "daekninger")
    med = ["1.000,00", "12,50", "250,00", "1.162,50", "100,00"]
    assert [rows["F-RENTE"][k] for k in vaelg] == med
    assert [rows["F-INGEN"][k] for k in vaelg] == ["1.000,00", "0,00", "0,00", "1.000,00", "0,00"]


def test_the_period_of_daekninger_leaves_renter_and_gebyrer_whole(renter_og_gebyrer, tmp_path):
    efter = laes_csv(
        koer_rapport("detaljer_debitor", tmp_path, filtre=("daekning_fra=01-04-2025",))
    )

    med = next(r for r in efter if r["fordringsid"] == "F-RENTE")
    assert (med["renter"], med["gebyrer"], med["daekninger"]) == ("12,50", "250,00", "0,00")


def test_renter_and_gebyrer_in_the_workbook_are_typed_amounts(renter_og_gebyrer, tmp_path):
    _, ark = data_ark(koer_rapport("detaljer_debitor", tmp_path, format="xlsx"))

    header = [c.value for c in ark[1]]
    assert header[12:17] == ["Hovedstol", "Renter", "Gebyrer", "Restance", "Dækninger i perioden"]
    raekker = {r[4].value: r for r in ark.iter_rows(min_row=2)}
    med, uden = raekker["F-RENTE"], raekker["F-INGEN"]
    assert [c.value for c in med[12:17]] == [1000, 12.5, 250, 1162.5, 100]
    assert [c.value for c in uden[12:17]] == [1000, 0, 0, 1000, 0]
    assert {c.number_format for c in (*med[13:15], *uden[13:15])} == {"#,##0.00"}


def test_renter_and_gebyrer_as_python_rows_are_decimals(renter_og_gebyrer):
    rapport = rapport_hent("detaljer_debitor")
    navne = [k.navn for k in rapport.kolonner]
    rows = {
        r[navne.index("fordringsid")]: r for r in rapport.raekker(kommune(101).pk, {}, chunk_size=1)
    }

    i, j = navne.index("renter"), navne.index("gebyrer")
    assert (rows["F-RENTE"][i], rows["F-RENTE"][j]) == (Decimal("12.50"), Decimal("250.00"))
    assert (rows["F-INGEN"][i], rows["F-INGEN"][j]) == (Decimal("0.00"), Decimal("0.00"))
    assert all(type(r[i]) is Decimal and type(r[j]) is Decimal for r in rows.values())


@pytest.mark.postgres
@pytest.mark.parametrize("format", [sqllinjer.CSV, sqllinjer.XLSX])
def test_renter_and_gebyrer_made_by_the_database_match_python(renter_og_gebyrer, format):
    rapport = rapport_hent("detaljer_debitor")
    assert rapport.kilde is not None
    kilde = rapport.kilde(kommune(101).pk, {})
    python = list(
        (csv_raekke_linjer if format == sqllinjer.CSV else xlsx_raekke_linjer)(
            rapport.kolonner, kilde.raekker(chunk_size=1)
        )
    )

    database = list(sqllinjer.linjer(kilde, rapport.kolonner, format))

    assert database == python
    if format == sqllinjer.CSV:
        assert ";1.000,00;12,50;250,00;1.162,50;100,00;" in database[1]
        assert ";1.000,00;0,00;0,00;1.000,00;0,00;" in database[0]
