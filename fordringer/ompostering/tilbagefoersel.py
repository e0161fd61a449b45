"""Roll back an ompostering: the ledger returns to exactly what it was before it.

The new dækninger are reversed, the dækninger it rolled back are booked again as they were
(same claim, amount, value date and payment), and the interest on every claim touched is
recomputed - which gives back the same interest figures, since the non-interest entries that
stand are the same again. A payout still awaiting approval is rejected and an amount still
waiting on the sagsbehandlerfordeling list is closed. Refused, changing nothing, when a payout
has been approved, a waiting amount has been allocated, or a dækning it made has been moved
on since. Everything is linked to the ompostering and audited, like the ompostering itself
(DESIGN §4.2: the ledger is never rewritten, corrections are new entries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from fordringer.choices import OmposteringRolle, PosteringArt, UdbetalingStatus
from fordringer.dokumenter.services import tilbagefoersel_breve_bestil
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Debitorkonto, Fordring, Ompostering, Postering, Sagsbehandlerfordeling
from fordringer.ompostering.fordeling import SYSTEM, posteringer_link, renter_genberegn
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError

if TYPE_CHECKING:
    from ky_debitor.models import Bruger


@dataclass(frozen=True)
class _Plan:
    """The locked ompostering and what undoing it reverses (``nye_daekninger``) and books
    again (``oprindelige``), with the konti touched and the waiting amounts to close."""

    ompostering: Ompostering
    konti: frozenset[int]
    ventende: QuerySet[Sagsbehandlerfordeling]
    nye_daekninger: tuple[Postering, ...]
    oprindelige: tuple[Postering, ...]


@transaction.atomic
def ompostering_tilbagefoer(
    *, user: Bruger, ompostering_id: int, begrundelse: str, idag: dt.date | None = None
) -> Ompostering:
    """Undo an ompostering (module docstring). ``begrundelse`` is required."""
    idag = idag or timezone.localdate()
    if not begrundelse.strip():
        raise ApplicationError("Angiv en begrundelse for tilbageførslen.", felt="begrundelse")
    plan = _plan_laas(user=user, ompostering_id=ompostering_id)
    # The letters tell what the ompostering had moved: its entries before this undo.
    oprindelige_links = plan.ompostering.posteringer.aggregate(m=Max("id"))["m"] or 0
    _posteringer_tilbagefoer(plan, user=user, begrundelse=begrundelse, idag=idag)
    _ompostering_luk(plan, user=user)
    # The rolled-back dækninger stand again and the ompostering's are gone: the konti's
    # payments changed.
    kontostatus_opdater(kommune_id=plan.ompostering.kommune_id, konto_ids=plan.konti)
    _audit(plan, user=user, begrundelse=begrundelse)
    tilbagefoersel_breve_bestil(
        ompostering=plan.ompostering,
        user=user,
        begrundelse=begrundelse,
        links_til=oprindelige_links,
    )
    return plan.ompostering


def _plan_laas(*, user: Bruger, ompostering_id: int) -> _Plan:
    """Lock the konti touched (id order, as everywhere), then the ompostering, and refuse
    when anything it did has been carried on since."""
    ompostering = Ompostering.objects.for_user(user).filter(pk=ompostering_id).first()
    if ompostering is None:
        raise ApplicationError("Omposteringen findes ikke.")
    links = list(
        ompostering.posteringer.select_related("postering__tilbagefoerer").order_by("postering_id")
    )
    konti = frozenset(
        Fordring.objects.filter(pk__in={link.postering.fordring_id for link in links}).values_list(
            "konto_id", flat=True
        )
    )
    list(Debitorkonto.objects.select_for_update().filter(pk__in=konti).order_by("pk"))
    ompostering = Ompostering.objects.select_for_update().get(pk=ompostering.pk)
    if ompostering.tilbagefoert is not None:
        raise ConflictError("Omposteringen er allerede tilbageført.")
    if ompostering.udbetalinger.filter(status=UdbetalingStatus.GODKENDT).exists():
        raise ApplicationError(
            "Udbetalingen fra omposteringen er godkendt, så omposteringen kan ikke tilbageføres."
        )
    ventende = Sagsbehandlerfordeling.objects.select_for_update().filter(ompostering=ompostering)
    if any(p.behandlet is not None for p in ventende):
        raise ApplicationError(
            "Et beløb fra omposteringen er allerede fordelt fra sagsbehandlerfordeling, så "
            "omposteringen kan ikke tilbageføres."
        )
    nye_daekninger = tuple(
        link.postering
        for link in links
        if link.rolle == OmposteringRolle.DAEKNING and link.postering.art == PosteringArt.DAEKNING
    )
    if Postering.objects.filter(tilbagefoerer__in=nye_daekninger).exists():
        raise ConflictError(
            "En dækning fra omposteringen er siden tilbageført eller omposteret igen."
        )
    oprindelige = tuple(
        link.postering.tilbagefoerer
        for link in links
        if link.rolle == OmposteringRolle.TILBAGEFOERSEL
        and link.postering.tilbagefoerer is not None
        and link.postering.tilbagefoerer.art == PosteringArt.DAEKNING
    )
    return _Plan(ompostering, konti, ventende, nye_daekninger, oprindelige)


def _posteringer_tilbagefoer(plan: _Plan, *, user: Bruger, begrundelse: str, idag: dt.date) -> None:
    """The ledger: reverse the new dækninger, book the rolled-back ones again as they were,
    and recompute interest on every claim touched, all linked to the ompostering."""
    nye = [
        postering_bogfoer(
            fordring=p.fordring,
            art=PosteringArt.TILBAGEFOERSEL,
            beloeb=-p.beloeb,
            valoerdato=p.valoerdato,
            user=user,
            tekst="Ompostering tilbageført",
            begrundelse=begrundelse,
            tilbagefoerer=p,
            system=SYSTEM,
        )
        for p in plan.nye_daekninger
    ]
    posteringer_link(plan.ompostering, nye, OmposteringRolle.TILBAGEFOERSEL)
    igen = [
        postering_bogfoer(
            fordring=p.fordring,
            art=PosteringArt.DAEKNING,
            beloeb=-p.beloeb,
            valoerdato=p.valoerdato,
            user=user,
            tekst=p.tekst,
            begrundelse=begrundelse,
            indbetaling=p.indbetaling,
            system=SYSTEM,
        )
        for p in plan.oprindelige
    ]
    posteringer_link(plan.ompostering, igen, OmposteringRolle.DAEKNING)
    renter_genberegn(
        ompostering=plan.ompostering,
        fordring_ids={p.fordring_id for p in plan.nye_daekninger + plan.oprindelige},
        idag=idag,
        user=user,
        begrundelse=begrundelse,
    )


def _ompostering_luk(plan: _Plan, *, user: Bruger) -> None:
    """A payout still awaiting approval is rejected, a waiting amount closed, and the
    ompostering marked as undone."""
    nu = timezone.now()
    plan.ompostering.udbetalinger.filter(status=UdbetalingStatus.AFVENTER).update(
        status=UdbetalingStatus.AFVIST,
        behandlet=nu,
        begrundelse="Omposteringen er tilbageført",
    )
    plan.ventende.update(behandlet=nu, behandlet_af=user, behandling="Omposteringen er tilbageført")
    plan.ompostering.tilbagefoert, plan.ompostering.tilbagefoert_af = nu, user
    plan.ompostering.save(update_fields=["tilbagefoert", "tilbagefoert_af"])


def _audit(plan: _Plan, *, user: Bruger, begrundelse: str) -> None:
    for konto in Debitorkonto.objects.filter(pk__in=plan.konti).order_by("pk"):
        audit_log(
            user=user,
            kommune_id=konto.kommune_id,
            handling="ompostering.tilbagefoer",
            objekt=konto,
            beskrivelse=f"Ompostering {plan.ompostering.pk} tilbageført.",
            begrundelse=begrundelse,
            data={"ompostering_id": plan.ompostering.pk},
            system=SYSTEM,
        )
