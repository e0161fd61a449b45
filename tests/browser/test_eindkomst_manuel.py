"""eIndkomst by hand and the reconciliation in real Chromium: Bent, a Bogholder, records the
200,00 the kommune reported by hand for Erik (after a refused negative amount), sees the
reconciliation net it out of Erik's 300,00, and again once a batch netted 200,00 and sent
100,00; then he cancels the amount. Every page is checked with axe-core (0 serious/critical)
and photographed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fordringer.models import EIndkomstLinje, EIndkomstManuel

from .. import personas
from ..fordringer.eindkomst.afstemning_data import borger_med_ll8o, forsendelse
from .conftest import tjek_side
from .test_ompostering import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def bent(transactional_db: None) -> Any:
    return personas.bent()


@pytest.fixture
def erik(bent: Any) -> Any:
    """Erik repaid 300,00 of his 2024 kontanthjælp in March 2026: § 8 O 300,00 in 2026."""
    return borger_med_ll8o(bogholder=bent)[0]


def test_bogholder_records_a_by_hand_amount_and_reconciles_it(
    erik: Any, bent: Any, side: Any
) -> None:
    log_paa(side, "bent")
    side.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="eIndkomst", exact=True
    ).click()
    side.get_by_label("Indkomstår", exact=True).select_option("2026")
    side.get_by_role("button", name="Vis").click()
    assert side.locator("#total-afventer").inner_text() == "300,00"
    assert side.locator("#total-forskel").inner_text() == "0,00"
    assert side.locator("#ingen-forskelle").is_visible()
    tjek_side(side, "eindkomst-1-afstemning")

    side.get_by_role("link", name="Manuelt indberettede beløb").click()
    side.get_by_label("CPR-nummer").fill("050282-4567")
    side.get_by_label("Indkomstår", exact=True).fill("2026")
    side.get_by_label("Beløb (kr.)").fill("-200,00")
    side.get_by_role("button", name="Registrér beløbet").click()
    assert "Beløbet skal være større end 0,00 kr." in side.locator("#manuel-fejl").inner_text()
    assert not EIndkomstManuel.objects.exists()
    tjek_side(side, "eindkomst-2-fejl")

    side.get_by_label("Beløb (kr.)").fill("200,00")
    side.get_by_label("Tekst (valgfri)").fill("Indberettet i eIndkomst 12-03-2026")
    side.get_by_role("button", name="Registrér beløbet").click()
    assert (
        "200,00 kr. for indkomståret 2026 er registreret"
        in side.locator(".alert-success").inner_text()
    )
    raekke = side.locator("#manuelle tbody tr").first
    assert "050282-****" in raekke.inner_text() and "Erik Eriksen" in raekke.inner_text()
    tjek_side(side, "eindkomst-3-registreret")

    # A batch nets the 200,00 and sends 100,00; the receiver acknowledges it.
    forsendelse(linjer=[EIndkomstLinje.objects.get()], modregnet=Decimal("200.00"))
    side.get_by_role("link", name="Afstemning").click()
    side.get_by_label("Indkomstår", exact=True).select_option("2026")
    side.get_by_role("button", name="Vis").click()
    for felt, beloeb in (
        ("forventet", "300,00"),
        ("indberettet", "100,00"),
        ("manuelt", "200,00"),
        ("modregnet", "200,00"),
        ("afventer", "0,00"),
        ("forskel", "0,00"),
        ("manuelt-rest", "0,00"),
    ):
        assert side.locator(f"#total-{felt}").inner_text() == beloeb, felt
    tjek_side(side, "eindkomst-4-afstemt")

    # Cancelled after it was netted: a difference on Erik's row.
    side.get_by_role("link", name="Manuelt indberettede beløb").click()
    row = EIndkomstManuel.objects.get()
    side.locator(f"#begrundelse-{row.pk}").fill("Indberettet på forkert borger")
    side.locator(f"#annuller-{row.pk}").click()
    assert "er annulleret" in side.locator(".alert-success").inner_text()
    side.get_by_role("link", name="Afstemning").click()
    side.get_by_label("Indkomstår", exact=True).select_option("2026")
    side.get_by_role("button", name="Vis").click()
    forskelle = side.locator("#afstemning-forskelle").inner_text()
    assert "050282-****" in forskelle and "-200,00" in forskelle
    tjek_side(side, "eindkomst-5-forskel")
