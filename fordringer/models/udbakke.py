"""The outbox: messages to the debitorsystem (SF1590) delivered with retries."""

from __future__ import annotations

from django.db import models

from fordringer.choices import BeskedStatus, BeskedType
from ky_debitor.tenancy import TenantModel


class UdgaaendeBesked(TenantModel):
    """The outbox: one outgoing message, written in the same transaction as the business write
    and delivered by Celery through the transport of ``settings.KY_UDGAAENDE_TRANSPORT``.

    ``noegle`` is the idempotency key: writing the same message twice is one row, and the
    receiver can drop a redelivery. Retries back off exponentially (``udgaaende.py``).
    """

    type = models.CharField(max_length=30, choices=BeskedType.choices)
    noegle = models.CharField("idempotensnøgle", max_length=120, unique=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=BeskedStatus.choices, default=BeskedStatus.AFVENTER
    )
    forsoeg = models.PositiveSmallIntegerField("forsøg", default=0)
    naeste_forsoeg = models.DateTimeField("næste forsøg", null=True, blank=True)
    sidste_fejl = models.TextField(blank=True)
    sidste_forsoeg = models.DateTimeField("sidste forsøg", null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    sendt = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["oprettet", "id"]
        verbose_name = "udgående besked"
        verbose_name_plural = "udgående beskeder"
        indexes = [models.Index(fields=["status", "naeste_forsoeg"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.noegle}"
