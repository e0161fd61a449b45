"""The debitorsystem integration (SF1590, DESIGN §6, seed 003): incoming messages and each
kommune's readiness.
"""

from __future__ import annotations

from django.db import models

from fordringer.choices import IndgaaendeResultat, IndgaaendeType
from ky_debitor.tenancy import TenantModel, kommune_uden_eget_indeks

from .kerne import Debitorkonto
from .ledger import Postering


class IndgaaendeBesked(TenantModel):
    """One message received from the debitorsystem, stored with what it did.

    ``besked_id`` is the sender's message id: unique per kommune, so a redelivery is
    recognised and answered with the stored outcome instead of being booked again. A message
    that was refused (bad input) is not stored, so the sender may correct it and resend.
    """

    kommune = kommune_uden_eget_indeks()
    besked_id = models.CharField("besked-id", max_length=100)
    type = models.CharField(max_length=15, choices=IndgaaendeType.choices)
    indhold = models.JSONField(help_text="Beskeden, som den blev modtaget.")
    indhold_hash = models.CharField(max_length=64)
    resultat = models.CharField(max_length=15, choices=IndgaaendeResultat.choices)
    postering = models.OneToOneField(
        Postering, on_delete=models.PROTECT, null=True, blank=True, related_name="besked"
    )
    konto = models.ForeignKey(
        Debitorkonto,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="beskeder",
        db_index=False,
    )
    eindkomst = models.BooleanField("eIndkomst-indberetning", default=False)
    modtaget = models.DateTimeField(auto_now_add=True)
    modtaget_af = models.CharField("modtaget af", max_length=150)

    class Meta:
        ordering = ["modtaget", "id"]
        verbose_name = "indgående besked"
        verbose_name_plural = "indgående beskeder"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "besked_id"], name="indgaaende_besked_unik_id"
            ),
        ]
        indexes = [models.Index(fields=["kommune", "type", "modtaget"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.besked_id}"


class DebitorsystemOpsaetning(TenantModel):
    """Which of the debitorsystem's integrations a kommune has configured (seed 003, SA 05).

    Operations tick an integration when the kommune's supplier has confirmed it; the Drift
    screen shows, beside each, when it last worked, and what is still missing.
    """

    kommune = models.OneToOneField(
        "ky_debitor.Kommune", on_delete=models.PROTECT, related_name="debitorsystem"
    )
    b01_registrering = models.BooleanField(
        "SF1590_B_01 DebitorRegistrering", default=False,
        help_text="Debitorsystemet modtager debitorregistreringer fra KY.",
    )  # fmt: skip
    b02_forespoergsel = models.BooleanField(
        "SF1590_B_02 DebitorForespørgsel", default=False,
        help_text="Debitorsystemet modtager forespørgsler fra KY.",
    )  # fmt: skip
    b03_indbetaling = models.BooleanField(
        "SF1590_B_03 DebitorIndbetaling", default=False,
        help_text="Debitorsystemet modtager indbetalinger fra KY.",
    )  # fmt: skip
    beskedfordeler = models.BooleanField(
        "Beskedfordeler-abonnement", default=False,
        help_text="Debitorsystemet sender dækninger og statusskift til KY.",
    )  # fmt: skip
    bemaerkning = models.TextField("bemærkning", blank=True)
    opdateret = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "debitorsystem-opsætning"
        verbose_name_plural = "debitorsystem-opsætninger"

    def __str__(self) -> str:
        return f"Debitorsystem for {self.kommune}"
