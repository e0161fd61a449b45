"""The outbox: outgoing messages written with the business write, delivered by Celery.

A service calls ``udgaaende_besked_opret`` inside its own transaction, so a message exists
exactly when the write it reports does. After commit (``ky_debitor.koe.efter_commit``; a
message the queue did not take waits for the scheduled sweep) a thin task (``tasks.py``) calls
``udgaaende_besked_lever``, which hands the message to the transport named in
``settings.KY_UDGAAENDE_TRANSPORT`` (``transport.py``). A failed delivery is tried again after
1, 2, 4, … minutes; after ``KY_UDGAAENDE_MAKS_FORSOEG`` attempts it is ``FEJLET`` for
operations to look at. The idempotency key (``noegle``) makes a repeated write one row, and
travels with the message so the receiver can drop a redelivery.

New message kinds (the debitorsystem's SF1590 B_01-B_04, eIndkomst) are more ``BeskedType``
values and, where they go elsewhere, more transports: ``FilTransport`` for development and
tests, ``ServiceplatformenTransport`` the outline of the real SF1590 client. Every attempt
records its time (``sidste_forsoeg``) and a success its ``sendt``, so Drift can see when each
integration last worked; Drift puts a failed message back in line (``udgaaende_besked_proev_igen``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.models import UdgaaendeBesked
from fordringer.udbakke.transport import transport
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.koe import efter_commit

if TYPE_CHECKING:
    from ky_debitor.models import Bruger


def udgaaende_besked_opret(
    *, kommune_id: int, type: BeskedType, noegle: str, payload: dict[str, Any]
) -> UdgaaendeBesked:
    """Put a message in the outbox (idempotent by ``noegle``); it is sent after commit."""
    besked, oprettet = UdgaaendeBesked.objects.get_or_create(
        noegle=noegle,
        defaults={"kommune_id": kommune_id, "type": type, "payload": payload},
    )
    if oprettet:
        from fordringer.tasks import udgaaende_send

        efter_commit(udgaaende_send, besked.pk)
    return besked


def naeste_forsoeg(forsoeg: int, nu: dt.datetime) -> dt.datetime:
    """Exponential back-off: 1, 2, 4, 8 … minutes after attempt 1, 2, 3, 4 …"""
    return nu + dt.timedelta(minutes=2 ** (forsoeg - 1))


@transaction.atomic
def udgaaende_besked_lever(*, besked_id: int, nu: dt.datetime | None = None) -> UdgaaendeBesked:
    """Try to deliver one message now. A message already sent is left alone."""
    nu = nu or timezone.now()
    besked = UdgaaendeBesked.objects.select_for_update().select_related("kommune").get(pk=besked_id)
    if besked.status != BeskedStatus.AFVENTER:
        return besked
    besked.forsoeg += 1
    besked.sidste_forsoeg = nu
    try:
        transport(besked.type).send(besked)
    except Exception as exc:
        besked.sidste_fejl = f"{type(exc).__name__}: {exc}"[:2000]
        if besked.forsoeg >= settings.KY_UDGAAENDE_MAKS_FORSOEG:
            besked.status = BeskedStatus.FEJLET
            besked.naeste_forsoeg = None
        else:
            besked.naeste_forsoeg = naeste_forsoeg(besked.forsoeg, nu)
    else:
        besked.status = BeskedStatus.SENDT
        besked.sendt = nu
        besked.naeste_forsoeg = None
        besked.sidste_fejl = ""
    besked.save(
        update_fields=[
            "forsoeg",
            "sidste_forsoeg",
            "status",
            "sendt",
            "naeste_forsoeg",
            "sidste_fejl",
        ]
    )
    return besked


@transaction.atomic
def udgaaende_besked_proev_igen(*, user: Bruger, besked_id: int) -> UdgaaendeBesked:
    """Drift puts a failed or stuck message back in line, with a fresh round of attempts, and
    it is sent after commit under the same idempotency key. Audited.

    ``UdgaaendeBesked.DoesNotExist`` for another kommune's message; a message being delivered
    right now (its row locked by a worker) is refused rather than waited for.
    """
    try:
        besked = (
            UdgaaendeBesked.objects.for_user(user).select_for_update(nowait=True).get(pk=besked_id)
        )
    except DatabaseError as exc:
        raise ConflictError("Beskeden er ved at blive sendt lige nu. Prøv igen om lidt.") from exc
    if besked.status == BeskedStatus.SENDT:
        raise ApplicationError("Beskeden er allerede sendt.")
    foer = BeskedStatus(besked.status).label.lower()
    beskrivelse = (
        f"{besked.get_type_display()} {besked.noegle} sat til afsendelse igen "
        f"(var {foer} efter {besked.forsoeg} forsøg"
        + (f"; sidste fejl: {besked.sidste_fejl[:200]}" if besked.sidste_fejl else "")
        + ")."
    )
    besked.status = BeskedStatus.AFVENTER
    besked.forsoeg = 0
    besked.naeste_forsoeg = None
    besked.save(update_fields=["status", "forsoeg", "naeste_forsoeg"])
    audit_log(
        user=user,
        kommune_id=besked.kommune_id,
        handling="udgaaende.proev_igen",
        objekt=besked,
        beskrivelse=beskrivelse,
    )
    from fordringer.tasks import udgaaende_send

    efter_commit(udgaaende_send, besked.pk)
    return besked


def udgaaende_forfaldne(*, nu: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of waiting messages whose (re)try time has come."""
    nu = nu or timezone.now()
    return list(
        UdgaaendeBesked.objects.filter(status=BeskedStatus.AFVENTER)
        .exclude(naeste_forsoeg__gt=nu)
        .order_by("oprettet", "id")
        .values_list("pk", flat=True)[:limit]
    )
