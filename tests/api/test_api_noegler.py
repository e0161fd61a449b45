"""API tokens: per kommune and role, stored hashed, shown once, revocable, audited."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from ky_debitor.api_noegler import api_noegle_opret, api_noegle_tilbagekald
from ky_debitor.models import ApiNoegle, AuditEvent
from ky_debitor.roles import Rolle

from ..factories import BrugerFactory, DebitorkontoFactory, kommune
from .conftest import api_med_noegle


def _alle_vaerdier() -> str:
    """Every value of every row of every table: a stored token would show up here."""
    return repr(
        [list(m._default_manager.values_list()) for m in apps.get_models() if m._meta.managed]
    )


def test_the_token_is_stored_only_as_its_hash(drift_noegle):
    noegle, token = drift_noegle
    assert token.startswith(f"ky_{noegle.praefiks}_")
    assert len(noegle.hash) == 64 and noegle.hash not in token
    hemmelighed = token.split("_", 2)[2]
    assert hemmelighed not in _alle_vaerdier()


def test_a_token_sees_its_own_kommune_only(drift_noegle):
    egen = DebitorkontoFactory.create(kontonummer="KBH-1")
    DebitorkontoFactory.create(kontonummer="ODE-1", borger__kommune=kommune(461))
    svar = api_med_noegle(drift_noegle[1]).get("/api/v1/debitorkonti/")
    assert svar.status_code == 200
    assert [k["kontonummer"] for k in svar.json()["results"]] == [egen.kontonummer]


def test_a_revoked_token_authenticates_nothing_and_both_steps_are_audited(dina, drift_noegle):
    noegle, token = drift_noegle
    client = api_med_noegle(token)
    assert client.get("/api/v1/koersler/").status_code == 200

    api_noegle_tilbagekald(user=dina, noegle_id=noegle.pk)

    svar = client.get("/api/v1/koersler/")
    assert svar.status_code == 401
    assert svar.json()["detail"] == "API-nøglen er ukendt eller tilbagekaldt."
    handlinger = AuditEvent.objects.filter(
        objekt_type="ky_debitor.apinoegle", objekt_id=str(noegle.pk), bruger=dina
    ).values_list("handling", flat=True)
    assert sorted(handlinger) == ["api_noegle.opret", "api_noegle.tilbagekald"]


def test_a_wrong_or_altered_token_is_refused(drift_noegle):
    token = drift_noegle[1]
    for forkert in (token[:-1] + ("A" if token[-1] != "A" else "B"), "ky_0000_x", "noget"):
        assert api_med_noegle(forkert).get("/api/v1/koersler/").status_code == 401


def test_the_token_has_its_role_only(db):
    """Its holder is both Drift and Sagsbehandler; the Sagsbehandler key is not Drift."""
    holder = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT, Rolle.SAGSBEHANDLER])
    _, token = api_noegle_opret(
        user=holder, kommune=kommune(101), rolle=Rolle.SAGSBEHANDLER, navn="Sagssystem"
    )
    client = api_med_noegle(token)
    assert client.get("/api/v1/opgaver/").status_code == 200
    svar = client.post("/api/v1/koersler/start/", {}, HTTP_IDEMPOTENCY_KEY="1")
    assert svar.status_code == 403
    assert svar.json()["detail"] == "Din rolle giver ikke adgang til denne side."


def test_a_token_acts_as_its_holder_and_has_no_login_of_its_own(dina, drift_noegle):
    noegle, token = drift_noegle
    assert noegle.indehaver == dina and noegle.bruger is None
    svar = api_med_noegle(token).post(
        "/api/v1/koersler/start/", {"proeve": True}, format="json", HTTP_IDEMPOTENCY_KEY="1"
    )
    assert svar.status_code == 201, svar.json()
    linje = AuditEvent.objects.get(handling="sagstilknytning.start")
    assert linje.bruger == dina and noegle.praefiks in linje.aktoer


@pytest.fixture
def dina_admin(db):
    drift = BrugerFactory.create(
        username="dinaadmin", kommune=kommune(101), is_staff=True, roller=[Rolle.DRIFT]
    )
    from django.test import Client

    client = Client()
    client.force_login(drift)
    return client


def test_drift_makes_a_token_in_the_admin_sees_it_once_and_revokes_it(dina_admin):
    side = dina_admin.post(
        reverse("admin:ky_debitor_apinoegle_add"),
        {"navn": "Økonomisystem", "kommune": kommune(101).pk, "rolle": "Drift"},
    )
    assert side.status_code == 200
    noegle = ApiNoegle.objects.get(navn="Økonomisystem")
    token = side.context["token"]
    assert token.startswith(f"ky_{noegle.praefiks}_") and token in side.content.decode()
    assert api_med_noegle(token).get("/api/v1/fordringer/").status_code == 200
    # Shown once: the token's own page does not show it again.
    aendr = dina_admin.get(reverse("admin:ky_debitor_apinoegle_change", args=[noegle.pk]))
    assert token.split("_", 2)[2] not in aendr.content.decode()

    dina_admin.post(
        reverse("admin:ky_debitor_apinoegle_changelist"),
        {"action": "tilbagekald", "_selected_action": [noegle.pk]},
    )
    noegle.refresh_from_db()
    assert noegle.tilbagekaldt is not None
    assert api_med_noegle(token).get("/api/v1/fordringer/").status_code == 401


def test_drift_cannot_make_a_bogholder_token_in_the_admin(dina_admin):
    side = dina_admin.post(
        reverse("admin:ky_debitor_apinoegle_add"),
        {"navn": "Økonomisystem", "kommune": kommune(101).pk, "rolle": "Bogholder"},
    )
    assert side.status_code == 200
    assert "Du kan kun give roller, du selv har" in side.content.decode()
    assert not ApiNoegle.objects.exists()


def test_odense_cannot_revoke_koebenhavns_token(drift_noegle):
    ole = BrugerFactory.create(kommune=kommune(461), roller=[Rolle.DRIFT])
    with pytest.raises(ApiNoegle.DoesNotExist):
        api_noegle_tilbagekald(user=ole, noegle_id=drift_noegle[0].pk)
    assert api_med_noegle(drift_noegle[1]).get("/api/v1/koersler/").status_code == 200
