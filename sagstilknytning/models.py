"""Linking runs, their chunks (the checkpoints) and the decision per konto per run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ky_debitor.tenancy import TenantModel


class KoerselStatus(models.TextChoices):
    PENDING = "PENDING", "Venter"
    RUNNING = "RUNNING", "Kører"
    DONE = "DONE", "Færdig"
    FAILED = "FAILED", "Fejlet"
    CANCELLED = "CANCELLED", "Annulleret"


AKTIVE = (KoerselStatus.PENDING, KoerselStatus.RUNNING)
# A run that stopped before its end resumes from its last committed chunk.
GENOPTAGELIGE = (KoerselStatus.FAILED, KoerselStatus.CANCELLED)


class Sagstilknytningskoersel(TenantModel):
    """One linking run over a kommune's KMD Aktiv konti (DESIGN §5, issue: runs)."""

    startet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proeve = models.BooleanField("prøvekørsel", default=False)
    status = models.CharField(
        max_length=10, choices=KoerselStatus.choices, default=KoerselStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    behandlet = models.PositiveIntegerField(default=0)
    antal_sagstilknyttet = models.PositiveIntegerField(default=0)
    antal_sagsoprettet = models.PositiveIntegerField(default=0)
    antal_opgave = models.PositiveIntegerField(default=0)
    antal_uaendret = models.PositiveIntegerField("antal uændret (manuelle)", default=0)
    oprettet = models.DateTimeField(auto_now_add=True)
    startet = models.DateTimeField(null=True, blank=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    fejl = models.TextField(blank=True)

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "sagstilknytningskørsel"
        verbose_name_plural = "sagstilknytningskørsler"
        constraints = [
            # Two runs for the same kommune at once: the second is refused by the database too.
            models.UniqueConstraint(
                fields=["kommune"],
                condition=Q(status__in=["PENDING", "RUNNING"]),
                name="koersel_en_aktiv_pr_kommune",
            ),
        ]

    def __str__(self) -> str:
        art = "Prøvekørsel" if self.proeve else "Kørsel"
        return f"{art} {self.pk} ({self.get_status_display()})"


class KoerselChunk(models.Model):
    """A slice of konti (by id) processed in one transaction: the resume checkpoint."""

    koersel = models.ForeignKey(
        Sagstilknytningskoersel, on_delete=models.CASCADE, related_name="chunks"
    )
    nummer = models.PositiveIntegerField()
    fra_konto_id = models.BigIntegerField()
    til_konto_id = models.BigIntegerField()
    antal = models.PositiveIntegerField()
    faerdig = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["koersel", "nummer"]
        verbose_name = "kørselsdel"
        verbose_name_plural = "kørselsdele"
        constraints = [
            models.UniqueConstraint(fields=["koersel", "nummer"], name="chunk_unikt_nummer"),
        ]

    def __str__(self) -> str:
        return f"{self.koersel_id}/{self.nummer}"


class KontoBeslutning(TenantModel):
    """What a run decided for one konto, with the evidence (DESIGN §4.7).

    A run writes these thousands at a time, with ids it has just read under lock; the
    database does not check the five references again for every row at commit (≈ 40 ms of
    every 1,000 konti), nor keeps indexes no screen reads by. Deletes still cascade or set
    null through Django.
    """

    kommune = models.ForeignKey(
        "ky_debitor.Kommune", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    koersel = models.ForeignKey(
        Sagstilknytningskoersel,
        on_delete=models.CASCADE,
        related_name="beslutninger",
        db_constraint=False,
        db_index=False,  # the unique (koersel, konto) index serves
    )
    konto = models.ForeignKey(
        "fordringer.Debitorkonto",
        on_delete=models.CASCADE,
        related_name="beslutninger",
        db_constraint=False,
    )
    resultat = models.CharField(max_length=20)
    aarsag = models.CharField("årsag", max_length=30, blank=True)
    bevilling = models.ForeignKey(
        "fordringer.Bevilling",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,  # looked up only when a bevilling is deleted, which never happens
    )
    sag = models.ForeignKey(
        "fordringer.Sag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    aendring = models.CharField("ændring", max_length=200, blank=True)
    evidens = models.JSONField(default=dict)

    class Meta:
        ordering = ["koersel", "konto_id"]
        verbose_name = "kontobeslutning"
        verbose_name_plural = "kontobeslutninger"
        constraints = [
            models.UniqueConstraint(fields=["koersel", "konto"], name="beslutning_en_pr_konto"),
        ]
        indexes = [models.Index(fields=["koersel", "resultat", "aarsag"])]

    def __str__(self) -> str:
        return f"{self.konto_id}: {self.resultat} {self.aarsag}".strip()
