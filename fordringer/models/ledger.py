"""The ledger (``Postering``, append-only, DESIGN §4.2) and the parking of dækninger that
must wait for a link (DESIGN §5)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from fordringer.choices import DEBET_ARTER, KREDIT_ARTER, PosteringArt
from ky_debitor.append_only import AppendOnlyModel, AppendOnlyQuerySetMixin
from ky_debitor.money import MoneyField
from ky_debitor.tenancy import TenantModel, TenantQuerySet, kommune_uden_eget_indeks

from .kerne import Debitorkonto, Fordring, Indbetaling


class PosteringQuerySet(AppendOnlyQuerySetMixin, TenantQuerySet):
    pass


class PosteringManager(models.Manager.from_queryset(PosteringQuerySet)):  # type: ignore[misc]
    pass


class Postering(AppendOnlyModel, TenantModel):
    """One ledger line. Positive amounts raise the restance, negative ones lower it.

    A correction is a ``TILBAGEFOERSEL`` of the opposite amount that points at the entry it
    reverses (each entry can be reversed once). ``ekstern_id`` is the debitorsystem's id
    (``daekningsid``) and makes the import idempotent.
    """

    kommune = kommune_uden_eget_indeks()
    # Served by the (fordring, valoerdato) index.
    fordring = models.ForeignKey(
        Fordring, on_delete=models.PROTECT, related_name="posteringer", db_index=False
    )
    art = models.CharField(max_length=15, choices=PosteringArt.choices)
    beloeb = MoneyField("beløb")
    valoerdato = models.DateField("valørdato")
    bogfoert = models.DateTimeField("bogført", auto_now_add=True)
    indbetaling = models.ForeignKey(
        Indbetaling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posteringer",
        db_index=False,
    )
    tilbagefoerer = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tilbagefoert_af",
        verbose_name="tilbagefører",
    )
    ekstern_id = models.CharField(max_length=40, blank=True, default="")
    tekst = models.CharField(max_length=255, blank=True)
    aktoer = models.CharField("aktør", max_length=150, blank=True)

    objects: ClassVar[PosteringManager] = PosteringManager()

    class Meta:
        ordering = ["valoerdato", "id"]
        verbose_name = "postering"
        verbose_name_plural = "posteringer"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "ekstern_id"],
                condition=~Q(ekstern_id=""),
                name="postering_unikt_eksternt_id",
            ),
            models.UniqueConstraint(
                fields=["fordring"],
                condition=Q(art="HOVEDSTOL"),
                name="postering_en_hovedstol",
            ),
            models.CheckConstraint(
                condition=(Q(art__in=[a.value for a in DEBET_ARTER]) & Q(beloeb__gt=0))
                | (Q(art__in=[a.value for a in KREDIT_ARTER]) & Q(beloeb__lt=0))
                | (Q(art="TILBAGEFOERSEL") & Q(tilbagefoerer__isnull=False) & ~Q(beloeb=0)),
                name="postering_fortegn_efter_art",
            ),
        ]
        indexes = [
            models.Index(fields=["fordring", "valoerdato"]),
            # Only payments have entries; the HOVEDSTOL and interest lines need no index entry.
            models.Index(
                fields=["indbetaling"],
                condition=Q(indbetaling__isnull=False),
                name="postering_indbetaling",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_art_display()} {self.beloeb} ({self.valoerdato:%d-%m-%Y})"


class Parkering(TenantModel):
    """A dækning or afskrivning waiting in "Dækninger og afskrivninger af KMD Aktiv fordringer".

    Parked while the konto is not linked or the claim has no ydelsestype; released
    (``frigivet``) in the same transaction as the link (DESIGN §5).
    """

    postering = models.OneToOneField(Postering, on_delete=models.PROTECT, related_name="parkering")
    # Served by the (konto, frigivet) index.
    konto = models.ForeignKey(
        Debitorkonto, on_delete=models.PROTECT, related_name="parkeringer", db_index=False
    )
    beloeb = MoneyField("beløb", help_text="Det parkerede beløb (positivt).")
    parkeret = models.DateTimeField(auto_now_add=True)
    frigivet = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["parkeret", "id"]
        verbose_name = "parkeret dækning/afskrivning"
        verbose_name_plural = "parkerede dækninger og afskrivninger"
        indexes = [models.Index(fields=["konto", "frigivet"])]

    def __str__(self) -> str:
        return f"Parkeret {self.beloeb} på {self.konto_id}"
