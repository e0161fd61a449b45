"""Report data whose every text starts like a formula, and the checks of a produced file
(``test_formelinjektion``, ``test_formelinjektion_arbejder``; the fixture ``formeldata`` is in
``conftest.py``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from fordringer.choices import Kilde, PosteringArt, SagStatus, Tilknytning
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Fordring, Ydelsestype
from opgavepakker.models import Opgavepakke

from ..factories import BevillingFactory, BorgerFactory, FordringFactory, SagFactory, kommune

HYPERLINK = '=HYPERLINK("http://x","klik")'
PLUS, MINUS, SNABEL, TAB, CR = "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"
FORMLER = {HYPERLINK, PLUS, MINUS, SNABEL, TAB, CR}

# Which of the texts each report shows (the fixture puts them in these columns).
FORVENTET = {
    # navn, kontonummer, fordringsid, tekst, ydelseskode, KMD Aktiv reference
    "detaljer_debitor": {HYPERLINK, SNABEL, TAB, PLUS, MINUS, CR},
    # kontonummer, bevillingsnummer, sagsnummer
    "kmd_aktiv_sagstilknytning": {SNABEL, MINUS, CR},
    # opgavepakke and its årsag
    "opgavepakker_r21": {HYPERLINK, PLUS},
    # kontonummer, navn, sagsnummer, bevillingsnummer
    "manglende_ydelsestype": {SNABEL, HYPERLINK, CR, MINUS},
    # kontonummer, navn, sagsnummer, fordringsid
    "fordringer_stoppede_sager": {SNABEL, HYPERLINK, CR, TAB},
    # cpr, art and ydelsestype are the code's own: no text from an import
    "eindkomst": set(),
    # CPR, labels, codes and amounts only: nothing a person typed
    "eindkomst_afstemning": set(),
}
FORMATER = ("xlsx", "csv")
BELOEB_CSV = re.compile(r"-?\d{1,3}(\.\d{3})*,\d{2}")  # an amount the code wrote, e.g. -1.234,56


def formeldata_opret(bruger: Any) -> Fordring:
    """A linked KMD Aktiv konto on a closed sag whose every text starts like a formula, a
    dækning reversed in June (a negative "Dækninger i perioden" from June on), an
    opgavepakke with such a name, and a reported dækning on the borger's KY konto."""
    borger = BorgerFactory.create(cpr="1111111118", navn=HYPERLINK)
    sag = SagFactory.create(borger=borger, sagsnummer=CR, status=SagStatus.LUKKET)
    bevilling = BevillingFactory.create(borger=borger, sag=sag, bevillingsnummer=MINUS)
    fordring = FordringFactory.create(
        konto__borger=borger,
        konto__kontonummer=SNABEL,
        konto__sag=sag,
        konto__bevilling=bevilling,
        konto__tilknytning=Tilknytning.MANUEL,
        fordringsid=TAB,
        tekst=PLUS,
        ydelseskode=MINUS,
        ydelsestype=None,
        kmd_aktiv_reference=CR,
        hovedstol=Decimal("500.00"),
    )
    daekning = postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("100.00"),
        valoerdato=dt.date(2025, 2, 10),
        user=bruger,
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.TILBAGEFOERSEL,
        beloeb=Decimal("100.00"),
        valoerdato=dt.date(2025, 6, 1),
        tilbagefoerer=daekning,
        user=bruger,
    )
    Opgavepakke.objects.create(kommune=kommune(101), kode="FORMEL", navn=HYPERLINK, aarsag=PLUS)
    # A dækning on a KY claim of the same borger, reported at once: the eIndkomst report's row.
    ky = FordringFactory.create(
        konto__borger=borger,
        konto__kilde=Kilde.KY,
        konto__kontonummer="KY-FORMEL",
        ydelsestype=Ydelsestype.objects.get(kode="KONTANTHJAELP"),
    )
    postering_bogfoer(
        fordring=ky,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("50.00"),
        valoerdato=dt.date(2025, 3, 1),
        user=bruger,
    )
    return fordring


# --- Reading the files ---------------------------------------------------------------------------


def xlsx_celler(indhold: bytes) -> list[Any]:
    """Every non-empty cell of every sheet (front sheet included)."""
    wb = load_workbook(io.BytesIO(indhold))
    return [c for ark in wb.worksheets for r in ark.iter_rows() for c in r if c.value is not None]


def csv_raekker(indhold: bytes) -> list[list[str]]:
    # Not splitlines(): a field may hold a carriage return inside its quotes.
    tekst = indhold.decode("utf-8")
    assert tekst.startswith("\ufeff")
    return list(csv.reader(io.StringIO(tekst[1:], newline=""), delimiter=";"))


def assert_neutraliseret(indhold: bytes, format: str, forventet: set[str]) -> None:
    """No formula anywhere in the file, and exactly the ``forventet`` texts shown as text."""
    if format == "xlsx":
        celler = xlsx_celler(indhold)
        formler = [(c.coordinate, c.value) for c in celler if c.data_type == "f"]
        assert formler == [], f"formelceller i xlsx: {formler}"
        tekster = [c for c in celler if c.value in FORMLER]
        assert {c.value for c in tekster} == forventet  # shown as the text that came in
        assert all(c.data_type == "s" and c.quotePrefix for c in tekster)
    else:
        felter = [f for r in csv_raekker(indhold) for f in r]
        assert {f[1:] for f in felter if f.startswith("'")} >= forventet
        farlige = [
            f for f in felter if f[:1] and f[0] in "=+-@\t\r" and not BELOEB_CSV.fullmatch(f)
        ]
        assert farlige == [], f"CSV-felter der læses som formel: {farlige}"
