"""The debitorkonto page: facts, fordringer with totals, kontoudtog with running balance,
history and CPR look-ups. Showing it logs a CPR look-up; another kommune gets a 404."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fordringer.ledger.services import postering_tilbagefoer
from fordringer.tilknytning.services import debitorkonto_tilknyt
from ky_debitor.models import Opslag

from ..factories import DebitorkontoFactory
from .html import STREG, tabel, tekst


def vis(client, konto):
    return client.get(reverse("debitorkonto", args=[konto.pk]))


def test_konto_page_shows_facts_and_the_borger_with_full_cpr(alice_client, konto_med_historik):
    response = vis(alice_client, konto_med_historik.konto)
    assert response.status_code == 200
    assert tekst(response, "//h1").startswith("K-4711")
    assert tekst(response, "//*[@id='konto-cpr']") == "150582-4321"
    assert tekst(response, "//*[@id='konto-tilknytning']") == "Ikke tilknyttet"


def test_konto_page_lists_fordringer_with_restance_and_totals(alice_client, konto_med_historik):
    response = vis(alice_client, konto_med_historik.konto)
    fordringer = tabel(response, "//table[@id='konto-fordringer']")
    assert [r[0] for r in fordringer] == ["F-1", "F-2"]
    f1, f2 = fordringer
    assert f1[3] == "01-03-2024"
    assert f1[6:9] == ["1.000,00", "749,50", "250,50"]  # the parked dækning is on its claim
    assert f2[2] == f"01-02-2024 {STREG} 29-02-2024"
    assert f2[3] == "01-04-2024"
    assert f2[6:9] == ["500,00", "500,00", STREG]
    assert tekst(response, "//*[@id='total-hovedstol']") == "1.500,00"
    assert tekst(response, "//*[@id='total-restance']") == "1.249,50"
    assert tekst(response, "//*[@id='total-parkeret']") == "250,50"


def test_kontoudtog_is_in_date_order_with_the_running_balance(
    alice_client, konto_med_historik, bent
):
    # A reversal dated before the last line must land in date order, and the balance follow.
    daekning = konto_med_historik.foerste.posteringer.get(art="DAEKNING")
    postering_tilbagefoer(
        postering=daekning,
        user=bent,
        begrundelse="Forkert borger",
        valoerdato=dt.date(2025, 3, 2),
    )
    response = vis(alice_client, konto_med_historik.konto)
    linjer = tabel(response, "//table[@id='konto-kontoudtog']")
    assert [(r[0], r[1], r[4], r[5]) for r in linjer] == [
        ("01-03-2024", "F-1", "1.000,00", "1.000,00"),
        ("01-04-2024", "F-2", "500,00", "1.500,00"),
        ("01-03-2025", "F-1", "-250,50", "1.249,50"),
        ("02-03-2025", "F-1", "250,50", "1.500,00"),
    ]
    assert "Dækning" in linjer[2][2] and "Tilbageført" in linjer[2][2]
    assert linjer[3][2].startswith("Tilbageførsel")
    # The last balance is what the claims owe.
    assert tekst(response, "//*[@id='total-restance']") == "1.500,00"


def test_parked_daekning_is_marked_in_the_kontoudtog(alice_client, konto_med_historik):
    response = vis(alice_client, konto_med_historik.konto)
    linjer = tabel(response, "//table[@id='konto-kontoudtog']")
    assert "Parkeret" in linjer[2][2]
    assert "Parkeret" not in linjer[0][2]


def test_history_shows_who_did_what_on_konto_and_fordringer(
    alice_client, alice, konto_med_historik
):
    debitorkonto_tilknyt(
        konto=konto_med_historik.konto,
        bevilling=konto_med_historik.bevilling,
        sag=konto_med_historik.sag,
        user=alice,
        manual=True,
        begrundelse="Tjekket mod bevillingen",
    )
    response = vis(alice_client, konto_med_historik.konto)
    historik = tabel(response, "//table[@id='konto-historik']")
    udfoert_af = [r[1] for r in historik]
    beskrivelser = " | ".join(r[2] for r in historik)
    # The dækning booked by Bent on fordring F-1 and Alice's link of the konto, newest first.
    assert "Dækning -250,50 kr. bogført på fordring F-1" in beskrivelser
    assert "Debitorkonto K-4711 sagstilknyttet" in historik[0][2]
    assert alice.visningsnavn in udfoert_af
    assert any(r[3] == "Tjekket mod bevillingen" for r in historik)
    assert "af " + alice.visningsnavn in tekst(response, "//*[@id='konto-tilknytning']")


def test_showing_the_konto_logs_a_cpr_lookup_and_lists_it(alice_client, alice, konto_med_historik):
    konto = konto_med_historik.konto
    vis(alice_client, konto)
    response = vis(alice_client, konto)
    opslag = Opslag.objects.filter(objekt_type="fordringer.debitorkonto", objekt_id=str(konto.pk))
    assert [o.bruger for o in opslag] == [alice, alice]
    rows = tabel(response, "//table[@id='konto-opslag']")
    assert len(rows) == 2
    assert rows[0][1] == alice.visningsnavn


def test_olga_in_odense_gets_404_for_a_koebenhavn_konto(olga_client, konto_med_historik):
    response = vis(olga_client, konto_med_historik.konto)
    assert response.status_code == 404
    assert not Opslag.objects.exists()


def test_konto_without_fordringer(alice_client, karen):
    konto = DebitorkontoFactory.create(borger=karen)
    response = vis(alice_client, konto)
    assert response.status_code == 200
    assert "Der er ingen fordringer på kontoen." in response.content.decode()
