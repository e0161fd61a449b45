"""The eIndkomst reconciliation: per kommune and income year, what should have been reported
against what was reported, by us and by hand (DESIGN §6, seeds 000 and 002).

Per borger (CPR number) and ``art`` (§ 8 O or correction), in kroner:

* ``forventet`` — recomputed from the ledger by the one rule (``beregning.forventede_linjer``
  over ``selectors.daekninger``), independent of what was written;
* ``linjer`` — the reporting ledger's lines (``EIndkomstLinje``); it should equal
  ``forventet``, and a difference is an internal error to look at;
* ``indberettet`` — what delivered batches sent (``EIndkomstForsendelseRaekke.beloeb`` of
  batches whose message the receiver acknowledged, ``besked.status`` SENDT);
* ``modregnet`` — what those batches left out because the kommune had reported it by hand;
* ``afventer`` — lines not yet in a delivered batch (new, or in a batch still on its way);
* ``manuelt`` — what the kommune reported by hand (``EIndkomstManuel``; a by-hand amount is a
  § 8 O amount and is shown on the § 8 O row).

``forskel = forventet - indberettet - modregnet - afventer`` is zero when everything that
should be reported is reported, netted or on its way. ``manuelt_ikke_modregnet = manuelt -
modregnet`` is what of the by-hand amount the batches have not netted yet: fine while that
much § 8 O still waits to be sent, a difference when it is more (the kommune reported more by
hand than the ledger calls for) or below zero (a by-hand amount cancelled after it was netted).

The sums are made by the database; the rule runs over the kommune's konti a chunk at a time,
only on the claims with a dækning in the income year, so a kommune of 200,000 konti is never
held in memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from fordringer.choices import BeskedStatus, EIndkomstArt, PosteringArt
from fordringer.cpr import cpr_maskeret
from fordringer.eindkomst.beregning import forventede_linjer
from fordringer.eindkomst.selectors import Regler, daekninger
from fordringer.models import (
    Debitorkonto,
    EIndkomstForsendelseRaekke,
    EIndkomstLinje,
    EIndkomstManuel,
    Postering,
)
from ky_debitor.bulk import blandt
from ky_debitor.money import NUL, afrund

KONTI_CHUNK = 2000
KOLONNER = ("forventet", "linjer", "indberettet", "manuelt", "modregnet", "afventer")


@dataclass(frozen=True)
class AfstemningRaekke:
    """One borger's amounts of one art in the income year (the totals row: empty ``cpr``)."""

    cpr: str
    art: str
    forventet: Decimal = NUL
    linjer: Decimal = NUL
    indberettet: Decimal = NUL
    manuelt: Decimal = NUL
    modregnet: Decimal = NUL
    afventer: Decimal = NUL

    @property
    def cpr_maskeret(self) -> str:
        return cpr_maskeret(self.cpr) if self.cpr else ""

    @property
    def forskel(self) -> Decimal:
        return self.forventet - self.indberettet - self.modregnet - self.afventer

    @property
    def manuelt_ikke_modregnet(self) -> Decimal:
        return self.manuelt - self.modregnet

    @property
    def linjefejl(self) -> bool:
        """The reporting ledger does not say what the ledger calls for (an internal error)."""
        return self.linjer != self.forventet

    @property
    def afviger(self) -> bool:
        """Anything a bookkeeper must look at (see the module's docstring)."""
        rest = self.manuelt_ikke_modregnet
        return bool(self.forskel or self.linjefejl or rest < 0 or rest > max(self.afventer, NUL))


@dataclass(frozen=True)
class Afstemning:
    kommune_id: int
    indkomstaar: int
    # Every borger with anything in the year; the borgere with a difference first.
    raekker: tuple[AfstemningRaekke, ...]
    total: AfstemningRaekke

    @property
    def afvigelser(self) -> list[AfstemningRaekke]:
        """The rows of the borgere with a difference (all their rows, so each borger's § 8 O
        and correction stand together)."""
        return [r for r in self.raekker if r.cpr in self.borgere_med_afvigelse]

    @property
    def borgere_med_afvigelse(self) -> frozenset[str]:
        return frozenset(r.cpr for r in self.raekker if r.afviger)

    @property
    def antal_borgere(self) -> int:
        return len({r.cpr for r in self.raekker})


def eindkomst_afstemning(
    *, kommune_id: int, indkomstaar: int, regler: Regler | None = None
) -> Afstemning:
    """The reconciliation of ``kommune_id``'s income year ``indkomstaar``."""
    summer: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [NUL] * len(KOLONNER))

    def laeg_til(kolonne: str, cpr: str, art: str, beloeb: Decimal | None) -> None:
        # SQLite sums decimals as floats: back to the øre.
        summer[(cpr, art)][KOLONNER.index(kolonne)] += afrund(Decimal(beloeb or NUL))

    for cpr, art, beloeb in _forventet(kommune_id, indkomstaar, regler or Regler.hent()):
        laeg_til("forventet", cpr, art, beloeb)

    linjer = EIndkomstLinje.objects.for_kommune(kommune_id).filter(indkomstaar=indkomstaar)
    for kolonne, qs in (
        ("linjer", linjer),
        ("afventer", linjer.exclude(sendt_i__forsendelse__besked__status=BeskedStatus.SENDT)),
    ):
        for row in qs.values("cpr", "art").annotate(s=Sum("beloeb")).order_by():
            laeg_til(kolonne, row["cpr"], row["art"], row["s"])

    sendt = EIndkomstForsendelseRaekke.objects.filter(
        forsendelse__kommune_id=kommune_id,
        forsendelse__besked__status=BeskedStatus.SENDT,
        indkomstaar=indkomstaar,
    )
    for row in sendt.values("cpr", "art").annotate(b=Sum("beloeb"), m=Sum("modregnet")).order_by():
        laeg_til("indberettet", row["cpr"], row["art"], row["b"])
        laeg_til("modregnet", row["cpr"], row["art"], row["m"])

    manuelle = EIndkomstManuel.objects.for_kommune(kommune_id).filter(indkomstaar=indkomstaar)
    for row in manuelle.values("cpr").annotate(s=Sum("beloeb")).order_by():
        laeg_til("manuelt", row["cpr"], EIndkomstArt.LL8O, row["s"])

    raekker = [
        AfstemningRaekke(cpr, art, *beloeb) for (cpr, art), beloeb in summer.items() if any(beloeb)
    ]
    afvigende = {r.cpr for r in raekker if r.afviger}
    raekker.sort(key=lambda r: (r.cpr not in afvigende, r.cpr, r.art))
    total = AfstemningRaekke(
        "",
        "",
        *(sum((getattr(r, k) for r in raekker), NUL) for k in KOLONNER),
    )
    return Afstemning(kommune_id, indkomstaar, tuple(raekker), total)


def _forventet(
    kommune_id: int, indkomstaar: int, regler: Regler
) -> Iterator[tuple[str, str, Decimal]]:
    """(cpr, art, amount) of every line the ledger calls for in the income year.

    The rule dates every line in its dækning's valør year (``beregning.linje_for``), so only
    the claims with a dækning in the year are read; the rule then sees all their dækninger."""
    start, slut = dt.date(indkomstaar, 1, 1), dt.date(indkomstaar, 12, 31)
    konti = Debitorkonto.objects.for_kommune(kommune_id).order_by("pk")
    sidste = 0
    while chunk := list(konti.filter(pk__gt=sidste).values_list("pk", flat=True)[:KONTI_CHUNK]):
        sidste = chunk[-1]
        fordring_ids = list(
            Postering.objects.filter(
                blandt("fordring__konto_id", chunk),
                art=PosteringArt.DAEKNING,
                valoerdato__gte=start,
                valoerdato__lte=slut,
            )
            .order_by()
            .values_list("fordring_id", flat=True)
            .distinct()
        )
        if not fordring_ids:
            continue
        fakta, _kommuner = daekninger(fordring_ids=fordring_ids)
        for linje in forventede_linjer(
            fakta, ll8o=regler.ll8o.omfatter, forsoergelse=regler.forsoergelse
        ).values():
            if linje.indkomstaar == indkomstaar:
                yield linje.cpr, linje.art, linje.beloeb


def afstemning_indkomstaar(*, kommune_id: int) -> list[int]:
    """The income years the kommune has anything to reconcile in: a dækning, a reporting
    line or a by-hand amount, oldest first."""
    aar = {
        d.year
        for d in Postering.objects.filter(
            fordring__kommune_id=kommune_id, art=PosteringArt.DAEKNING
        ).dates("valoerdato", "year")
    }
    for model in (EIndkomstLinje, EIndkomstManuel):
        aar.update(
            model.objects.for_kommune(kommune_id)
            .order_by()
            .values_list("indkomstaar", flat=True)
            .distinct()
        )
    return sorted(aar)
