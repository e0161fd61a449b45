"""Logging on and off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .html import klasse, tekst

ADGANGSKODE = "Hemmeligt-kodeord-1"  # BrugerFactory's password


def test_login_with_right_password_lands_on_the_start_page(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": ADGANGSKODE}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("start")
    assert response.context["user"] == alice
    assert "København Kommune" in tekst(response, "//h1")


def test_wrong_password_shows_a_danish_error_and_logs_nobody_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "forkert"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    fejl = tekst(response, f"//div[{klasse('alert-error')}]")
    assert "Forkert brugernavn eller adgangskode" in fejl
    html = response.content.decode()
    assert '<html lang="da">' in html


def test_empty_fields_get_danish_field_errors(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()


@pytest.mark.parametrize("navn", ["start", "borger_soeg"])
def test_screens_need_login(client, db, navn):
    response = client.get(reverse(navn))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post_and_ends_the_session(alice_client):
    assert alice_client.get(reverse("logout")).status_code == 405
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("start")).status_code == 302
