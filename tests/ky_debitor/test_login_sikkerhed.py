"""Login throttling: after KY_LOGIN_FORSOEG failed logins the account is locked for a while,
the right password is refused during the lock, the lock is audited, and Drift can lift it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from ky_debitor.models import AuditEvent

from .. import personas
from ..screens.html import side

ADGANGSKODE = "Hemmeligt-kodeord-1"  # BrugerFactory's password
GRAENSE = settings.AXES_FAILURE_LIMIT
BRUGERE = "/admin/ky_debitor/bruger/"


def log_paa(client: Client, brugernavn: str, kode: str) -> Any:
    return client.post(reverse("login"), {"username": brugernavn, "password": kode})


def forkert(client: Client, brugernavn: str, gange: int) -> None:
    for _ in range(gange):
        response = log_paa(client, brugernavn, "forkert-kode")
        assert not response.wsgi_request.user.is_authenticated


def er_logget_paa(client: Client) -> bool:
    return client.get(reverse("start")).status_code == 200


@pytest.fixture
def dagny(db):
    return personas.dagny()


@pytest.fixture
def otto(db):
    return personas.otto()


def test_the_limit_is_five_failed_logins_by_default():
    assert GRAENSE == 5


def test_fewer_failures_than_the_limit_do_not_lock(client, alice):
    forkert(client, "alice", GRAENSE - 1)
    response = log_paa(client, "alice", ADGANGSKODE)
    assert response.status_code == 302
    assert er_logget_paa(client)


def test_after_the_limit_even_the_right_password_is_refused_with_a_danish_message(client, alice):
    forkert(client, "alice", GRAENSE)
    response = log_paa(client, "alice", ADGANGSKODE)
    assert response.status_code == 429
    assert not er_logget_paa(client)
    besked = side(response).xpath("//*[@id='login-spaerret']")[0].text_content()
    assert "Kontoen er midlertidigt spærret" in besked
    assert f"{GRAENSE} gange" in besked
    assert "15 minutter" in besked
    # The login form is shown again, so the person knows where they are.
    assert side(response).xpath("//form//input[@name='username']")


def test_the_lock_out_is_audited_on_the_user(client, alice):
    forkert(client, "alice", GRAENSE)
    haendelse = AuditEvent.objects.filter(
        handling="login.spaerret", objekt_id=str(alice.pk)
    ).first()
    assert haendelse is not None
    assert haendelse.kommune_id == alice.kommune_id
    assert haendelse.bruger is None and haendelse.aktoer == "login"
    assert "5 mislykkede forsøg" in haendelse.beskrivelse


def test_a_lock_out_of_an_unknown_name_is_audited_with_a_cpr_masked(client, db):
    forkert(client, "150582-4321", GRAENSE)
    haendelse = AuditEvent.objects.get(handling="login.spaerret", objekt_id="")
    assert haendelse.data["brugernavn"] == "XXXXXX-XXXX"


def test_the_lock_lifts_by_itself_after_the_cool_off(client, alice):
    forkert(client, "alice", GRAENSE)
    assert log_paa(client, "alice", ADGANGSKODE).status_code == 429
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=16)):
        assert log_paa(client, "alice", ADGANGSKODE).status_code == 302
        assert er_logget_paa(client)


def test_another_user_is_not_locked_by_alices_failures(client, alice, bent):
    forkert(client, "alice", GRAENSE)
    assert log_paa(client, "bent", ADGANGSKODE).status_code == 302


def test_drift_sees_the_lock_and_lifts_it_in_the_admin(client, alice, dagny):
    forkert(Client(), "alice", GRAENSE)
    client.force_login(dagny)
    liste = side(client.get(BRUGERE))
    (raekke,) = liste.xpath("//tr[.//a[text()='alice']]")
    assert raekke.xpath(".//td[contains(@class,'field-login_spaerret')]/img/@alt") == ["True"]

    response = client.post(
        BRUGERE,
        {"action": "ophaev_login_spaerring", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert "Login-spærring ophævet for alice." in response.content.decode()
    haendelse = AuditEvent.objects.get(handling="login.spaerring_ophaevet")
    assert haendelse.bruger == dagny and haendelse.objekt_id == str(alice.pk)

    alices_browser = Client()
    assert log_paa(alices_browser, "alice", ADGANGSKODE).status_code == 302
    assert er_logget_paa(alices_browser)


def test_drift_of_another_kommune_cannot_lift_the_lock(client, alice, otto):
    forkert(Client(), "alice", GRAENSE)
    client.force_login(otto)
    client.post(BRUGERE, {"action": "ophaev_login_spaerring", "_selected_action": [alice.pk]})
    assert not AuditEvent.objects.filter(handling="login.spaerring_ophaevet").exists()
    assert log_paa(Client(), "alice", ADGANGSKODE).status_code == 429


def test_only_drift_has_the_unlock_action(client, alice, bent):
    """Bent (Bogholder) may look at the users, but not lift a lock."""
    bent.is_staff = True
    bent.save()
    bent.user_permissions.add(Permission.objects.get(codename="view_bruger"))
    client.force_login(bent)
    response = client.get(BRUGERE)
    assert response.status_code == 200
    assert "ophaev_login_spaerring" not in response.content.decode()
