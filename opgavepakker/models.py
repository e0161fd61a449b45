"""Tasks ("Opret fordringssag", "Dækninger og afskrivninger") and the 15 opgavepakker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ky_debitor.etiketter import etiket
from ky_debitor.tenancy import TenantModel

from .workflow import OpgaveStatus


class OpgaveType(models.TextChoices):
    OPRET_FORDRINGSSAG = "OPRET_FORDRINGSSAG", "Opret fordringssag"
    DAEKNINGER = "DAEKNINGER", "Dækninger og afskrivninger af KMD Aktiv fordringer"


class Opgavepakke(TenantModel):
    """One of the 15 packages of release 2.1 in a kommune (DESIGN §5).

    Fourteen are a reason code *med* or *uden* parked dækninger; the fifteenth is the waiting
    step for parked dækninger and afskrivninger (``aarsag`` empty).
    """

    kode = models.CharField(max_length=40)
    navn = models.CharField(max_length=120)
    aarsag = models.CharField("årsag", max_length=30, blank=True)
    med_daekninger = models.BooleanField("med dækninger", default=False)
    venteskridt = models.BooleanField(default=False)
    raekkefoelge = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        ordering = ["raekkefoelge"]
        verbose_name = "opgavepakke"
        verbose_name_plural = "opgavepakker"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "kode"], name="pakke_unik_kode"),
        ]

    def __str__(self) -> str:
        return self.navn


class Opgave(TenantModel):
    """A task on one debitorkonto. At most one open task per konto, type and reason."""

    pakke = models.ForeignKey(Opgavepakke, on_delete=models.PROTECT, related_name="opgaver")
    konto = models.ForeignKey(
        "fordringer.Debitorkonto", on_delete=models.PROTECT, related_name="opgaver"
    )
    type = models.CharField(max_length=20, choices=OpgaveType.choices)
    aarsag = models.CharField("årsag", max_length=30, blank=True)
    status = models.CharField(
        max_length=10, choices=OpgaveStatus.choices, default=OpgaveStatus.AABEN
    )
    tildelt = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidens = models.JSONField(default=dict, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    afsluttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    afslutning = models.CharField("afslutningsnote", max_length=300, blank=True)
    # What completing the task changed, before → after (konto and each claim's fields).
    aendringer = models.JSONField("ændringer", default=dict, blank=True)
    koersel_id = models.BigIntegerField("oprettet af kørsel", null=True, blank=True)

    class Meta:
        ordering = ["oprettet", "id"]
        verbose_name = "opgave"
        verbose_name_plural = "opgaver"
        constraints = [
            models.UniqueConstraint(
                fields=["konto", "type", "aarsag"],
                condition=Q(status__in=["AABEN", "I_GANG"]),
                name="opgave_en_aaben_pr_konto_og_aarsag",
            ),
        ]
        indexes = [
            models.Index(fields=["kommune", "pakke", "status"]),
            models.Index(fields=["konto", "status"]),
        ]

    def __str__(self) -> str:
        aarsag = f" ({etiket(self.aarsag, 'Aarsag')})" if self.aarsag else ""
        return f"{self.get_type_display()} - {self.konto_id}{aarsag}"
