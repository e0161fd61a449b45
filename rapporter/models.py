"""Stored exports ("Mine udtræk"): a report written in the background to a file under
MEDIA_ROOT, with its progress, and deleted after a number of days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ky_debitor.tenancy import TenantModel


class EksportStatus(models.TextChoices):
    VENTER = "VENTER", "Venter"
    KOERER = "KOERER", "I gang"
    FAERDIG = "FAERDIG", "Færdig"
    FEJLET = "FEJLET", "Fejlet"


class EksportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (xlsx)"
    CSV = "csv", "CSV (semikolonsepareret)"


class Eksport(TenantModel):
    """One export of a report by a person. The file holds CPR numbers: only its owner in its
    kommune may fetch it, every fetch is audited, and it is deleted when it expires."""

    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="eksporter"
    )
    rapport = models.CharField(max_length=60)
    titel = models.CharField(max_length=120)
    format = models.CharField(max_length=4, choices=EksportFormat.choices)
    filtre = models.JSONField(default=dict, blank=True)
    filtre_tekst = models.CharField("filtre", max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=EksportStatus.choices, default=EksportStatus.VENTER
    )
    antal = models.PositiveIntegerField("rækker i alt", default=0)
    skrevet = models.PositiveIntegerField("rækker skrevet", default=0)
    fil = models.FileField(upload_to="udtraek/%Y/%m/", max_length=300, blank=True)
    fejl = models.CharField(max_length=500, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    startet = models.DateTimeField(null=True, blank=True)
    faerdig = models.DateTimeField("færdig", null=True, blank=True)
    stoerrelse = models.PositiveBigIntegerField("filstørrelse (byte)", null=True, blank=True)
    udloeber = models.DateTimeField("udløber")

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "udtræk"
        verbose_name_plural = "udtræk"
        indexes = [
            models.Index(fields=["kommune", "bruger", "oprettet"]),
            models.Index(fields=["udloeber"]),
        ]

    def __str__(self) -> str:
        return f"{self.titel} ({self.format}, {self.oprettet:%d-%m-%Y %H:%M})"

    @property
    def procent(self) -> int:
        if self.status == EksportStatus.FAERDIG:
            return 100
        if not self.antal:
            return 0
        return min(99, self.skrevet * 100 // self.antal)

    @property
    def resterende_sekunder(self) -> int | None:
        """Seconds left at the pace so far (rows written since the writing started); None
        before there is a pace to go by."""
        if self.status != EksportStatus.KOERER or not self.startet or not self.skrevet:
            return None
        brugt = (timezone.now() - self.startet).total_seconds()
        return round(brugt * (self.antal - self.skrevet) / self.skrevet)

    @property
    def er_aktiv(self) -> bool:
        return self.status in (EksportStatus.VENTER, EksportStatus.KOERER)

    @property
    def filnavn(self) -> str:
        return f"{self.rapport}_{self.oprettet:%Y%m%d_%H%M}.{self.format}"
