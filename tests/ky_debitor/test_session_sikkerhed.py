"""Logged out after KY_SESSION_MINUTTER without activity; a progress poll is no activity, and
an expired session met by a poll sends the whole browser to the login page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ky_debitor.roles import Rolle
from rapporter.models import Eksport

from ..factories import BrugerFactory, EksportFactory, kommune
from ..screens.html import side

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MINUT = dt.timedelta(minutes=1)


@pytest.fixture
def koerende_eksport(pia) -> Eksport:
    return EksportFactory.create(bruger=pia)


def er_logget_paa(client: Client) -> bool:
    return client.get(reverse("start")).status_code == 200


def poll_fra_siden(client: Client, url: str) -> tuple[str, dict[str, str]]:
    """The URL and headers htmx polls with, read from the page's polling element."""
    (element,) = side(client.get(url)).xpath("//*[@hx-trigger='every 1s']")
    headers = {
        "HX-Request": "true",
        "HX-Current-URL": f"http://testserver{url}",
        **json.loads(element.get("hx-headers", "{}")),
    }
    return element.get("hx-get"), headers


def test_the_timeout_is_thirty_minutes_by_default():
    assert settings.KY_SESSION_MINUTTER == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_inactivity_logs_out_and_the_login_page_says_why(client, alice):
    with time_machine.travel(START, tick=False) as rejse:
        client.force_login(alice)
        rejse.shift(29 * MINUT)
        assert er_logget_paa(client)  # activity: the half hour starts again
        rejse.shift(29 * MINUT)
        assert er_logget_paa(client)
        rejse.shift(31 * MINUT)
        response = client.get(reverse("start"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert not response.context["user"].is_authenticated
    assert (
        "Du er blevet logget af, fordi du ikke har været aktiv i 30 minutter."
        in response.content.decode()
    )


def test_a_progress_poll_does_not_keep_the_session_alive(client, pia, koerende_eksport):
    side_url = reverse("eksport", args=[koerende_eksport.pk])
    with time_machine.travel(START, tick=False) as rejse:
        client.force_login(pia)
        url, headers = poll_fra_siden(client, side_url)
        for _ in range(5):  # the page stays open and polls
            rejse.shift(5 * MINUT)
            poll = client.get(url, headers=headers)
            assert poll.status_code == 200
            assert 'id="eksport-status"' in poll.content.decode()
        rejse.shift(6 * MINUT)  # 31 minutes after the last thing Pia did herself
        udloebet = client.get(url, headers=headers)
        assert not er_logget_paa(client)

    # The browser is sent to the login page, back to the page after login; nothing is
    # rendered into the polled panel.
    assert udloebet.status_code == 200
    assert udloebet["HX-Redirect"] == f"{reverse('login')}?next={side_url}"
    assert udloebet.content == b""


def test_a_persons_own_request_between_polls_keeps_the_session(client, pia, koerende_eksport):
    side_url = reverse("eksport", args=[koerende_eksport.pk])
    with time_machine.travel(START, tick=False) as rejse:
        client.force_login(pia)
        url, headers = poll_fra_siden(client, side_url)
        rejse.shift(20 * MINUT)
        assert client.get(reverse("mine_udtraek")).status_code == 200  # Pia clicks
        rejse.shift(20 * MINUT)
        assert client.get(url, headers=headers).status_code == 200
        assert er_logget_paa(client)


def test_an_admin_poll_on_an_expired_session_goes_to_the_admin_login(client, dorte_drift):
    url = reverse("admin:sagstilknytning_sagstilknytningskoersel_changelist")
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"}
    with time_machine.travel(START, tick=False) as rejse:
        client.force_login(dorte_drift)
        rejse.shift(31 * MINUT)
        response = client.get(url, headers=headers)
    assert response["HX-Redirect"] == f"{reverse('admin:login')}?next={url}"


def test_an_htmx_request_that_is_not_a_poll_is_activity(client, alice):
    with time_machine.travel(START, tick=False) as rejse:
        client.force_login(alice)
        rejse.shift(25 * MINUT)
        soeg = client.post(reverse("borger_soeg"), {"q": "Jensen"}, headers={"HX-Request": "true"})
        assert soeg.status_code == 200
        rejse.shift(25 * MINUT)
        assert er_logget_paa(client)


@pytest.fixture
def dorte_drift(db) -> Any:
    return BrugerFactory.create(
        username="dorte", kommune=kommune(101), is_staff=True, roller=[Rolle.DRIFT]
    )
