"""Interest rates and the interest regime per ydelsestype (national tables, DESIGN §7)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from fordringer.choices import Renteregime
from ky_debitor.append_only import AppendOnlyModel, AppendOnlyQuerySet


class Rentesats(AppendOnlyModel):
    """A monthly interest rate of a regime, valid from ``gyldig_fra`` until the next row
    (DESIGN §7): the rate is ``basisrente + tillaeg`` percent per month.

    National and append-only (``models.py``): a new rate is a new row from its date, so
    interest booked under an older rate stays reproducible."""

    renteregime = models.CharField(
        max_length=20,
        choices=[c for c in Renteregime.choices if c[0] != Renteregime.INGEN],
    )
    gyldig_fra = models.DateField("gyldig fra")
    basisrente = models.DecimalField("basisrente (pct.)", max_digits=6, decimal_places=3)
    tillaeg = models.DecimalField("tillæg (procentpoint)", max_digits=6, decimal_places=3)
    kilde = models.CharField(max_length=250)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["renteregime", "gyldig_fra"]
        verbose_name = "rentesats"
        verbose_name_plural = "rentesatser"
        constraints = [
            models.UniqueConstraint(
                fields=["renteregime", "gyldig_fra"], name="rentesats_en_pr_dato"
            ),
            models.CheckConstraint(
                condition=Q(basisrente__gte=0) & Q(tillaeg__gte=0), name="rentesats_ikke_negativ"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_renteregime_display()} fra {self.gyldig_fra:%d-%m-%Y}"

    @property
    def maanedlig_pct(self) -> Decimal:
        return Decimal(self.basisrente) + Decimal(self.tillaeg)


class Renteregimeregel(AppendOnlyModel):
    """Which interest regime claims of a ydelsestype carry, from a date (DESIGN §7).

    The regime is data per claim type, not a constant in code: a claim gets the regime of the
    row for its ydelsestype with the latest ``gyldig_fra`` on or before its due date (else the
    start of its period, else the day it is stamped). A claim whose type has no row has no
    interest. A change in the law is a new row with its source, never an edit of an old one.
    The regime is stamped on the claim (``Fordring.renteregime``) when its ydelsestype becomes
    known, so every computed figure stays reproducible from the claim and the ledger.
    """

    ydelsestype = models.ForeignKey(
        "fordringer.Ydelsestype", on_delete=models.PROTECT, related_name="renteregimer"
    )
    renteregime = models.CharField(max_length=20, choices=Renteregime.choices)
    gyldig_fra = models.DateField("gyldig fra")
    kilde = models.CharField(max_length=250, help_text="Lov, bekendtgørelse eller afgørelse.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["ydelsestype__navn", "gyldig_fra"]
        verbose_name = "renteregime for ydelsestype"
        verbose_name_plural = "renteregimer for ydelsestyper"
        constraints = [
            models.UniqueConstraint(
                fields=["ydelsestype", "gyldig_fra"], name="renteregimeregel_en_pr_dato"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.ydelsestype}: {self.get_renteregime_display()} fra {self.gyldig_fra:%d-%m-%Y}"
        )
