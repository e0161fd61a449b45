"""The worklist "Vurder, saml og frigiv" (issue #16): which KMD Aktiv konti wait for a decision,
in which order, on the screen and in the API, reachable from "Mine opgaver"."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.choices import Frigivelsestype, SagStatus, SamlingBeslutningType
from fordringer.samling.services import samlingsbeslutning_opret
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune

from .samling_data import Samlingsdata, opret

pytestmark = pytest.mark.django_db


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _raekker(side: str) -> list[str]:
    return re.findall(r'<tr data-kontonummer="([^"]+)">', side)


@pytest.fixture
def konti(alice) -> dict[str, Samlingsdata]:
    """Karl-like borgere in København, each with a KMD Aktiv konto beside a KY konto."""
    d = {
        "loebende": opret(
            cpr="0101801111", loebende=True, tilbagebetalingspligt=True, periode_til=None
        ),
        "oevrig": opret(cpr="0202802222", periode_til=None),
        "stoppet": opret(cpr="0303803333"),  # the bevilling ended 31-12-2024
        "lukket": opret(
            cpr="0404804444", loebende=True, tilbagebetalingspligt=True, periode_til=None
        ),
        "besluttet": opret(cpr="0505805555", periode_til=None),
        "frigivet": opret(
            cpr="0606806666", periode_til=None, frigivelsestype=Frigivelsestype.FRIGIVET
        ),
    }
    d["lukket"].sag.status = SagStatus.LUKKET
    d["lukket"].sag.save()
    samlingsbeslutning_opret(
        user=alice,
        konto_id=d["besluttet"].kmd.pk,
        beslutning=SamlingBeslutningType.INGEN_SAMLING,
        begrundelse="Skal ikke samles",
    )
    # A KMD Aktiv konto whose borger has no KY konto, and Odense's konto beside a KY konto.
    alene = BorgerFactory.create(kommune=kommune(101), navn="Alene Aktiv")
    FordringFactory.create(konto=DebitorkontoFactory.create(borger=alene, kontonummer="KA-ALENE"))
    opret(kode=461, periode_til=None)
    return d


def test_running_benefits_first_stopped_last_and_decided_or_released_konti_left_out(konti, alice):
    side = klient(alice).get(reverse("samling_liste")).content.decode()
    forventet = [
        konti["loebende"].kmd.kontonummer,
        konti["oevrig"].kmd.kontonummer,
        # Both stopped: by the sag (closed) and by the bevilling's period; then by number.
        *sorted([konti["stoppet"].kmd.kontonummer, konti["lukket"].kmd.kontonummer]),
    ]
    assert _raekker(side) == forventet
    assert "4 debitorkonti venter på vurdering" in side
    assert "KA-ALENE" not in side and "KA-461" not in side
    # Each row leads to the konto's own "Vurder, saml og frigiv" screen.
    loebende = konti["loebende"].kmd
    assert f'href="{reverse("samling_vurder", args=[loebende.pk])}"' in side
    assert "Løbende med tilbagebetalingspligt" in side
    assert "1.500,00" in side  # the konto's restance


def test_a_decision_takes_the_konto_off_the_list(konti, alice):
    c = klient(alice)
    oevrig = konti["oevrig"]
    c.post(
        reverse("samling_beslut", args=[oevrig.kmd.pk]),
        {"beslutning": "SAML", "ky_konto": oevrig.ky.pk, "begrundelse": "Samme ydelse"},
    )
    side = c.get(reverse("samling_liste")).content.decode()
    assert oevrig.kmd.kontonummer not in _raekker(side)
    assert len(_raekker(side)) == 3


def test_the_list_is_paginated_with_the_same_number_of_queries_for_few_and_many(alice):
    for n in range(3):
        opret(cpr=f"10108{n:05d}", periode_til=None)
    c = klient(alice)
    c.get(reverse("samling_liste"))  # session and permissions warmed up
    with CaptureQueriesContext(connection) as faa:
        c.get(reverse("samling_liste"))
    for n in range(3, 30):
        opret(cpr=f"10108{n:05d}", periode_til=None)
    with CaptureQueriesContext(connection) as mange:
        foerste = c.get(reverse("samling_liste")).content.decode()
    assert len(mange) == len(faa)
    assert len(_raekker(foerste)) == 25 and "Side 1 af 2" in foerste
    anden = c.get(reverse("samling_liste"), {"side": 2}).content.decode()
    assert len(_raekker(anden)) == 5
    assert not set(_raekker(foerste)) & set(_raekker(anden))


def test_reachable_from_mine_opgaver_and_the_header(alice):
    side = klient(alice).get(reverse("mine_opgaver")).content.decode()
    link = f'href="{reverse("samling_liste")}"'
    assert f'<a {link} id="samling-liste-link">' in side
    # The header's menu, on a wide screen and in the mobile drawer.
    assert side.count(f'<a {link} class="nav-link">') == 2


def test_the_api_lists_the_same_konti_in_the_same_order(konti, alice):
    api = APIClient()
    api.force_login(alice)
    svar = api.get(reverse("api:samling_vurderingsliste"))
    assert svar.status_code == 200
    data = svar.json()
    assert data["count"] == 4
    raekker = data["results"]
    assert [r["kontonummer"] for r in raekker] == _raekker(
        klient(alice).get(reverse("samling_liste")).content.decode()
    )
    foerste = raekker[0]
    assert foerste["loebende_med_tilbagebetalingspligt"] is True
    assert foerste["sag_stoppet"] is False
    assert Decimal(foerste["restance"]) == Decimal("1500.00")
    assert [r["sag_stoppet"] for r in raekker] == [False, False, True, True]


def test_the_roles_that_may_see_the_samling_screen_see_the_list_and_others_do_not(
    konti, pia, bent, dina, olga
):
    for person in (pia, bent):
        assert klient(person).get(reverse("samling_liste")).status_code == 200
    assert klient(dina).get(reverse("samling_liste")).status_code == 403
    api = APIClient()
    api.force_login(dina)
    assert api.get(reverse("api:samling_vurderingsliste")).status_code == 403
    # Odense sees only its own konto.
    side = klient(olga).get(reverse("samling_liste")).content.decode()
    assert _raekker(side) == ["KA-461"]
