"""Seed 004 afklaring b in the browser: a caseworker places an amount from the
sagsbehandlerfordeling list on the customer; the list is empty after. Axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fordringer.models import Kundekredit, Sagsbehandlerfordeling
from fordringer.ompostering.services import ompostering_opret
from ky_debitor.models import Enhed
from tests import personas
from tests.factories import BorgerFactory, DebitorkontoFactory
from tests.fordringer.ompostering.ompostering_data import IDAG, opret

from .conftest import ADGANGSKODE, tjek_side
from .test_grundskærme import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def til_carl(sara):
    bent = personas.bent()
    sag = opret(bent)
    carl = BorgerFactory.create(navn="Carl Carlsen", cpr="0404801234")
    DebitorkontoFactory.create(borger=carl, kontonummer="K-C")
    ompostering_opret(
        user=bent,
        daekning_ids=[sag.daekning.pk],
        aarsag_id=sag.aarsag.pk,
        til_borger_id=carl.pk,
        idag=IDAG,
    )
    return carl


def test_caseworker_places_an_amount_on_the_customer(til_carl, side):
    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")
    side.goto("/sagsbehandlerfordeling/")
    side.get_by_role("link", name="Fordel 500,00 kr. for Carl Carlsen").click()
    side.wait_for_url("**/sagsbehandlerfordeling/*/")
    assert "ingen udækkede fordringer" in side.locator("#sbf-ingen-fordringer").inner_text()
    tjek_side(side, "sagsbehandlerfordeling-post")

    side.get_by_role("button", name="Placér på kunden").click()
    assert "Skriv hvad der er gjort med beløbet." in side.locator("main").inner_text()
    tjek_side(side, "sagsbehandlerfordeling-post-fejl")

    side.get_by_label("Hvad er gjort med beløbet").fill("Carl får en fordring i næste måned")
    side.get_by_role("button", name="Placér på kunden").click()
    side.wait_for_url("**/sagsbehandlerfordeling/")
    tekst = side.locator("main").inner_text()
    assert "placeret på kunden" in tekst and "Carl Carlsen" not in tekst
    tjek_side(side, "sagsbehandlerfordeling-tom")
    assert Kundekredit.objects.get().borger_id == til_carl.pk


def test_caseworker_finds_the_credit_in_omposter_fordeling_and_sends_it_to_a_unit(
    til_carl, sara, side
):
    """Seed 004 trin 1-2: the search finds money on no claim as a negative amount; from there
    Sara opens the item and sends it on to the unit Opkrævning, whose list it is then on."""
    enhed = Enhed.objects.create(kommune_id=sara.kommune_id, navn="Opkrævning")
    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")
    side.goto(f"/borgere/{til_carl.pk}/ompostering/")
    side.get_by_label("Beløb fra (kr.)").fill("500,00")
    side.get_by_role("button", name="Søg").click()
    raekke = side.locator("#ompostering-kreditter tbody tr")
    expect(raekke).to_have_count(1)
    assert "Til fordeling" in raekke.inner_text() and "-500,00" in raekke.inner_text()
    tjek_side(side, "ompostering-kreditter")

    raekke.get_by_role("link", name="Behandl").click()
    side.wait_for_url("**/sagsbehandlerfordeling/*/")
    side.get_by_label("Send til").select_option(label="Enhed: Opkrævning")
    side.get_by_label("Begrundelse (valgfri)").fill("Opkrævningen kender Carl")
    side.get_by_role("button", name="Send videre").click()
    side.wait_for_url("**/sagsbehandlerfordeling/")
    expect(side.locator("main")).to_contain_text("Posten står nu på listen for Opkrævning.")
    assert "Opkrævning" in side.locator("#sagsbehandlerfordeling tbody tr").inner_text()
    tjek_side(side, "sagsbehandlerfordeling-sendt-videre")
    assert Sagsbehandlerfordeling.objects.get().adresseret_enhed == enhed
