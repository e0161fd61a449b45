"""The queue is down: a write is saved, the person is told the truth, and the scheduled sweep
delivers the follow-up once the queue is back.

The app's broker is pointed at a closed local port for the request; afterwards a real worker on
the test Redis (``tests/arbejdere.py``) runs the sweep exactly as Celery beat would send it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D

import redis
from celery import current_app
from django.urls import reverse

from fordringer.choices import BeskedStatus, BeskedType, Udbetalingskanal
from fordringer.models import Udbetaling, UdgaaendeBesked
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.udbetaling import NyModtager, UdbetalingValg
from fordringer.tasks import udgaaende_send_forfaldne
from ky_debitor.celery import app
from rapporter.models import Eksport, EksportStatus
from rapporter.tasks import eksport_send_ventende

from .. import personas
from ..arbejdere import KRAEVER_ARBEJDERE, REDIS_TEST_URL, start_worker, stop
from ..factories import FordringFactory
from ..fordringer.ompostering.ompostering_data import IDAG, opret
from ..vent import vent_til

pytestmark = KRAEVER_ARBEJDERE

LUKKET_PORT = "redis://127.0.0.1:1/0"  # nothing listens there: the queue is down


@contextmanager
def koeen_nede() -> Iterator[None]:
    """The web process's broker is unreachable for the block (the test worker's is not)."""
    foer = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    foer_app = current_app._get_current_object()  # the ``broker`` fixture's client
    app.conf.update(broker_url=LUKKET_PORT, task_always_eager=False)
    _glem_forbindelser()
    app.set_current()  # tasks are sent through the project's app, as in production
    try:
        yield
    finally:
        app.conf.update(foer)
        _glem_forbindelser()
        foer_app.set_current()


def _glem_forbindelser() -> None:
    """No pooled connection to the previous broker survives: ``app.close()`` drops the
    connection pool, but the producer pool keeps the connection of the first publish made in
    this process (by an earlier test, say) until it is dropped too."""
    app.close()
    app.amqp._producer_pool = None


def _beskeder(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_payout_approved_while_the_queue_is_down_is_saved_said_so_and_sent_later(
    bent, birgit, client, broker, tmp_path
):
    s = opret(bent)
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[s.daekning.pk],
        aarsag_id=s.aarsag.pk,
        til_borger_id=s.bo.pk,
        fordeling=[NyDaekning(s.fb.pk, D("200.00"))],
        udbetaling=UdbetalingValg(
            beloeb=D("300.00"),
            kanal=Udbetalingskanal.NEMKONTO,
            ny_modtager=NyModtager(navn="Advokat Hansen", identifikation="12345674"),
        ),
        idag=IDAG,
    )
    udbetaling = Udbetaling.objects.get(ompostering=ompostering)
    client.force_login(birgit)

    with koeen_nede():
        svar = client.post(
            reverse("udbetaling_behandl", args=[udbetaling.pk]),
            {"handling": "godkend", "begrundelse": "Kontrolleret"},
            follow=True,
        )

    assert svar.status_code == 200
    assert _beskeder(svar) == [
        "Udbetalingen er godkendt; afsendelse sker, når køen er tilgængelig igen."
    ]
    assert Udbetaling.objects.get(pk=udbetaling.pk).status == "GODKENDT"
    besked = UdgaaendeBesked.objects.get(type=BeskedType.UDBETALING)
    assert (besked.status, besked.forsoeg) == (BeskedStatus.AFVENTER, 0)

    worker = start_worker("efter-udfald", miljoe={"KY_VAR_DIR": str(tmp_path)})
    try:
        broker.send_task(udgaaende_send_forfaldne.name)  # as beat sends it
        vent_til(
            lambda: UdgaaendeBesked.objects.get(pk=besked.pk).status == BeskedStatus.SENDT,
            besked="udbetalingen sendt af opsamlingen",
        )
    finally:
        stop(worker)
    leveret = tmp_path / "udgaaende" / "udbetaling" / f"udbetaling_{udbetaling.pk}.json"
    assert leveret.exists(), list((tmp_path / "udgaaende").rglob("*"))


def test_an_export_ordered_while_the_queue_is_down_waits_and_the_sweep_writes_it_once(
    client, broker, settings, tmp_path
):
    pia = personas.pia()
    for _ in range(3):
        FordringFactory.create()
    settings.KY_EKSPORT_GRAENSE = 1
    client.force_login(pia)

    with koeen_nede():
        svar = client.post(
            reverse("udtraek_hent"),
            {"rapport": "detaljer_debitor", "format": "csv"},
            follow=True,
        )

    assert svar.status_code == 200
    assert _beskeder(svar) == ["Udtrækket er bestilt; det dannes, når køen er tilgængelig igen."]
    eksport = Eksport.objects.get()
    assert eksport.status == EksportStatus.VENTER

    media = tmp_path / "media"
    worker = start_worker(
        "efter-udfald",
        miljoe={"KY_VAR_DIR": str(tmp_path), "KY_EKSPORT_GENSEND_SEKUNDER": "0"},
    )
    try:
        # Beat sends the sweep every minute; twice here, and the export is written once.
        broker.send_task(eksport_send_ventende.name)
        broker.send_task(eksport_send_ventende.name)
        vent_til(
            lambda: Eksport.objects.get(pk=eksport.pk).status == EksportStatus.FAERDIG,
            besked="udtrækket dannet af opsamlingen",
        )
        koe = redis.Redis.from_url(REDIS_TEST_URL)
        vent_til(lambda: koe.llen("celery") == 0, besked="den anden besked hentet af arbejderen")
    finally:  # a warm stop lets the worker finish what it holds
        stop(worker)
    eksport.refresh_from_db()
    assert (eksport.status, eksport.antal) == (EksportStatus.FAERDIG, 3)
    assert len(list(media.rglob("*.csv"))) == 1, list(media.rglob("*"))
