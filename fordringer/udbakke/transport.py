"""How outbox messages leave: the transports ``settings.KY_UDGAAENDE_TRANSPORT`` can name.

``FilTransport`` writes JSON files (development and tests); ``ServiceplatformenTransport`` is the
outline of the debitorsystem's SF1590 client on Serviceplatformen. Digital Post letters have a
transport of their own (``settings.KY_DIGITAL_POST_TRANSPORT``), so a kommune plugs in its
Digital Post gateway by naming its class there; ``DigitalPostFilTransport`` writes the letter's
PDF beside the JSON envelope (development and tests).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from fordringer.choices import BeskedType
from fordringer.models import Dokument, UdgaaendeBesked


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


class DigitalPostFilTransport(FilTransport):
    """Digital Post for development and tests: the envelope as JSON and the stored letter as
    ``<noegle>.pdf`` beside it, after checking that the PDF is the one whose hash was sent."""

    def send(self, besked: UdgaaendeBesked) -> None:
        dokument = Dokument.objects.get(pk=besked.payload["dokument_id"])
        pdf = bytes(dokument.pdf or b"")
        if hashlib.sha256(pdf).hexdigest() != besked.payload["sha256"]:
            raise ValueError(f"Dokument {dokument.pk} har ikke den sendte SHA-256.")
        super().send(besked)
        mappe = self.mappe / besked.type.lower()
        filnavn = "".join(c if c.isalnum() or c in "-_" else "_" for c in besked.noegle)
        midlertidig = mappe / f".{filnavn}.pdf.tmp"
        midlertidig.write_bytes(pdf)
        midlertidig.replace(mappe / f"{filnavn}.pdf")


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


def transport(besked_type: str = "") -> Transport:
    """The transport for a kind of message: Digital Post's own, else the outbox's."""
    navn = (
        settings.KY_DIGITAL_POST_TRANSPORT
        if besked_type == BeskedType.DIGITAL_POST
        else settings.KY_UDGAAENDE_TRANSPORT
    )
    klasse = import_string(navn)
    instans: Transport = klasse()
    return instans
