"""Omposter fordeling in real Chromium: a Bogholder moves Anna's payment to Bo's claim and
pays the rest out to a lawyer with a letter; a second Bogholder approves the payout.

Every page is checked with axe-core (0 serious/critical) and photographed (see conftest).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from fordringer.choices import BeskedType
from fordringer.models import Fordring, Ompostering, Udbetaling, UdgaaendeBesked
from fordringer.ompostering.services import NyDaekning, ompostering_opret

from .. import personas
from ..factories import FordringFactory
from ..fordringer.ompostering.ompostering_data import IDAG, opret
from .conftest import ADGANGSKODE, tjek_side

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_paa(side: Any, brugernavn: str) -> None:
    side.goto("/log-paa/")
    side.get_by_label("Brugernavn").fill(brugernavn)
    side.get_by_label("Adgangskode").fill(ADGANGSKODE)
    side.get_by_role("button", name="Log på").click()
    side.wait_for_url(lambda url: "log-paa" not in url)


@pytest.fixture
def bogholdere(transactional_db: None) -> tuple[Any, Any]:
    return personas.bent(), personas.birgit()


@pytest.fixture
def data(bogholdere: tuple[Any, Any]) -> Any:
    return opret(bogholdere[0])


def test_wizard_to_another_borger_with_payout_to_a_lawyer_then_approval(
    data: Any, bogholdere: tuple[Any, Any], side: Any, tmp_path: Any, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path
    log_paa(side, "bent")
    side.goto(f"/borgere/{data.anna.pk}/")
    side.get_by_role("link", name="Omposter fordeling").click()
    tjek_side(side, "ompostering-1-soeg")

    # Seed 004 ValiderSøgeKriterier: "BeløbTil" alone is refused in Danish.
    side.get_by_label("Beløb til (kr.)").fill("600,00")
    side.get_by_role("button", name="Søg").click()
    assert "Beløb til må ikke være udfyldt alene." in side.locator("#ompostering-fejl").inner_text()
    tjek_side(side, "ompostering-1-soegefejl")

    side.get_by_label("Beløb fra (kr.)").fill("400,00")
    side.get_by_role("button", name="Søg").click()
    side.locator(f"#daekning-{data.daekning.pk}").check()
    side.get_by_label("Omposter til en anden borger (CPR-nummer)").fill("030380-1234")
    tjek_side(side, "ompostering-1-valgt")
    side.get_by_role("button", name="Omposter de valgte").click()
    assert "030380" not in side.url

    assert "Bo Berg" in side.locator("#anden-borger").inner_text()
    tjek_side(side, "ompostering-2-bekraeft")
    side.get_by_role("button", name="Bekræft og vælg ny fordeling").click()

    side.get_by_label("Dæk fordring FB med (kr.)").fill("200,00")
    side.get_by_label("Beløb til udbetaling (kr.)").fill("300,00")
    side.get_by_label("Årsag").select_option(label=data.aarsag.tekst)
    side.get_by_label("En ny modtager, fx en advokat eller bobestyrer").check()
    side.get_by_label("Navn", exact=True).fill("Advokat Hansen")
    side.get_by_label("CVR- eller CPR-nummer").fill("12345674")
    side.get_by_label("Note til modtageren").fill("Indbetalingen er omstødt; beløbet går til boet.")
    side.get_by_label("Udbetalingsform").select_option(label="NemKonto")
    side.get_by_label("Fritaget for modregning").check()
    tjek_side(side, "ompostering-3-fordeling")
    side.get_by_role("button", name="Videre til godkendelse").click()

    brev = side.locator("#ompostering-brev").inner_text()
    assert "Til Advokat Hansen" in brev
    assert "omstødt; beløbet går til boet" in brev
    assert not Ompostering.objects.exists()  # nothing is booked before the last click
    tjek_side(side, "ompostering-4-godkend")
    side.get_by_role("button", name="Gennemfør ompostering").click()

    assert side.locator("#kvittering-fordelt").inner_text() == "200,00 kr."
    assert side.locator("#kvittering-udbetalt").inner_text() == "300,00 kr."
    tjek_side(side, "ompostering-5-kvittering")
    udbetaling = Udbetaling.objects.get()
    assert Fordring.objects.get(pk=data.fb.pk).posteringer.filter(art="DAEKNING").exists()

    # Bent cannot approve his own payout; Birgit can.
    side.goto("/udbetalinger/")
    side.locator(f"#godkend-{udbetaling.pk}").click()
    assert "fire øjne" in side.locator(".alert-error").inner_text()
    side.context.clear_cookies()
    log_paa(side, "birgit")
    side.goto("/udbetalinger/")
    tjek_side(side, "ompostering-6-udbetalinger")
    side.get_by_label("Begrundelse").fill("Kontrolleret mod skifterettens afgørelse")
    side.locator(f"#godkend-{udbetaling.pk}").click()
    assert "godkendt" in side.locator(".alert-success").inner_text()
    udbetaling.refresh_from_db()
    assert udbetaling.status == "GODKENDT"
    assert udbetaling.behandlet_af == bogholdere[1]
    assert UdgaaendeBesked.objects.filter(type=BeskedType.UDBETALING).exists()
    assert Ompostering.objects.get().beloeb == Decimal("500.00")

    # Approved and sent: the receipt refuses to undo it, and says why.
    ompostering = Ompostering.objects.get()
    side.goto(f"/omposteringer/{ompostering.pk}/")
    side.get_by_label("Begrundelse for tilbageførslen").fill("Fejl")
    side.get_by_role("button", name="Tilbagefør omposteringen").click()
    assert "Udbetalingen fra omposteringen er godkendt" in side.locator(".alert-error").inner_text()
    assert Ompostering.objects.get().tilbagefoert is None

    # The move shows as "Ompostering" on Bo's kontoudtog.
    side.goto(f"/konti/{data.fb.konto_id}/")
    assert "Ompostering" in side.locator("#konto-kontoudtog").inner_text()
    tjek_side(side, "ompostering-7-kontoudtog")


def test_a_mistaken_ompostering_is_undone_from_its_receipt(
    data: Any, bogholdere: tuple[Any, Any], side: Any, tmp_path: Any, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path
    # The undo happens the day of the ompostering: no interest accrues in between.
    with time_machine.travel(dt.datetime.combine(IDAG, dt.time(12), tzinfo=dt.UTC)):
        foer = dict(Fordring.objects.values_list("pk", "restance"))
        ompostering = ompostering_opret(
            user=bogholdere[0],
            daekning_ids=[data.daekning.pk],
            aarsag_id=data.aarsag.pk,
            til_borger_id=data.bo.pk,
            fordeling=[NyDaekning(data.fb.pk, Decimal("200.00"))],
            idag=IDAG,
        )
        log_paa(side, "bent")
        side.goto(f"/omposteringer/{ompostering.pk}/")
        tjek_side(side, "ompostering-8-tilbagefoer")
        side.get_by_role("button", name="Tilbagefør omposteringen").click()
        assert "Angiv en begrundelse" in side.locator(".alert-error").inner_text()
        side.get_by_label("Begrundelse for tilbageførslen").fill("Omposteret ved en fejl.")
        side.get_by_role("button", name="Tilbagefør omposteringen").click()

        assert side.get_by_role("heading", level=1).inner_text() == "Omposteringen er tilbageført"
        assert side.locator("#kvittering-tilbagefoert-begrundelse").inner_text() == (
            "Omposteret ved en fejl."
        )
        tjek_side(side, "ompostering-9-tilbagefoert")
        assert dict(Fordring.objects.values_list("pk", "restance")) == foer


def test_step_3_refuses_too_much_keeps_a_running_total_and_resets_its_fields(
    data: Any, bogholdere: tuple[Any, Any], side: Any, tmp_path: Any, settings: Any
) -> None:
    """Seed 004 trin 3 and 5: the chosen and remaining amount follow the typing (the server
    computes them, htmx swaps them into a live region), 100 kr. on a 0,32 kr. claim is
    refused at the step with the error beside the field, and "Nulstil felter" empties it."""
    settings.VAR_DIR = tmp_path
    lille = FordringFactory.create(
        konto=data.fb.konto,
        fordringsid="FS",
        tekst="Rest af kontanthjælp",
        hovedstol=Decimal("0.32"),
        renteregime="INGEN",
    )
    log_paa(side, "bent")
    side.goto(f"/borgere/{data.anna.pk}/ompostering/")
    side.get_by_label("Beløb fra (kr.)").fill("400,00")
    side.get_by_role("button", name="Søg").click()
    side.locator(f"#daekning-{data.daekning.pk}").check()
    side.wait_for_function("document.getElementById('valgt-total').textContent.includes('500,00')")
    assert "Valgt til ompostering: 500,00 kr." in side.locator("#valgt-sum").inner_text()
    side.get_by_label("Omposter til en anden borger (CPR-nummer)").fill("030380-1234")
    side.get_by_role("button", name="Omposter de valgte").click()
    side.get_by_role("button", name="Bekræft og vælg ny fordeling").click()

    side.get_by_label("Dæk fordring FB med (kr.)").fill("1.200,00")
    side.get_by_label("Dæk fordring FS med (kr.)").fill("100,00")
    side.wait_for_function("document.getElementById('sum-valgt').textContent.includes('1.300,00')")
    assert side.locator("#sum-rest").inner_text() == "0,00 kr."
    assert "800,00 kr. mere" in side.locator("#sum-for-meget").inner_text()
    assert side.locator("#fordeling-sum").get_attribute("aria-live") == "polite"

    side.get_by_label("Dæk fordring FB med (kr.)").fill("200,00")
    side.get_by_label("Beløb til udbetaling (kr.)").fill("150")
    side.wait_for_function("document.getElementById('sum-rest').textContent.includes('50,00')")
    assert side.locator("#sum-valgt").inner_text() == "450,00 kr."
    side.get_by_label("Årsag").select_option(label=data.aarsag.tekst)
    side.get_by_label("Overførsel", exact=True).select_option(label="SAP38")
    side.get_by_role("button", name="Videre til godkendelse").click()

    assert "/ompostering/fordeling/" in side.url  # the step did not advance
    assert "må ikke være større end restancen på fordring FS (0,32 kr.)" in (
        side.locator(f"#id_fordring_{lille.pk}-error").inner_text()
    )
    assert side.locator("#ompostering-fejl").is_visible()
    assert side.get_by_label("Dæk fordring FS med (kr.)").input_value() == "100,00"
    tjek_side(side, "ompostering-3-fordeling-fejl")
    assert not Ompostering.objects.exists()

    side.get_by_role("button", name="Nulstil felter").click()
    assert side.get_by_label("Dæk fordring FS med (kr.)").input_value() == ""
    assert side.get_by_label("Dæk fordring FB med (kr.)").input_value() == ""
    assert side.get_by_label("Beløb til udbetaling (kr.)").input_value() == ""
    assert side.locator("#ompostering-fejl").count() == 0
    assert side.locator("#sum-valgt").inner_text() == "0,00 kr."
    assert side.locator("#sum-rest").inner_text() == "500,00 kr."
    tjek_side(side, "ompostering-3-fordeling-nulstillet")
