"""Allocating moved money to claims (seed 004): the money as pieces of payments, the legal
order, the checks against the restance and the booking of the new dækninger, and the
sagsbehandlerfordeling list for what waits for a person.

Shared by the ompostering itself (``services.ompostering_opret``), the handling of a waiting
amount (``udbetaling.sagsbehandlerfordeling_behandl``) and the undoing of an ompostering
(``tilbagefoersel``). Nothing here opens a transaction or takes a konto lock: the callers hold
them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from fordringer.choices import OmposteringRolle, PosteringArt
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import (
    Borger,
    Fordring,
    Indbetaling,
    Ompostering,
    OmposteringPostering,
    Postering,
    Sagsbehandlerfordeling,
)
from fordringer.rente.beregning import Bevaegelse
from fordringer.rente.services import rente_aendring, renter_afstem, renter_bogfoer
from ky_debitor.enheder import adressat
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "ompostering"


@dataclass(frozen=True)
class NyDaekning:
    """The person's amount for one uncovered claim (seed 004 trin 4)."""

    fordring_id: int
    beloeb: Decimal


@dataclass
class Kilde:
    """A piece of the money being moved: from which payment, with which value date."""

    indbetaling: Indbetaling | None
    valoerdato: dt.date
    rest: Decimal


@dataclass
class Pulje:
    kilder: list[Kilde] = field(default_factory=list)

    @property
    def rest(self) -> Decimal:
        return sum((k.rest for k in self.kilder), NUL)

    def tag(self, beloeb: Decimal) -> list[tuple[Indbetaling | None, dt.date, Decimal]]:
        """Take ``beloeb`` from the pieces in order; one part per payment and value date."""
        dele = []
        for kilde in self.kilder:
            if beloeb <= 0:
                break
            del_ = min(beloeb, kilde.rest)
            if del_ > 0:
                kilde.rest -= del_
                beloeb -= del_
                dele.append((kilde.indbetaling, kilde.valoerdato, del_))
        return dele


def posteringer_link(
    ompostering: Ompostering | None, posteringer: Sequence[Postering], rolle: str
) -> None:
    """Tie entries to the ompostering that booked them; an allocation of an overpayment
    (``ompostering`` None) has none."""
    if ompostering is None:
        return
    OmposteringPostering.objects.bulk_create(
        [
            OmposteringPostering(ompostering=ompostering, postering=p, rolle=rolle)
            for p in posteringer
        ]
    )


def renter_genberegn(
    *,
    ompostering: Ompostering,
    fordring_ids: set[int],
    idag: dt.date,
    user: Bruger,
    begrundelse: str,
) -> None:
    """Recompute the interest on these claims from their ledger as it now stands (DESIGN §7)
    and link the entries to the ompostering. A claim that turns out overpaid gives the
    excess to the customer's sagsbehandlerfordeling list (``renter_afstem``)."""
    for fordring in Fordring.objects.filter(pk__in=fordring_ids).order_by("pk"):
        nye = renter_afstem(
            fordring=fordring, til_dato=idag, user=user, begrundelse=begrundelse, system=SYSTEM
        )
        posteringer_link(ompostering, nye, OmposteringRolle.RENTE)


def daekning_maks(
    *,
    fordring: Fordring,
    dato: dt.date,
    idag: dt.date,
    undtag: Collection[int] = (),
    restance: Decimal | None = None,
) -> Decimal:
    """The most a payment dated ``dato`` can cover on ``fordring``: its restance once the
    interest after ``dato`` is recomputed with the payment in place (never below 0). With
    ``undtag`` the entries with those ids count as rolled back, and ``restance`` is the
    claim's restance then."""
    beloeb = fordring.restance if restance is None else restance
    posteringer = list(fordring.posteringer.all())
    for _ in range(20):
        if beloeb <= 0:
            return NUL
        aendring = rente_aendring(
            fordring=fordring,
            til_dato=idag,
            ekstra=[Bevaegelse(dato, -beloeb, PosteringArt.DAEKNING)],
            undtag=undtag,
            posteringer=posteringer,
        )
        if aendring.restance_efter >= 0:
            return beloeb
        beloeb += aendring.restance_efter
    return NUL


def for_stort_med_renter(
    *,
    fordring: Fordring,
    beloeb: Decimal,
    dato: dt.date,
    idag: dt.date,
    undtag: Collection[int] = (),
    restance: Decimal | None = None,
) -> str:
    """The message for an amount that the interest recomputed from ``dato`` makes too large,
    with the most that fits (``daekning_maks``)."""
    maks = daekning_maks(fordring=fordring, dato=dato, idag=idag, undtag=undtag, restance=restance)
    return (
        f"Beløbet {format_beloeb(beloeb)} kr. til fordring {fordring.fordringsid} er større "
        f"end restancen, når renterne genberegnes fra indbetalingsdatoen {dato:%d-%m-%Y}. "
        f"Der kan højst dækkes {format_beloeb(maks)} kr."
    )


def fordeling_lovens_orden(
    *, til_borger: Borger, undtag: set[int], pulje: Pulje, idag: dt.date
) -> tuple[list[NyDaekning], dict[int, Fordring]]:
    """ "Lad system ompostere", and the settlement of a credit on the customer: the borger's
    uncovered claims (in the borger's kommune), oldest due date first, each covered up to what
    it owes at the payment date (interest before principal, ``rente.py``). The claims the
    money was taken from are left out: that is why it is being moved."""
    fordeling = []
    fordringer = {}
    rest = pulje.rest
    dato = pulje.kilder[0].valoerdato
    kandidater = (
        Fordring.objects.for_kommune(til_borger.kommune_id)
        .filter(konto__borger=til_borger, restance__gt=0)
        .exclude(pk__in=undtag)
        .select_related("konto")
        .order_by("forfaldsdato", "fordringsid", "pk")
    )
    for fordring in kandidater:
        if rest <= 0:
            break
        beloeb = min(rest, daekning_maks(fordring=fordring, dato=dato, idag=idag))
        if beloeb > 0:
            fordeling.append(NyDaekning(fordring.pk, beloeb))
            fordringer[fordring.pk] = fordring
            rest -= beloeb
    return fordeling, fordringer


def fordeling_bogfoer(
    *,
    ompostering: Ompostering | None,
    pulje: Pulje,
    fordeling: Sequence[NyDaekning],
    fordringer: dict[int, Fordring],
    idag: dt.date,
    user: Bruger | None,
    begrundelse: str,
    tekst: str,
) -> Decimal:
    """Book each new dækning (dated with the original payment date) after recomputing the
    claim's interest with it in place. Returns the amount allocated."""
    fordelt = NUL
    for valg in fordeling:
        fordring = fordringer[valg.fordring_id]
        dele = pulje.tag(valg.beloeb)
        aendring = rente_aendring(
            fordring=fordring,
            til_dato=idag,
            ekstra=[Bevaegelse(dato, -beloeb, PosteringArt.DAEKNING) for _i, dato, beloeb in dele],
        )
        if aendring.restance_efter < 0:
            raise ApplicationError(
                for_stort_med_renter(
                    fordring=fordring, beloeb=valg.beloeb, dato=dele[0][1], idag=idag
                ),
                felt=f"fordring_{fordring.pk}",
            )
        nye = renter_bogfoer(aendring=aendring, user=user, begrundelse=begrundelse, system=SYSTEM)
        posteringer_link(ompostering, nye, OmposteringRolle.RENTE)
        for indbetaling, dato, beloeb in dele:
            daekning = postering_bogfoer(
                fordring=fordring,
                art=PosteringArt.DAEKNING,
                beloeb=beloeb,
                valoerdato=dato,
                user=user,
                tekst=tekst,
                begrundelse=begrundelse,
                indbetaling=indbetaling,
                system=SYSTEM,
            )
            posteringer_link(ompostering, [daekning], OmposteringRolle.DAEKNING)
        fordring.refresh_from_db()
        fordelt += valg.beloeb
    return fordelt


def til_sagsbehandlerfordeling(
    *,
    ompostering: Ompostering | None,
    borger_id: int,
    indbetaling: Indbetaling | None,
    beloeb: Decimal,
    tekst: str,
    kommune_id: int | None = None,
    valoerdato: dt.date | None = None,
    fra: Sagsbehandlerfordeling | None = None,
) -> Sagsbehandlerfordeling:
    """Put an amount on the sagsbehandlerfordeling list, keeping the original payment date
    (seed 004: the amount bears no interest until it is finally allocated, then with that
    date). Without an ompostering (an overpayment's rest) the kommune and date are given.

    The rest of an item handled in part (``fra``) keeps that item's address; a new item goes
    to the kommune's receiving unit, else to the person who made the ompostering
    (``ky_debitor.enheder.adressat``)."""
    if ompostering is not None:
        kommune_id = kommune_id or ompostering.kommune_id
        valoerdato = valoerdato or ompostering.valoerdato
    if kommune_id is None or valoerdato is None:
        raise ValueError("kommune_id og valoerdato skal angives uden en ompostering")
    adresse = (
        {
            "adresseret_bruger_id": fra.adresseret_bruger_id,
            "adresseret_enhed_id": fra.adresseret_enhed_id,
        }
        if fra is not None
        else adressat(
            kommune_id, person_id=ompostering.oprettet_af_id if ompostering is not None else None
        )
    )
    return Sagsbehandlerfordeling.objects.create(
        kommune_id=kommune_id,
        ompostering=ompostering,
        borger_id=borger_id,
        indbetaling=indbetaling,
        beloeb=beloeb,
        valoerdato=valoerdato,
        tekst=tekst[:255],
        **adresse,
    )


def rest_tilbage(
    post: Sagsbehandlerfordeling, *, rest: Decimal, ompostering: Ompostering | None
) -> None:
    """What is left of an item handled in part waits on the list as a new item like it: the
    same payment, date, text and address."""
    if rest > 0:
        til_sagsbehandlerfordeling(
            ompostering=ompostering,
            borger_id=post.borger_id,
            indbetaling=post.indbetaling,
            beloeb=rest,
            tekst=post.tekst,
            kommune_id=post.kommune_id,
            valoerdato=post.valoerdato,
            fra=post,
        )


def post_laas(post: Sagsbehandlerfordeling) -> Sagsbehandlerfordeling:
    """Lock a sagsbehandlerfordeling item (after the konti it touches: the ledger's lock
    order) and refuse it if someone handled it meanwhile."""
    post = Sagsbehandlerfordeling.objects.select_for_update().get(pk=post.pk)
    if post.behandlet is not None:
        raise ConflictError("Posten er allerede behandlet af en anden.")
    return post


def post_behandlet(post: Sagsbehandlerfordeling, *, user: Bruger, behandling: str) -> None:
    """Take the item off the list: who handled it, when and what was done stay searchable."""
    post.behandlet = timezone.now()
    post.behandlet_af = user
    post.behandling = behandling.strip()[:255]
    post.save(update_fields=["behandlet", "behandlet_af", "behandling"])
