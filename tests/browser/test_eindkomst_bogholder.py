"""eIndkomst in real Chromium: the Bogholder records an amount the kommune reported by hand
and sees it netted in the reconciliation; the efterreguleringer and a konto's eIndkomst
section read right; in December the caseworker is warned about the closing income year.
axe finds nothing serious on any of the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from fordringer.choices import PosteringArt, Renteregime
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import EIndkomstManuel
from fordringer.tilknytning.services import debitorkonto_tilknyt

from .. import personas
from ..factories import BevillingFactory, BorgerFactory, FordringFactory
from ..fordringer.eindkomst.afstemning_data import borger_med_ll8o
from .conftest import tjek_side
from .test_opgaver import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# 10 December 2026: the 2026 income year closes on 31 January 2027.
NU = dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC)


@pytest.fixture
def data(transactional_db: None) -> dict[str, Any]:
    bent, alice = personas.bent(), personas.alice()
    erik, fordring = borger_med_ll8o(bogholder=bent)  # § 8 O 2026: 300,00
    # A dækning of 2025 released in February 2026: an efterregulering.
    sen = BorgerFactory.create(cpr="0707801234", navn="Sanne Sen")
    sen_fordring = FordringFactory.create(konto__borger=sen, renteregime=Renteregime.INGEN)
    with time_machine.travel(dt.datetime(2025, 11, 20, 9, tzinfo=dt.UTC)):
        postering_bogfoer(
            fordring=sen_fordring,
            art=PosteringArt.DAEKNING,
            beloeb=Decimal("80.00"),
            valoerdato=dt.date(2025, 11, 20),
            user=bent,
        )
    with time_machine.travel(dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)):
        debitorkonto_tilknyt(
            konto=sen_fordring.konto,
            bevilling=BevillingFactory.create(borger=sen, ydelseskode="KTH"),
            sag=None,
            user=alice,
            manual=True,
        )
    # A 2026 dækning still parked on an unlinked konto: Mine opgaver warns in December.
    venter = FordringFactory.create(konto__borger__navn="Vera Venter")
    postering_bogfoer(
        fordring=venter,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("50.00"),
        valoerdato=dt.date(2026, 10, 1),
        user=bent,
    )
    return {"erik": erik, "fordring": fordring}


def test_bogholder_records_by_hand_and_reads_the_reconciliation(data, side):
    with time_machine.travel(NU):
        log_paa(side, "bent")
        side.goto("/eindkomst/manuel/")
        side.get_by_label("CPR-nummer").fill("050282-4567")
        side.get_by_label("Indkomstår").fill("2026")
        side.get_by_label("Beløb (kr.)").fill("200,00")
        side.get_by_role("button", name="Registrér beløbet").click()
        side.wait_for_url("**/eindkomst/manuel/")
        assert "200,00 kr. for indkomståret 2026" in side.content()
        assert EIndkomstManuel.objects.get().beloeb == Decimal("200.00")
        tjek_side(side, "eindkomst-manuel")

        side.goto("/eindkomst/afstemning/?indkomstaar=2026")
        side.get_by_role("heading", name="eIndkomst-afstemning").wait_for()
        tjek_side(side, "eindkomst-afstemning")

        side.goto("/eindkomst/efterreguleringer/")
        raekker = side.locator("table tbody tr")
        assert raekker.count() == 1
        assert "80,00" in raekker.first.inner_text()
        tjek_side(side, "eindkomst-efterreguleringer")

        side.goto(f"/konti/{data['fordring'].konto_id}/")
        sektion = side.locator("#eindkomst-2026")
        assert "300,00" in sektion.inner_text()
        tjek_side(side, "eindkomst-konto")


def test_caseworker_is_warned_about_the_closing_income_year_in_december(data, side):
    with time_machine.travel(NU):
        log_paa(side, "alice")
        side.goto("/mine-opgaver/")
        advarsel = side.locator("#aarsafslutning-advarsel")
        assert advarsel.is_visible()
        assert "1 debitorkonto" in advarsel.inner_text()
        assert "31-01-2027" in advarsel.inner_text() or "31. januar 2027" in advarsel.inner_text()
        tjek_side(side, "mine-opgaver-aarsafslutning")
