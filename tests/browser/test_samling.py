""" "Vurder, saml og frigiv debitorkonto" in real Chromium: Sara opens Karl's KMD Aktiv konto,
assesses it beside his KY konto, merges it, and the KY konto's kontoudtog shows the merged
claims. Every page is checked with axe-core (0 serious/critical) and photographed."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fordringer.choices import BeskedType
from fordringer.models import MaanedligSamling, UdgaaendeBesked

from ..fordringer.samling.samling_data import opret
from .conftest import tjek_side
from .test_ompostering import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def karl(sara: Any) -> Any:
    return opret(loebende=True, tilbagebetalingspligt=True, periode_til=None)


def test_caseworker_assesses_and_merges_a_kmd_aktiv_konto(
    karl: Any, sara: Any, side: Any, tmp_path: Any, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path
    log_paa(side, "sara")
    side.goto(f"/konti/{karl.kmd.pk}/")
    side.get_by_role("link", name="Vurder, saml og frigiv debitorkonto").click()
    assert side.locator("#fakta-loebende").inner_text() == "Ja"
    assert "skal den samles hver måned" in side.locator("#samling-regler").inner_text()
    tjek_side(side, "samling-1-vurder")

    # No reason: a Danish error, nothing saved.
    side.get_by_label("Saml med KY-debitorkontoen").check()
    side.get_by_role("button", name="Gem beslutning").click()
    assert "Skriv en begrundelse" in side.locator("#samling-fejl").inner_text()
    tjek_side(side, "samling-2-fejl")

    side.get_by_label("Saml med KY-debitorkontoen").check()
    side.get_by_label("KY-debitorkonto", exact=True).select_option(label="KY-101")
    side.get_by_label("Begrundelse").fill("Samme borger og samme kontanthjælpsbevilling")
    side.get_by_role("button", name="Gem beslutning").click()
    assert "samlet i KY-101" in side.locator(".alert-success").inner_text()
    assert "Samme borger og samme" in side.locator("#samling-historik").inner_text()
    tjek_side(side, "samling-3-samlet")

    side.goto(f"/konti/{karl.ky.pk}/")
    udtog = side.locator("#konto-kontoudtog").inner_text()
    assert udtog.count("Samlet fra konto KA-101") == 2
    assert side.locator("#total-restance").inner_text() == "1.800,00"
    tjek_side(side, "samling-4-ky-kontoudtog")
    assert UdgaaendeBesked.objects.filter(type=BeskedType.SF1590_B_04).count() == 1

    # The follow-up task of the next payment run, due today, is marked done from the list.
    idag = timezone.localdate()
    samling = MaanedligSamling.objects.create(
        kommune_id=karl.kmd.kommune_id,
        konto=karl.kmd,
        maaned=idag.replace(day=1),
        udbetalingskoersel=idag,
        forfald=idag,
    )
    side.goto("/mine-opgaver/")
    side.get_by_role("link", name="Månedlig samling af løbende").click()
    assert "KA-101" in side.locator("#samlinger-i-dag").inner_text()
    tjek_side(side, "samling-5-maanedlige")
    side.locator(f"#udfoert-{samling.pk}").click()
    assert "markeret som udført" in side.locator(".alert-success").inner_text()
    assert "Sara" in side.locator("#samlinger-udfoerte").inner_text()
