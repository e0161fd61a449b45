"""Celery tasks of the money side: thin, take ids, call one service."""

from __future__ import annotations

import logging

from celery import group, shared_task
from django.db import OperationalError

from fordringer.choices import BeskedStatus
from fordringer.dokumenter import services as dokumenter
from fordringer.indberetning import forsendelse
from fordringer.ompostering import kredit
from fordringer.rente import koersel as rentekoersel
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


@shared_task(**RETRY)
def rentekoersel_koer_opgave(koersel_id: int) -> str:
    """Start (or resume) one interest run: one task per unfinished lane, so as many workers as
    there are lanes run it side by side; the last lane to finish marks the run done."""
    if rentekoersel_koer_opgave.app.conf.task_always_eager:
        # Embedded mode: the run happens inside the request that started it. A failure leaves
        # the run FAILED and resumable; the page that started it still answers.
        try:
            return rentekoersel.rentekoersel_beskriv(
                rentekoersel.rentekoersel_koer(koersel_id=koersel_id)
            )
        except Exception:
            logger.exception("Rentekørsel %s fejlede", koersel_id)
            return "fejlet"
    spor = rentekoersel.rentekoersel_markeer_koerer(koersel_id=koersel_id)
    if not spor:
        rentekoersel.rentekoersel_afslut(koersel_id=koersel_id)
        return "intet at køre"
    try:
        group(rentekoersel_spor_opgave.si(koersel_id, n) for n in spor).apply_async()
    except koe.BROKERFEJL:
        # The queue went away between this task and its lanes: the run is left FAILED, so
        # Drift can resume it from its lanes' last chunks once the queue is back.
        logger.warning("Rentekørsel %s: sporene kunne ikke sendes til køen", koersel_id)
        rentekoersel.rentekoersel_fejlet(
            koersel_id=koersel_id,
            fejl="Køen var ikke tilgængelig; genoptag kørslen, når den er tilgængelig igen.",
        )
        return "fejlet"
    return f"{len(spor)} spor sendt"


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def rentekoersel_spor_opgave(koersel_id: int, nummer: int) -> str:
    """Run one lane of an interest run. Acked late: a worker killed mid-lane has the task
    redelivered, and the lane goes on from its last committed chunk."""
    rentekoersel.rentekoersel_spor_koer(koersel_id=koersel_id, nummer=nummer)
    rentekoersel.rentekoersel_afslut(koersel_id=koersel_id)
    return rentekoersel.rentekoersel_beskriv(
        rentekoersel.Rentekoersel.objects.select_related("kommune").get(pk=koersel_id)
    )


@shared_task(**RETRY)
def renter_koer_alle() -> int:
    """Monthly: an interest run up to today for every kommune with open interest-bearing
    claims; a kommune whose previous run is still active has that run resumed instead.
    Returns how many runs were sent."""
    from fordringer.models import Rentekoersel
    from ky_debitor.models import Kommune

    sendt = 0
    for kommune_id in rentekoersel.kommuner_med_rentebaerende_fordringer():
        aktiv = (
            Rentekoersel.objects.for_kommune(kommune_id).filter(status__in=rentekoersel.AKTIVE)
        ).first()
        if aktiv is not None:
            koe.send(rentekoersel_koer_opgave, aktiv.pk)
        else:
            rentekoersel.rentekoersel_start(
                kommune=Kommune.objects.get(pk=kommune_id), til_dato=None, user=None
            )
        sendt += 1
    return sendt
