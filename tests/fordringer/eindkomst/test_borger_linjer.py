"""The eIndkomst section of the konto and borger pages: the borger's lines by income year with
art, ydelsestype, claim, amount, reversal and efterregulering markers, reported or not, and
the year's net — hand-computed below. Another borger's and another kommune's lines never."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordringer.choices import BeskedStatus
from fordringer.models import EIndkomstLinje
from tests.factories import BorgerFactory, kommune
from tests.screens.html import side, tabel, tekst

from .eindkomst_data import daekning, indberet, ky_fordring, ky_konto, paa, tilbagefoer

pytestmark = pytest.mark.django_db

D = dt.date
LL8O, KORR = "Fradrag efter LL § 8 O", "Korrektion af udbetalingsårets indkomst"


@pytest.fixture
def karen(bent):
    """Karen's lines, all written on 15 June 2026:

    2026: F-1 (kontanthjælp paid out 2024) 300,00 and 150,00 reversed → +300 +150 -150;
          F-2 (kontanthjælp paid out January 2026) 120,50 → a correction, -120,50;
          F-3 on her other konto (uddannelseshjælp, § 8 O from 2026) → +80,25.
          Net 300 + 150 - 150 - 120,50 + 80,25 = 259,75.
    2025: F-1 40,00 → +40,00, written after 31 January 2026: an efterregulering; reported.
    Bo (same kommune) and Karen's namesake in Odense have lines of their own."""
    with paa(D(2026, 6, 15)):
        borger = BorgerFactory.create(cpr="1505824321", navn="Karen Jensen")
        konto = ky_konto(borger, "K-KY")
        f1 = ky_fordring(konto, "F-1")
        f2 = ky_fordring(konto, "F-2", periode_fra=D(2026, 1, 1))
        f3 = ky_fordring(ky_konto(borger, "K-KY2"), "F-3", ydelseskode="UDH")
        tidligt = daekning(f1, "40.00", D(2025, 5, 1), bent)
        tre_hundrede = daekning(f1, "300.00", D(2026, 3, 1), bent)
        tilbagefoer(daekning(f1, "150.00", D(2026, 4, 1), bent), bent)
        daekning(f2, "120.50", D(2026, 5, 1), bent)
        daekning(f3, "80.25", D(2026, 6, 1), bent)

        bo = BorgerFactory.create(cpr="0101901111", navn="Bo Bosen")
        daekning(ky_fordring(ky_konto(bo, "K-BO"), "F-BO"), "999.99", D(2026, 3, 1), bent)
        navnesoester = BorgerFactory.create(kommune=kommune(461), cpr="1505824321")
        daekning(
            ky_fordring(ky_konto(navnesoester, "O-KY"), "F-ODENSE"), "777.77", D(2026, 3, 1), bent
        )
    indberet(EIndkomstLinje.objects.filter(postering=tidligt))
    indberet(EIndkomstLinje.objects.filter(postering=tre_hundrede), status=BeskedStatus.AFVENTER)
    return borger


AAR_2026 = [
    ["15-06-2026", LL8O, "Kontanthjælp", "F-1", "300,00", "Nej"],
    ["15-06-2026", LL8O, "Kontanthjælp", "F-1", "150,00", "Nej"],
    ["15-06-2026", f"{LL8O} Tilbageførsel", "Kontanthjælp", "F-1", "-150,00", "Nej"],
    ["15-06-2026", KORR, "Kontanthjælp", "F-2", "-120,50", "Nej"],
    ["15-06-2026", LL8O, "Uddannelseshjælp", "F-3", "80,25", "Nej"],
]
AAR_2025 = [["15-06-2026", f"{LL8O} Efterregulering", "Kontanthjælp", "F-1", "40,00", "Ja"]]


def _tjek_sektion(svar) -> None:
    assert svar.status_code == 200
    assert side(svar).xpath("//h3[starts-with(@id, 'eindkomst-')]/text()") == [
        "Indkomstår 2026",
        "Indkomstår 2025",
    ]
    assert tabel(svar, "//table[@id='eindkomst-2026']") == AAR_2026
    assert tekst(svar, "//*[@id='eindkomst-2026-i-alt']") == "259,75"
    assert tabel(svar, "//table[@id='eindkomst-2025']") == AAR_2025
    assert tekst(svar, "//*[@id='eindkomst-2025-i-alt']") == "40,00"
    indhold = svar.content.decode()
    assert "F-BO" not in indhold and "999,99" not in indhold
    assert "F-ODENSE" not in indhold and "777,77" not in indhold


def test_the_konto_page_shows_the_borgers_lines_by_year(client, karen, alice):
    client.force_login(alice)
    konto = karen.konti.get(kontonummer="K-KY")
    _tjek_sektion(client.get(reverse("debitorkonto", args=[konto.pk])))


def test_the_borger_page_shows_the_same(client, karen, pia):
    client.force_login(pia)
    _tjek_sektion(client.get(reverse("borger", args=[karen.pk])))


def test_a_borger_without_lines_is_told_so(client, alice):
    client.force_login(alice)
    borger = BorgerFactory.create()
    svar = client.get(reverse("borger", args=[borger.pk]))
    assert tekst(svar, "//*[@id='eindkomst-ingen']") == "Borgeren har ingen linjer til eIndkomst."


def test_more_lines_cost_no_more_queries(client, karen, alice, bent):
    client.force_login(alice)
    konto = karen.konti.get(kontonummer="K-KY")
    sider = [reverse("debitorkonto", args=[konto.pk]), reverse("borger", args=[karen.pk])]

    def antal() -> list[int]:
        maalt = []
        for url in sider:
            with CaptureQueriesContext(connection) as forespoergsler:
                assert client.get(url).status_code == 200
            maalt.append(len(forespoergsler))
        return maalt

    foer = antal()
    f1 = konto.fordringer.get(fordringsid="F-1")
    for _ in range(5):
        tilbagefoer(daekning(f1, "1.00", D(2026, 7, 1), bent), bent)
    # And a third income year: a correction of 2024.
    daekning(ky_fordring(konto, "F-4"), "2.00", D(2024, 6, 1), bent)
    assert EIndkomstLinje.objects.filter(cpr=karen.cpr, kommune=karen.kommune).count() == 6 + 10 + 1
    assert antal() == foer
