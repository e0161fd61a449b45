"""The Omposter fordeling screens through Django's test client: search validation of seed 004
("ValiderSøgeKriterier"), the wizard to the end, roles, and no CPR number in any URL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fordringer.models import Fordring, Ompostering, Sagsbehandlerfordeling, Udbetaling
from fordringer.ompostering.services import ompostering_opret
from ky_debitor.roles import Rolle
from tests.factories import BrugerFactory, kommune
from tests.fordringer.ompostering.ompostering_data import opret
from tests.screens.html import side, tabel

D = Decimal


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def sag(bent):
    return opret(bent)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "fejl"),
    [
        ({"beloeb_fra": "-5,00"}, "Der må kun indtastes positive beløb i søgebeløb."),
        ({"beloeb_til": "100,00"}, "Beløb til må ikke være udfyldt alene."),
        ({}, "Mindst ét søgekriterium skal være udfyldt."),
        ({"periode_fra": "31-02-2025"}, "Skriv datoen som dd-mm-åååå."),
    ],
)
def test_search_criteria_are_validated_as_seed_004_says(sag, bent, data, fejl):
    svar = klient(bent).post(
        reverse("ompostering_soeg", args=[sag.anna.pk]), {"handling": "soeg", **data}
    )
    assert svar.status_code == 200
    fejltekst = " ".join(side(svar).xpath("//*[@id='ompostering-fejl']//li//text()"))
    assert fejl in fejltekst
    assert not side(svar).xpath("//*[@id='ompostering-traef']")


@pytest.mark.django_db
def test_search_by_amount_and_period_finds_the_daekning(sag, bent):
    svar = klient(bent).post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "soeg", "beloeb_fra": "400,00", "beloeb_til": "600,00", "type": "INDBETALING"},
    )
    raekker = tabel(svar, "//table[@id='ompostering-traef']")
    assert [r[1:] for r in raekker] == [
        ["28-01-2025", "FA", "K-A", sag.indbetaling.indbetalingsid, "-500,00"]
    ]


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC))
def test_the_wizard_to_another_borger_with_a_payout_books_nothing_until_the_last_step(sag, bent):
    c = klient(bent)
    svar = c.post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "vaelg", "daekning": [sag.daekning.pk], "anden_borger_cpr": "030380-1234"},
    )
    assert svar.status_code == 302
    assert "0303801234" not in svar["Location"] and "030380" not in svar["Location"]
    svar = c.get(reverse("ompostering_bekraeft"))
    # FA as if never covered (test_ompostering.py works it out): interest 30,00 instead of
    # 20,20, restance 1.030,00 instead of 520,20 - shown before anything is booked.
    assert tabel(svar, "//table[@id='ompostering-tilbagerulning']") == [
        ["FA", "Gebyrloven § 3", "500,00", "20,20", "30,00", "520,20", "1.030,00"]
    ]
    assert Fordring.objects.get(pk=sag.fa.pk).restance == D("520.20")
    svar = c.post(
        reverse("ompostering_fordeling"),
        {
            f"fordring_{sag.fb.pk}": "200,00",
            "udbetaling": "300,00",
            "aarsag": sag.aarsag.pk,
            "modtager": "NY",
            "ny_navn": "Advokat Hansen",
            "ny_identifikation": "12345674",
            "note": "Beløbet udbetales til boet.",
            "kanal": "NEMKONTO",
        },
    )
    assert svar.status_code == 302, svar.content.decode()[:3000]
    svar = c.get(reverse("ompostering_godkend"))
    brev = side(svar).xpath("//*[@id='ompostering-brev']/text()")[0]
    assert "Til Advokat Hansen" in brev and "Beløbet udbetales til boet." in brev
    assert not Ompostering.objects.exists()
    svar = c.post(reverse("ompostering_godkend"))
    ompostering = Ompostering.objects.get()
    assert svar["Location"] == reverse("ompostering_kvittering", args=[ompostering.pk])
    assert Udbetaling.objects.get().modtager_navn == "Advokat Hansen"
    fb = Fordring.objects.get(pk=sag.fb.pk)
    assert fb.posteringer.filter(art="DAEKNING").get().beloeb == D("-200.00")


@pytest.mark.django_db
def test_a_refused_allocation_shows_the_danish_reason_and_changes_nothing(sag, bent):
    """Refused at the step where the amounts are chosen, not only at "Gennemfør"."""
    c = klient(bent)
    c.post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "vaelg", "daekning": [sag.daekning.pk], "anden_borger_cpr": "0303801234"},
    )
    svar = c.post(
        reverse("ompostering_fordeling"),
        {f"fordring_{sag.fb.pk}": "600,00", "aarsag": sag.aarsag.pk},
    )
    assert svar.status_code == 200
    assert "må ikke være større end det samlede omposteringsbeløb (500,00 kr.)" in (
        side(svar).xpath("string(//*[@id='ompostering-fejl'])")
    )
    assert c.get(reverse("ompostering_godkend"))["Location"] == reverse("ompostering_fordeling")
    assert not Ompostering.objects.exists()


@pytest.mark.django_db
def test_only_bogholder_and_sagsbehandler_reallocate_and_only_bogholder_approves(sag, alice):
    projektleder = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.PROJEKTLEDER])
    url = reverse("ompostering_soeg", args=[sag.anna.pk])
    assert klient(projektleder).get(url).status_code == 403
    assert klient(alice).get(url).status_code == 200
    assert klient(alice).get(reverse("udbetalinger")).status_code == 403


@pytest.mark.django_db
def test_another_kommunes_borger_is_not_found(sag, olga):
    assert klient(olga).get(reverse("ompostering_soeg", args=[sag.anna.pk])).status_code == 404


@pytest.mark.django_db
def test_a_handled_item_leaves_the_list_but_is_found_with_who_and_when(sag, bent, alice):
    """Seed 004: the list shows what waits; handled items are searchable with who did it."""
    ompostering_opret(
        user=bent,
        daekning_ids=[sag.daekning.pk],
        aarsag_id=sag.aarsag.pk,
        idag=dt.date(2025, 3, 10),
    )
    post = Sagsbehandlerfordeling.objects.get()
    c = klient(alice)
    liste = c.get(reverse("sagsbehandlerfordeling"))
    assert [r[1] for r in tabel(liste, "//table[@id='sagsbehandlerfordeling']")] == [
        "Anna Andersen"
    ]
    svar = c.post(
        reverse("sagsbehandlerfordeling_post", args=[post.pk]),
        {f"fordring_{sag.fa.pk}": "500,00", "behandling": "Lagt tilbage på FA efter samtale"},
    )
    assert svar.status_code == 302
    assert not side(c.get(reverse("sagsbehandlerfordeling"))).xpath(
        "//table[@id='sagsbehandlerfordeling']"
    )
    behandlede = c.get(reverse("sagsbehandlerfordeling"), {"vis": "behandlede", "q": "samtale"})
    (raekke,) = tabel(behandlede, "//table[@id='sagsbehandlerfordeling']")
    assert raekke[1] == "Anna Andersen"
    assert raekke[5] == bent.visningsnavn  # addressed to him, who made the ompostering
    assert raekke[6] == alice.visningsnavn
    assert raekke[8] == "Lagt tilbage på FA efter samtale"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("valg", "fejl"),
    [
        ({}, "Vælg enten en udbetalingsform (NemKonto eller check) eller en overførsel"),
        (
            {"kanal": "NEMKONTO", "overfoersel": "SAP38"},
            "Vælg enten en udbetalingsform eller en overførsel, ikke begge.",
        ),
    ],
    ids=["ingen", "begge"],
)
def test_a_payout_needs_a_transfer_or_a_payout_form_not_both(sag, bent, valg, fejl):
    """Seed 004 trin 7: "Vælger overførsel eller udbetalingsform" — the step says why and the
    ompostering cannot go on to "Godkend" until one is chosen; a transfer alone goes through."""
    c = klient(bent)
    c.post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "vaelg", "daekning": [sag.daekning.pk], "anden_borger_cpr": "0303801234"},
    )
    data = {
        f"fordring_{sag.fb.pk}": "200,00",
        "udbetaling": "300,00",
        "aarsag": sag.aarsag.pk,
        "modtager": "NY",
        "ny_navn": "Advokat Hansen",
        "ny_identifikation": "12345674",
    }
    svar = c.post(reverse("ompostering_fordeling"), data | valg)
    assert svar.status_code == 200
    assert fejl in side(svar).xpath("string(//*[@id='ompostering-fejl'])")
    assert c.get(reverse("ompostering_godkend"))["Location"] == reverse("ompostering_fordeling")

    svar = c.post(reverse("ompostering_fordeling"), data | {"overfoersel": "EFI"})
    assert svar.status_code == 302
    c.post(reverse("ompostering_godkend"))
    udbetaling = Udbetaling.objects.get()
    assert (udbetaling.kanal, udbetaling.overfoersel) == ("", "EFI")
    godkend = c.get(reverse("ompostering_kvittering", args=[Ompostering.objects.get().pk]))
    assert godkend.status_code == 200
