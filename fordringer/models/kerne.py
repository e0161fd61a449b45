"""The core of the money side: national reference tables, borgere, sager, bevillinger,
konti, fordringer, indbetalinger and parked dækninger.

Every tenant row carries a direct ``kommune`` foreign key, so ``.for_user(user)`` is one
condition everywhere (``ky_debitor.tenancy``). Money is ``MoneyField`` (DKK, 2 decimals).
``Fordring.restance`` and ``Indbetaling.daekket`` are running totals kept by
``fordringer.ledger.services.services.postering_bogfoer`` in the same transaction as the entry, and
the database refuses values that break the invariants of DESIGN §4.2.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Trim

from fordringer.choices import (
    Frigivelsestype,
    Kilde,
    KontoStatus,
    Opkraevningstilstand,
    Renteregime,
    SagStatus,
    Tilknytning,
)
from fordringer.cpr import cpr_formater, cpr_maskeret
from ky_debitor.append_only import AppendOnlyModel, AppendOnlyQuerySet
from ky_debitor.money import MoneyField
from ky_debitor.tenancy import TenantModel, kommune_uden_eget_indeks

# --- National reference data (the same for every kommune) ----------------------------------
#
# Kept by the national administrator alone (``ky_debitor.roles.NATIONALE_TABELLER``) and
# append-only like the ledger: a change is a new row, never an edit; a database trigger
# (migration 0012) refuses UPDATE and DELETE.


class Ydelsestype(AppendOnlyModel):
    """A KY benefit type (kontanthjælp, uddannelseshjælp, …). National and append-only."""

    kode = models.CharField(max_length=40, unique=True)
    navn = models.CharField(max_length=120)
    forsoergelsesydelse = models.BooleanField(
        "forsørgelsesydelse",
        default=True,
        help_text="Enkeltydelser (aktivloven §§ 81-85) og særlig støtte (§ 34) er det ikke.",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["navn"]
        verbose_name = "ydelsestype"
        verbose_name_plural = "ydelsestyper"

    def __str__(self) -> str:
        return self.navn


class Ydelseskode(AppendOnlyModel):
    """KMD Aktiv benefit code → ydelsestype (DESIGN §6). Unknown codes map to nothing.
    National and append-only: a new code is a new row; a mapping is never edited."""

    kode = models.CharField(max_length=20, unique=True)
    ydelsestype = models.ForeignKey(Ydelsestype, on_delete=models.PROTECT, related_name="koder")
    beskrivelse = models.CharField(max_length=200, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["kode"]
        verbose_name = "KMD Aktiv ydelseskode"
        verbose_name_plural = "KMD Aktiv ydelseskoder"

    def __str__(self) -> str:
        return f"{self.kode} → {self.ydelsestype}"


class LL8ODaekning(AppendOnlyModel):
    """Whether Ligningslovens § 8 O covers this ydelsestype from ``fra_indkomstaar`` (DESIGN §7).

    National and append-only: the row of a ydelsestype with the latest ``fra_indkomstaar`` on
    or before an income year decides that year (``selectors.LL8OTabel``). A change in the law
    is a new row with its legal source, never an edit; coverage ends with a row that is not
    ``omfattet``.
    """

    ydelsestype = models.ForeignKey(Ydelsestype, on_delete=models.PROTECT, related_name="ll8o")
    fra_indkomstaar = models.PositiveSmallIntegerField("fra indkomstår")
    til_indkomstaar = models.PositiveSmallIntegerField(
        "til og med indkomstår", null=True, blank=True
    )
    omfattet = models.BooleanField(
        default=True,
        help_text="Uden markering ophører § 8 O-dækningen fra indkomståret.",
    )
    kilde = models.CharField(max_length=200)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["ydelsestype__navn", "fra_indkomstaar"]
        verbose_name = "LL § 8 O-dækning"
        verbose_name_plural = "LL § 8 O-dækninger"
        constraints = [
            models.CheckConstraint(
                condition=Q(til_indkomstaar__isnull=True)
                | Q(til_indkomstaar__gte=F("fra_indkomstaar")),
                name="ll8o_periode_gyldig",
            ),
            models.UniqueConstraint(
                fields=["ydelsestype", "fra_indkomstaar"], name="ll8o_en_pr_aar"
            ),
        ]

    def __str__(self) -> str:
        if not self.omfattet:
            return f"{self.ydelsestype}: ikke omfattet fra {self.fra_indkomstaar}"
        til = self.til_indkomstaar or "…"
        return f"{self.ydelsestype}: {self.fra_indkomstaar}-{til}"


def ydelsestype_reference() -> models.ForeignKey:
    """The (unknown until linked) ydelsestype of a sag or fordring. Reference data is never
    deleted and rows are never looked up by it, so it has no index of its own."""
    return models.ForeignKey(
        Ydelsestype,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )


# --- Tenant data --------------------------------------------------------------------------------


class Borger(TenantModel):
    """A citizen (debtor). ``cpr`` is stored normalised: ten digits, no dash."""

    kommune = kommune_uden_eget_indeks()
    cpr = models.CharField("CPR-nummer", max_length=10)
    navn = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["navn", "cpr"]
        verbose_name = "borger"
        verbose_name_plural = "borgere"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "cpr"], name="borger_unik_cpr"),
        ]
        indexes = [models.Index(fields=["kommune", "navn"])]

    def __str__(self) -> str:
        return f"{self.navn} ({self.cpr_maskeret})"

    @property
    def cpr_maskeret(self) -> str:
        return cpr_maskeret(self.cpr)

    @property
    def cpr_formateret(self) -> str:
        return cpr_formater(self.cpr)


class Sag(TenantModel):
    """A case in KY. Created by the import (existing cases) or by *sagsoprettelse*."""

    kommune = kommune_uden_eget_indeks()
    sagsnummer = models.CharField(max_length=40)
    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="sager")
    ydelseskode = models.CharField(max_length=20, blank=True)
    ydelsestype = ydelsestype_reference()
    status = models.CharField(max_length=10, choices=SagStatus.choices, default=SagStatus.AABEN)
    oprettet_ved_tilknytning = models.BooleanField("oprettet ved sagsoprettelse", default=False)

    class Meta:
        ordering = ["sagsnummer"]
        verbose_name = "sag"
        verbose_name_plural = "sager"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "sagsnummer"], name="sag_unikt_nummer"),
        ]

    def __str__(self) -> str:
        return self.sagsnummer


class Bevilling(TenantModel):
    """A grant. Its ``bevillingsnummer`` is the KMD Aktiv reference of claims raised under it."""

    kommune = kommune_uden_eget_indeks()
    bevillingsnummer = models.CharField(max_length=40)
    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="bevillinger")
    ydelseskode = models.CharField(max_length=20, blank=True)
    periode_fra = models.DateField()
    periode_til = models.DateField(null=True, blank=True)
    tilbagebetalingspligt = models.BooleanField(default=False)
    loebende = models.BooleanField("løbende", default=False)
    sag = models.ForeignKey(
        Sag, on_delete=models.PROTECT, null=True, blank=True, related_name="bevillinger"
    )

    class Meta:
        ordering = ["bevillingsnummer"]
        verbose_name = "bevilling"
        verbose_name_plural = "bevillinger"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "bevillingsnummer"], name="bevilling_unikt_nummer"
            ),
            models.CheckConstraint(
                condition=Q(periode_til__isnull=True) | Q(periode_til__gte=F("periode_fra")),
                name="bevilling_periode_gyldig",
            ),
        ]
        indexes = [
            # References compare trimmed and case-insensitively (DESIGN §5).
            models.Index(F("kommune"), Lower(Trim("bevillingsnummer")), name="bevilling_norm_nr"),
        ]

    def __str__(self) -> str:
        return self.bevillingsnummer


class Debitorkonto(TenantModel):
    """A debtor account in the debitorsystem, and how it is tied to a bevilling and a sag."""

    kommune = kommune_uden_eget_indeks()
    kontonummer = models.CharField(max_length=40)
    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="konti")
    kilde = models.CharField(max_length=10, choices=Kilde.choices)
    status = models.CharField(max_length=25, choices=KontoStatus.choices, default=KontoStatus.AKTIV)
    frigivelsestype = models.CharField(
        max_length=15, choices=Frigivelsestype.choices, default=Frigivelsestype.IKKE_FRIGIVET
    )
    bevilling = models.ForeignKey(
        Bevilling, on_delete=models.PROTECT, null=True, blank=True, related_name="konti"
    )
    sag = models.ForeignKey(
        Sag, on_delete=models.PROTECT, null=True, blank=True, related_name="konti"
    )
    tilknytning = models.CharField(
        max_length=10, choices=Tilknytning.choices, default=Tilknytning.INGEN
    )
    # Never filtered on; a person is deactivated, not deleted, so PROTECT needs no index.
    tilknyttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    tilknyttet_tid = models.DateTimeField(null=True, blank=True)
    # Set by a SAML decision: the KY konto this KMD Aktiv konto's claims were merged into.
    samlet_i = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samlet_fra",
        db_index=False,
    )

    class Meta:
        ordering = ["kontonummer"]
        verbose_name = "debitorkonto"
        verbose_name_plural = "debitorkonti"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "kontonummer"], name="konto_unikt_nummer"),
            models.CheckConstraint(
                condition=Q(tilknytning="INGEN", sag__isnull=True)
                | (~Q(tilknytning="INGEN") & Q(sag__isnull=False)),
                name="konto_tilknytning_har_sag",
            ),
        ]
        indexes = [models.Index(fields=["kommune", "kilde", "tilknytning"])]

    def __str__(self) -> str:
        return self.kontonummer

    @property
    def er_tilknyttet(self) -> bool:
        return self.tilknytning != Tilknytning.INGEN


class Fordring(TenantModel):
    """A claim. ``restance`` is the running total of its ledger entries (never negative)."""

    kommune = kommune_uden_eget_indeks()
    fordringsid = models.CharField(max_length=40)
    konto = models.ForeignKey(Debitorkonto, on_delete=models.PROTECT, related_name="fordringer")
    kilde = models.CharField(max_length=10, choices=Kilde.choices)
    kmd_aktiv_reference = models.CharField("KMD Aktiv reference", max_length=40, blank=True)
    reference_kilde = models.CharField(
        "reference angivet", max_length=10, choices=Tilknytning.choices, default=Tilknytning.IMPORT
    )
    ydelseskode = models.CharField(max_length=20, blank=True)
    ydelsestype = ydelsestype_reference()
    tekst = models.CharField(max_length=500, blank=True)
    periode_fra = models.DateField(null=True, blank=True)
    periode_til = models.DateField(null=True, blank=True)
    forfaldsdato = models.DateField(null=True, blank=True)
    hovedstol = MoneyField()
    restance = MoneyField()
    opkraevningstilstand = models.CharField(
        "opkrævningstilstand",
        max_length=15,
        choices=Opkraevningstilstand.choices,
        default=Opkraevningstilstand.OPKRAEV,
    )
    rykkerniveau = models.PositiveSmallIntegerField(default=0)
    inddrivelse = models.BooleanField("sendt til inddrivelse", default=False)
    renteregime = models.CharField(
        max_length=20, choices=Renteregime.choices, default=Renteregime.INGEN
    )
    # What the interest run last brought the interest up to (``fordringer/rente/koersel.py``):
    # the day, the claim's newest ledger entry after it, and the rate table's version (its
    # highest row id; rates are append-only). A run to the same day passes the claim over while
    # all three still hold: nothing it could compute would differ.
    rente_afstemt_til = models.DateField(null=True, blank=True, editable=False)
    rente_afstemt_postering = models.BigIntegerField(null=True, blank=True, editable=False)
    rente_afstemt_satser = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["forfaldsdato", "fordringsid"]
        verbose_name = "fordring"
        verbose_name_plural = "fordringer"
        constraints = [
            models.UniqueConstraint(fields=["kommune", "fordringsid"], name="fordring_unikt_id"),
            models.CheckConstraint(condition=Q(hovedstol__gt=0), name="fordring_hovedstol_positiv"),
            models.CheckConstraint(
                condition=Q(restance__gte=0), name="fordring_restance_ikke_negativ"
            ),
        ]

    def __str__(self) -> str:
        return self.fordringsid


class Indbetaling(TenantModel):
    """An incoming payment (or offset). ``daekket`` is how much of it covers claims."""

    kommune = kommune_uden_eget_indeks()
    indbetalingsid = models.CharField(max_length=40)
    borger = models.ForeignKey(
        Borger, on_delete=models.PROTECT, null=True, blank=True, related_name="indbetalinger"
    )
    beloeb = MoneyField("beløb")
    daekket = MoneyField("dækket", default=0)
    valoerdato = models.DateField("valørdato")

    class Meta:
        ordering = ["valoerdato", "indbetalingsid"]
        verbose_name = "indbetaling"
        verbose_name_plural = "indbetalinger"
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "indbetalingsid"], name="indbetaling_unikt_id"
            ),
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="indbetaling_beloeb_positivt"),
            models.CheckConstraint(
                condition=Q(daekket__gte=0) & Q(daekket__lte=F("beloeb")),
                name="indbetaling_ikke_overdaekket",
            ),
        ]

    def __str__(self) -> str:
        return self.indbetalingsid
