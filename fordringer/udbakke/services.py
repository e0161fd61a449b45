"""The outbox: outgoing messages written with the business write, delivered by Celery.

A service calls ``udgaaende_besked_opret`` inside its own transaction, so a message exists
exactly when the write it reports does. After commit (``ky_debitor.koe.efter_commit``; a
message the queue did not take waits for the scheduled sweep) a thin task (``tasks.py``) calls
``udgaaende_besked_lever``, which hands the message to the transport named in
``settings.KY_UDGAAENDE_TRANSPORT``. A failed delivery is tried again after 1, 2, 4, …
minutes; after ``KY_UDGAAENDE_MAKS_FORSOEG`` attempts it is ``FEJLET`` for operations to look
at. The idempotency key (``noegle``) makes a repeated write one row, and travels with the
message so the receiver can drop a redelivery.

New message kinds (the debitorsystem's SF1590 B_01-B_04, eIndkomst) are more ``BeskedType``
values and, where they go elsewhere, more transports: ``FilTransport`` for development and
tests, ``ServiceplatformenTransport`` the outline of the real SF1590 client. Every attempt
records its time (``sidste_forsoeg``) and a success its ``sendt``, so Drift can see when each
integration last worked; Drift puts a failed message back in line (``udgaaende_besked_proev_igen``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.models import UdgaaendeBesked
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.koe import efter_commit

if TYPE_CHECKING:
    from ky_debitor.models import Bruger


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


# What each SF1590 service of the debitorsystem carries (DESIGN §6, seed 003). The payload is
# written by the service that makes the message (release, merge, payment); the idempotency key
# ``noegle`` travels as the message id, so the debitorsystem can drop a redelivery.
SF1590_OPERATIONER: dict[str, tuple[str, str]] = {
    BeskedType.SF1590_B_01: (
        "DebitorRegistrering",
        "Registrer (frigiv) en debitorkonto i debitorsystemet: kontonummer, CPR, borgerens "
        "navn og de fordringer, der følger med.",
    ),
    BeskedType.SF1590_B_02: (
        "DebitorForespoergsel",
        "Spørg debitorsystemet om en debitors konti og saldi: CPR eller kontonummer.",
    ),
    BeskedType.SF1590_B_03: (
        "DebitorIndbetaling",
        "Meld en indbetaling til debitorsystemet: indbetalingsid, beløb, valørdato og de "
        "fordringer, den dækker.",
    ),
    BeskedType.SF1590_B_04: (
        "DebitorkontoAnmodning",
        "Anmod debitorsystemet om en ændring af en debitorkonto, fx samling af en KMD "
        "Aktiv-konto med borgerens KY-konto: kontonumre og anmodningens art.",
    ),
}


def sf1590_kuvert(besked: UdgaaendeBesked) -> dict[str, Any]:
    """The envelope an SF1590 message is sent in: operation, message id and kommune."""
    if besked.type not in SF1590_OPERATIONER:
        raise ValueError(f"Beskedtypen {besked.type} sendes ikke via Serviceplatformen.")
    operation, _beskrivelse = SF1590_OPERATIONER[besked.type]
    return {
        "operation": f"SF1590_{besked.type.removeprefix('SF1590_')}_{operation}",
        "beskedId": besked.noegle,
        "kommunekode": besked.kommune.kode,
        "oprettet": besked.oprettet.isoformat(),
        "indhold": besked.payload,
    }


class ServiceplatformenTransport:
    """The real transport: the debitorsystem's SF1590 services on Serviceplatformen.

    An outline until the kommunernes service agreements (seed 003, opgave 2) are in place:
    it builds the envelope (``sf1590_kuvert``) and refuses to run without its configuration
    (``KY_SERVICEPLATFORMEN_URL`` and ``KY_SERVICEPLATFORMEN_CERTIFIKAT``, the OCES system
    certificate). The call itself (SOAP over mutual TLS, with ``beskedId`` as the message id
    so a redelivery is harmless) is ``_kald``, to be written against the service contract.
    """

    def __init__(self) -> None:
        self.url = settings.KY_SERVICEPLATFORMEN_URL
        self.certifikat = settings.KY_SERVICEPLATFORMEN_CERTIFIKAT
        mangler = [
            navn
            for navn, vaerdi in (
                ("KY_SERVICEPLATFORMEN_URL", self.url),
                ("KY_SERVICEPLATFORMEN_CERTIFIKAT", self.certifikat),
            )
            if not vaerdi
        ]
        if mangler:
            raise ImproperlyConfigured(
                "ServiceplatformenTransport er valgt, men ikke sat op: "
                f"{', '.join(mangler)} mangler."
            )

    def send(self, besked: UdgaaendeBesked) -> None:
        self._kald(sf1590_kuvert(besked))

    def _kald(self, kuvert: dict[str, Any]) -> None:
        raise NotImplementedError(
            f"Kaldet af {kuvert['operation']} på Serviceplatformen er ikke skrevet endnu."
        )


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
