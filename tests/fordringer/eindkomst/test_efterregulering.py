"""Efterreguleringer (seed 002): a parked dækning released after its income year's deadline
(31 January the year after) gives a line marked efterregulering, and the kommune's list shows
it; one released on 31 January does not. Screen and API, another kommune's never."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.eindkomst.efterregulering import efterreguleringer
from fordringer.models import EIndkomstLinje
from tests.factories import BorgerFactory, kommune

from .eindkomst_data import indberet, paa, parkeret_konto, tilknyt

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def udloeb(bent, alice, olga):
    """Three København konti with parked dækninger of 2026 and one of 2025, and one in Odense,
    linked on either side of the deadline."""
    k = {}
    with paa(D(2026, 6, 10)):
        k["sen"] = parkeret_konto(
            BorgerFactory.create(cpr="0303801234", navn="Sofie Sen"),
            kontonummer="K-SEN",
            beloeb="200.00",
            valoerdato=D(2026, 6, 10),
            bruger=bent,
        )
        k["rettid"] = parkeret_konto(
            BorgerFactory.create(cpr="0404801234", navn="Rasmus Rettid"),
            kontonummer="K-RETTID",
            beloeb="75.00",
            valoerdato=D(2026, 6, 10),
            bruger=bent,
        )
        k["aeldre"] = parkeret_konto(
            BorgerFactory.create(cpr="0505801234", navn="Ælle Ældre"),
            kontonummer="K-2025",
            beloeb="33.33",
            valoerdato=D(2025, 9, 1),
            bruger=bent,
        )
        k["odense"] = parkeret_konto(
            BorgerFactory.create(kommune=kommune(461), cpr="0606801234", navn="Otto Odense"),
            kontonummer="O-SEN",
            beloeb="500.00",
            valoerdato=D(2026, 6, 10),
            bruger=olga,
        )
    with paa(D(2027, 1, 31)):
        tilknyt(k["rettid"], alice)
    with paa(D(2027, 2, 1)):
        tilknyt(k["sen"], alice)
        tilknyt(k["aeldre"], alice)
        tilknyt(k["odense"], olga)
    return k


def test_a_release_after_the_deadline_is_an_efterregulering_and_on_31_january_it_is_not(
    udloeb, alice
):
    sen = EIndkomstLinje.objects.get(postering__fordring__konto=udloeb["sen"])
    assert (sen.indkomstaar, sen.beloeb, sen.efterregulering) == (2026, Decimal("200.00"), True)
    rettid = EIndkomstLinje.objects.get(postering__fordring__konto=udloeb["rettid"])
    assert (rettid.indkomstaar, rettid.efterregulering) == (2026, False)

    linjer = list(efterreguleringer(user=alice))
    assert [linje.postering.fordring.konto.kontonummer for linje in linjer] == ["K-2025", "K-SEN"]
    assert [
        linje.postering.fordring.konto.kontonummer
        for linje in efterreguleringer(user=alice, indkomstaar=2026)
    ] == ["K-SEN"]


def test_the_screen_lists_the_kommunes_efterreguleringer_by_income_year(client, udloeb, bent):
    client.force_login(bent)  # the Bogholder may read it
    svar = client.get(reverse("efterreguleringer"))
    assert svar.status_code == 200
    tekst = svar.content.decode()
    assert "2 efterreguleringer" in tekst
    assert "K-SEN" in tekst and "K-2025" in tekst
    assert "K-RETTID" not in tekst and "O-SEN" not in tekst
    # Masked CPR, the written date, the amount, not reported yet.
    assert "030380-****" in tekst and "0303801234" not in tekst
    assert "01-02-2027" in tekst and "200,00" in tekst and "33,33" in tekst
    assert "Ikke endnu" in tekst

    svar = client.get(reverse("efterreguleringer"), {"indkomstaar": "2025"})
    tekst = svar.content.decode()
    assert "1 efterregulering for indkomståret 2025" in tekst
    assert "K-2025" in tekst and "K-SEN" not in tekst


def test_a_reported_efterregulering_says_so(client, udloeb, pia):
    indberet(EIndkomstLinje.objects.filter(postering__fordring__konto=udloeb["sen"]))
    client.force_login(pia)
    svar = client.get(reverse("efterreguleringer"), {"indkomstaar": "2026"})
    raekke = next(linje for linje in svar.content.decode().split("<tr") if "K-SEN" in linje)
    assert "<td>Ja</td>" in raekke


def test_a_year_not_offered_is_refused_with_a_danish_message(client, udloeb, alice):
    client.force_login(alice)
    svar = client.get(reverse("efterreguleringer"), {"indkomstaar": "1999"})
    assert svar.status_code == 400
    assert "Vælg et af indkomstårene på listen." in svar.content.decode()


def test_the_list_pages_by_25(client, udloeb, alice):
    sen = EIndkomstLinje.objects.get(postering__fordring__konto=udloeb["sen"])
    # A line and its reversal, 13 times over: 26 more lines of 2026, written late.
    for _ in range(13):
        with paa(D(2027, 3, 1)):
            ny = EIndkomstLinje.objects.create(
                kommune_id=sen.kommune_id,
                postering=sen.postering,
                art=sen.art,
                cpr=sen.cpr,
                indkomstaar=2026,
                beloeb=Decimal("1.00"),
                ydelsestype=sen.ydelsestype,
                efterregulering=True,
            )
            EIndkomstLinje.objects.create(
                kommune_id=sen.kommune_id,
                postering=sen.postering,
                art=sen.art,
                cpr=sen.cpr,
                indkomstaar=2026,
                beloeb=Decimal("-1.00"),
                ydelsestype=sen.ydelsestype,
                tilbagefoerer=ny,
                efterregulering=True,
            )
    client.force_login(alice)
    foerste = client.get(reverse("efterreguleringer"), {"indkomstaar": "2026"})
    assert foerste.context["side"].paginator.count == 27
    assert len(foerste.context["side"].object_list) == 25
    assert "indkomstaar=2026&amp;side=2" in foerste.content.decode()
    anden = client.get(reverse("efterreguleringer"), {"indkomstaar": "2026", "side": "2"})
    assert [linje.beloeb for linje in anden.context["side"].object_list] == [
        Decimal("1.00"),
        Decimal("200.00"),
    ]


def test_the_api_lists_the_same_lines(udloeb, alice):
    api = APIClient()
    api.force_login(alice)
    svar = api.get(reverse("api:eindkomst_efterreguleringer"), {"indkomstaar": 2026})
    assert svar.status_code == 200
    (linje,) = svar.json()["results"]
    assert linje["kontonummer"] == "K-SEN" and linje["cpr"] == "030380-****"
    assert (linje["indkomstaar"], linje["beloeb"], linje["art"]) == (2026, "200.00", "LL8O")
    assert linje["ydelsestype_kode"] == "KONTANTHJAELP" and linje["indberettet"] is False

    alle = api.get(reverse("api:eindkomst_efterreguleringer")).json()["results"]
    assert {linje["kontonummer"] for linje in alle} == {"K-SEN", "K-2025"}

    fejl = api.get(reverse("api:eindkomst_efterreguleringer"), {"indkomstaar": "abc"})
    assert fejl.status_code == 400
    assert fejl.json()["felter"]["indkomstaar"] == ["Skriv indkomståret som et årstal, fx 2026."]


def test_another_kommune_sees_only_its_own(client, udloeb, olga):
    client.force_login(olga)
    tekst = client.get(reverse("efterreguleringer")).content.decode()
    assert "O-SEN" in tekst
    assert "K-SEN" not in tekst and "K-2025" not in tekst and "030380" not in tekst
    api = APIClient()
    api.force_login(olga)
    alle = api.get(reverse("api:eindkomst_efterreguleringer")).json()["results"]
    assert [linje["kontonummer"] for linje in alle] == ["O-SEN"]


def test_drift_may_not_read_the_list(client, dina):
    client.force_login(dina)
    assert client.get(reverse("efterreguleringer")).status_code == 403
