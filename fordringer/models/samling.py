""" "Vurder, saml og frigiv debitorkonto" (seed 000): the decisions, the claims they moved, and
the monthly samling that follows a merged løbende forsørgelsesydelse.

The decisions and moved claims are append-only: a decision is changed only by a newer decision
on the same konto, and a moved claim stays moved (a correction is a new booking on the ledger,
DESIGN §4.2).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from fordringer.choices import SamlingBeslutningType
from ky_debitor.append_only import AppendOnlyModel
from ky_debitor.money import MoneyField
from ky_debitor.tenancy import TenantModel, kommune_uden_eget_indeks

from .kerne import Debitorkonto, Fordring
from .ledger import Postering, PosteringManager


class Samlingsbeslutning(AppendOnlyModel, TenantModel):
    """One decision on a KMD Aktiv konto: who, when, what, why, and the KY konto it concerns.

    ``konto`` is the KMD Aktiv konto assessed. ``ky_konto`` is the borger's KY konto merged
    into (SAML) or released instead (FRIGIV when the KMD Aktiv konto was already released and
    the claim continues in KY). ``frigivet_konto`` is the konto a FRIGIV released. The newest
    decision on a konto is the one in force.
    """

    kommune = kommune_uden_eget_indeks()
    konto = models.ForeignKey(
        Debitorkonto, on_delete=models.PROTECT, related_name="samlingsbeslutninger"
    )
    beslutning = models.CharField(max_length=15, choices=SamlingBeslutningType.choices)
    begrundelse = models.TextField()
    ky_konto = models.ForeignKey(
        Debitorkonto,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="KY-debitorkonto",
    )
    frigivet_konto = models.ForeignKey(
        Debitorkonto,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    tidspunkt = models.DateTimeField(auto_now_add=True)
    antal_fordringer = models.PositiveIntegerField("samlede fordringer", default=0)
    beloeb = MoneyField("samlet restance", default=0)

    objects: ClassVar[PosteringManager] = PosteringManager()

    class Meta:
        ordering = ["-tidspunkt", "-id"]
        verbose_name = "samlingsbeslutning"
        verbose_name_plural = "samlingsbeslutninger"
        constraints = [
            models.CheckConstraint(
                condition=~Q(begrundelse=""), name="samlingsbeslutning_har_begrundelse"
            ),
            models.CheckConstraint(
                condition=~Q(beslutning="SAML") | Q(ky_konto__isnull=False),
                name="samlingsbeslutning_saml_har_ky_konto",
            ),
            models.CheckConstraint(
                condition=~Q(beslutning="FRIGIV") | Q(frigivet_konto__isnull=False),
                name="samlingsbeslutning_frigiv_har_konto",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_beslutning_display()} ({self.konto_id})"


class SamletFordring(AppendOnlyModel, TenantModel):
    """A claim a SAML decision moved: the KMD Aktiv claim (``fra_fordring``), brought to 0 by
    a SAMLING credit (``ud_postering``), and the new claim on the KY konto (``til_fordring``),
    whose HOVEDSTOL entry (``ind_postering``) carries the same amount."""

    kommune = kommune_uden_eget_indeks()
    beslutning = models.ForeignKey(
        Samlingsbeslutning, on_delete=models.PROTECT, related_name="samlede"
    )
    fra_fordring = models.ForeignKey(Fordring, on_delete=models.PROTECT, related_name="samlet_til")
    til_fordring = models.OneToOneField(
        Fordring, on_delete=models.PROTECT, related_name="samlet_fra"
    )
    beloeb = MoneyField("beløb")
    ud_postering = models.OneToOneField(Postering, on_delete=models.PROTECT, related_name="+")
    ind_postering = models.OneToOneField(Postering, on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[PosteringManager] = PosteringManager()

    class Meta:
        ordering = ["id"]
        verbose_name = "samlet fordring"
        verbose_name_plural = "samlede fordringer"
        constraints = [
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="samlet_fordring_positiv"),
        ]

    def __str__(self) -> str:
        return f"{self.fra_fordring_id} → {self.til_fordring_id}"


class MaanedligSamling(TenantModel):
    """Follow-up task "Månedlig samling" for a merged KMD Aktiv konto (seed 000); made by
    ``fordringer.samling.maanedlig``, listed and marked done on the caseworker's screen.

    A løbende forsørgelsesydelse med tilbagebetalingspligt raises a new claim at every monthly
    payment run, and it must be merged into the KY konto the first working day after the run,
    until the borger stops on the benefit. ``maaned`` is the first day of the payment run's
    month; one task per konto and month (the database refuses a second).
    """

    kommune = kommune_uden_eget_indeks()
    konto = models.ForeignKey(
        Debitorkonto, on_delete=models.PROTECT, related_name="maanedlige_samlinger"
    )
    maaned = models.DateField("udbetalingsmåned")
    udbetalingskoersel = models.DateField("udbetalingskørsel")
    forfald = models.DateField()
    oprettet = models.DateTimeField(auto_now_add=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    afsluttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField("afslutningsnote", max_length=300, blank=True)

    class Meta:
        # The table and index keep the names they had under opgavepakker (migration 0014).
        db_table = "opgavepakker_maanedligsamling"
        ordering = ["forfald", "id"]
        verbose_name = "månedlig samling"
        verbose_name_plural = "månedlige samlinger"
        constraints = [
            models.UniqueConstraint(
                fields=["konto", "maaned"], name="maanedlig_samling_en_pr_konto_og_maaned"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kommune", "afsluttet", "forfald"], name="opgavepakke_kommune_79d85e_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Månedlig samling {self.maaned:%m-%Y} ({self.konto_id})"
