""" "Månedlig samling" is done only when the konto was merged after the payment run, or with a
reason (issue #16): otherwise a Danish error and nothing changes, on the screen and in the API."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fordringer.choices import SamlingBeslutningType
from fordringer.models import MaanedligSamling
from fordringer.samling.maanedlig import maanedlige_samlinger_opret
from fordringer.samling.services import samlingsbeslutning_opret
from ky_debitor.models import AuditEvent, Kommune
from tests.factories import FordringFactory
from tests.fordringer.samling.samling_data import Samlingsdata, opret

pytestmark = pytest.mark.django_db
KBH = ZoneInfo("Europe/Copenhagen")


def kl(aar: int, maaned: int, dag: int, time: int = 10) -> dt.datetime:
    return dt.datetime(aar, maaned, dag, time, tzinfo=KBH)


def _saml(user, d: Samlingsdata) -> None:
    samlingsbeslutning_opret(
        user=user,
        konto_id=d.kmd.pk,
        beslutning=SamlingBeslutningType.SAML,
        begrundelse="Løbende kontanthjælp samles",
        ky_konto_id=d.ky.pk,
    )


@pytest.fixture
def opgave(alice) -> tuple[Samlingsdata, MaanedligSamling]:
    """Karl's løbende kontanthjælp, merged 10-12-2025; the task after the run of 31-12-2025
    (on 30-12, as 31-12 is a day off) is due 2-1-2026."""
    Kommune.objects.filter(kode=101).update(udbetalingsdag=31)
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=None)
    with time_machine.travel(kl(2025, 12, 10), tick=False):
        _saml(alice, d)
    with time_machine.travel(kl(2026, 1, 2, 6), tick=False):
        assert maanedlige_samlinger_opret() == 1
    samling = MaanedligSamling.objects.get()
    assert samling.udbetalingskoersel == dt.date(2025, 12, 30)
    return d, samling


def _klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _aabne_og_audit() -> tuple[int, int]:
    return (
        MaanedligSamling.objects.filter(afsluttet__isnull=True).count(),
        AuditEvent.objects.filter(handling="maanedlig_samling.afslut").count(),
    )


def test_without_a_samling_or_a_reason_the_screen_refuses_and_nothing_changes(opgave, alice):
    _, samling = opgave
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        c = _klient(alice)
        liste = c.get(reverse("maanedlige_samlinger")).content.decode()
        assert f'id="samlet-{samling.pk}">Nej<' in liste
        svar = c.post(reverse("maanedlig_samling_afslut", args=[samling.pk]), {"begrundelse": " "})
    assert svar.status_code == 400
    side = svar.content.decode()
    assert "Der er ikke samlet på debitorkonto KA-101 efter udbetalingskørslen 30-12-2025" in side
    assert 'id="maanedlig-fejl"' in side and 'aria-invalid="true"' in side
    assert _aabne_og_audit() == (1, 0)


def test_a_too_long_reason_is_refused_and_nothing_changes(opgave, alice):
    _, samling = opgave
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        svar = _klient(alice).post(
            reverse("maanedlig_samling_afslut", args=[samling.pk]), {"begrundelse": "x" * 301}
        )
    assert svar.status_code == 400
    assert "Begrundelsen må højst være 300 tegn." in svar.content.decode()
    assert _aabne_og_audit() == (1, 0)


def test_with_a_reason_the_task_is_done_and_the_reason_is_audited(opgave, alice):
    d, samling = opgave
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        svar = _klient(alice).post(
            reverse("maanedlig_samling_afslut", args=[samling.pk]),
            {"begrundelse": "Ingen ny fordring i december"},
            follow=True,
        )
    side = svar.content.decode()
    assert "markeret som udført" in side and "Ingen ny fordring i december" in side
    haendelse = AuditEvent.objects.get(handling="maanedlig_samling.afslut")
    assert haendelse.begrundelse == "Ingen ny fordring i december"
    assert "uden samling" in haendelse.beskrivelse
    assert haendelse.objekt_id == str(d.kmd.pk)
    assert _aabne_og_audit() == (0, 1)


def test_a_samling_after_the_payment_run_does_the_task_without_a_reason(opgave, alice):
    d, samling = opgave
    # The run of 30-12 raised January's claim on the KMD Aktiv konto; it is merged on 2-1.
    FordringFactory.create(
        konto=d.kmd,
        fordringsid="FA-101-3",
        hovedstol=Decimal("400.00"),
        ydelsestype=d.f1.ydelsestype,
    )
    with time_machine.travel(kl(2026, 1, 2, 9), tick=False):
        _saml(alice, d)
    with time_machine.travel(kl(2026, 1, 2, 11), tick=False):
        c = _klient(alice)
        assert (
            f'id="samlet-{samling.pk}">Ja<'
            in c.get(reverse("maanedlige_samlinger")).content.decode()
        )
        svar = c.post(reverse("maanedlig_samling_afslut", args=[samling.pk]), follow=True)
    assert "markeret som udført" in svar.content.decode()
    haendelse = AuditEvent.objects.get(handling="maanedlig_samling.afslut")
    assert "efter samlingen 02-01-2026" in haendelse.beskrivelse
    assert haendelse.data["samlingsbeslutning_id"] is not None
    assert _aabne_og_audit() == (0, 1)


def test_the_api_keeps_the_same_rule(opgave, alice):
    _, samling = opgave
    api = APIClient()
    api.force_login(alice)
    url = reverse("api:maanedlig_samling_afslut", args=[samling.pk])
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        api.force_login(alice)
        svar = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        assert svar.status_code == 400
        assert "Der er ikke samlet på debitorkonto KA-101" in str(svar.json())
        assert _aabne_og_audit() == (1, 0)
        svar = api.post(
            url,
            {"begrundelse": "Borgeren fik ingen udbetaling"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    assert svar.status_code == 200
    assert svar.json()["begrundelse"] == "Borgeren fik ingen udbetaling"
    assert _aabne_og_audit() == (0, 1)


def test_another_kommunes_task_is_not_found_through_the_api(opgave, olga):
    _, samling = opgave
    api = APIClient()
    api.force_login(olga)
    svar = api.post(
        reverse("api:maanedlig_samling_afslut", args=[samling.pk]),
        {"begrundelse": "Forsøg"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert svar.status_code == 404
    assert _aabne_og_audit() == (1, 0)
