"""A reminder from the claim's page in the browser: the page says what the next reminder
carries, one press sends it and books its fee, and the page then says when the next may go.
Real Chromium, axe on the page before and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fordringer.choices import PosteringArt, Renteregime
from fordringer.models import Dokument, Fordring
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune

from .conftest import ADGANGSKODE, tjek_side
from .test_grundskærme import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_caseworker_sends_a_reminder_with_its_fee_from_the_claim_page(sara, side):
    idag = timezone.localdate()
    konto = DebitorkontoFactory.create(
        borger=BorgerFactory.create(kommune=kommune(101), navn="Rikke Rykker"), ky=True
    )
    f = FordringFactory.create(
        konto=konto,
        hovedstol=Decimal("5000.00"),
        forfaldsdato=idag - dt.timedelta(days=30),
        renteregime=Renteregime.OPKRAEVNINGSLOVEN_7,
    )
    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")
    side.goto(f"/fordringer/{f.pk}/")
    assert side.locator("#rykker-niveau").inner_text() == "0"
    knap = side.get_by_role("button", name="Send rykker med gebyr på 250,00 kr.")
    tjek_side(side, "fordring-foer-rykker")

    side.get_by_label("Bemærkning til historikken (valgfri)").fill("Ingen betaling modtaget")
    knap.click()
    side.wait_for_url("**/fordringer/*/#rykker")
    assert "bogført et rykkergebyr på 250,00 kr." in side.locator(".alert-success").inner_text()
    assert side.locator("#fordring-restance").inner_text() == "5.250,00 kr."
    assert side.locator("#rykker-niveau").inner_text() == "1"
    naeste = (idag + dt.timedelta(days=10)).strftime("%d-%m-%Y")
    assert f"den næste kan sendes fra {naeste}" in side.locator("#rykker-afvist").inner_text()
    assert side.get_by_role("button", name="Send rykker", exact=False).count() == 0
    assert side.locator("#rykker-breve li").count() == 1
    gebyr = side.locator("#fordring-posteringer tbody tr").filter(has_text="Rykkergebyr")
    assert gebyr.count() == 1
    tjek_side(side, "fordring-efter-rykker")

    f = Fordring.objects.get(pk=f.pk)
    assert f.posteringer.filter(art=PosteringArt.GEBYR).count() == 1
    assert Dokument.objects.filter(fordring=f).count() == 1
