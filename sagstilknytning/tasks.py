"""Celery tasks: thin, take ids, call one service, retry on database hiccups.

A run fans out as a chord: one task per unfinished chunk (so more workers on more machines make
it faster), then a task that marks the run done. Chunk tasks ack late, so a worker killed
mid-chunk has its chunk redelivered; the chunk's transaction rolled back, so it simply runs again.
"""

from __future__ import annotations

import logging

from celery import chord, shared_task
from django.db import OperationalError

from ky_debitor import koe

from . import services

logger = logging.getLogger(__name__)

KOEEN_VAEK = "Køen var ikke tilgængelig; genoptag kørslen, når den er tilgængelig igen."

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def koersel_koer(koersel_id: int) -> None:
    if koersel_koer.app.conf.task_always_eager:
        # Embedded mode: the run happens inside the request that started it. A failure leaves
        # the run FAILED and resumable; the page that started it still answers.
        try:
            services.koer_synkront(koersel_id=koersel_id)
        except Exception:
            logger.exception("Sagstilknytningskørsel %s fejlede", koersel_id)
        return
    numre = services.koersel_markér_koerer(koersel_id)
    if not numre:
        services.koersel_afslut(koersel_id=koersel_id)
        return
    afslut = koersel_afslut.si(koersel_id).on_error(koersel_fejlet.si(koersel_id))
    try:
        chord((chunk_koer.si(koersel_id, n) for n in numre), afslut).apply_async()
    except koe.BROKERFEJL:
        # The queue went away between this task and its chunks: the run is left FAILED, so
        # Drift can resume it from its last chunk once the queue is back.
        logger.warning("Kørsel %s: delene kunne ikke sendes til køen", koersel_id, exc_info=True)
        services.koersel_fejlet(koersel_id=koersel_id, fejl=KOEEN_VAEK)


@shared_task(**RETRY)
def koersler_send_ventende() -> int:
    """Scheduled sweep: start the runs the queue was away for when they were started."""
    ider = services.koersler_ventende()
    for koersel_id in ider:
        koe.send(koersel_koer, koersel_id)
    return len(ider)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def chunk_koer(koersel_id: int, nummer: int) -> int:
    return services.chunk_behandl(koersel_id=koersel_id, nummer=nummer).behandlet


@shared_task(**RETRY)
def koersel_afslut(koersel_id: int) -> None:
    services.koersel_afslut(koersel_id=koersel_id)


@shared_task
def koersel_fejlet(koersel_id: int) -> None:
    services.koersel_fejlet(
        koersel_id=koersel_id, fejl="En del af kørslen fejlede; genoptag kørslen for at fortsætte."
    )
