"""Omposteringer, their reasons, alternative recipients, payouts and the
sagsbehandlerfordeling list. The ledger entries an ompostering made are linked through
``OmposteringPostering``; the ledger itself stays untouched (append-only, DESIGN §4.2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact

from fordringer.choices import OmposteringRolle, Overfoersel, Udbetalingskanal, UdbetalingStatus
from ky_debitor.append_only import AppendOnlyError, AppendOnlyModel
from ky_debitor.money import MoneyField
from ky_debitor.tenancy import TenantModel

from .kerne import Borger, Indbetaling
from .ledger import Postering

AARSAG_TEKST_FAST = (
    "En omposteringsårsags tekst kan ikke ændres, og årsagen kan ikke slettes; "
    "opret en ny årsag og marker den gamle som ikke aktiv."
)


def _aarsag_tekst_fast() -> NoReturn:
    raise AppendOnlyError(AARSAG_TEKST_FAST)


class OmposteringAarsagQuerySet(models.QuerySet["OmposteringAarsag"]):
    def update(self, **kwargs: Any) -> int:
        if "tekst" in kwargs:
            _aarsag_tekst_fast()
        return super().update(**kwargs)

    def delete(self) -> NoReturn:  # type: ignore[override]
        _aarsag_tekst_fast()


class OmposteringAarsag(models.Model):
    """A predefined reason for an ompostering (seed 004 trin 5: 5-10 texts). National.

    The text is written once: it can be retired (``aktiv`` off: no longer offered for a new
    ompostering) but never reworded or deleted; a new wording is a new reason. The model and,
    on PostgreSQL, a trigger (migration 0012) refuse both. A booked ompostering keeps its own
    copy of the text (``Ompostering.aarsag_tekst``).
    """

    tekst = models.CharField(max_length=200, unique=True)
    aktiv = models.BooleanField(default=True)
    raekkefoelge = models.PositiveSmallIntegerField("rækkefølge", default=0)

    objects = OmposteringAarsagQuerySet.as_manager()

    class Meta:
        ordering = ["raekkefoelge", "tekst"]
        verbose_name = "omposteringsårsag"
        verbose_name_plural = "omposteringsårsager"

    def __str__(self) -> str:
        return self.tekst

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            foer = type(self).objects.filter(pk=self.pk).values_list("tekst", flat=True).first()
            if foer is not None and foer != self.tekst:
                _aarsag_tekst_fast()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _aarsag_tekst_fast()


class AlternativModtager(TenantModel):
    """A recipient of a payout who is not a borger of the kommune, e.g. a bobestyrer."""

    navn = models.CharField(max_length=200)
    identifikation = models.CharField("CVR/CPR", max_length=20, blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["navn"]
        verbose_name = "alternativ modtager"
        verbose_name_plural = "alternative modtagere"

    def __str__(self) -> str:
        return self.navn


class Ompostering(TenantModel):
    """One reallocation: dækninger rolled back and their amount allocated, paid out or left
    waiting (seed 004). ``beloeb = fordelt + udbetalt + venter`` always holds."""

    fra_borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="+")
    til_borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="+")
    beloeb = MoneyField("beløb")
    fordelt = MoneyField()
    udbetalt = MoneyField()
    venter = MoneyField()
    valoerdato = models.DateField("oprindelig indbetalingsdato")
    aarsag = models.ForeignKey(OmposteringAarsag, on_delete=models.PROTECT, related_name="+")
    # The reason's text as it was when the ompostering was booked, shown wherever it is shown.
    aarsag_tekst = models.CharField("årsag", max_length=200)
    note = models.CharField(max_length=255, blank=True)
    automatisk = models.BooleanField("lad system ompostere", default=False)
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tilbagefoert = models.DateTimeField("tilbageført", null=True, blank=True)
    tilbagefoert_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-oprettet", "-id"]
        verbose_name = "ompostering"
        verbose_name_plural = "omposteringer"
        constraints = [
            models.CheckConstraint(
                condition=Q(beloeb__gt=0)
                & Q(fordelt__gte=0)
                & Q(udbetalt__gte=0)
                & Q(venter__gte=0),
                name="ompostering_beloeb_positive",
            ),
            # Compared in whole øre: SQLite adds decimals as floats.
            models.CheckConstraint(
                condition=Exact(
                    Round(F("beloeb") * 100),
                    Round(F("fordelt") * 100)
                    + Round(F("udbetalt") * 100)
                    + Round(F("venter") * 100),
                ),
                name="ompostering_beloeb_gaar_op",
            ),
        ]

    def __str__(self) -> str:
        return f"Ompostering {self.pk}"

    @property
    def til_anden_borger(self) -> bool:
        return self.fra_borger_id != self.til_borger_id


class OmposteringPostering(AppendOnlyModel):
    """Which ledger entries an ompostering made, and as what."""

    ompostering = models.ForeignKey(
        Ompostering, on_delete=models.PROTECT, related_name="posteringer"
    )
    postering = models.OneToOneField(
        Postering, on_delete=models.PROTECT, related_name="ompostering_link"
    )
    rolle = models.CharField(max_length=15, choices=OmposteringRolle.choices)

    class Meta:
        verbose_name = "omposteringens postering"
        verbose_name_plural = "omposteringens posteringer"

    def __str__(self) -> str:
        return f"{self.get_rolle_display()} ({self.postering_id})"


HELE_KOMMUNEN = "Hele kommunens liste"


class Sagsbehandlerfordeling(TenantModel):
    """An amount waiting for a person to allocate (seed 004: the list is worked daily). A
    handled row leaves the list but stays searchable with who handled it and when."""

    ompostering = models.ForeignKey(
        Ompostering, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="+")
    indbetaling = models.ForeignKey(
        Indbetaling, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    beloeb = MoneyField("beløb")
    valoerdato = models.DateField("oprindelig indbetalingsdato")
    tekst = models.CharField(max_length=255)
    oprettet = models.DateTimeField(auto_now_add=True)
    behandlet = models.DateTimeField(null=True, blank=True)
    behandlet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    behandling = models.CharField(max_length=255, blank=True)
    # Seed 004: the item is addressed "til en sagsbehandler eller en organisatorisk enhed";
    # neither: it waits on the kommune's whole list.
    adresseret_bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="til sagsbehandler",
    )
    adresseret_enhed = models.ForeignKey(
        "ky_debitor.Enhed",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="til enhed",
    )

    class Meta:
        ordering = ["oprettet", "id"]
        verbose_name = "sagsbehandlerfordeling"
        verbose_name_plural = "sagsbehandlerfordeling"
        constraints = [
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="sbf_beloeb_positivt"),
            models.CheckConstraint(
                condition=Q(adresseret_bruger__isnull=True) | Q(adresseret_enhed__isnull=True),
                name="sbf_til_bruger_eller_enhed",
            ),
        ]
        indexes = [models.Index(fields=["kommune", "behandlet"])]

    def __str__(self) -> str:
        return f"{self.beloeb} til fordeling ({self.borger_id})"

    @property
    def adressat_navn(self) -> str:
        """Whose list the item is on, as the list and the audit trail name it."""
        if self.adresseret_bruger is not None:
            return str(self.adresseret_bruger.visningsnavn)
        if self.adresseret_enhed is not None:
            return str(self.adresseret_enhed.navn)
        return HELE_KOMMUNEN


class Kundekredit(TenantModel):
    """An amount placed on the customer (seed 004 afklaring b): it covers the borger's claims
    in the law's order at the next settlement run (``ompostering.kredit``), dated with the
    original payment date. ``rest`` is what is still uncovered; the entries it made are
    dækninger on the ledger that point at the payment, as every dækning does."""

    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="kreditter")
    beloeb = MoneyField("beløb")
    rest = MoneyField()
    valoerdato = models.DateField("oprindelig indbetalingsdato")
    indbetaling = models.ForeignKey(
        Indbetaling, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ompostering = models.ForeignKey(
        Ompostering, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sagsbehandlerfordeling = models.OneToOneField(
        Sagsbehandlerfordeling, on_delete=models.PROTECT, related_name="kundekredit"
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    udlignet = models.DateTimeField("helt udlignet", null=True, blank=True)

    class Meta:
        ordering = ["oprettet", "id"]
        verbose_name = "kredit på kunden"
        verbose_name_plural = "kreditter på kunden"
        constraints = [
            models.CheckConstraint(
                condition=Q(beloeb__gt=0) & Q(rest__gte=0) & Q(rest__lte=F("beloeb")),
                name="kundekredit_rest_inden_for_beloeb",
            ),
        ]
        # The settlement run reads only the credits with something left.
        indexes = [
            models.Index(
                fields=["kommune", "borger"], condition=Q(rest__gt=0), name="kundekredit_aaben"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rest} af {self.beloeb} på kunden ({self.borger_id})"


class Udbetaling(TenantModel):
    """A payout waiting for a Bogholder's approval (four-eyes). It comes either from an
    ompostering or from an item on the sagsbehandlerfordeling list (paid out, or paid back to
    the one who paid it): exactly one of the two is set."""

    ompostering = models.ForeignKey(
        Ompostering, on_delete=models.PROTECT, null=True, blank=True, related_name="udbetalinger"
    )
    # An item is handled once, so it gives at most one payout.
    sagsbehandlerfordeling = models.OneToOneField(
        Sagsbehandlerfordeling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="udbetaling",
    )
    borger = models.ForeignKey(
        Borger, on_delete=models.PROTECT, related_name="+", help_text="Borgeren beløbet vedrører."
    )
    modtager_borger = models.ForeignKey(
        Borger, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    modtager_alternativ = models.ForeignKey(
        AlternativModtager, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    beloeb = MoneyField("beløb")
    # A payout form or a transfer (seed 004 trin 7); payouts made before the rule hold both.
    kanal = models.CharField(
        "udbetalingsform", max_length=10, choices=Udbetalingskanal.choices, blank=True
    )
    overfoersel = models.CharField(
        "overførsel", max_length=10, choices=Overfoersel.choices, blank=True
    )
    fritaget_modregning = models.BooleanField("fritaget for modregning", default=False)
    status = models.CharField(
        max_length=10, choices=UdbetalingStatus.choices, default=UdbetalingStatus.AFVENTER
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    behandlet = models.DateTimeField(null=True, blank=True)
    behandlet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    begrundelse = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["oprettet", "id"]
        verbose_name = "udbetaling"
        verbose_name_plural = "udbetalinger"
        constraints = [
            models.CheckConstraint(condition=Q(beloeb__gt=0), name="udbetaling_beloeb_positivt"),
            models.CheckConstraint(
                condition=(Q(ompostering__isnull=False) & Q(sagsbehandlerfordeling__isnull=True))
                | (Q(ompostering__isnull=True) & Q(sagsbehandlerfordeling__isnull=False)),
                name="udbetaling_een_kilde",
            ),
            models.CheckConstraint(
                condition=~(
                    Q(modtager_borger__isnull=False) & Q(modtager_alternativ__isnull=False)
                ),
                name="udbetaling_een_alternativ_modtager",
            ),
            models.CheckConstraint(
                condition=~Q(kanal="") | ~Q(overfoersel=""),
                name="udbetaling_form_eller_overfoersel",
            ),
            models.CheckConstraint(
                condition=~Q(overfoersel="KUNDEKONTO")
                | Q(modtager_borger__isnull=False)
                | Q(modtager_alternativ__isnull=False),
                name="udbetaling_kundekonto_kraever_alternativ",
            ),
            models.CheckConstraint(
                condition=Q(status="AFVENTER") | ~Q(behandlet_af=F("oprettet_af")),
                name="udbetaling_fire_oejne",
            ),
        ]
        indexes = [models.Index(fields=["kommune", "status"])]

    def __str__(self) -> str:
        return f"Udbetaling {self.beloeb} ({self.get_status_display()})"

    @property
    def modtager_navn(self) -> str:
        if self.modtager_alternativ is not None:
            return self.modtager_alternativ.navn
        modtager = self.modtager_borger or self.borger
        return modtager.navn

    @property
    def oprindelse(self) -> str:
        """Where the payout came from, as the payout list and the admin show it."""
        if self.ompostering_id is not None:
            return f"Ompostering {self.ompostering_id}"
        return f"Sagsbehandlerfordeling, post {self.sagsbehandlerfordeling_id}"

    @property
    def aarsag_tekst(self) -> str:
        """The ompostering's reason, or what the caseworker wrote when handling the item."""
        if self.ompostering is not None:
            return self.ompostering.aarsag_tekst
        assert self.sagsbehandlerfordeling is not None
        return self.sagsbehandlerfordeling.behandling

    @property
    def note(self) -> str:
        return self.ompostering.note if self.ompostering is not None else ""

    @property
    def valoerdato(self) -> dt.date:
        """The original payment date of the money paid out."""
        kilde = self.ompostering or self.sagsbehandlerfordeling
        assert kilde is not None
        return kilde.valoerdato
