"""Every id a form posts is one the screen offered (DESIGN §8), and every ``tilbage`` address
stays on this site."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fordringer.choices import PosteringArt, SagStatus
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Postering
from fordringer.ompostering.services import ompostering_opret
from ky_debitor.errors import ApplicationError
from opgavepakker.models import OpgaveType

from ..api.conftest import api_som
from ..factories import IndbetalingFactory, SagFactory
from ..fordringer.ompostering.ompostering_data import BETALT, opret, tilstand
from ..opgavepakker import conftest as opgavefixturer
from .html import side, tekst

opgaver = opgavefixturer.opgaver


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def sag(bent):
    return opret(bent)


@pytest.fixture
def bos_daekning(sag, bent) -> Postering:
    """Bo's own dækning of 100,00 on his claim FB: it belongs in Bo's flow, not Anna's."""
    indbetaling = IndbetalingFactory.create(
        borger=sag.bo, beloeb=Decimal("100.00"), valoerdato=BETALT + dt.timedelta(days=1)
    )
    return postering_bogfoer(
        fordring=sag.fb,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal("100.00"),
        valoerdato=indbetaling.valoerdato,
        user=bent,
        indbetaling=indbetaling,
        tekst="Indbetaling",
    )


@pytest.mark.django_db
def test_anna_s_screen_refuses_bo_s_daekning_and_starts_nothing(sag, bent, bos_daekning):
    c = klient(bent)
    svar = c.post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "vaelg", "daekning": [bos_daekning.pk]},
    )
    assert svar.status_code == 200
    assert "En valgt dækning tilhører ikke Anna Andersen" in tekst(svar, "//*[@id='valg-fejl']")
    assert "ompostering" not in c.session
    assert c.get(reverse("ompostering_bekraeft")).status_code == 404


@pytest.mark.django_db
def test_anna_s_screen_refuses_her_own_daekning_mixed_with_bo_s(sag, bent, bos_daekning):
    c = klient(bent)
    foer = tilstand()
    svar = c.post(
        reverse("ompostering_soeg", args=[sag.anna.pk]),
        {"handling": "vaelg", "daekning": [sag.daekning.pk, bos_daekning.pk]},
    )
    assert svar.status_code == 200
    assert "tilhører ikke Anna Andersen" in tekst(svar, "//*[@id='valg-fejl']")
    assert "ompostering" not in c.session
    assert tilstand() == foer


@pytest.mark.django_db
def test_the_service_refuses_a_daekning_of_another_borger_than_the_one_acted_for(
    sag, bent, bos_daekning
):
    foer = tilstand()
    with pytest.raises(ApplicationError, match="tilhører ikke Anna Andersen"):
        ompostering_opret(
            user=bent,
            daekning_ids=[bos_daekning.pk],
            aarsag_id=sag.aarsag.pk,
            fra_borger_id=sag.anna.pk,
        )
    assert tilstand() == foer


@pytest.mark.django_db
def test_the_api_refuses_a_daekning_of_another_borger_than_the_one_named(sag, bent, bos_daekning):
    foer = tilstand()
    svar = api_som(bent).post(
        "/api/v1/omposteringer/",
        {"daekninger": [bos_daekning.pk], "aarsag": sag.aarsag.pk, "borger": sag.anna.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="fremmed-daekning",
    )
    assert svar.status_code == 400
    assert "tilhører ikke Anna Andersen" in str(svar.json())
    assert tilstand() == foer


# --- Return addresses -------------------------------------------------------------------------

UDENFOR = [
    "https://evil.example/opgaver/",
    "//evil.example/opgaver/",
    "/\\evil.example/opgaver/",
    "javascript:alert(1)",
]


@pytest.mark.django_db
@pytest.mark.parametrize("tilbage", UDENFOR)
def test_a_task_that_cannot_be_taken_never_sends_the_person_off_site(opgaver, alice, tilbage):
    venter = opgavefixturer.opgave_for(opgaver["flere"], OpgaveType.DAEKNINGER)
    svar = klient(alice).post(reverse("opgave_tag", args=[venter.pk]), {"tilbage": tilbage})
    assert svar.status_code == 302
    assert svar["Location"] == reverse("opgave_liste")


@pytest.mark.django_db
@pytest.mark.parametrize("tilbage", UDENFOR)
def test_the_bulk_assignment_never_sends_the_person_off_site(opgaver, pia, tilbage):
    svar = klient(pia).post(reverse("opgaver_tildel"), {"tilbage": tilbage})
    assert svar.status_code == 302
    assert svar["Location"] == reverse("opgave_liste")


@pytest.mark.django_db
def test_a_return_address_on_the_site_is_kept(opgaver, pia):
    tilbage = f"{reverse('opgave_liste')}?pakke=3&side=2"
    svar = klient(pia).post(reverse("opgaver_tildel"), {"tilbage": tilbage})
    assert svar["Location"] == tilbage


@pytest.mark.django_db
def test_the_locked_login_page_does_not_carry_an_off_site_next_on(client, alice):
    naeste = "//evil.example/opgaver/"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        svar = client.post(
            reverse("login"), {"username": "alice", "password": "forkert", "next": naeste}
        )
    assert svar.status_code == 429
    assert side(svar).xpath("//input[@name='next']/@value") in ([], [""])


# --- "Opret fordringssag": the sag and the claims are the screen's -----------------------------


def _afslut_api(user, opgave, **data):
    return api_som(user).post(
        f"/api/v1/opgaver/{opgave.pk}/afslut/",
        {"sag": None, "note": "", **data},
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"afslut-{opgave.pk}-{sorted(data)}",
    )


@pytest.mark.django_db
def test_a_task_cannot_be_linked_to_a_closed_sag_the_screen_does_not_offer(opgaver, alice):
    konto = opgaver["flere"]
    opgave = opgavefixturer.opgave_for(konto)
    lukket = SagFactory.create(borger=konto.borger, status=SagStatus.LUKKET)
    skaerm = klient(alice).get(reverse("opgave", args=[opgave.pk]))
    assert str(lukket.pk) not in side(skaerm).xpath("//input[@name='sag']/@value")

    svar = _afslut_api(alice, opgave, bevilling=opgaver["b4"].pk, sag=lukket.pk)
    assert svar.status_code == 400
    assert "Sagen er lukket" in svar.json()["detail"]
    konto.refresh_from_db()
    assert konto.sag_id is None and konto.bevilling_id is None


@pytest.mark.django_db
def test_a_task_refuses_a_reference_for_a_claim_on_another_konto(opgaver, alice):
    konto = opgaver["flere"]
    opgave = opgavefixturer.opgave_for(konto)
    fremmed = opgaver["ukendt"].fordringer.get()
    reference = fremmed.kmd_aktiv_reference
    svar = _afslut_api(
        alice,
        opgave,
        bevilling=opgaver["b4"].pk,
        fordringer=[{"fordring": fremmed.pk, "kmd_aktiv_reference": "B4"}],
    )
    assert svar.status_code == 400
    assert "tilhører ikke debitorkontoen" in svar.json()["detail"]
    konto.refresh_from_db()
    assert konto.bevilling_id is None
    fremmed.refresh_from_db()
    assert fremmed.kmd_aktiv_reference == reference
