"""Undoing an ompostering by a person (seed 004): from the receipt and through the API, with a
reason; the dækninger stand as before it, a waiting payout lapses, and it is refused — with a
Danish message and nothing changed — once the payout is approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fordringer.choices import Udbetalingskanal, UdbetalingStatus
from fordringer.models import Fordring, Ompostering, Udbetaling
from fordringer.ompostering.services import NyDaekning, UdbetalingValg, ompostering_opret
from fordringer.ompostering.udbetaling import NyModtager, udbetaling_godkend
from ky_debitor.models import AuditEvent
from tests.api.conftest import api_som
from tests.fordringer.ompostering.ompostering_data import IDAG, invarianter, opret, tilstand
from tests.screens.html import side

D = Decimal


@pytest.fixture(autouse=True)
def idag():
    """The undo happens the day of the ompostering, so no interest accrues in between."""
    with time_machine.travel(dt.datetime.combine(IDAG, dt.time(12), tzinfo=dt.UTC), tick=False):
        yield


BEGRUNDELSE = "Indbetalingen var Annas egen; omposteret ved en fejl."


@pytest.fixture
def omposteret(bent):
    """Anna's 500,00 moved: 200,00 to Bo's claim, 300,00 paid out by check (waiting for
    approval). The restance of every claim before, to compare with after the undo."""
    s = opret(bent)
    foer = dict(Fordring.objects.values_list("fordringsid", "restance"))
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("200.00"))],
        udbetaling=UdbetalingValg(
            beloeb=D("300.00"),
            kanal=Udbetalingskanal.CHECK,
            ny_modtager=NyModtager(navn="Boet", adresse="Vestergade 1, 8000 Aarhus C"),
        ),
        idag=IDAG,
    )
    assert dict(Fordring.objects.values_list("fordringsid", "restance")) != foer
    return ompostering, foer


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_receipt_undoes_the_ompostering_with_a_reason(omposteret, bent):
    ompostering, foer = omposteret
    c = klient(bent)
    kvittering = reverse("ompostering_kvittering", args=[ompostering.pk])
    assert side(c.get(kvittering)).xpath("string(//form[@id='tilbagefoer-form']//button)")

    svar = c.post(
        reverse("ompostering_tilbagefoer", args=[ompostering.pk]),
        {"begrundelse": BEGRUNDELSE},
        follow=True,
    )

    html = side(svar)
    assert html.xpath("string(//h1)") == "Omposteringen er tilbageført"
    assert html.xpath("string(//*[@id='kvittering-tilbagefoert-begrundelse'])") == BEGRUNDELSE
    assert not html.xpath("//form[@id='tilbagefoer-form']")
    assert dict(Fordring.objects.values_list("fordringsid", "restance")) == foer
    assert Udbetaling.objects.get().status != UdbetalingStatus.AFVENTER
    assert AuditEvent.objects.filter(
        handling="ompostering.tilbagefoer", bruger=bent, begrundelse=BEGRUNDELSE
    ).exists()
    invarianter()


@pytest.mark.parametrize(
    ("data", "fejl"),
    [
        ({"begrundelse": " "}, "Angiv en begrundelse for tilbageførslen."),
        ({"begrundelse": "x" * 256}, "Begrundelsen må højst være 255 tegn."),
    ],
)
def test_no_reason_no_undo(omposteret, bent, data, fejl):
    ompostering, _foer = omposteret
    foer = tilstand()

    svar = klient(bent).post(
        reverse("ompostering_tilbagefoer", args=[ompostering.pk]), data, follow=True
    )

    assert fejl in side(svar).xpath("string(//*[contains(@class, 'alert-error')])")
    assert tilstand() == foer
    assert Ompostering.objects.get().tilbagefoert is None


def test_an_approved_payout_cannot_be_undone_and_the_screen_says_why(omposteret, bent, birgit):
    ompostering, _foer = omposteret
    udbetaling_godkend(user=birgit, udbetaling_id=Udbetaling.objects.get().pk)
    foer = tilstand()

    svar = klient(bent).post(
        reverse("ompostering_tilbagefoer", args=[ompostering.pk]),
        {"begrundelse": BEGRUNDELSE},
        follow=True,
    )

    assert (
        "Udbetalingen fra omposteringen er godkendt, så omposteringen kan ikke tilbageføres."
        in side(svar).xpath("string(//*[contains(@class, 'alert-error')])")
    )
    assert tilstand() == foer
    assert Ompostering.objects.get().tilbagefoert is None


def test_the_api_undoes_the_same_way_and_another_kommune_gets_404(omposteret, bent, olga):
    ompostering, foer = omposteret
    url = reverse("api:ompostering_tilbagefoer", args=[ompostering.pk])

    def post(user, data, noegle):
        return api_som(user).post(url, data, format="json", HTTP_IDEMPOTENCY_KEY=noegle)

    assert post(olga, {"begrundelse": BEGRUNDELSE}, "t-0").status_code == 404
    mangler = post(bent, {}, "t-1")
    assert mangler.status_code == 400
    assert "begrundelse" in mangler.json()["felter"]
    svar = post(bent, {"begrundelse": BEGRUNDELSE}, "t-2")

    assert svar.status_code == 200, svar.json()
    assert svar.json()["tilbagefoert"] is not None
    assert dict(Fordring.objects.values_list("fordringsid", "restance")) == foer
    igen = post(bent, {"begrundelse": BEGRUNDELSE}, "t-3")
    assert igen.status_code == 400
    assert igen.json()["detail"] == "Omposteringen er allerede tilbageført."
