"""The screen "Vurder, saml og frigiv debitorkonto": what it shows, who may decide, and that
bad input gets a Danish message and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fordringer.choices import Frigivelsestype
from fordringer.models import Samlingsbeslutning
from tests.fordringer.samling.samling_data import opret
from tests.fordringer.samling.test_samling import tilstand


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_screen_shows_both_konti_the_facts_and_links_from_the_konto_page(alice):
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=None)
    c = klient(alice)
    side = c.get(reverse("debitorkonto", args=[d.kmd.pk])).content.decode()
    assert reverse("samling_vurder", args=[d.kmd.pk]) in side
    side = c.get(reverse("samling_vurder", args=[d.kmd.pk])).content.decode()
    for tekst in ("KA-101", "KY-101", "FA-101-1", "FK-101-1", "1.500,00", "Ikke vurderet"):
        assert tekst in side, tekst
    assert 'id="fakta-loebende">Ja<' in side
    assert "skal den samles hver måned" in side
    assert 'id="samling-form"' in side


def test_saml_through_the_screen_then_the_old_konto_shows_where_it_went(alice):
    d = opret()
    c = klient(alice)
    svar = c.post(
        reverse("samling_beslut", args=[d.kmd.pk]),
        {"beslutning": "SAML", "ky_konto": d.ky.pk, "begrundelse": "Samme ydelse", "seneste": 0},
        follow=True,
    )
    side = svar.content.decode()
    assert "Debitorkontoen er samlet i KY-101" in side
    assert "Samme ydelse" in side
    konto_side = c.get(reverse("debitorkonto", args=[d.kmd.pk])).content.decode()
    assert "Samlet i KY-101" in konto_side


@pytest.mark.parametrize(
    ("data", "besked"),
    [
        ({"beslutning": "SAML", "begrundelse": ""}, "Skriv en begrundelse for beslutningen."),
        ({"begrundelse": "x"}, "Vælg en beslutning."),
        (
            {"beslutning": "SAML", "begrundelse": "x"},
            "Vælg den KY-debitorkonto, der skal samles i.",
        ),
        ({"beslutning": "SAML", "begrundelse": "x", "ky_konto": "999999"}, "Vælg en af borgerens"),
    ],
)
def test_bad_input_gets_a_danish_message_and_changes_nothing(alice, data, besked):
    d = opret()
    foer = tilstand()
    svar = klient(alice).post(reverse("samling_beslut", args=[d.kmd.pk]), data)
    assert svar.status_code == 400
    assert besked in svar.content.decode()
    assert tilstand()[:5] == foer[:5]


def test_a_released_konto_explains_why_it_cannot_be_merged(alice):
    d = opret(frigivelsestype=Frigivelsestype.FRIGIVET)
    c = klient(alice)
    side = c.get(reverse("samling_vurder", args=[d.kmd.pk])).content.decode()
    assert "KY-debitorkontoen frigives i stedet" in side
    svar = c.post(
        reverse("samling_beslut", args=[d.kmd.pk]),
        {"beslutning": "SAML", "ky_konto": d.ky.pk, "begrundelse": "x", "seneste": 0},
    )
    assert svar.status_code == 409
    assert "En frigivet debitorkonto kan ikke samles." in svar.content.decode()
    assert not Samlingsbeslutning.objects.exists()


def test_the_bookkeeper_may_look_but_not_decide(bent):
    d = opret()
    c = klient(bent)
    side = c.get(reverse("samling_vurder", args=[d.kmd.pk]))
    assert side.status_code == 200
    assert 'id="samling-form"' not in side.content.decode()
    svar = c.post(
        reverse("samling_beslut", args=[d.kmd.pk]),
        {"beslutning": "SAML", "ky_konto": d.ky.pk, "begrundelse": "x"},
    )
    assert svar.status_code == 403
    assert not Samlingsbeslutning.objects.exists()


def test_another_kommune_gets_404_and_changes_nothing(olga):
    d = opret()
    c = klient(olga)
    assert c.get(reverse("samling_vurder", args=[d.kmd.pk])).status_code == 404
    svar = c.post(
        reverse("samling_beslut", args=[d.kmd.pk]),
        {"beslutning": "SAML", "ky_konto": d.ky.pk, "begrundelse": "x"},
    )
    assert svar.status_code == 404
    assert not Samlingsbeslutning.objects.exists()


def test_a_ky_konto_is_not_assessed_here(alice):
    d = opret()
    assert klient(alice).get(reverse("samling_vurder", args=[d.ky.pk])).status_code == 404


def test_after_a_conflict_the_screen_shows_the_new_decision_and_a_retry_can_succeed(alice):
    """DESIGN §4.8: the loser gets a clear message and can decide again on what is now true."""
    d = opret()
    c = klient(alice)
    url = reverse("samling_beslut", args=[d.kmd.pk])
    gammel = {
        "beslutning": "SAML",
        "ky_konto": d.ky.pk,
        "begrundelse": "Samme ydelse",
        "seneste": 0,
    }
    c.post(url, {**gammel, "beslutning": "INGEN_SAMLING", "begrundelse": "Anden vurdering"})
    svar = c.post(url, gammel)
    assert svar.status_code == 409
    side = svar.content.decode()
    assert "mens du vurderede den" in side
    ny = Samlingsbeslutning.objects.get()
    assert f'name="seneste" value="{ny.pk}"' in side
    assert c.post(url, {**gammel, "seneste": ny.pk}).status_code == 302
    assert Samlingsbeslutning.objects.count() == 2
