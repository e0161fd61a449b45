"""Celery tasks: thin, take ids, call one service, retry on database hiccups.

A run fans out as a chord: one task per unfinished chunk (so more workers on more machines make
it faster), then a task that marks the run done. Chunk tasks ack late, so a worker killed
mid-chunk has its chunk redelivered; the chunk's transaction rolled back, so it simply runs again.
"""

from __future__ import annotations

from celery import chord, shared_task
from django.db import OperationalError

from . import services

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def koersel_koer(koersel_id: int) -> None:
    numre = services.koersel_markér_koerer(koersel_id)
    if not numre:
        services.koersel_afslut(koersel_id=koersel_id)
        return
    afslut = koersel_afslut.si(koersel_id).on_error(koersel_fejlet.si(koersel_id))
    chord((chunk_koer.si(koersel_id, n) for n in numre), afslut).apply_async()


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
