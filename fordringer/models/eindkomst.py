"""eIndkomst: the reporting ledger (``EIndkomstLinje``, append-only), the batches that send it
(``EIndkomstForsendelse``) and what a kommune reported by hand (``EIndkomstManuel``).

A line is one booked effect of one ledger entry on a borger's income: ``LL8O`` (the § 8 O
deduction in the repayment year) or ``KORREKTION`` (a same-year repayment corrects the payout
year's income). When the money moves, a line is never changed: a reversing line of the
opposite amount points at it (``tilbagefoerer``) and a new line says what is right now. What
the lines should be is always recomputable from the ledger (``fordringer.eindkomst.beregning``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from fordringer.choices import EIndkomstArt, ManuelKilde
from fordringer.cpr import cpr_maskeret
from ky_debitor.append_only import AppendOnlyModel
from ky_debitor.money import MoneyField
from ky_debitor.tenancy import TenantModel

from .kerne import Ydelsestype
from .ledger import Postering, PosteringManager
from .udbakke import UdgaaendeBesked


class EIndkomstLinje(AppendOnlyModel, TenantModel):
    """One line of the reporting ledger. ``beloeb`` is signed: a § 8 O deduction is positive,
    a correction of the payout's income negative, a reversal the opposite of what it reverses.
    ``efterregulering``: written after the income year's deadline (31 January of the next
    year), so it changes an årsopgørelse already made."""

    postering = models.ForeignKey(
        Postering, on_delete=models.PROTECT, related_name="eindkomst_linjer"
    )
    art = models.CharField(max_length=12, choices=EIndkomstArt.choices)
    cpr = models.CharField("CPR-nummer", max_length=10)
    indkomstaar = models.PositiveSmallIntegerField("indkomstår")
    beloeb = MoneyField("beløb")
    ydelsestype = models.ForeignKey(Ydelsestype, on_delete=models.PROTECT, related_name="+")
    tilbagefoerer = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tilbagefoert_af",
        verbose_name="tilbagefører",
    )
    efterregulering = models.BooleanField(default=False)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[PosteringManager] = PosteringManager()

    class Meta:
        ordering = ["oprettet", "id"]
        verbose_name = "eIndkomst-linje"
        verbose_name_plural = "eIndkomst-linjer"
        indexes = [
            models.Index(fields=["kommune", "indkomstaar", "cpr"]),
            models.Index(fields=["cpr", "indkomstaar"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(beloeb=0), name="eindkomstlinje_ikke_nul"),
        ]

    def __str__(self) -> str:
        return f"{self.get_art_display()} {self.indkomstaar}: {self.beloeb}"

    @property
    def cpr_maskeret(self) -> str:
        return cpr_maskeret(self.cpr)


class EIndkomstForsendelse(TenantModel):
    """One daily batch of a kommune's unreported lines, sent through the outbox as one
    ``EINDKOMST`` message. Its lines count as reported once the message is delivered
    (``besked.status`` SENDT); a failed batch is sent again with the same key."""

    noegle = models.CharField("idempotensnøgle", max_length=120, unique=True)
    periode_fra = models.DateTimeField("linjer fra")
    periode_til = models.DateTimeField("linjer til")
    antal = models.PositiveIntegerField("antal linjer")
    antal_raekker = models.PositiveIntegerField("antal rækker", default=0)
    total = MoneyField("sendt i alt")
    modregnet = MoneyField("modregnet manuelt indberettet", default=0)
    besked = models.OneToOneField(
        UdgaaendeBesked, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    oprettet = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "eIndkomst-forsendelse"
        verbose_name_plural = "eIndkomst-forsendelser"

    def __str__(self) -> str:
        return f"eIndkomst-forsendelse {self.pk} ({self.antal} linjer)"


class EIndkomstForsendelseLinje(models.Model):
    """Which batch carried a line: each line travels in exactly one batch."""

    forsendelse = models.ForeignKey(
        EIndkomstForsendelse, on_delete=models.PROTECT, related_name="linjer"
    )
    linje = models.OneToOneField(EIndkomstLinje, on_delete=models.PROTECT, related_name="sendt_i")

    class Meta:
        verbose_name = "linje i eIndkomst-forsendelse"
        verbose_name_plural = "linjer i eIndkomst-forsendelser"

    def __str__(self) -> str:
        return f"Linje {self.linje_id} i forsendelse {self.forsendelse_id}"


class EIndkomstForsendelseRaekke(models.Model):
    """What a batch said: the net amount per borger, income year, art and ydelsestype, after
    netting out what the kommune had reported by hand (``modregnet``)."""

    forsendelse = models.ForeignKey(
        EIndkomstForsendelse, on_delete=models.PROTECT, related_name="raekker"
    )
    cpr = models.CharField("CPR-nummer", max_length=10)
    indkomstaar = models.PositiveSmallIntegerField("indkomstår")
    art = models.CharField(max_length=12, choices=EIndkomstArt.choices)
    ydelsestype = models.ForeignKey(Ydelsestype, on_delete=models.PROTECT, related_name="+")
    linjer = MoneyField("linjernes sum")
    modregnet = MoneyField("modregnet manuelt indberettet", default=0)
    beloeb = MoneyField("sendt beløb")

    class Meta:
        ordering = ["cpr", "indkomstaar", "art", "ydelsestype_id"]
        verbose_name = "række i eIndkomst-forsendelse"
        verbose_name_plural = "rækker i eIndkomst-forsendelser"
        indexes = [models.Index(fields=["cpr", "indkomstaar"])]

    def __str__(self) -> str:
        return f"{self.cpr[:6]}-xxxx {self.indkomstaar} {self.art}: {self.beloeb}"


class EIndkomstManuel(AppendOnlyModel, TenantModel):
    """A § 8 O amount the kommune reported to eIndkomst by hand while the claim waited
    (seed 000's workaround). Append-only: a wrong row is cancelled by a row that points at it
    (``tilbagefoerer``, negative amount). The batches net these amounts out."""

    cpr = models.CharField("CPR-nummer", max_length=10)
    indkomstaar = models.PositiveSmallIntegerField("indkomstår")
    beloeb = MoneyField("beløb")
    tekst = models.CharField(max_length=255, blank=True)
    kilde = models.CharField(max_length=10, choices=ManuelKilde.choices)
    tilbagefoerer = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tilbagefoert_af",
        verbose_name="annullerer",
    )
    aktoer = models.CharField("aktør", max_length=150)
    oprettet = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[PosteringManager] = PosteringManager()

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "manuelt indberettet eIndkomst-beløb"
        verbose_name_plural = "manuelt indberettede eIndkomst-beløb"
        indexes = [models.Index(fields=["kommune", "cpr", "indkomstaar"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(tilbagefoerer__isnull=True) & Q(beloeb__gt=0))
                | (Q(tilbagefoerer__isnull=False) & Q(beloeb__lt=0)),
                name="eindkomstmanuel_fortegn",
            ),
        ]

    def __str__(self) -> str:
        return f"Manuelt indberettet {self.indkomstaar}: {self.beloeb}"
