"""Tenancy, people and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from .append_only import AppendOnlyModel, AppendOnlyQuerySet


class Kommune(models.Model):
    """A Danish municipality: the tenant. Loaded with the 98 codes by a data migration."""

    kode = models.PositiveSmallIntegerField("kommunekode", unique=True)
    navn = models.CharField(max_length=60)
    # Deadline for packages med dækninger: end of January after the tax year (seed 000).
    frist_maaned_dag = models.CharField(
        "frist (dd-mm året efter skatteåret)", max_length=5, default="31-01"
    )

    class Meta:
        ordering = ["kode"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self) -> str:
        return f"{self.kode} {self.navn}"


class Bruger(AbstractUser):
    """A person who logs in. Belongs to one kommune; roles are Django groups."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="brugere"
    )

    class Meta:
        verbose_name = "bruger"
        verbose_name_plural = "brugere"

    @property
    def visningsnavn(self) -> str:
        return self.get_full_name() or self.username


class AuditEvent(AppendOnlyModel):
    """Who did what, when and why. Written by the service in the same transaction as the write.

    ``bruger`` is empty for automatic work (a linking run, an import); ``aktoer`` then names it.
    """

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, null=True, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    aktoer = models.CharField("aktør", max_length=150)
    handling = models.CharField(max_length=60, db_index=True)
    objekt_type = models.CharField(max_length=60)
    objekt_id = models.CharField(max_length=60)
    beskrivelse = models.TextField()
    begrundelse = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"])]
        verbose_name = "audithændelse"
        verbose_name_plural = "audithændelser"

    def __str__(self) -> str:
        return f"{self.tidspunkt:%d-%m-%Y %H:%M} {self.aktoer}: {self.beskrivelse}"


class Opslag(AppendOnlyModel):
    """A person opened a screen that shows a citizen's CPR number (logged, as the law requires)."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, null=True, blank=True)
    tidspunkt = models.DateTimeField(auto_now_add=True, db_index=True)
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    objekt_type = models.CharField(max_length=60)
    objekt_id = models.CharField(max_length=60)
    formaal = models.CharField("formål", max_length=200)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"])]
        verbose_name = "CPR-opslag"
        verbose_name_plural = "CPR-opslag"

    def __str__(self) -> str:
        return f"{self.tidspunkt:%d-%m-%Y %H:%M} {self.bruger}: {self.formaal}"
