"""Omposter fordeling (seed 004, use case 18.01): move a dækning.

``ompostering_opret`` runs in one transaction, as a list of steps:

1. lock and validate (``plan.plan_laas``): every choice is checked and every konto it
   touches locked in id order (the claims and payments follow through ``postering_bogfoer``),
   which settles the ``OmposteringPlan`` before anything is written;
2. roll back each chosen dækning whole (never a part, seed 004) with reversing entries, and
   recompute interest on the claims it covered as if it had never been there (DESIGN §7);
3. book the person's new allocation on uncovered claims of the same or another borger,
   dated with the original payment date, interest recomputed there too (a payment covers
   interest before principal, ``rente.py``; the allocation helpers are in ``fordeling.py``);
4. turn the amount to pay out into an ``Udbetaling`` awaiting a Bogholder's approval
   (``udbetaling.py``), and leave the rest on the sagsbehandlerfordeling list;
5. write the outbox messages: "send opdatering til inddrivelse" (18.05) for touched claims
   under inddrivelse (rykkerniveau unchanged);
6. audit who, when and why on every konto touched;
7. order the letters (``fordringer.dokumenter``): to each borger whose konto it touched and,
   when a note is given, to the alternative recipient (seed 004 trin 8); they are rendered
   as PDF and sent by Digital Post after commit.

``ompostering_automatisk`` is "Lad system ompostere": the same, with the allocation made in
the legal order (oldest due date first, interest before principal).

An ``ApplicationError`` anywhere leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from fordringer.choices import BeskedType, OmposteringRolle, Opkraevningstilstand, PosteringArt
from fordringer.dokumenter.services import ompostering_breve_bestil
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Debitorkonto, Fordring, Ompostering
from fordringer.ompostering.fordeling import (
    SYSTEM,
    Kilde,
    NyDaekning,
    Pulje,
    fordeling_bogfoer,
    fordeling_lovens_orden,
    posteringer_link,
    renter_genberegn,
    til_sagsbehandlerfordeling,
)
from fordringer.ompostering.kontrol import fordeling_valider
from fordringer.ompostering.plan import OmposteringPlan, plan_laas
from fordringer.ompostering.udbetaling import UdbetalingValg, udbetaling_opret
from fordringer.udbakke.services import udgaaende_besked_opret
from ky_debitor.audit import audit_log
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger


@transaction.atomic
def ompostering_opret(
    *,
    user: Bruger,
    daekning_ids: Sequence[int],
    aarsag_id: int | None,
    til_borger_id: int | None = None,
    fra_borger_id: int | None = None,
    fordeling: Sequence[NyDaekning] = (),
    udbetaling: UdbetalingValg | None = None,
    note: str = "",
    automatisk: bool = False,
    idag: dt.date | None = None,
) -> Ompostering:
    """Roll back the chosen dækninger and reallocate their amount (seed 004, module doc).

    ``fra_borger_id`` is the borger the person is acting for (the page the dækninger were
    chosen on): every dækning must be his (``selectors.daekninger_valgte``)."""
    plan = plan_laas(
        user=user,
        daekning_ids=daekning_ids,
        aarsag_id=aarsag_id,
        til_borger_id=til_borger_id,
        fra_borger_id=fra_borger_id,
        fordeling=fordeling,
        udbetaling=udbetaling,
        note=note,
        automatisk=automatisk,
        idag=idag or timezone.localdate(),
    )
    ompostering = _ompostering_gem(plan, user=user)
    pulje, kilde_fordringer = _daekninger_tilbagerul(plan, ompostering=ompostering, user=user)
    fordringer, fordelt = _fordeling_bogfoer(
        plan, ompostering=ompostering, pulje=pulje, undtag=set(kilde_fordringer), user=user
    )
    _rest_placer(plan, ompostering=ompostering, pulje=pulje, fordelt=fordelt, user=user)
    beroerte = {**kilde_fordringer, **fordringer}
    # A dækning taken away or booked is a payment KY has registered, or no longer has.
    kontostatus_opdater(
        kommune_id=ompostering.kommune_id, konto_ids={f.konto_id for f in beroerte.values()}
    )
    _inddrivelse_opdater(ompostering=ompostering, fordringer=beroerte.values())
    _audit(plan, ompostering=ompostering, fordringer=beroerte.values(), user=user)
    ompostering_breve_bestil(ompostering=ompostering, user=user)
    return ompostering


def ompostering_automatisk(
    *,
    user: Bruger,
    daekning_ids: Sequence[int],
    aarsag_id: int | None,
    til_borger_id: int | None = None,
    fra_borger_id: int | None = None,
    note: str = "",
    idag: dt.date | None = None,
) -> Ompostering:
    """ "Lad system ompostere" (seed 004): roll back, then allocate in the legal order over
    the borger's (or the chosen borger's) uncovered claims; the rest waits for a person."""
    return ompostering_opret(
        user=user,
        daekning_ids=daekning_ids,
        aarsag_id=aarsag_id,
        til_borger_id=til_borger_id,
        fra_borger_id=fra_borger_id,
        note=note,
        automatisk=True,
        idag=idag,
    )


def _ompostering_gem(plan: OmposteringPlan, *, user: Bruger) -> Ompostering:
    """The ompostering row, its whole amount still waiting until the steps below move it."""
    return Ompostering.objects.create(
        kommune_id=plan.fra_borger.kommune_id,
        fra_borger=plan.fra_borger,
        til_borger=plan.til_borger,
        beloeb=plan.total,
        fordelt=NUL,
        udbetalt=NUL,
        venter=plan.total,
        valoerdato=plan.daekninger[0].valoerdato,
        aarsag=plan.aarsag,
        aarsag_tekst=plan.aarsag.tekst,
        note=plan.note,
        automatisk=plan.automatisk,
        oprettet_af=user,
    )


def _daekninger_tilbagerul(
    plan: OmposteringPlan, *, ompostering: Ompostering, user: Bruger
) -> tuple[Pulje, dict[int, Fordring]]:
    """Step 2: roll back whole dækninger and recompute interest where they were. Returns the
    money taken (per payment and value date) and the claims it was taken from."""
    pulje = Pulje()
    kilde_fordringer: dict[int, Fordring] = {}
    for d in plan.daekninger:
        tilbage = postering_bogfoer(
            fordring=d.fordring,
            art=PosteringArt.TILBAGEFOERSEL,
            beloeb=-d.beloeb,
            valoerdato=d.valoerdato,
            user=user,
            tekst="Ompostering til anden borger"
            if plan.anden
            else "Dækning tilbageført (ompostering)",
            begrundelse=plan.begrundelse,
            tilbagefoerer=d,
            system=SYSTEM,
        )
        posteringer_link(ompostering, [tilbage], OmposteringRolle.TILBAGEFOERSEL)
        pulje.kilder.append(Kilde(d.indbetaling, d.valoerdato, -d.beloeb))
        kilde_fordringer[d.fordring_id] = d.fordring
    renter_genberegn(
        ompostering=ompostering,
        fordring_ids=set(kilde_fordringer),
        idag=plan.idag,
        user=user,
        begrundelse=plan.begrundelse,
    )
    for fordring in kilde_fordringer.values():
        fordring.refresh_from_db()
    return pulje, kilde_fordringer


def _fordeling_bogfoer(
    plan: OmposteringPlan, *, ompostering: Ompostering, pulje: Pulje, undtag: set[int], user: Bruger
) -> tuple[dict[int, Fordring], Decimal]:
    """Step 3: the new allocation, the person's or in the legal order, checked against the
    restance after the rollback and booked. Returns its claims and the amount allocated."""
    fordeling: Sequence[NyDaekning] = plan.fordeling
    fordringer = dict(plan.fordringer)
    if plan.automatisk:
        fordeling, fordringer = fordeling_lovens_orden(
            til_borger=plan.til_borger, undtag=undtag, pulje=pulje, idag=plan.idag
        )
    fordeling_valider(
        fordeling=fordeling,
        fordringer=fordringer,
        udbetalt=plan.udbetaling.beloeb if plan.udbetaling is not None else None,
        total=plan.total,
    )
    fordelt = fordeling_bogfoer(
        ompostering=ompostering,
        pulje=pulje,
        fordeling=fordeling,
        fordringer=fordringer,
        idag=plan.idag,
        user=user,
        begrundelse=plan.begrundelse,
        tekst="Ompostering fra anden borger" if plan.anden else "Dækning (ompostering)",
    )
    return fordringer, fordelt


def _rest_placer(
    plan: OmposteringPlan, *, ompostering: Ompostering, pulje: Pulje, fordelt: Decimal, user: Bruger
) -> None:
    """Step 4: the payout awaits approval; the rest waits for a person. The ompostering's
    totals then add up: ``beloeb = fordelt + udbetalt + venter``."""
    if plan.udbetaling is not None:
        udbetaling_opret(ompostering=ompostering, udbetaling=plan.udbetaling, user=user)
        pulje.tag(plan.udbetalt)
    venter = plan.total - fordelt - plan.udbetalt
    if venter > 0:
        til_sagsbehandlerfordeling(
            ompostering=ompostering,
            borger_id=plan.til_borger.pk,
            indbetaling=next((k.indbetaling for k in pulje.kilder if k.rest > 0), None),
            beloeb=venter,
            tekst=f"Rest af ompostering: {plan.aarsag.tekst}",
        )
    ompostering.fordelt, ompostering.udbetalt, ompostering.venter = fordelt, plan.udbetalt, venter
    ompostering.save(update_fields=["fordelt", "udbetalt", "venter"])


def _inddrivelse_opdater(*, ompostering: Ompostering, fordringer: Iterable[Fordring]) -> None:
    """Step 5: tell inddrivelse about touched claims (18.05); rykkerniveau is left as it is."""
    for fordring in fordringer:
        if not (
            fordring.inddrivelse
            or fordring.opkraevningstilstand == Opkraevningstilstand.INDDRIVELSE
        ):
            continue
        fordring.refresh_from_db()
        udgaaende_besked_opret(
            kommune_id=fordring.kommune_id,
            type=BeskedType.INDDRIVELSE_OPDATERING,
            noegle=f"inddrivelse:ompostering:{ompostering.pk}:{fordring.pk}",
            payload={
                "usecase": "18.05",
                "fordringsid": fordring.fordringsid,
                "restance": str(fordring.restance),
                "rykkerniveau": fordring.rykkerniveau,
                "ompostering_id": ompostering.pk,
            },
        )


def _audit(
    plan: OmposteringPlan,
    *,
    ompostering: Ompostering,
    fordringer: Collection[Fordring],
    user: Bruger,
) -> None:
    """Step 6: one audit row on every konto touched."""
    konti = {f.konto_id for f in fordringer}
    for konto in Debitorkonto.objects.filter(pk__in=konti).order_by("pk"):
        audit_log(
            user=user,
            kommune_id=konto.kommune_id,
            handling="ompostering.opret",
            objekt=konto,
            beskrivelse=(
                f"Ompostering {ompostering.pk}: {format_beloeb(plan.total)} kr. tilbagerullet"
                f"{' til anden borger' if plan.anden else ''}; fordelt "
                f"{format_beloeb(ompostering.fordelt)} kr., til udbetaling "
                f"{format_beloeb(ompostering.udbetalt)} kr., til sagsbehandlerfordeling "
                f"{format_beloeb(ompostering.venter)} kr."
                + (" (lad system ompostere)" if plan.automatisk else "")
            ),
            begrundelse=plan.begrundelse,
            data={"ompostering_id": ompostering.pk, "daekninger": list(plan.daekning_ids)},
            system=SYSTEM,
        )
