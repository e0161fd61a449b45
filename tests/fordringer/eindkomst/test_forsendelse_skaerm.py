"""The eIndkomst batches on screen and in the API: the Bogholder and the Projektleder read them,
the Bogholder sends a failed one again; a Sagsbehandler may not; another kommune's batch is a
404. Anna's 300,00 and Bo's -75,25 as in ``test_forsendelse``."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.indberetning.forsendelse import eindkomst_forsendelse_opret
from fordringer.models import EIndkomstForsendelse
from fordringer.udbakke.services import udgaaende_besked_lever
from ky_debitor.models import Opslag
from ky_debitor.roles import Rolle
from tests import personas
from tests.factories import kommune
from tests.fordringer.eindkomst.test_forsendelse import (
    FEJLENDE,
    FIL,
    idag,  # noqa: F401 (the tests' date)
    linjer_i_kommune,
    udbakke,  # noqa: F401
)


@pytest.fixture
def fejlet(bent, udbakke, settings) -> EIndkomstForsendelse:  # noqa: F811
    """København's batch, whose delivery gave up."""
    linjer_i_kommune(bent)
    f = eindkomst_forsendelse_opret(kommune_id=kommune(101).pk)
    assert f is not None and f.besked is not None
    assert f is not None
    settings.KY_UDGAAENDE_TRANSPORT = FEJLENDE
    udgaaende_besked_lever(besked_id=f.besked.pk)
    settings.KY_UDGAAENDE_TRANSPORT = FIL
    return f


def test_the_bogholder_sees_the_batches_and_sends_a_failed_one_again(client, bent, fejlet):
    client.force_login(bent)
    liste = client.get(reverse("eindkomst_forsendelser")).content.decode()
    assert "Fejlet" in liste
    assert "224,75" in liste
    assert "eIndkomst svarer ikke" in liste

    detalje = client.get(reverse("eindkomst_forsendelse", args=[fejlet.pk])).content.decode()
    assert "010180-****" in detalje
    assert "0101801111" not in detalje
    assert "-75,25" in detalje
    assert 'id="send-igen"' in detalje
    assert Opslag.objects.filter(bruger=bent, objekt_id=str(fejlet.pk)).count() == 1

    svar = client.post(reverse("eindkomst_forsendelse_send_igen", args=[fejlet.pk]), follow=True)
    assert "sat til afsendelse igen" in svar.content.decode()
    fejlet.refresh_from_db()
    udgaaende_besked_lever(besked_id=fejlet.besked.pk)
    detalje = client.get(reverse("eindkomst_forsendelse", args=[fejlet.pk])).content.decode()
    assert "Kvitteret" in detalje
    assert 'id="send-igen"' not in detalje


def test_the_projektleder_reads_but_may_not_send_again(client, pia, fejlet):
    client.force_login(pia)
    assert client.get(reverse("eindkomst_forsendelser")).status_code == 200
    detalje = client.get(reverse("eindkomst_forsendelse", args=[fejlet.pk]))
    assert detalje.status_code == 200
    assert 'id="send-igen"' not in detalje.content.decode()
    svar = client.post(reverse("eindkomst_forsendelse_send_igen", args=[fejlet.pk]))
    assert svar.status_code == 403


def test_a_sagsbehandler_may_not_see_the_batches(client, alice, fejlet):
    client.force_login(alice)
    assert client.get(reverse("eindkomst_forsendelser")).status_code == 403
    assert client.get(reverse("eindkomst_forsendelse", args=[fejlet.pk])).status_code == 403
    api = APIClient()
    api.force_login(alice)
    assert api.get(reverse("api:eindkomst_forsendelse_liste")).status_code == 403


def test_another_kommunes_batch_is_not_found(client, fejlet):
    odense = personas.person("orla", [Rolle.BOGHOLDER], personas.ODENSE)
    client.force_login(odense)
    liste = client.get(reverse("eindkomst_forsendelser")).content.decode()
    assert "Der er ikke sendt noget til eIndkomst endnu." in liste
    assert client.get(reverse("eindkomst_forsendelse", args=[fejlet.pk])).status_code == 404
    svar = client.post(reverse("eindkomst_forsendelse_send_igen", args=[fejlet.pk]))
    assert svar.status_code == 404

    api = APIClient()
    api.force_login(odense)
    assert api.get(reverse("api:eindkomst_forsendelse_liste")).json()["results"] == []
    assert api.get(reverse("api:eindkomst_forsendelse", args=[fejlet.pk])).status_code == 404
    svar = api.post(
        reverse("api:eindkomst_forsendelse_send_igen", args=[fejlet.pk]),
        HTTP_IDEMPOTENCY_KEY="orla-1",
    )
    assert svar.status_code == 404
    fejlet.besked.refresh_from_db()
    assert fejlet.besked.status == "FEJLET"


def test_the_api_lists_shows_and_sends_again(bent, fejlet):
    api = APIClient()
    api.force_login(bent)
    [f] = api.get(reverse("api:eindkomst_forsendelse_liste")).json()["results"]
    assert (f["id"], f["status"], f["total"], f["antal"]) == (fejlet.pk, "Fejlet", "224.75", 4)

    detalje = api.get(reverse("api:eindkomst_forsendelse", args=[fejlet.pk])).json()
    assert [(r["cpr"], r["art"], r["beloeb"]) for r in detalje["raekker"]] == [
        ("010180-****", "LL8O", "300.00"),
        ("020280-****", "KORREKTION", "-75.25"),
    ]

    url = reverse("api:eindkomst_forsendelse_send_igen", args=[fejlet.pk])
    svar = api.post(url, HTTP_IDEMPOTENCY_KEY="bent-1")
    assert svar.status_code == 200
    assert svar.json()["status"] == "Afventer kvittering"
    udgaaende_besked_lever(besked_id=fejlet.besked.pk)
    svar = api.post(url, HTTP_IDEMPOTENCY_KEY="bent-2")
    assert svar.status_code == 400
    assert "allerede kvitteret" in svar.json()["detail"]
