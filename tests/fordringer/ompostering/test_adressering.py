"""Seed 004: an amount for the sagsbehandlerfordeling is addressed "til en sagsbehandler eller
en organisatorisk enhed" and lands on a list they have access to, worked daily. A new item gets
an address when it is made; anyone who may work the list sends it on, audited; each person
sees what is addressed to them and their units, and how much of it waited from before today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fordringer.models import Fordring, Sagsbehandlerfordeling
from fordringer.ompostering.adressering import sagsbehandlerfordeling_adresser
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.udbetaling import sagsbehandlerfordeling_behandl
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent, Enhed
from tests import personas
from tests.fordringer.ompostering.ompostering_data import IDAG, opret
from tests.screens.html import side, tabel

D = Decimal


def paa_listen(bent) -> Sagsbehandlerfordeling:
    """Bent rolls Anna's 500,00 back and allocates nothing: it all waits on the list."""
    sag = opret(bent)
    ompostering_opret(user=bent, daekning_ids=[sag.daekning.pk], aarsag_id=sag.aarsag.pk, idag=IDAG)
    return Sagsbehandlerfordeling.objects.get()


def annas_fordring(post: Sagsbehandlerfordeling) -> int:
    """FA, the claim Anna's payment covered before it was rolled back."""
    return Fordring.objects.get(konto__borger_id=post.borger_id, fordringsid="FA").pk


@pytest.fixture
def dagmar(db):
    """Dagmar works in Drift: she may not work the list, so nothing is sent to her."""
    return personas.dagmar()


@pytest.fixture
def opkraevning(alice, birgit) -> Enhed:
    """København's unit Opkrævning, with Birgit as its member."""
    enhed = Enhed.objects.create(kommune_id=alice.kommune_id, navn="Opkrævning")
    enhed.medlemmer.add(birgit)
    return enhed


@pytest.mark.django_db
def test_a_new_item_is_for_the_person_who_made_it_without_a_receiving_unit(bent):
    post = paa_listen(bent)
    assert (post.adresseret_bruger, post.adresseret_enhed) == (bent, None)
    assert post.adressat_navn == bent.visningsnavn


@pytest.mark.django_db
def test_a_new_item_goes_to_the_kommunes_receiving_unit(bent, opkraevning):
    opkraevning.modtager_sagsbehandlerfordeling = True
    opkraevning.save()
    post = paa_listen(bent)
    assert (post.adresseret_bruger, post.adresseret_enhed) == (None, opkraevning)


@pytest.mark.django_db
def test_the_rest_of_an_item_handled_in_part_keeps_its_address(bent, birgit, opkraevning):
    post = paa_listen(bent)
    sagsbehandlerfordeling_adresser(user=bent, post_id=post.pk, til=f"enhed-{opkraevning.pk}")
    sagsbehandlerfordeling_behandl(
        user=birgit,
        post_id=post.pk,
        fordeling=[NyDaekning(annas_fordring(post), D("200.00"))],
        behandling="Delvis",
        idag=IDAG,
    )
    rest = Sagsbehandlerfordeling.objects.get(behandlet__isnull=True)
    assert rest.beloeb == D("300.00")
    assert rest.adresseret_enhed == opkraevning


@pytest.mark.django_db
def test_sending_an_item_on_through_the_screen_puts_it_on_the_units_list(
    bent, alice, birgit, opkraevning
):
    post = paa_listen(bent)
    c = Client()
    c.force_login(alice)
    svar = c.get(reverse("sagsbehandlerfordeling_post", args=[post.pk]))
    valg = side(svar).xpath("//select[@id='sbf-til']/option/text()")
    assert valg[:2] == ["Hele kommunens liste", "Enhed: Opkrævning"]
    assert alice.visningsnavn in valg and bent.visningsnavn in valg

    svar = c.post(
        reverse("sagsbehandlerfordeling_adresser", args=[post.pk]),
        {"til": f"enhed-{opkraevning.pk}", "begrundelse": "Opkrævningen kender borgeren"},
        follow=True,
    )
    assert "Posten står nu på listen for Opkrævning." in svar.content.decode()
    haendelse = AuditEvent.objects.get(handling="sagsbehandlerfordeling.adresser")
    assert (haendelse.bruger, haendelse.begrundelse) == (alice, "Opkrævningen kender borgeren")
    assert f"fra {bent.visningsnavn} til Opkrævning" in haendelse.beskrivelse

    # Birgit (in Opkrævning) finds it on her own list; Bent no longer does.
    def egen_liste(bruger) -> list[list[str]]:
        k = Client()
        k.force_login(bruger)
        svar = k.get(reverse("sagsbehandlerfordeling"), {"til": "mig"})
        if side(svar).xpath("//*[@id='ingen-poster']"):
            return []
        return tabel(svar, "//table[@id='sagsbehandlerfordeling']")

    (raekke,) = egen_liste(birgit)
    assert raekke[4:6] == ["500,00", "Opkrævning"]
    assert egen_liste(bent) == []


@pytest.mark.django_db
def test_the_daily_list_counts_what_waited_from_before_today(bent, birgit, opkraevning):
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        post = paa_listen(bent)
        sagsbehandlerfordeling_adresser(user=bent, post_id=post.pk, til=f"bruger-{birgit.pk}")

    def dagslisten(tid: dt.datetime) -> tuple[str, str, str]:
        with time_machine.travel(tid, tick=False):
            c = Client()
            c.force_login(birgit)
            svar = c.get(reverse("sagsbehandlerfordeling"))
            assert svar.status_code == 200
            return (
                side(svar).xpath("string(//*[@id='sbf-til-mig-antal'])"),
                side(svar).xpath("string(//*[@id='sbf-til-mig-foer'])"),
                side(svar).xpath("string(//*[@id='sbf-dagsliste']/@class)"),
            )

    antal, fra_foer, klasse = dagslisten(dt.datetime(2025, 3, 10, 15, 0, tzinfo=dt.UTC))
    assert (antal, fra_foer) == ("1", "0") and "alert-info" in klasse
    antal, fra_foer, klasse = dagslisten(dt.datetime(2025, 3, 11, 8, 0, tzinfo=dt.UTC))
    assert (antal, fra_foer) == ("1", "1") and "alert-warning" in klasse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("til", "fejl"),
    [
        ("bruger-olga", "Personen findes ikke i kommunen"),
        ("bruger-dagmar", "Personen findes ikke i kommunen"),
        ("enhed-odense", "Enheden findes ikke i kommunen."),
        ("enhed-999999", "Enheden findes ikke i kommunen."),
        ("noget andet", "Vælg en sagsbehandler, en enhed eller hele kommunens liste."),
        ("bruger-bent", "Posten står allerede på listen for"),
    ],
)
def test_a_wrong_address_is_refused_in_danish_and_changes_nothing(bent, olga, dagmar, til, fejl):
    post = paa_listen(bent)
    odense = Enhed.objects.create(kommune_id=olga.kommune_id, navn="Odense Opkrævning")
    vaerdi = (
        til.replace("olga", str(olga.pk))
        .replace("dagmar", str(dagmar.pk))
        .replace("bent", str(bent.pk))
        .replace("odense", str(odense.pk))
    )
    with pytest.raises(ApplicationError, match=fejl):
        sagsbehandlerfordeling_adresser(user=bent, post_id=post.pk, til=vaerdi)
    post.refresh_from_db()
    assert (post.adresseret_bruger, post.adresseret_enhed) == (bent, None)
    assert not AuditEvent.objects.filter(handling="sagsbehandlerfordeling.adresser").exists()


@pytest.mark.django_db
def test_odense_cannot_send_koebenhavns_item_on_and_a_handled_item_stays(bent, birgit, olga):
    post = paa_listen(bent)
    with pytest.raises(ApplicationError, match=r"Posten findes ikke\."):
        sagsbehandlerfordeling_adresser(user=olga, post_id=post.pk, til="")
    sagsbehandlerfordeling_behandl(
        user=birgit,
        post_id=post.pk,
        fordeling=[NyDaekning(annas_fordring(post), D("500.00"))],
        behandling="Fordelt",
        idag=IDAG,
    )
    with pytest.raises(ConflictError):
        sagsbehandlerfordeling_adresser(user=bent, post_id=post.pk, til="")


@pytest.mark.django_db
def test_the_api_sends_an_item_on_and_lists_what_is_mine(bent, alice, birgit, olga, opkraevning):
    post = paa_listen(bent)
    c = Client()
    c.force_login(alice)
    url = reverse("api:sagsbehandlerfordeling_adresser", args=[post.pk])
    svar = c.post(url, {"til": f"enhed-{opkraevning.pk}"}, content_type="application/json")
    assert svar.status_code == 200, svar.content
    assert (svar.json()["adresseret_enhed"], svar.json()["adressat_navn"]) == (
        opkraevning.pk,
        "Opkrævning",
    )
    svar = c.post(url, {"til": f"bruger-{olga.pk}"}, content_type="application/json")
    assert svar.status_code == 400
    assert "Personen findes ikke i kommunen" in svar.content.decode()

    b = Client()
    b.force_login(birgit)
    liste = reverse("api:sagsbehandlerfordeling_liste")
    assert [p["id"] for p in b.get(liste, {"til_mig": "true"}).json()["results"]] == [post.pk]
    assert b.get(liste, {"til_mig": "false"}).json()["results"] == []
    assert c.get(liste, {"til_mig": "true"}).json()["results"] == []

    o = Client()
    o.force_login(olga)
    assert o.post(url, {"til": ""}, content_type="application/json").status_code == 404
