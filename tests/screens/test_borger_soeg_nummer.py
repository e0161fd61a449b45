"""Searching by kontonummer or fordrings-ID (issue #16): the hit leads to the konto and its
borger; the search still posts, so no CPR number reaches a URL."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from .html import side, tabel

KONTI = "//table[@id='kontotraef-tabel']"
BORGERE = "//table[@id='soegeresultat-tabel']"


def soeg(client, q, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("borger_soeg"), {"q": q}, headers=headers)


@pytest.mark.parametrize("htmx", [False, True])
def test_a_kontonummer_leads_to_the_konto_and_its_borger(alice_client, konto_med_historik, htmx):
    konto = konto_med_historik.konto
    svar = soeg(alice_client, " K-4711 ", htmx=htmx)
    assert tabel(svar, KONTI) == [["K-4711", "Kontonummer K-4711", "Karen Jensen", "150582-****"]]
    links = [a.get("href") for a in side(svar).xpath(f"{KONTI}//a")]
    assert links == [
        reverse("debitorkonto", args=[konto.pk]),
        reverse("borger", args=[konto.borger_id]),
    ]
    assert not side(svar).xpath(BORGERE)  # the name table is not repeated for the same hit


def test_a_fordringsid_leads_to_the_konto_of_the_claim(alice_client, konto_med_historik):
    svar = soeg(alice_client, "F-2")
    assert tabel(svar, KONTI) == [["K-4711", "Fordrings-ID F-2", "Karen Jensen", "150582-****"]]


def test_the_field_says_in_danish_what_it_takes(alice_client):
    dom = side(alice_client.get(reverse("borger_soeg")))
    (label,) = dom.xpath("//label[@for='id_q']")
    assert label.text_content().strip() == "CPR-nummer eller navn, kontonummer eller fordrings-ID"
    (hint,) = dom.xpath("//span[@id='id_q-hint']")
    assert "kontonummer (fx" in hint.text_content() and "fordrings-ID (fx" in hint.text_content()


def test_a_cpr_search_still_finds_the_borger_and_no_url_holds_the_cpr(
    alice_client, konto_med_historik
):
    svar = soeg(alice_client, "150582-4321")
    assert tabel(svar, BORGERE) == [["Karen Jensen", "150582-****", "1", "1"]]
    assert not side(svar).xpath(KONTI)
    (form,) = side(svar).xpath("//form[@role='search']")
    assert form.get("method") == "post"
    urls = side(svar).xpath("//@href | //@action | //@hx-post | //@hx-get")
    assert not [u for u in urls if "1505824321" in u or "150582-4321" in u]


def test_another_kommunes_kontonummer_and_fordringsid_find_nothing(olga_client, konto_med_historik):
    for q in ("K-4711", "F-1"):
        svar = soeg(olga_client, q)
        assert "Ingen borgere i kommunen matcher søgningen." in svar.content.decode()
        assert "Karen" not in svar.content.decode()


def test_the_api_search_takes_a_fordringsid_too(alice, konto_med_historik):
    api = APIClient()
    api.force_login(alice)
    svar = api.post(reverse("api:borger_soeg"), {"q": "F-1"}, format="json")
    assert svar.status_code == 200
    (traef,) = svar.json()
    assert traef["konto"] == konto_med_historik.konto.pk
    assert traef["fundet_paa"] == "Fordrings-ID F-1"
    assert traef["cpr"] == "150582-****"
