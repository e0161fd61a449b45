"""Handing follow-up work to Celery: after commit, quickly, and saying whether it got there.

A write whose follow-up runs on a worker (an outbox message, an export, a linking run) commits
first; only then is the task put on the queue (``efter_commit``). When the broker is down the
publish fails within a couple of seconds (``CELERY_BROKER_TRANSPORT_OPTIONS``; no retry loop in
the request, no wait for a result store) and is logged, never raised: the write is saved, and a
scheduled sweep (``fordringer.tasks.udgaaende_send_forfaldne``,
``rapporter.tasks.eksport_send_ventende``) picks up what is still waiting once the queue is back.

A screen that wants to tell the person the truth wraps the service call in ``afsendelser()``
and asks ``.udskudt`` afterwards: true when a follow-up did not reach the queue.

In the embedded setup (no broker, ``task_always_eager``) the task runs in-process as before and
its errors surface where they are raised.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

# What a failed publish raises: kombu wraps the transport's errors, a socket can fail bare.
BROKERFEJL: tuple[type[BaseException], ...] = (KombuError, OSError)


@dataclass
class Afsendelse:
    """One follow-up task: ``i_koe`` is None until the transaction has committed."""

    opgave: str
    args: tuple[Any, ...]
    i_koe: bool | None = None


@dataclass
class Afsendelser:
    """The follow-ups registered while a block ran (see ``afsendelser``)."""

    liste: list[Afsendelse] = field(default_factory=list)

    @property
    def udskudt(self) -> bool:
        """True when some follow-up did not reach the queue and waits for the sweep."""
        return any(a.i_koe is False for a in self.liste)


_aktive: ContextVar[Afsendelser | None] = ContextVar("ky_afsendelser", default=None)


def send(opgave: Task, *args: Any, eta: dt.datetime | None = None) -> bool:
    """Put ``opgave(*args)`` on the queue now (or for ``eta``); False, and a warning, when the
    broker is down."""
    if opgave.app.conf.task_always_eager:
        opgave.apply_async(args, eta=eta)
        return True
    try:
        # No retry loop and no result subscription: a follow-up is fire-and-forget, the row
        # it works on carries its state, and the sweep re-sends what is left waiting.
        opgave.apply_async(args, eta=eta, retry=False, ignore_result=True)
    except BROKERFEJL as exc:
        logger.warning(
            "Køen er ikke tilgængelig; %s%s venter på den planlagte opsamling: %s",
            opgave.name,
            args,
            exc,
        )
        return False
    return True


def efter_commit(opgave: Task, *args: Any) -> Afsendelse:
    """Put ``opgave(*args)`` on the queue once the current transaction has committed."""
    afsendelse = Afsendelse(opgave=opgave.name, args=args)
    aktive = _aktive.get()
    if aktive is not None:
        aktive.liste.append(afsendelse)

    def _send() -> None:
        afsendelse.i_koe = send(opgave, *args)

    transaction.on_commit(_send)
    return afsendelse


@contextmanager
def afsendelser() -> Iterator[Afsendelser]:
    """Collect the follow-ups registered inside the block, to tell the person whether they
    reached the queue (``udskudt``) once the block's transaction has committed."""
    samlet = Afsendelser()
    token = _aktive.set(samlet)
    try:
        yield samlet
    finally:
        _aktive.reset(token)
