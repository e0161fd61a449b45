"""The start page shows the kommune, the person and the kommune's key figures."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from fordringer.choices import Tilknytning

from ..factories import BorgerFactory, DebitorkontoFactory, FordringFactory, SagFactory, kommune
from .html import tekst


def test_start_page_shows_kommune_person_and_roles(alice_client, alice):
    response = alice_client.get(reverse("start"))
    assert response.status_code == 200
    assert tekst(response, "//h1") == "København Kommune"
    side = response.content.decode()
    assert alice.get_full_name() in side
    assert "Sagsbehandler" in side


def test_start_page_counts_only_own_kommunes_kmd_aktiv_konti(alice_client, konto_med_historik):
    karen = konto_med_historik.borger
    # One more KMD Aktiv konto, linked to a sag; a KY konto that is not counted.
    linket = DebitorkontoFactory.create(
        borger=karen,
        sag=SagFactory.create(borger=karen),
        tilknytning=Tilknytning.AUTOMATISK,
    )
    FordringFactory.create(konto=linket, hovedstol=Decimal("1234.56"))
    FordringFactory.create(konto=DebitorkontoFactory.create(borger=karen, ky=True))
    # Odense's konto must not be counted in København.
    ole = BorgerFactory.create(kommune=kommune(461))
    FordringFactory.create(konto=DebitorkontoFactory.create(borger=ole))

    response = alice_client.get(reverse("start"))

    assert tekst(response, "//*[@id='tal-konti']") == "2"
    assert tekst(response, "//*[@id='tal-tilknyttet']") == "1"
    assert tekst(response, "//*[@id='tal-ikke-tilknyttet']") == "1"
    assert tekst(response, "//*[@id='tal-parkeret']") == "250,50 kr."
    # 1.000,00 - 250,50 + 500,00 + 1.234,56
    assert tekst(response, "//*[@id='tal-restance']") == "2.484,06 kr."


def test_start_page_has_the_search_box_posting_by_htmx(alice_client):
    response = alice_client.get(reverse("start"))
    (form,) = [f for f in _forms(response) if f.get("role") == "search"]
    assert form.get("method") == "post"
    assert form.get("hx-post") == reverse("borger_soeg")
    assert form.get("action") == reverse("borger_soeg")


def _forms(response):
    from .html import side

    return side(response).xpath("//form")
