"""The borger page shows the full CPR number, and every showing of it is logged."""

from __future__ import annotations

from django.urls import reverse

from ky_debitor.models import Opslag

from .html import STREG, tabel, tekst


def test_borger_page_shows_cpr_konti_bevillinger_and_sager(alice_client, konto_med_historik):
    karen = konto_med_historik.borger
    response = alice_client.get(reverse("borger", args=[karen.pk]))
    assert response.status_code == 200
    assert tekst(response, "//h1") == "Karen Jensen"
    assert tekst(response, "//*[@id='borger-cpr']") == "150582-4321"
    konti = tabel(response, "//table[@id='borger-konti']")
    assert konti == [
        [
            "K-4711",
            "KMD Aktiv",
            "Aktiv",
            "Ikke frigivet",
            "Ikke tilknyttet",
            STREG,
            "1.249,50",
            "250,50",
        ]
    ]
    bevillinger = tabel(response, "//table[@id='borger-bevillinger']")
    assert bevillinger[0][0] == "B-KAREN-1"
    assert bevillinger[0][2] == f"01-01-2023 {STREG} 31-12-2024"
    assert bevillinger[0][5] == "SAG-KAREN-1"
    sager = tabel(response, "//table[@id='borger-sager']")
    assert sager[0][0] == "SAG-KAREN-1"


def test_pages_with_a_full_cpr_are_never_cached(alice_client, konto_med_historik):
    for url in (
        reverse("borger", args=[konto_med_historik.borger.pk]),
        reverse("debitorkonto", args=[konto_med_historik.konto.pk]),
    ):
        assert "no-store" in alice_client.get(url)["Cache-Control"]


def test_every_showing_of_the_borger_page_is_logged(alice_client, alice, karen):
    alice_client.get(reverse("borger", args=[karen.pk]))
    alice_client.get(reverse("borger", args=[karen.pk]))
    opslag = Opslag.objects.filter(objekt_type="fordringer.borger", objekt_id=str(karen.pk))
    assert opslag.count() == 2
    assert {o.bruger for o in opslag} == {alice}
    assert {o.kommune_id for o in opslag} == {karen.kommune_id}


def test_olga_in_odense_gets_404_for_a_koebenhavn_borger_and_nothing_is_logged(olga_client, karen):
    response = olga_client.get(reverse("borger", args=[karen.pk]))
    assert response.status_code == 404
    assert "1505824321" not in response.content.decode()
    assert not Opslag.objects.exists()
