"""The ways out of the sagsbehandlerfordeling list in real Chromium: Bent pays Anna's waiting
amount out to a lawyer (refused first without a CVR number), Birgit rejects the payout so the
amount is back on the list, and Bent pays it back to Anna, who paid it.

Every page is checked with axe-core (0 serious/critical) and photographed (see conftest).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fordringer.models import Sagsbehandlerfordeling, Udbetaling
from fordringer.ompostering.services import ompostering_opret

from .. import personas
from ..fordringer.ompostering.ompostering_data import IDAG, opret
from .conftest import tjek_side
from .test_ompostering import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def post(transactional_db: None) -> Any:
    """Anna's 500,00 rolled back from her claim, waiting on the list."""
    bent = personas.bent()
    personas.birgit()
    sag = opret(bent)
    ompostering_opret(user=bent, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk, idag=IDAG)
    return Sagsbehandlerfordeling.objects.get()


def test_pay_out_reject_back_to_the_list_then_return_to_the_payer(post: Any, side: Any) -> None:
    log_paa(side, "bent")
    side.goto(f"/sagsbehandlerfordeling/{post.pk}/")
    assert "Anna Andersen" in side.locator("#tilbagebetal-hjaelp").inner_text()
    tjek_side(side, "sbf-udbetal-1-post")

    side.get_by_label("Hvad er gjort med beløbet").fill("Udbetales til boets advokat")
    side.get_by_label("En ny modtager, fx en advokat eller bobestyrer").check()
    side.get_by_label("Navn", exact=True).fill("Advokat Hansen")
    side.get_by_label("Udbetalingsform").select_option(label="NemKonto")
    side.get_by_role("button", name="Send til udbetaling").click()
    assert "kræver modtagerens CPR- eller CVR-nummer" in (
        side.locator("#ompostering-fejl").inner_text()
    )
    assert not Udbetaling.objects.exists()
    tjek_side(side, "sbf-udbetal-2-fejl")

    side.get_by_label("CVR- eller CPR-nummer").fill("12345674")
    side.get_by_role("button", name="Send til udbetaling").click()
    assert "afventer godkendelse" in side.locator(".alert-success").inner_text()
    udbetaling = Udbetaling.objects.get()
    assert udbetaling.modtager_navn == "Advokat Hansen"

    side.context.clear_cookies()
    log_paa(side, "birgit")
    side.goto("/udbetalinger/")
    assert f"Sagsbehandlerfordeling, post {post.pk}" in side.locator("#udbetalinger").inner_text()
    tjek_side(side, "sbf-udbetal-3-udbetalinger")
    side.get_by_label("Begrundelse").fill("Mangler skifterettens afgørelse")
    side.locator(f"#afvis-{udbetaling.pk}").click()
    assert "afvist" in side.locator(".alert-success").inner_text()

    ny = Sagsbehandlerfordeling.objects.get(behandlet__isnull=True)
    assert ny.beloeb == Decimal("500.00")
    side.context.clear_cookies()
    log_paa(side, "bent")
    side.goto(f"/sagsbehandlerfordeling/{ny.pk}/")
    side.get_by_label("Hvad er gjort med beløbet").fill("Anna har betalt for meget")
    side.get_by_role("button", name="Tilbagebetal til indbetaler").click()
    assert "Anna Andersen" in side.locator(".alert-success").inner_text()
    retur = Udbetaling.objects.get(status="AFVENTER")
    assert (retur.kanal, retur.modtager_navn) == ("NEMKONTO", "Anna Andersen")
    assert not Sagsbehandlerfordeling.objects.filter(behandlet__isnull=True).exists()
