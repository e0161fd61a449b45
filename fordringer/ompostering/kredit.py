"""An amount on the sagsbehandlerfordeling list placed on the customer (seed 004 afklaring b):
"Beløbet placeres på kunden og der udlignes i den førstkommende udligningskørsel".

The item leaves the list at once (handled, by whom, when); the amount becomes a
``Kundekredit``. The settlement run covers the borger's claims with it in the law's order
(oldest due date first, interest before principal: ``fordeling_lovens_orden``), dated with the
original payment date so the interest is recomputed as if the money had been there all along.
What no claim can take stays on the customer for the next run. Each run is idempotent: a
credit with nothing left is not read again, and the ledger entries and the credit's ``rest``
move in one transaction per credit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.models import Debitorkonto, Kundekredit, Ompostering, Sagsbehandlerfordeling
from fordringer.ompostering.fordeling import (
    Kilde,
    Pulje,
    fordeling_bogfoer,
    fordeling_lovens_orden,
    post_behandlet,
    post_laas,
)
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Bruger
from ky_debitor.money import NUL, afrund, format_beloeb

UDLIGNING = "Udligning af kredit på kunden"


@transaction.atomic
def sagsbehandlerfordeling_til_kunden(
    *, user: Bruger, post_id: int, behandling: str
) -> Kundekredit:
    """Take the item off the list and place its amount on the customer."""
    if not behandling.strip():
        raise ApplicationError("Skriv hvad der er gjort med beløbet.", felt="behandling")
    post = Sagsbehandlerfordeling.objects.for_user(user).filter(pk=post_id).first()
    if post is None:
        raise ApplicationError("Posten findes ikke.")
    post = post_laas(post)
    post_behandlet(post, user=user, behandling=behandling)
    kredit = Kundekredit.objects.create(
        kommune_id=post.kommune_id,
        borger_id=post.borger_id,
        beloeb=post.beloeb,
        rest=post.beloeb,
        valoerdato=post.valoerdato,
        indbetaling=post.indbetaling,
        ompostering=post.ompostering,
        sagsbehandlerfordeling=post,
        oprettet_af=user,
    )
    audit_log(
        user=user,
        kommune_id=post.kommune_id,
        handling="sagsbehandlerfordeling.til_kunden",
        objekt=post,
        beskrivelse=(
            f"{format_beloeb(post.beloeb)} kr. på sagsbehandlerfordeling placeret på kunden; "
            "udlignes i den næste udligningskørsel."
        ),
        begrundelse=behandling,
    )
    return kredit


@dataclass(frozen=True)
class Udligning:
    kreditter: int  # credits that covered something in this run
    fordelt: Decimal
    tilbage: Decimal  # what stays on the customers after the run


def kommuner_med_kredit() -> list[int]:
    """The kommuner with a credit on a customer that is not yet settled."""
    return sorted(set(Kundekredit.objects.filter(rest__gt=0).values_list("kommune_id", flat=True)))


def kreditter_udlign(*, kommune_id: int, idag: dt.date | None = None) -> Udligning:
    """The settlement run of one kommune: every credit with something left covers what it
    can of its borger's claims. One transaction per credit; a credit another run holds is
    skipped (it is that run's)."""
    idag = idag or timezone.localdate()
    aabne = (
        Kundekredit.objects.for_kommune(kommune_id)
        .filter(rest__gt=0)
        .order_by("borger_id", "oprettet", "pk")
        .values_list("pk", flat=True)
    )
    antal, fordelt = 0, NUL
    for pk in list(aabne):
        beloeb = _udlign_en(pk, idag=idag)
        if beloeb:
            antal += 1
            fordelt += beloeb
    tilbage = Kundekredit.objects.for_kommune(kommune_id).aggregate(s=Sum("rest"))["s"]
    # SQLite sums decimals as floats: back to the øre.
    return Udligning(kreditter=antal, fordelt=fordelt, tilbage=afrund(tilbage or NUL))


@transaction.atomic
def _udlign_en(pk: int, *, idag: dt.date) -> Decimal:
    borger_id = Kundekredit.objects.values_list("borger_id", flat=True).get(pk=pk)
    # The ledger's lock order: the borger's konti in id order, then the credit.
    list(
        Debitorkonto.objects.select_for_update()
        .filter(borger_id=borger_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    kredit = (
        Kundekredit.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, rest__gt=0)
        .select_related("borger")
        .first()
    )
    if kredit is None:
        return NUL
    pulje = Pulje([Kilde(kredit.indbetaling, kredit.valoerdato, kredit.rest)])
    fordeling, fordringer = fordeling_lovens_orden(
        til_borger=kredit.borger, undtag=set(), pulje=pulje, idag=idag
    )
    if not fordeling:
        return NUL
    ompostering = (
        Ompostering.objects.select_for_update().get(pk=kredit.ompostering_id)
        if kredit.ompostering_id
        else None
    )
    fordelt = fordeling_bogfoer(
        ompostering=ompostering,
        pulje=pulje,  # fordeling_lovens_orden only read it
        fordeling=fordeling,
        fordringer=fordringer,
        idag=idag,
        user=None,
        begrundelse=UDLIGNING,
        tekst="Dækning (kredit på kunden)",
    )
    kontostatus_opdater(
        kommune_id=kredit.kommune_id, konto_ids={f.konto_id for f in fordringer.values()}
    )
    kredit.rest -= fordelt
    kredit.udlignet = timezone.now() if kredit.rest == 0 else None
    kredit.save(update_fields=["rest", "udlignet"])
    if ompostering is not None:
        ompostering.fordelt += fordelt
        ompostering.venter -= fordelt
        ompostering.save(update_fields=["fordelt", "venter"])
    audit_log(
        user=None,
        system="udligning",
        kommune_id=kredit.kommune_id,
        handling="kundekredit.udlign",
        objekt=kredit,
        beskrivelse=(
            f"{format_beloeb(fordelt)} kr. af kreditten på kunden dækket på "
            f"{len(fordeling)} fordring(er); {format_beloeb(kredit.rest)} kr. tilbage."
        ),
        begrundelse=UDLIGNING,
    )
    return fordelt
