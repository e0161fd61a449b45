"""Celery tasks of the money side: thin, take ids, call one service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from fordringer.choices import BeskedStatus
from fordringer.dokumenter import services as dokumenter
from fordringer.indberetning import forsendelse
from fordringer.ompostering import kredit
from fordringer.udbakke import services as udgaaende
from ky_debitor import koe

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def udgaaende_send(besked_id: int) -> str:
    """Deliver one outbox message; a failed attempt is retried when its back-off has passed."""
    besked = udgaaende.udgaaende_besked_lever(besked_id=besked_id)
    if (
        besked.status == BeskedStatus.AFVENTER
        and besked.naeste_forsoeg is not None
        and not udgaaende_send.app.conf.task_always_eager
    ):
        # Should the queue be away, the sweep below still finds the message when it is due.
        koe.send(udgaaende_send, besked_id, eta=besked.naeste_forsoeg)
    return str(besked.status)


@shared_task(**RETRY)
def udgaaende_send_forfaldne() -> int:
    """Scheduled sweep: send every waiting message whose time has come (also after a restart
    that lost a queued task)."""
    ider = udgaaende.udgaaende_forfaldne()
    for besked_id in ider:
        udgaaende.udgaaende_besked_lever(besked_id=besked_id)
    return len(ider)


@shared_task(**RETRY)
def eindkomst_forsendelser_opret() -> int:
    """Daily: one eIndkomst batch per kommune with unreported lines (each its own
    transaction, under the kommune's lock). Returns how many batches were made."""
    return sum(
        forsendelse.eindkomst_forsendelse_opret(kommune_id=kommune_id) is not None
        for kommune_id in forsendelse.kommuner_med_usendte_linjer()
    )


@shared_task(**RETRY)
def kreditter_udlign() -> str:
    """Nightly settlement run (seed 004 afklaring b): every kommune's credits on customers
    cover what they can of their borgeres' claims. Safe to run again at any time."""
    udfald = [kredit.kreditter_udlign(kommune_id=k) for k in kredit.kommuner_med_kredit()]
    return f"{sum(u.kreditter for u in udfald)} kreditter, {sum(u.fordelt for u in udfald)} kr."


@shared_task(acks_late=True, **RETRY)
def dokument_dan(dokument_id: int) -> None:
    """Render one ordered document (and send it, if it is a letter)."""
    if dokument_dan.app.conf.task_always_eager:
        # Embedded mode: rendered in the request after commit; a failure is on the document.
        try:
            dokumenter.dokument_dan(dokument_id=dokument_id)
        except Exception:
            logger.exception("Dokument %s kunne ikke dannes", dokument_id)
        return
    dokumenter.dokument_dan(dokument_id=dokument_id)


@shared_task(**RETRY)
def dokumenter_send_ventende() -> int:
    """Scheduled sweep: documents still waiting for a worker are put on the queue again."""
    ider = dokumenter.dokumenter_ventende()
    for dokument_id in ider:
        koe.send(dokument_dan, dokument_id)
    return len(ider)
