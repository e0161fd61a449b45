"""19.04 and 19.05 in the browser: from a konto to a claim's whole history, from there to the
payment that covered it and on to the borger it was moved to. Real Chromium, axe on each page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from tests import personas
from tests.fordringer.ompostering.ompostering_data import IDAG, opret

from .conftest import ADGANGSKODE, tjek_side
from .test_grundskærme import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def flyttet(sara):
    """Anna's 500,00 covered her claim FA; Bent moved it to Bo's claim FB."""
    bent = personas.bent()
    sag = opret(bent)
    ompostering_opret(
        user=bent,
        daekning_ids=[sag.daekning.pk],
        aarsag_id=sag.aarsag.pk,
        til_borger_id=sag.bo.pk,
        fordeling=[NyDaekning(sag.fb.pk, Decimal("500.00"))],
        idag=IDAG,
    )
    return sag


def test_caseworker_follows_a_moved_payment_from_claim_to_claim(flyttet, side):
    log_paa(side, "sara", ADGANGSKODE)
    side.wait_for_url("**/")
    side.goto(f"/konti/{flyttet.fa.konto_id}/")
    side.get_by_role("link", name="FA", exact=True).click()
    side.wait_for_url("**/fordringer/*/")
    assert side.get_by_role("heading", level=1).inner_text().startswith("FA")
    saldo = side.locator("#fordring-posteringer tbody tr td:last-child").all_inner_texts()
    assert saldo[-1] == side.locator("#fordring-restance").inner_text().removesuffix(" kr.")
    tjek_side(side, "fordring-fa")

    side.locator("#fordring-posteringer").get_by_role(
        "link", name=flyttet.indbetaling.indbetalingsid
    ).first.click()
    side.wait_for_url("**/indbetalinger/*/")
    assert side.locator("#indbetaling-daekker").inner_text() == "500,00 kr."
    daekket = side.locator("#indbetaling-daekninger tbody tr td:nth-child(3)").all_inner_texts()
    assert daekket == ["FA", "FA", "FB"]
    tjek_side(side, "indbetaling")

    side.locator("#indbetaling-daekninger").get_by_role("link", name="FB").click()
    side.wait_for_url("**/fordringer/*/")
    assert "Bo Berg" in side.locator("#fordring-oplysninger").inner_text()
