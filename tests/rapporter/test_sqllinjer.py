"""The big reports' lines made by PostgreSQL (``rapporter.sqllinjer``) are the same, character
for character, as the lines Python makes from the same rows (``rapporter.eksport``) — on text
built to break a formatter: quotes, semicolons, line breaks, formula characters, control
characters, markup, labels, negative and large amounts, missing dates.

And the file a person opens from either path reads the same: the xlsx through openpyxl."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fordringer.choices import KontoStatus, PosteringArt
from fordringer.ledger.services import postering_bogfoer
from rapporter import sqllinjer
from rapporter.definitioner import rapport_hent
from rapporter.eksport import (
    csv_raekke_linjer,
    skriv_xlsx,
    skriv_xlsx_linjer,
    xlsx_raekke_linjer,
)

from ..factories import BorgerFactory, FordringFactory, kommune

pytestmark = pytest.mark.postgres

SVAERE_TEKSTER = [
    'Jensen; "Karen"',
    "to\nlinjer og \r vognretur",
    '=HYPERLINK("http://x","klik")',
    "-2+3",
    "+1",
    "@SUM(A1)",
    "\t=1",
    "\uff1d1+1",
    "Karen\x01Jensen\x1f",
    "<b>fed</b> & 'citat'",
    "",
    " mellemrum foran og bagved ",
    "æøå ÆØÅ \u2013 €",
    "#N/A",
    "back\\slash %s %%",
]


@pytest.fixture
def svaere_data(db, bent):
    hovedstole = [Decimal("0.01"), Decimal("999999999999.99"), Decimal("1234.56")]
    restancer = [Decimal("123456.78"), Decimal("0.00"), Decimal("1000.00"), Decimal("0.01")]
    statusser = list(KontoStatus.values)
    for i, tekst in enumerate(SVAERE_TEKSTER):
        borger = BorgerFactory.create(navn=tekst or "Uden tekst", cpr=f"01018{i:05d}")
        fordring = FordringFactory.create(
            konto__borger=borger,
            konto__kontonummer=f"K-{i:02d}{tekst[:3]}",
            konto__status=statusser[i % len(statusser)],
            konto__kilde="KY" if i % 2 else "KMD_AKTIV",
            fordringsid=f"F-{i}",
            tekst=tekst,
            kmd_aktiv_reference=tekst[::-1],
            ydelseskode=tekst[:10],
            hovedstol=hovedstole[i % len(hovedstole)],
            restance=restancer[i % len(restancer)],
            periode_fra=None if i % 3 == 0 else dt.date(2024, 1, 1 + i),
            periode_til=None if i % 4 == 0 else dt.date(2024, 12, 31),
            forfaldsdato=dt.date(1999 + i, 2, 28),
        )
        if fordring.restance > 100:
            postering_bogfoer(
                fordring=fordring,
                art=PosteringArt.DAEKNING,
                beloeb=Decimal(f"{i}.5{i % 10}"),
                valoerdato=dt.date(2025, 2, 10),
                user=bent,
            )
        if i % 3 == 1:
            # Interest and a fee on every third claim, both reversed on every other of those.
            rente = (PosteringArt.RENTE, f"{i}.0{i % 10}")
            for art, beloeb in (rente, (PosteringArt.GEBYR, "1250")):
                postering = postering_bogfoer(
                    fordring=fordring,
                    art=art,
                    beloeb=Decimal(beloeb),
                    valoerdato=dt.date(2025, 3, 31),
                    user=bent,
                )
                if i % 2:
                    postering_bogfoer(
                        fordring=fordring,
                        art=PosteringArt.TILBAGEFOERSEL,
                        beloeb=postering.beloeb,
                        valoerdato=dt.date(2025, 4, 1),
                        user=bent,
                        tilbagefoerer=postering,
                    )
    # Another kommune's claim stays out of both.
    FordringFactory.create(konto__borger=BorgerFactory.create(kommune=kommune(461)))


@pytest.mark.parametrize("format", [sqllinjer.CSV, sqllinjer.XLSX])
@pytest.mark.parametrize(
    "filtre",
    [{}, {"daekning_fra": dt.date(2025, 1, 1)}, {"status": KontoStatus.AKTIV}],
    ids=["alle", "daekninger-fra", "status"],
)
def test_the_database_makes_the_same_lines_as_python(svaere_data, format, filtre):
    rapport = rapport_hent("detaljer_debitor")
    assert rapport.kilde is not None
    kilde = rapport.kilde(kommune(101).pk, filtre)
    python = list(
        (csv_raekke_linjer if format == sqllinjer.CSV else xlsx_raekke_linjer)(
            rapport.kolonner, kilde.raekker(chunk_size=3)
        )
    )

    database = list(sqllinjer.linjer(kilde, rapport.kolonner, format))

    assert len(python) >= 1
    assert database == python


def test_the_workbook_from_the_database_reads_as_the_one_from_python(svaere_data, tmp_path):
    rapport = rapport_hent("detaljer_debitor")
    assert rapport.kilde is not None
    kilde = rapport.kilde(kommune(101).pk, {})
    fra_python, fra_database = tmp_path / "python.xlsx", tmp_path / "database.xlsx"
    skriv_xlsx(rapport.kolonner, kilde.raekker(chunk_size=5), fra_python, arktitel="D", forside=[])
    skriv_xlsx_linjer(
        rapport.kolonner,
        sqllinjer.linjer(kilde, rapport.kolonner, sqllinjer.XLSX),
        fra_database,
        arktitel="D",
        forside=[],
        max_raekker=6,  # and continued on new sheets
    )

    def celler(sti):
        raekker = []
        for ark in load_workbook(sti).worksheets[1:]:
            for raekke in ark.iter_rows(min_row=2):
                raekker.append(
                    [(c.value, c.data_type, c.number_format, c.quotePrefix) for c in raekke]
                )
        return raekker

    python, database = celler(fra_python), celler(fra_database)
    assert len(python) == len(SVAERE_TEKSTER)
    assert database == python
    navn = [r[2] for r in python]
    assert ("Karen\ufffdJensen\ufffd", "s", "General", False) in navn
    assert ('=HYPERLINK("http://x","klik")', "s", "General", True) in navn
