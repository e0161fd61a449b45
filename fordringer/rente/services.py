"""Interest on the ledger: the claim's RENTE entries are always what ``rente.py`` computes
from its other entries (DESIGN §7: each figure reproducible from the ledger).

``renter_afstem`` recomputes a claim's interest from its non-interest entries (plus movements
about to be booked), reverses the RENTE entries that no longer hold and books the ones that
now do, each with its own value date, in one set-based write per claim (``renter_bogfoer``).

A payment dated back pays what the screen showed that day, but recomputed from its value date
less interest was due: the claim is overpaid. That never blocks the ledger. The excess is
taken off the claim and placed on the customer (seed 004, "placeres på kunden"): it waits on
the sagsbehandlerfordeling list with its payment and value date, to be allocated or paid out
from there (``overbetaling_flyt``). So money in = on claims + on the list + paid out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from fordringer.choices import PosteringArt, Renteregime
from fordringer.ledger.services import aktoer_navn, postering_bogfoer
from fordringer.models import (
    Debitorkonto,
    Fordring,
    Postering,
    Renteregimeregel,
    Rentesats,
    Sagsbehandlerfordeling,
)
from fordringer.rente.beregning import Bevaegelse, Rentebogning, Sats, rente_beregn
from ky_debitor.audit import audit_log, audit_rows_create
from ky_debitor.bulk import ider_tag, rows_copy, rows_update
from ky_debitor.enheder import adressat
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger


def rentesatser(renteregime: str) -> list[Sats]:
    """The rate table of a regime, oldest first."""
    return [
        Sats(gyldig_fra=r.gyldig_fra, maanedlig_pct=r.maanedlig_pct)
        for r in Rentesats.objects.filter(renteregime=renteregime).order_by("gyldig_fra")
    ]


def aktive_posteringer(posteringer: Iterable[Postering]) -> list[Postering]:
    """Entries that stand: neither reversed nor a reversal."""
    alle = list(posteringer)
    tilbagefoert = {p.tilbagefoerer_id for p in alle if p.tilbagefoerer_id is not None}
    return [p for p in alle if p.art != PosteringArt.TILBAGEFOERSEL and p.pk not in tilbagefoert]


def bevaegelser(posteringer: Iterable[Postering]) -> list[Bevaegelse]:
    """The standing non-interest entries of a claim as plain movements."""
    return [
        Bevaegelse(dato=p.valoerdato, beloeb=p.beloeb, art=p.art)
        for p in aktive_posteringer(posteringer)
        if p.art != PosteringArt.RENTE
    ]


@dataclass(frozen=True)
class Renteaendring:
    """What recomputing a claim's interest changes: entries to reverse and to book."""

    fordring: Fordring
    tilbagefoer: list[Postering]
    bogfoer: list[Rentebogning]
    restance_efter: Decimal

    @property
    def netto(self) -> Decimal:
        return sum((r.beloeb for r in self.bogfoer), NUL) - sum(
            (p.beloeb for p in self.tilbagefoer), NUL
        )


def rente_aendring(
    *,
    fordring: Fordring,
    til_dato: dt.date,
    ekstra: Sequence[Bevaegelse] = (),
    undtag: Iterable[int] = (),
    posteringer: Sequence[Postering] | None = None,
    satser: Sequence[Sats] | None = None,
) -> Renteaendring:
    """The interest change on ``fordring`` if ``ekstra`` were booked and the entries with
    ids in ``undtag`` reversed (read only; ``renter_afstem`` books it). A caller going over
    many claims passes their entries and the regime's rates, read once."""
    undtag = set(undtag)
    if posteringer is None:
        posteringer = list(fordring.posteringer.all())
    staaende = [p for p in aktive_posteringer(posteringer) if p.pk not in undtag]
    renter = [p for p in staaende if p.art == PosteringArt.RENTE]
    flyt = [
        Bevaegelse(dato=p.valoerdato, beloeb=p.beloeb, art=p.art)
        for p in staaende
        if p.art != PosteringArt.RENTE
    ] + list(ekstra)
    restance_uden_rente = sum((b.beloeb for b in flyt), NUL)
    if fordring.renteregime == Renteregime.INGEN:
        beholdt = sum((p.beloeb for p in renter), NUL)
        return Renteaendring(fordring, [], [], restance_uden_rente + beholdt)
    oenskede = rente_beregn(
        renteregime=fordring.renteregime,
        forfaldsdato=fordring.forfaldsdato,
        bevaegelser=flyt,
        satser=rentesatser(fordring.renteregime) if satser is None else satser,
        til_dato=til_dato,
    )
    # Keep every booked entry that the computation also wants; reverse the rest.
    mangler = Counter((r.dato, r.beloeb) for r in oenskede)
    tilbagefoer = []
    for p in renter:
        noegle = (p.valoerdato, p.beloeb)
        if mangler[noegle] > 0:
            mangler[noegle] -= 1
        else:
            tilbagefoer.append(p)
    bogfoer = [Rentebogning(d, b) for (d, b), n in sorted(mangler.items()) for _ in range(n)]
    restance = restance_uden_rente + sum((r.beloeb for r in oenskede), NUL)
    return Renteaendring(fordring, tilbagefoer, bogfoer, restance)


@transaction.atomic
def renter_bogfoer(
    *, aendring: Renteaendring, user: Bruger | None, begrundelse: str, system: str = "rente"
) -> list[Postering]:
    """Book one claim's interest change as computed by ``rente_aendring``: lock its konto and
    the claim (the ledger's lock order), refuse a second reversal or a negative restance, write
    the RENTE entries and the reversals of those that no longer hold, move the running total
    once and audit the change. Interest entries touch no payment and are never parked, so
    this is ``postering_bogfoer`` for many interest lines at once."""
    if not aendring.bogfoer and not aendring.tilbagefoer:
        return []
    Debitorkonto.objects.select_for_update().get(pk=aendring.fordring.konto_id)
    fordring = Fordring.objects.select_for_update().get(pk=aendring.fordring.pk)
    aendring.fordring.restance = fordring.restance
    ider = _renter_skriv([aendring], user=user, begrundelse=begrundelse, system=system)
    return list(Postering.objects.filter(pk__in=ider).order_by("pk"))


@transaction.atomic
def renter_bogfoer_mange(
    *, aendringer: Sequence[Renteaendring], begrundelse: str, system: str
) -> int:
    """``renter_bogfoer`` for many claims at once, one write per table, for a caller that
    already holds the locks (their konti, then the claims, read under the lock) and computed
    the changes from the entries it read under them: the interest run's chunk. Returns how
    many entries it wrote."""
    return len(
        _renter_skriv(
            [a for a in aendringer if a.bogfoer or a.tilbagefoer],
            user=None,
            begrundelse=begrundelse,
            system=system,
        )
    )


# The interest entries' columns as ``_renteraekker`` fills them; the others take their defaults
# (``bogfoert`` the time of writing, no payment, no external id).
_KOLONNER = (
    "id",
    "kommune_id",
    "fordring_id",
    "art",
    "beloeb",
    "valoerdato",
    "tilbagefoerer_id",
    "tekst",
    "aktoer",
)


def _renter_skriv(
    aendringer: Sequence[Renteaendring], *, user: Bruger | None, begrundelse: str, system: str
) -> list[int]:
    """Write the changes of locked claims whose ``restance`` was read under the lock, in one
    ``COPY`` of plain rows (a chunk of the interest run writes tens of thousands of lines);
    returns the new entries' ids."""
    if not aendringer:
        return []
    tilbage = [p for a in aendringer for p in a.tilbagefoer]
    if tilbage and Postering.objects.filter(tilbagefoerer__in=tilbage).exists():
        raise ConflictError("En renteberegning er allerede tilbageført af en anden.")
    for a in aendringer:
        if a.fordring.restance + a.netto < 0:
            raise ApplicationError(
                f"Renteændringen ville gøre restancen på fordring {a.fordring.fordringsid} negativ."
            )
    aktoer = aktoer_navn(user, system)
    ider = iter(ider_tag(Postering, sum(len(a.bogfoer) + len(a.tilbagefoer) for a in aendringer)))
    pr_fordring = [(a, _renteraekker(a, aktoer, ider)) for a in aendringer]
    rows_copy(Postering, columns=_KOLONNER, rows=[r for _, raekker in pr_fordring for r in raekker])
    for a in aendringer:
        a.fordring.restance += a.netto
    rows_update(
        Fordring,
        columns=["restance"],
        rows=[(a.fordring.pk, a.fordring.restance) for a in aendringer],
    )
    audit_rows_create(
        [
            {
                "user": user,
                "kommune_id": a.fordring.kommune_id,
                "handling": "postering.rente",
                "objekt_type": Fordring._meta.label_lower,
                "objekt_id": str(a.fordring.pk),
                "beskrivelse": (
                    f"Renter genberegnet på fordring {a.fordring.fordringsid}: "
                    f"{len(a.bogfoer)} renteposteringer bogført, {len(a.tilbagefoer)} "
                    f"tilbageført, netto {format_beloeb(a.netto)} kr.; restance nu "
                    f"{format_beloeb(a.fordring.restance)} kr."
                ),
                "begrundelse": begrundelse,
                "data": {"posteringer": [r[0] for r in raekker], "netto": str(a.netto)},
                "system": system,
            }
            for a, raekker in pr_fordring
        ]
    )
    return [r[0] for _, raekker in pr_fordring for r in raekker]


def _renteraekker(
    aendring: Renteaendring, aktoer: str, ider: Iterator[int]
) -> list[tuple[Any, ...]]:
    """The claim's new RENTE lines and the reversals of the ones that no longer hold, as
    ``_KOLONNER`` rows."""
    fordring = aendring.fordring
    tekst = f"Rente ({fordring.get_renteregime_display()})"
    rod = (fordring.kommune_id, fordring.pk)
    return [
        (next(ider), *rod, PosteringArt.RENTE.value, r.beloeb, r.dato, None, tekst, aktoer)
        for r in aendring.bogfoer
    ] + [
        (
            next(ider),
            *rod,
            PosteringArt.TILBAGEFOERSEL.value,
            -p.beloeb,
            p.valoerdato,
            p.pk,
            "Tilbageførsel af rente (genberegnet)",
            aktoer,
        )
        for p in aendring.tilbagefoer
    ]


# Credits that can cover more than a claim turns out to owe; only a dækning is money.
OVERBETALBARE_ARTER = (PosteringArt.DAEKNING, PosteringArt.AFSKRIVNING, PosteringArt.NEDREGULERING)


def overbetaling_flyt(
    *, fordring: Fordring, overskud: Decimal, user: Bruger | None, begrundelse: str, system: str
) -> Decimal:
    """Take ``overskud`` off an overpaid claim, the credits booked last first (the payment
    that paid what the screen showed). Each is reversed whole and booked again, same kind,
    payment, value date and text, with the part the claim owed; a part of 0,00 is not booked
    (an operation never fails half-way on a zero amount). The part of a dækning taken off is
    the customer's money: it goes on the sagsbehandlerfordeling list with its payment and
    value date (seed 004), audited. A write-off taken off was simply not needed.
    Returns the amount taken off (0,00 when no credit stands to take it from)."""
    kreditter = sorted(
        (
            p
            for p in aktive_posteringer(fordring.posteringer.select_related("indbetaling"))
            if p.art in OVERBETALBARE_ARTER
        ),
        key=lambda p: p.pk,
        reverse=True,
    )
    taget = NUL
    for kredit in kreditter:
        if taget >= overskud:
            break
        del_ = min(overskud - taget, -kredit.beloeb)
        behold = -kredit.beloeb - del_
        postering_bogfoer(
            fordring=fordring,
            art=PosteringArt.TILBAGEFOERSEL,
            beloeb=kredit.beloeb,
            valoerdato=kredit.valoerdato,
            user=user,
            tekst=f"Overbetaling: {kredit.get_art_display().lower()} nedsat",
            begrundelse=begrundelse,
            tilbagefoerer=kredit,
            system=system,
        )
        if behold > 0:
            postering_bogfoer(
                fordring=fordring,
                art=kredit.art,
                beloeb=behold,
                valoerdato=kredit.valoerdato,
                user=user,
                tekst=kredit.tekst,
                begrundelse=begrundelse,
                indbetaling=kredit.indbetaling,
                system=system,
            )
        if kredit.art == PosteringArt.DAEKNING:
            _overskud_til_kunden(
                fordring=fordring, kredit=kredit, beloeb=del_, user=user, system=system
            )
        taget += del_
    return taget


def _overskud_til_kunden(
    *, fordring: Fordring, kredit: Postering, beloeb: Decimal, user: Bruger | None, system: str
) -> Sagsbehandlerfordeling:
    borger_id = Debitorkonto.objects.values_list("borger_id", flat=True).get(pk=fordring.konto_id)
    post = Sagsbehandlerfordeling.objects.create(
        kommune_id=fordring.kommune_id,
        borger_id=borger_id,
        indbetaling=kredit.indbetaling,
        beloeb=beloeb,
        valoerdato=kredit.valoerdato,
        tekst=f"Overbetaling på fordring {fordring.fordringsid}",
        **adressat(fordring.kommune_id, person_id=user.pk if user is not None else None),
    )
    audit_log(
        user=user,
        kommune_id=fordring.kommune_id,
        handling="sagsbehandlerfordeling.overbetaling",
        objekt=post,
        beskrivelse=(
            f"Fordring {fordring.fordringsid} er overbetalt med {format_beloeb(beloeb)} kr., "
            f"når renterne genberegnes fra valørdatoen {kredit.valoerdato:%d-%m-%Y}; beløbet "
            "er placeret på kunden til sagsbehandlerfordeling."
        ),
        data={"postering_id": kredit.pk, "beloeb": str(beloeb), "fordring_id": fordring.pk},
        system=system,
    )
    return post


@transaction.atomic
def renter_afstem(
    *,
    fordring: Fordring,
    til_dato: dt.date,
    user: Bruger | None,
    begrundelse: str,
    system: str = "rente",
) -> list[Postering]:
    """Bring the claim's interest in line with its ledger up to ``til_dato``; an overpaid
    claim first gives its excess to the customer (``overbetaling_flyt``). Returns the
    interest entries booked and reversed."""
    Debitorkonto.objects.select_for_update().get(pk=fordring.konto_id)
    Fordring.objects.select_for_update().get(pk=fordring.pk)
    aendring = rente_aendring(fordring=fordring, til_dato=til_dato)
    # Taking a credit off can only add interest, so one round normally settles it; the bound
    # keeps a ledger that cannot be settled (no credit left) to the refusal below.
    for _ in range(5):
        if aendring.restance_efter >= 0:
            break
        taget = overbetaling_flyt(
            fordring=fordring,
            overskud=-aendring.restance_efter,
            user=user,
            begrundelse=begrundelse,
            system=system,
        )
        if taget <= 0:
            break
        aendring = rente_aendring(fordring=fordring, til_dato=til_dato)
    return renter_bogfoer(aendring=aendring, user=user, begrundelse=begrundelse, system=system)


# --- The interest regime of a claim -------------------------------------------------------------
#
# The interest regime of a claim, from the regime table per ydelsestype (DESIGN §7).
#
# ``renteregime_stempl`` gives claims the regime that ``Renteregimeregel`` names for their
# ydelsestype on their due date. It is called wherever a claim's ydelsestype is set: when a
# konto is linked (by a run or a person, ``tilknytning.services.debitorkonti_tilknyt``) and
# when the import creates claims that already carry one. It is one set-based statement, so a
# linking chunk or a million-row import pays one query for it.
#
# Two things are never changed: a claim whose type has no rule keeps the regime it has (a row
# is needed to say otherwise), and a claim with interest on its ledger keeps its regime, so the
# booked interest stays reproducible from the claim and its entries.


def renteregime_stempl(fordringer: QuerySet[Fordring], *, idag: dt.date) -> int:
    """Stamp each claim of ``fordringer`` with its type's regime; returns how many changed."""
    if not Renteregimeregel.objects.exists():
        return 0
    regel = (
        Renteregimeregel.objects.filter(
            ydelsestype=OuterRef("ydelsestype"),
            gyldig_fra__lte=Coalesce(
                OuterRef("forfaldsdato"), OuterRef("periode_fra"), Value(idag)
            ),
        )
        .order_by("-gyldig_fra")
        .values("renteregime")[:1]
    )
    har_rente = Postering.objects.filter(fordring=OuterRef("pk"), art=PosteringArt.RENTE)
    return (
        fordringer.filter(ydelsestype__isnull=False)
        .annotate(nyt=Subquery(regel))
        .filter(~Exists(har_rente), nyt__isnull=False)
        .exclude(renteregime=F("nyt"))
        .update(renteregime=Subquery(regel), rente_afstemt_til=None)
    )
