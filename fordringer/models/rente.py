"""Interest rates and the interest regime per ydelsestype (national tables, DESIGN §7)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from fordringer.choices import GebyrArt, Renteregime
from ky_debitor.append_only import AppendOnlyModel, AppendOnlyQuerySet
from ky_debitor.money import MoneyField
from ky_debitor.tenancy import TenantModel


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


class Gebyrsats(AppendOnlyModel):
    """A fee the law of a regime lets the kommune charge, valid from ``gyldig_fra`` until the
    next row of the same regime and kind (DESIGN §7), with the law's limits: at most
    ``hoejst_pr_fordring`` fees of the kind per claim, and ``mindste_interval_dage`` days
    between the reminders that carry them (``fordringer/rykker``).

    National and append-only, as the interest rates: a new amount is a new row from its date,
    so a fee booked under an older row stays explained by it. A regime without a row charges
    no fee of that kind."""

    renteregime = models.CharField(
        max_length=20,
        choices=[c for c in Renteregime.choices if c[0] != Renteregime.INGEN],
    )
    art = models.CharField(max_length=10, choices=GebyrArt.choices, default=GebyrArt.RYKKER)
    gyldig_fra = models.DateField("gyldig fra")
    beloeb = MoneyField("beløb")
    hoejst_pr_fordring = models.PositiveSmallIntegerField("højst pr. fordring")
    mindste_interval_dage = models.PositiveSmallIntegerField("mindst dage mellem rykkere")
    kilde = models.CharField(max_length=250, help_text="Lov, bekendtgørelse eller afgørelse.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["renteregime", "art", "gyldig_fra"]
        verbose_name = "gebyrsats"
        verbose_name_plural = "gebyrsatser"
        constraints = [
            models.UniqueConstraint(
                fields=["renteregime", "art", "gyldig_fra"], name="gebyrsats_en_pr_dato"
            ),
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="gebyrsats_positiv"),
        ]

    @property
    def hjemmel(self) -> str:
        """The law and paragraph alone, as a sentence cites it: "Opkrævningsloven § 6, stk. 1"."""
        return self.kilde.split(":")[0]

    def __str__(self) -> str:
        return (
            f"{self.get_art_display()}, {self.get_renteregime_display()} "
            f"fra {self.gyldig_fra:%d-%m-%Y}"
        )


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


class RentekoerselStatus(models.TextChoices):
    PENDING = "PENDING", "Venter"
    RUNNING = "RUNNING", "Kører"
    DONE = "DONE", "Færdig"
    FAILED = "FAILED", "Fejlet"
    CANCELLED = "CANCELLED", "Annulleret"


class Rentekoersel(TenantModel):
    """One interest run over a kommune's interest-bearing claims up to ``til_dato``.

    The claims are split into ``spor`` lanes by konto (``Rentekoerselspor``), which workers run
    side by side; within a lane the claims are taken in pk order, a chunk at a time, each chunk
    in its own transaction that also moves the lane's checkpoint on
    (``fordringer/rente/koersel.py``). The figures are sums of what the chunks booked; the
    entries themselves are on the ledger."""

    startet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    til_dato = models.DateField("renter til")
    status = models.CharField(
        max_length=10, choices=RentekoerselStatus.choices, default=RentekoerselStatus.PENDING
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    startet = models.DateTimeField(null=True, blank=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    dele_faerdige = models.PositiveIntegerField("dele færdige", default=0)
    # The claims the run has to go over, counted when it first starts (the progress bar's 100 %).
    antal_i_alt = models.PositiveIntegerField("fordringer at gennemgå", default=0)
    antal_behandlet = models.PositiveIntegerField("fordringer gennemgået", default=0)
    antal_aendret = models.PositiveIntegerField("fordringer med ny rente", default=0)
    beloeb_bogfoert = MoneyField("bogført netto", default=0)
    spor = models.PositiveSmallIntegerField("spor", default=1)
    fejl = models.TextField(blank=True)

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "rentekørsel"
        verbose_name_plural = "rentekørsler"
        constraints = [
            # Two runs for the same kommune at once: the second is refused by the database too.
            models.UniqueConstraint(
                fields=["kommune"],
                condition=Q(status__in=["PENDING", "RUNNING"]),
                name="rentekoersel_en_aktiv_pr_kommune",
            ),
        ]

    def __str__(self) -> str:
        return f"Rentekørsel {self.pk} til {self.til_dato:%d-%m-%Y} ({self.get_status_display()})"


class Rentekoerselspor(TenantModel):
    """One lane of an interest run: the claims of the konti whose id leaves ``nummer`` when
    divided by the run's number of lanes. A konto's claims are all in one lane, so two lanes
    never lock the same konto or claim, and each lane has its own checkpoint (``sidste_pk``,
    the last claim of its last committed chunk) and its own row lock: lanes run side by side on
    separate workers, and two workers on the same lane take turns."""

    koersel = models.ForeignKey(Rentekoersel, on_delete=models.CASCADE, related_name="spor_raekker")
    nummer = models.PositiveSmallIntegerField()
    sidste_pk = models.BigIntegerField("sidste fordring (id)", default=0)
    faerdig = models.BooleanField("færdig", default=False)

    class Meta:
        ordering = ["koersel", "nummer"]
        verbose_name = "rentekørselsspor"
        verbose_name_plural = "rentekørselsspor"
        constraints = [
            models.UniqueConstraint(fields=["koersel", "nummer"], name="rentekoerselspor_unik"),
        ]

    def __str__(self) -> str:
        return f"Spor {self.nummer} af rentekørsel {self.koersel_id}"
