"""eIndkomst's deadline in real Chromium, on 10 December 2026: Sara is warned on Mine opgaver
that a konto still holds a parked dækning of 2026, opens the efterreguleringer (a dækning of
2025 released in February 2026), and from there the konto with its eIndkomst section. Every
page is checked with axe-core (0 serious/critical) and photographed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from ..factories import BorgerFactory
from ..fordringer.eindkomst.eindkomst_data import KOEBENHAVNSK, paa, parkeret_konto, tilknyt
from .conftest import tjek_side
from .test_ompostering import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def december(transactional_db: None) -> Iterator[None]:
    """The clock (of the test and the live server alike) runs from 10 December 2026."""
    with time_machine.travel(dt.datetime(2026, 12, 10, 9, 0, tzinfo=KOEBENHAVNSK), tick=True):
        yield


@pytest.fixture
def konti(december: None, sara: Any) -> dict[str, Any]:
    """K-PARK: a parked dækning of 2026, still unlinked. K-SEN: a dækning of 2025, parked
    until the konto was linked on 5 February 2026, after that year's deadline."""
    with paa(dt.date(2025, 10, 1)):
        sen = parkeret_konto(
            BorgerFactory.create(cpr="0303801234", navn="Sofie Sen"),
            kontonummer="K-SEN",
            beloeb="200.00",
            valoerdato=dt.date(2025, 10, 1),
            bruger=sara,
        )
    with paa(dt.date(2026, 2, 5)):
        tilknyt(sen, sara)
    park = parkeret_konto(
        BorgerFactory.create(cpr="0404801234", navn="Per Parkeret"),
        kontonummer="K-PARK",
        beloeb="75.00",
        valoerdato=dt.date(2026, 11, 2),
        bruger=sara,
    )
    return {"sen": sen, "park": park}


def test_december_warning_efterreguleringer_and_the_kontos_eindkomst(
    konti: dict[str, Any], sara: Any, side: Any
) -> None:
    log_paa(side, "sara")
    side.goto("/mine-opgaver/")
    advarsel = side.locator("#aarsafslutning-advarsel").inner_text()
    assert "1 debitorkonto har stadig parkerede dækninger fra 2026" in advarsel
    assert "inden 31-01-2027" in advarsel
    assert side.locator("#aarsafslutning-konti").inner_text() == "1"
    tjek_side(side, "eindkomst-1-mine-opgaver-december")

    side.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Efterreguleringer"
    ).first.click()
    raekker = side.locator("#efterreguleringer tbody tr")
    expect(raekker).to_have_count(1)  # waits for the new page; count() alone would not
    tekst = raekker.first.inner_text()
    assert "K-SEN" in tekst and "2025" in tekst and "200,00" in tekst and "05-02-2026" in tekst
    tjek_side(side, "eindkomst-2-efterreguleringer")

    side.get_by_role("link", name="K-SEN").click()
    aaret = side.locator("#eindkomst-2025").inner_text()
    assert "Efterregulering" in aaret and "200,00" in aaret
    assert side.locator("#eindkomst-2025-i-alt").inner_text() == "200,00"
    tjek_side(side, "eindkomst-3-konto")
