""" "Månedlig samling" (seed 000): a merged løbende forsørgelsesydelse med tilbagebetalingspligt
gets a follow-up task the first working day after each monthly payment run, once a month,
until the borger stops on the benefit or the konto is released."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from fordringer.choices import Frigivelsestype, SamlingBeslutningType
from fordringer.models import MaanedligSamling
from fordringer.samling.maanedlig import (
    maanedlig_samling_afslut,
    samlingsdag,
    seneste_forfaldne_maaned,
    udbetalingskoersel,
)
from fordringer.samling.services import samlingsbeslutning_opret
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent, Kommune
from opgavepakker.tasks import maanedlige_samlinger_opret

from .samling_data import opret

KBH = ZoneInfo("Europe/Copenhagen")


def kl(aar: int, maaned: int, dag: int, time: int = 6) -> dt.datetime:
    return dt.datetime(aar, maaned, dag, time, tzinfo=KBH)


@pytest.mark.parametrize(
    ("aar", "maaned", "udbetalingsdag", "koersel", "forfald", "ugedag"),
    [
        # 31-12 is a day off, so the run is on 30-12; 1-1 is nytårsdag: Friday 2 January.
        (2025, 12, 31, dt.date(2025, 12, 30), dt.date(2026, 1, 2), "Friday"),
        # 1-1-2027 is a Friday, then a weekend: Monday 4 January.
        (2026, 12, None, dt.date(2026, 12, 30), dt.date(2027, 1, 4), "Monday"),
        # Easter 2024: skærtorsdag 28-3 to 2. påskedag 1-4.
        (2024, 3, None, dt.date(2024, 3, 27), dt.date(2024, 4, 2), "Tuesday"),
        # A day 31 in a 30-day month is its last day; 1 May is a working day (kalender.py).
        (2026, 4, 31, dt.date(2026, 4, 30), dt.date(2026, 5, 1), "Friday"),
        # A run the 20th on a Saturday moves back to Friday; the samling is on Monday.
        (2026, 6, 20, dt.date(2026, 6, 19), dt.date(2026, 6, 22), "Monday"),
    ],
)
def test_the_samling_is_due_the_first_working_day_after_the_payment_run(
    aar, maaned, udbetalingsdag, koersel, forfald, ugedag
):
    """Q: "Skal det gøres på en bestemt dag?" — "dagen efter en udbetalingskørsel. Således
    den første arbejdsdag i måneden." Weekends and Danish public holidays are no working
    days."""
    assert udbetalingskoersel(aar, maaned, udbetalingsdag) == koersel
    assert samlingsdag(aar, maaned, udbetalingsdag) == forfald
    assert forfald.strftime("%A") == ugedag


def test_the_latest_month_due_is_found_across_the_new_year():
    assert seneste_forfaldne_maaned(dt.date(2026, 1, 1), 31) == dt.date(2025, 11, 1)
    assert seneste_forfaldne_maaned(dt.date(2026, 1, 2), 31) == dt.date(2025, 12, 1)
    assert seneste_forfaldne_maaned(dt.date(2026, 1, 30), 31) == dt.date(2025, 12, 1)


@pytest.fixture
def samlet(alice):
    """Karl's løbende kontanthjælp med tilbagebetalingspligt, merged on 10 December 2025, in
    a kommune whose payment run is the 31st."""
    Kommune.objects.filter(kode=101).update(udbetalingsdag=31)
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=None)
    with time_machine.travel(kl(2025, 12, 10, 10), tick=False):
        samlingsbeslutning_opret(
            user=alice,
            konto_id=d.kmd.pk,
            beslutning=SamlingBeslutningType.SAML,
            begrundelse="Løbende kontanthjælp samles",
            ky_konto_id=d.ky.pk,
        )
    return d


def test_the_task_is_created_on_2_january_after_the_new_years_holiday_and_only_once(samlet):
    """Q: "Har du en smart måde vi kan huske dette på?" — "I kan evt. oprette en
    opfølgningsopgave der følger den månedlige udbetalingskørsel." """
    with time_machine.travel(kl(2026, 1, 1), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 0  # nytårsdag: not yet
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 1
        assert maanedlige_samlinger_opret.delay().get() == 0  # the daily run again
    with time_machine.travel(kl(2026, 1, 20), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 0
    samling = MaanedligSamling.objects.get()
    assert (samling.konto, samling.maaned) == (samlet.kmd, dt.date(2025, 12, 1))
    assert samling.udbetalingskoersel == dt.date(2025, 12, 30)
    assert samling.forfald == dt.date(2026, 1, 2)
    assert samling.forfald.weekday() == 4  # Friday
    with time_machine.travel(kl(2026, 2, 2), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 1  # January's run


def test_the_same_month_twice_is_refused_by_the_database(samlet):
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        maanedlige_samlinger_opret.delay().get()
    samling = MaanedligSamling.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        MaanedligSamling.objects.create(
            kommune_id=samling.kommune_id,
            konto=samling.konto,
            maaned=samling.maaned,
            udbetalingskoersel=samling.udbetalingskoersel,
            forfald=samling.forfald,
        )


def test_no_task_once_the_bevilling_has_stopped(samlet):
    """Q: "… skal hver måned samles indtil borgeren stopper på sin ydelse." """
    samlet.bevilling.periode_til = dt.date(2025, 11, 30)
    samlet.bevilling.save()
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 0


def test_no_task_once_the_konto_is_released_or_no_longer_merged(samlet, alice):
    """Q: "Hvis vi har en sag, hvor kmd-aktiv er frigivet …" — a released konto is no longer
    merged; nor is one whose newest decision is not to merge."""
    samlingsbeslutning_opret(
        user=alice,
        konto_id=samlet.kmd.pk,
        beslutning=SamlingBeslutningType.INGEN_SAMLING,
        begrundelse="Borgeren er overgået til anden ydelse",
    )
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 0
    samlet.kmd.frigivelsestype = Frigivelsestype.FRIGIVET
    samlet.kmd.save()
    with time_machine.travel(kl(2026, 2, 2), tick=False):
        assert maanedlige_samlinger_opret.delay().get() == 0


def test_a_caseworker_marks_a_samling_done_once_and_it_is_audited(samlet, alice, olga):
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        maanedlige_samlinger_opret.delay().get()
    samling = MaanedligSamling.objects.get()
    with pytest.raises(ApplicationError, match="findes ikke"):
        maanedlig_samling_afslut(user=olga, samling_id=samling.pk)
    maanedlig_samling_afslut(
        user=alice, samling_id=samling.pk, begrundelse="Ingen ny fordring i måneden"
    )
    samling.refresh_from_db()
    assert samling.afsluttet_af == alice
    assert AuditEvent.objects.filter(
        handling="maanedlig_samling.afslut", objekt_id=str(samlet.kmd.pk)
    ).exists()
    with pytest.raises(ConflictError):
        maanedlig_samling_afslut(user=alice, samling_id=samling.pk)


def test_the_list_shows_what_is_due_today_and_what_is_overdue(samlet, alice):
    with time_machine.travel(kl(2026, 1, 2), tick=False):
        maanedlige_samlinger_opret.delay().get()
    c = Client()
    c.force_login(alice)
    with time_machine.travel(kl(2026, 1, 2, 10), tick=False):
        side = c.get(reverse("maanedlige_samlinger")).content.decode()
    assert 'id="samlinger-i-dag"' in side and "KA-101" in side
    assert 'id="samlinger-overskredne"' not in side
    with time_machine.travel(kl(2026, 1, 6, 10), tick=False):
        c.force_login(alice)  # the session timed out over the days
        side = c.get(reverse("maanedlige_samlinger")).content.decode()
        assert 'id="samlinger-overskredne"' in side
        samling = MaanedligSamling.objects.get()
        svar = c.post(
            reverse("maanedlig_samling_afslut", args=[samling.pk]),
            {"begrundelse": "Ingen ny fordring i måneden"},
            follow=True,
        )
    assert "markeret som udført" in svar.content.decode()
    assert 'id="samlinger-udfoerte"' in svar.content.decode()
