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

The sums are made by the database; the rule runs over the dækninger of the income years only
(a line is dated in its dækning's valør year), read in one streamed query, so the cost in
queries is the same for 10 konti and for 200,000 and only the expected lines are held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from fordringer.choices import BeskedStatus, EIndkomstArt, PosteringArt
from fordringer.cpr import cpr_maskeret
from fordringer.eindkomst.beregning import linje_for
from fordringer.eindkomst.selectors import Regler, daekninger_i_aar
from fordringer.models import (
    EIndkomstForsendelseRaekke,
    EIndkomstLinje,
    EIndkomstManuel,
    Postering,
)
from ky_debitor.money import NUL, afrund

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
    return eindkomst_afstemninger(kommune_id=kommune_id, indkomstaar=[indkomstaar], regler=regler)[
        indkomstaar
    ]


def eindkomst_afstemninger(
    *, kommune_id: int, indkomstaar: Collection[int], regler: Regler | None = None
) -> dict[int, Afstemning]:
    """The reconciliations of ``kommune_id``'s income years ``indkomstaar``, made together:
    one pass over the years' dækninger and one sum per source, whatever the number of konti
    and years (six queries)."""
    aarene = frozenset(indkomstaar)
    summer: dict[tuple[int, str, str], list[Decimal]] = defaultdict(lambda: [NUL] * len(KOLONNER))

    def laeg_til(kolonne: str, aar: int, cpr: str, art: str, beloeb: Decimal | None) -> None:
        # SQLite sums decimals as floats: back to the øre.
        summer[(aar, cpr, art)][KOLONNER.index(kolonne)] += afrund(Decimal(beloeb or NUL))

    regler = regler or Regler.hent()
    for d in daekninger_i_aar(kommune_id=kommune_id, indkomstaar=aarene):
        linje = linje_for(d, ll8o=regler.ll8o.omfatter, forsoergelse=regler.forsoergelse)
        if linje is not None:
            laeg_til("forventet", linje.indkomstaar, linje.cpr, linje.art, linje.beloeb)

    linjer = EIndkomstLinje.objects.for_kommune(kommune_id).filter(indkomstaar__in=aarene)
    for kolonne, qs in (
        ("linjer", linjer),
        ("afventer", linjer.exclude(sendt_i__forsendelse__besked__status=BeskedStatus.SENDT)),
    ):
        for row in qs.values("indkomstaar", "cpr", "art").annotate(s=Sum("beloeb")).order_by():
            laeg_til(kolonne, row["indkomstaar"], row["cpr"], row["art"], row["s"])

    sendt = EIndkomstForsendelseRaekke.objects.filter(
        forsendelse__kommune_id=kommune_id,
        forsendelse__besked__status=BeskedStatus.SENDT,
        indkomstaar__in=aarene,
    )
    for row in (
        sendt.values("indkomstaar", "cpr", "art")
        .annotate(b=Sum("beloeb"), m=Sum("modregnet"))
        .order_by()
    ):
        laeg_til("indberettet", row["indkomstaar"], row["cpr"], row["art"], row["b"])
        laeg_til("modregnet", row["indkomstaar"], row["cpr"], row["art"], row["m"])

    manuelle = EIndkomstManuel.objects.for_kommune(kommune_id).filter(indkomstaar__in=aarene)
    for row in manuelle.values("indkomstaar", "cpr").annotate(s=Sum("beloeb")).order_by():
        laeg_til("manuelt", row["indkomstaar"], row["cpr"], EIndkomstArt.LL8O, row["s"])

    pr_aar: dict[int, list[AfstemningRaekke]] = {aar: [] for aar in aarene}
    for (aar, cpr, art), beloeb in summer.items():
        if any(beloeb):
            pr_aar[aar].append(AfstemningRaekke(cpr, art, *beloeb))
    return {aar: _afstemning(kommune_id, aar, raekker) for aar, raekker in pr_aar.items()}


def _afstemning(kommune_id: int, aar: int, raekker: list[AfstemningRaekke]) -> Afstemning:
    """One year's rows, the borgere with a difference first, and their totals."""
    afvigende = {r.cpr for r in raekker if r.afviger}
    raekker.sort(key=lambda r: (r.cpr not in afvigende, r.cpr, r.art))
    total = AfstemningRaekke(
        "",
        "",
        *(sum((getattr(r, k) for r in raekker), NUL) for k in KOLONNER),
    )
    return Afstemning(kommune_id, aar, tuple(raekker), total)


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
