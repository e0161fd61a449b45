""" "Vurder, saml og frigiv" found, not hunted for (issue #16): in real Chromium at 1366 px, Sara
goes from Mine opgaver to the worklist and on to a konto's samling screen. Every page passes
axe-core (0 serious/critical) and no card or table is wider than its place."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fordringer.models import MaanedligSamling

from ..fordringer.samling.samling_data import opret
from .conftest import tjek_side
from .test_ompostering import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Elements on the page wider than the box they sit in (clipped unless they scroll).
UDEN_FOR = """() => [...document.querySelectorAll('.card, .ky-oplysninger dd, main table')]
  .filter(e => !e.closest('.table--responsive-scroll') || e.tagName !== 'TABLE')
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.id || e.className || e.tagName) + ': ' + e.textContent.trim().slice(0, 40))"""
# One-word facts broken over two lines ("Ressourceforl øbsydelse").
BRUDTE_ORD = """() => [...document.querySelectorAll('.ky-oplysninger dd')]
  .filter(dd => !/\\s/.test(dd.textContent.trim()))
  .filter(dd => { const r = document.createRange(); r.selectNodeContents(dd);
                  return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1; })
  .map(dd => dd.textContent.trim())"""


@pytest.fixture
def konti(sara: Any) -> dict[str, Any]:
    """Rikke's running ressourceforløbsydelse beside her KY konto, and Karl's stopped
    kontanthjælp beside his."""
    return {
        "loebende": opret(
            cpr="0101901111",
            ydelseskode="RFY",
            loebende=True,
            tilbagebetalingspligt=True,
            periode_til=None,
        ),
        "stoppet": opret(cpr="0202902222"),
    }


def test_caseworker_goes_from_mine_opgaver_to_the_worklist_to_the_konto(
    konti: Any, sara: Any, side: Any
) -> None:
    log_paa(side, "sara")
    side.goto("/mine-opgaver/")
    tjek_side(side, "vurderingsliste-1-mine-opgaver")
    side.locator("#samling-liste-link").click()

    side.wait_for_url("**/samling/")
    assert side.get_by_role("heading", level=1).inner_text() == (
        "Vurder, saml og frigiv debitorkonto"
    )
    raekker = side.locator("#vurderingsliste tbody tr")
    assert raekker.count() == 2
    foerste = raekker.nth(0).inner_text()
    assert "KA-0101901111" in foerste and "Løbende med tilbagebetalingspligt" in foerste
    assert "KA-0202902222" in raekker.nth(1).inner_text()
    assert side.evaluate(UDEN_FOR) == []
    tjek_side(side, "vurderingsliste-2-liste")

    side.get_by_role("link", name="KA-0101901111").click()
    side.wait_for_url(f"**/konti/{konti['loebende'].kmd.pk}/samling/")
    assert side.locator("#fakta-loebende").inner_text() == "Ja"
    assert side.locator("#fakta-stoppet").inner_text() == "Nej"
    assert "Ressourceforløbsydelse" in side.locator("#konto-ka-0101901111").inner_text()
    assert side.evaluate(UDEN_FOR) == []
    assert side.evaluate(BRUDTE_ORD) == []
    tjek_side(side, "vurderingsliste-3-samling")


def test_a_monthly_samling_without_a_samling_needs_a_reason(
    konti: Any, sara: Any, side: Any
) -> None:
    """No samling since the payment run: "Markér som udført" alone is refused in Danish next to
    the field; with a reason the task is done."""
    idag = timezone.localdate()
    kmd = konti["loebende"].kmd
    samling = MaanedligSamling.objects.create(
        kommune_id=kmd.kommune_id,
        konto=kmd,
        maaned=idag.replace(day=1),
        udbetalingskoersel=idag,
        forfald=idag,
    )
    log_paa(side, "sara")
    side.goto("/mine-opgaver/")
    side.locator("#maanedlige-samlinger-link").click()
    assert side.locator(f"#samlet-{samling.pk}").inner_text() == "Nej"
    side.locator(f"#udfoert-{samling.pk}").click()
    fejl = side.locator(f"#begrundelse-{samling.pk}-error").inner_text()
    assert "Der er ikke samlet på debitorkonto KA-0101901111" in fejl
    assert side.evaluate(UDEN_FOR) == []
    tjek_side(side, "vurderingsliste-4-maanedlig-fejl")

    side.get_by_label("Begrundelse uden samling").fill("Ingen ny fordring i måneden")
    side.locator(f"#udfoert-{samling.pk}").click()
    assert "markeret som udført" in side.locator(".alert-success").inner_text()
    assert "Ingen ny fordring i måneden" in side.locator("#samlinger-udfoerte").inner_text()
    tjek_side(side, "vurderingsliste-5-maanedlig-udfoert")
