"""The outbox: outgoing messages written with the business write, delivered by Celery.

A service calls ``udgaaende_besked_opret`` inside its own transaction, so a message exists
exactly when the write it reports does. After commit a thin task (``tasks.py``) calls
``udgaaende_besked_lever``, which hands the message to the transport named in
``settings.KY_UDGAAENDE_TRANSPORT``. A failed delivery is tried again after 1, 2, 4, …
minutes; after ``KY_UDGAAENDE_MAKS_FORSOEG`` attempts it is ``FEJLET`` for operations to look
at. The idempotency key (``noegle``) makes a repeated write one row, and travels with the
message so the receiver can drop a redelivery.

New message kinds (the debitorsystem's SF1590 B_01-B_04, eIndkomst) are more ``BeskedType``
values and, where they go elsewhere, more transports.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .choices import BeskedStatus, BeskedType
from .models import UdgaaendeBesked


class Transport(Protocol):
    def send(self, besked: UdgaaendeBesked) -> None:
        """Deliver the message or raise; delivering the same key twice must be harmless."""


class FilTransport:
    """Writes each message as one JSON document: ``VAR_DIR/udgaaende/<type>/<noegle>.json``."""

    def __init__(self, mappe: Path | None = None) -> None:
        self.mappe = mappe or Path(settings.VAR_DIR) / "udgaaende"

    def send(self, besked: UdgaaendeBesked) -> None:
        mappe = self.mappe / besked.type.lower()
        mappe.mkdir(parents=True, exist_ok=True)
        filnavn = "".join(c if c.isalnum() or c in "-_" else "_" for c in besked.noegle)
        dokument = {
            "type": besked.type,
            "noegle": besked.noegle,
            "kommune": besked.kommune.kode,
            "oprettet": besked.oprettet.isoformat(),
            "payload": besked.payload,
        }
        midlertidig = mappe / f".{filnavn}.tmp"
        midlertidig.write_text(json.dumps(dokument, ensure_ascii=False, indent=2), "utf-8")
        midlertidig.replace(mappe / f"{filnavn}.json")


def transport() -> Transport:
    klasse = import_string(settings.KY_UDGAAENDE_TRANSPORT)
    instans: Transport = klasse()
    return instans


def udgaaende_besked_opret(
    *, kommune_id: int, type: BeskedType, noegle: str, payload: dict[str, Any]
) -> UdgaaendeBesked:
    """Put a message in the outbox (idempotent by ``noegle``); it is sent after commit."""
    besked, oprettet = UdgaaendeBesked.objects.get_or_create(
        noegle=noegle,
        defaults={"kommune_id": kommune_id, "type": type, "payload": payload},
    )
    if oprettet:
        from .tasks import udgaaende_send

        transaction.on_commit(lambda: udgaaende_send.delay(besked.pk))
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
    try:
        transport().send(besked)
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
    besked.save(update_fields=["forsoeg", "status", "sendt", "naeste_forsoeg", "sidste_fejl"])
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
