"""Omposter fordeling (seed 004, use case 18.01): move a dækning.

``ompostering_opret`` runs in one transaction. It locks every konto it touches (in id order,
then the claims and payments through ``postering_bogfoer``), then:

1. rolls back each chosen dækning whole (never a part, seed 004) with reversing entries;
2. recomputes interest on the claims it covered as if it had never been there (DESIGN §7);
3. books the person's new allocation on uncovered claims of the same or another borger,
   dated with the original payment date, interest recomputed there too (a payment covers
   interest before principal, ``rente.py``);
4. turns the amount to pay out into an ``Udbetaling`` awaiting a Bogholder's approval;
5. leaves the rest on the sagsbehandlerfordeling list;
6. writes the outbox messages: "send opdatering til inddrivelse" (18.05) for touched claims
   under inddrivelse (rykkerniveau unchanged) and the letter (meddelelse) to an alternative
   recipient when a note is given (seed 004 trin 8);
7. audits who, when and why on every konto touched.

``ompostering_automatisk`` is "Lad system ompostere": the same, with the allocation made in
the legal order (oldest due date first, interest before principal).

An ``ApplicationError`` anywhere leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fordringer.choices import (
    BeskedType,
    OmposteringRolle,
    Opkraevningstilstand,
    Overfoersel,
    PosteringArt,
    Udbetalingskanal,
)
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import (
    AlternativModtager,
    Borger,
    Debitorkonto,
    Fordring,
    Indbetaling,
    Ompostering,
    OmposteringAarsag,
    OmposteringPostering,
    Postering,
    Sagsbehandlerfordeling,
    Udbetaling,
)
from fordringer.ompostering.selectors import daekninger_valgte
from fordringer.rente.beregning import Bevaegelse
from fordringer.rente.services import rente_aendring, renter_afstem, renter_bogfoer
from fordringer.udbakke.services import udgaaende_besked_opret
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.money import NUL, format_beloeb

NOTE_MAKS = 255
SYSTEM = "ompostering"


@dataclass(frozen=True)
class NyDaekning:
    """The person's amount for one uncovered claim (seed 004 trin 4)."""

    fordring_id: int
    beloeb: Decimal


@dataclass(frozen=True)
class NyModtager:
    """A recipient who is not a borger, created on the spot (seed 004 trin 6)."""

    navn: str
    identifikation: str = ""
    adresse: str = ""


@dataclass(frozen=True)
class UdbetalingValg:
    """Amount to pay out and how (seed 004 trin 7). No cash."""

    beloeb: Decimal
    kanal: str
    overfoersel: str
    fritaget_modregning: bool = False
    modtager_borger_id: int | None = None
    ny_modtager: NyModtager | None = None

    @property
    def alternativ(self) -> bool:
        return self.modtager_borger_id is not None or self.ny_modtager is not None


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


def _valider_tekst(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAKS:
        raise ApplicationError(f"Noten må højst være {NOTE_MAKS} tegn.", felt="note")
    return note


def _aarsag(aarsag_id: int | None) -> OmposteringAarsag:
    aarsag = (
        OmposteringAarsag.objects.filter(pk=aarsag_id, aktiv=True).first()
        if aarsag_id is not None
        else None
    )
    if aarsag is None:
        raise ApplicationError("Vælg en årsag til omposteringen.", felt="aarsag")
    return aarsag


def _daekninger_hent(
    *, user: Any, daekning_ids: Sequence[int], fra_borger_id: int | None
) -> list[Postering]:
    fra_borger = None
    if fra_borger_id is not None:
        fra_borger = Borger.objects.for_user(user).filter(pk=fra_borger_id).first()
        if fra_borger is None:
            raise ApplicationError("Borgeren findes ikke.", felt="borger")
    daekninger = daekninger_valgte(user=user, ids=daekning_ids, borger=fra_borger)
    if len({d.fordring.konto.borger_id for d in daekninger}) != 1:
        raise ApplicationError("De valgte dækninger skal tilhøre samme borger.")
    return daekninger


def _laas(*, konto_ids: set[int], daekning_ids: Sequence[int]) -> None:
    """Lock every konto touched, in id order (so two omposteringer never deadlock), then
    check that every dækning still stands: the loser of a race gets a clear message."""
    list(Debitorkonto.objects.select_for_update().filter(pk__in=konto_ids).order_by("pk"))
    if Postering.objects.filter(tilbagefoerer_id__in=daekning_ids).exists():
        raise ConflictError(
            "Dækningen er allerede tilbageført eller omposteret, måske af en anden i samme "
            "øjeblik. Søg igen og vælg på ny."
        )


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
    user: Any,
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


def daekning_maks(*, fordring: Fordring, dato: dt.date, idag: dt.date) -> Decimal:
    """The most a payment dated ``dato`` can cover on ``fordring``: its restance once the
    interest after ``dato`` is recomputed with the payment in place (never below 0)."""
    beloeb = fordring.restance
    posteringer = list(fordring.posteringer.all())
    for _ in range(20):
        if beloeb <= 0:
            return NUL
        aendring = rente_aendring(
            fordring=fordring,
            til_dato=idag,
            ekstra=[Bevaegelse(dato, -beloeb, PosteringArt.DAEKNING)],
            posteringer=posteringer,
        )
        if aendring.restance_efter >= 0:
            return beloeb
        beloeb += aendring.restance_efter
    return NUL


def fordeling_bogfoer(
    *,
    ompostering: Ompostering | None,
    pulje: Pulje,
    fordeling: Sequence[NyDaekning],
    fordringer: dict[int, Fordring],
    idag: dt.date,
    user: Any,
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
            maks = daekning_maks(fordring=fordring, dato=dele[0][1], idag=idag)
            raise ApplicationError(
                f"Beløbet {format_beloeb(valg.beloeb)} kr. til fordring {fordring.fordringsid} "
                "er større end restancen, når renterne genberegnes fra indbetalingsdatoen "
                f"{dele[0][1]:%d-%m-%Y}. Der kan højst dækkes {format_beloeb(maks)} kr.",
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


def _valider_fordeling(
    *,
    user: Any,
    fordeling: Sequence[NyDaekning],
    til_borger: Borger,
) -> dict[int, Fordring]:
    ids = [v.fordring_id for v in fordeling]
    if len(set(ids)) != len(ids):
        raise ApplicationError("Samme fordring er valgt flere gange.")
    for v in fordeling:
        if v.beloeb <= 0:
            raise ApplicationError(
                "Beløbet til dækning skal være større end 0,00 kr.",
                felt=f"fordring_{v.fordring_id}",
            )
    fordringer = {
        f.pk: f
        for f in Fordring.objects.for_user(user)
        .filter(pk__in=ids)
        .select_related("konto")
        .order_by("pk")
    }
    for v in fordeling:
        fordring = fordringer.get(v.fordring_id)
        if fordring is None or fordring.konto.borger_id != til_borger.pk:
            raise ApplicationError("En valgt fordring tilhører ikke den valgte borger.")
    return fordringer


def fordeling_valider(
    *,
    fordeling: Sequence[NyDaekning],
    fordringer: dict[int, Fordring],
    udbetalt: Decimal,
    total: Decimal,
) -> None:
    """Seed 004 "Valideringsfejl", against the restance after the rollback."""
    for v in fordeling:
        fordring = fordringer[v.fordring_id]
        fordring.refresh_from_db()
        if v.beloeb > fordring.restance:
            raise ApplicationError(
                f"Indtastet beløb til dækning ({format_beloeb(v.beloeb)} kr.) må ikke være "
                f"større end restancen på fordring {fordring.fordringsid} "
                f"({format_beloeb(fordring.restance)} kr.).",
                felt=f"fordring_{fordring.pk}",
            )
    valgt = sum((v.beloeb for v in fordeling), NUL) + udbetalt
    if valgt > total:
        raise ApplicationError(
            f"Det samlede beløb til dækning og udbetaling ({format_beloeb(valgt)} kr.) må ikke "
            f"være større end det samlede omposteringsbeløb ({format_beloeb(total)} kr.)."
        )


def _valider_udbetaling(*, user: Any, udbetaling: UdbetalingValg) -> None:
    if udbetaling.beloeb <= 0:
        raise ApplicationError("Beløbet til udbetaling skal være større end 0,00 kr.")
    if udbetaling.kanal not in Udbetalingskanal.values:
        raise ApplicationError("Vælg udbetalingskanal: NemKonto eller check.", felt="kanal")
    if udbetaling.overfoersel not in Overfoersel.values:
        raise ApplicationError("Vælg overførsel: SAP38, EFI eller kundens konto.")
    if udbetaling.modtager_borger_id is not None and udbetaling.ny_modtager is not None:
        raise ApplicationError(
            "Vælg enten en eksisterende borger eller en ny modtager som alternativ modtager."
        )
    if udbetaling.overfoersel == Overfoersel.KUNDEKONTO and not udbetaling.alternativ:
        raise ApplicationError(
            "Overførsel til kundens konto kan kun vælges med en alternativ modtager.",
            felt="overfoersel",
        )
    if udbetaling.ny_modtager is not None and not udbetaling.ny_modtager.navn.strip():
        raise ApplicationError("Angiv navnet på den nye modtager.", felt="modtager_navn")
    if (
        udbetaling.modtager_borger_id is not None
        and not Borger.objects.for_user(user).filter(pk=udbetaling.modtager_borger_id).exists()
    ):
        raise ApplicationError("Den valgte modtager findes ikke.")


def til_sagsbehandlerfordeling(
    *,
    ompostering: Ompostering | None,
    borger_id: int,
    indbetaling: Indbetaling | None,
    beloeb: Decimal,
    tekst: str,
    kommune_id: int | None = None,
    valoerdato: dt.date | None = None,
) -> Sagsbehandlerfordeling:
    """Put an amount on the sagsbehandlerfordeling list, keeping the original payment date
    (seed 004: the amount bears no interest until it is finally allocated, then with that
    date). Without an ompostering (an overpayment's rest) the kommune and date are given."""
    if ompostering is not None:
        kommune_id = kommune_id or ompostering.kommune_id
        valoerdato = valoerdato or ompostering.valoerdato
    if kommune_id is None or valoerdato is None:
        raise ValueError("kommune_id og valoerdato skal angives uden en ompostering")
    return Sagsbehandlerfordeling.objects.create(
        kommune_id=kommune_id,
        ompostering=ompostering,
        borger_id=borger_id,
        indbetaling=indbetaling,
        beloeb=beloeb,
        valoerdato=valoerdato,
        tekst=tekst[:255],
    )


def meddelelse_tekst(
    *, modtager: str, borger: Borger, beloeb: Decimal, aarsag: str, note: str
) -> str:
    """The letter to an alternative recipient (seed 004 trin 8): that an ompostering took
    place, the amount, which borger it concerns, the reason, and the caseworker's note."""
    return (
        f"Til {modtager}\n\n"
        f"Kommunen har omposteret en indbetaling vedrørende {borger.navn} og udbetaler "
        f"{format_beloeb(beloeb)} kr. til dig.\n\n"
        f"Årsag: {aarsag}\n\n"
        f"{note}\n"
    )


@transaction.atomic
def ompostering_opret(
    *,
    user: Any,
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
    chosen on): every dækning must be his (``selectors_ompostering.daekninger_valgte``)."""
    idag = idag or timezone.localdate()
    note = _valider_tekst(note)
    aarsag = _aarsag(aarsag_id)
    if udbetaling is not None:
        _valider_udbetaling(user=user, udbetaling=udbetaling)
    til_borger = None
    if til_borger_id is not None:
        til_borger = Borger.objects.for_user(user).filter(pk=til_borger_id).first()
        if til_borger is None:
            raise ApplicationError("Den valgte borger findes ikke.", felt="til_borger")
    daekninger = _daekninger_hent(user=user, daekning_ids=daekning_ids, fra_borger_id=fra_borger_id)
    fra_borger = daekninger[0].fordring.konto.borger
    til_borger = til_borger or fra_borger
    konto_ids = {d.fordring.konto_id for d in daekninger} | set(
        Fordring.objects.for_user(user)
        .filter(pk__in=[v.fordring_id for v in fordeling])
        .values_list("konto_id", flat=True)
    )
    if automatisk:
        konto_ids |= set(
            Debitorkonto.objects.for_user(user)
            .filter(borger=til_borger)
            .values_list("pk", flat=True)
        )
    _laas(konto_ids=konto_ids, daekning_ids=daekning_ids)
    fordringer = _valider_fordeling(user=user, fordeling=fordeling, til_borger=til_borger)
    total = sum((d.beloeb for d in daekninger), NUL) * -1
    anden = til_borger.pk != fra_borger.pk
    begrundelse = f"{aarsag.tekst}. {note}".strip() if note else aarsag.tekst

    ompostering = Ompostering.objects.create(
        kommune_id=fra_borger.kommune_id,
        fra_borger=fra_borger,
        til_borger=til_borger,
        beloeb=total,
        fordelt=NUL,
        udbetalt=NUL,
        venter=total,
        valoerdato=daekninger[0].valoerdato,
        aarsag=aarsag,
        aarsag_tekst=aarsag.tekst,
        note=note,
        automatisk=automatisk,
        oprettet_af=user,
    )

    # 1-2: roll back whole dækninger, recompute interest where they were.
    pulje = Pulje()
    kilde_fordringer: dict[int, Fordring] = {}
    for d in daekninger:
        tilbage = postering_bogfoer(
            fordring=d.fordring,
            art=PosteringArt.TILBAGEFOERSEL,
            beloeb=-d.beloeb,
            valoerdato=d.valoerdato,
            user=user,
            tekst="Ompostering til anden borger" if anden else "Dækning tilbageført (ompostering)",
            begrundelse=begrundelse,
            tilbagefoerer=d,
            system=SYSTEM,
        )
        posteringer_link(ompostering, [tilbage], OmposteringRolle.TILBAGEFOERSEL)
        pulje.kilder.append(Kilde(d.indbetaling, d.valoerdato, -d.beloeb))
        kilde_fordringer[d.fordring_id] = d.fordring
    renter_genberegn(
        ompostering=ompostering,
        fordring_ids=set(kilde_fordringer),
        idag=idag,
        user=user,
        begrundelse=begrundelse,
    )
    for fordring in kilde_fordringer.values():
        fordring.refresh_from_db()

    # 3: the new allocation (chosen, or in the legal order).
    if automatisk:
        fordeling, fordringer = _lovens_orden(
            user=user,
            til_borger=til_borger,
            undtag=set(kilde_fordringer),
            pulje=pulje,
            idag=idag,
        )
    udbetalt = udbetaling.beloeb if udbetaling is not None else NUL
    fordeling_valider(fordeling=fordeling, fordringer=fordringer, udbetalt=udbetalt, total=total)
    fordelt = fordeling_bogfoer(
        ompostering=ompostering,
        pulje=pulje,
        fordeling=fordeling,
        fordringer=fordringer,
        idag=idag,
        user=user,
        begrundelse=begrundelse,
        tekst="Ompostering fra anden borger" if anden else "Dækning (ompostering)",
    )

    # 4: payout awaiting approval.
    if udbetaling is not None:
        _udbetaling_opret(
            ompostering=ompostering,
            udbetaling=udbetaling,
            user=user,
            aarsag=aarsag,
            note=note,
        )
        pulje.tag(udbetalt)

    # 5: the rest waits for a person.
    venter = total - fordelt - udbetalt
    if venter > 0:
        til_sagsbehandlerfordeling(
            ompostering=ompostering,
            borger_id=til_borger.pk,
            indbetaling=next((k.indbetaling for k in pulje.kilder if k.rest > 0), None),
            beloeb=venter,
            tekst=f"Rest af ompostering: {aarsag.tekst}",
        )
    ompostering.fordelt, ompostering.udbetalt, ompostering.venter = fordelt, udbetalt, venter
    ompostering.save(update_fields=["fordelt", "udbetalt", "venter"])

    # 6: tell inddrivelse about touched claims (18.05); rykkerniveau is left as it is.
    beroerte = {**kilde_fordringer, **fordringer}
    _inddrivelse_opdater(ompostering=ompostering, fordringer=beroerte.values())

    # 7: audit on every konto touched.
    konti = {f.konto_id for f in beroerte.values()}
    for konto in Debitorkonto.objects.filter(pk__in=konti).order_by("pk"):
        audit_log(
            user=user,
            kommune_id=konto.kommune_id,
            handling="ompostering.opret",
            objekt=konto,
            beskrivelse=(
                f"Ompostering {ompostering.pk}: {format_beloeb(total)} kr. tilbagerullet"
                f"{' til anden borger' if anden else ''}; fordelt {format_beloeb(fordelt)} kr., "
                f"til udbetaling {format_beloeb(udbetalt)} kr., til sagsbehandlerfordeling "
                f"{format_beloeb(venter)} kr." + (" (lad system ompostere)" if automatisk else "")
            ),
            begrundelse=begrundelse,
            data={"ompostering_id": ompostering.pk, "daekninger": list(daekning_ids)},
            system=SYSTEM,
        )
    return ompostering


def _lovens_orden(
    *, user: Any, til_borger: Borger, undtag: set[int], pulje: Pulje, idag: dt.date
) -> tuple[list[NyDaekning], dict[int, Fordring]]:
    """ "Lad system ompostere": the borger's uncovered claims, oldest due date first, each
    covered up to what it owes at the payment date (interest before principal, ``rente.py``).
    The claims the money was taken from are left out: that is why it is being moved."""
    fordeling = []
    fordringer = {}
    rest = pulje.rest
    dato = pulje.kilder[0].valoerdato
    kandidater = (
        Fordring.objects.for_user(user)
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


def ompostering_automatisk(
    *,
    user: Any,
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


def _udbetaling_opret(
    *,
    ompostering: Ompostering,
    udbetaling: UdbetalingValg,
    user: Any,
    aarsag: OmposteringAarsag,
    note: str,
) -> Udbetaling:
    ny = None
    if udbetaling.ny_modtager is not None:
        ny = AlternativModtager.objects.create(
            kommune_id=ompostering.kommune_id,
            navn=udbetaling.ny_modtager.navn.strip()[:200],
            identifikation=udbetaling.ny_modtager.identifikation.strip()[:20],
            adresse=udbetaling.ny_modtager.adresse.strip()[:300],
            oprettet_af=user,
        )
    raekke = Udbetaling.objects.create(
        kommune_id=ompostering.kommune_id,
        ompostering=ompostering,
        borger=ompostering.til_borger,
        modtager_borger_id=udbetaling.modtager_borger_id,
        modtager_alternativ=ny,
        beloeb=udbetaling.beloeb,
        kanal=udbetaling.kanal,
        overfoersel=udbetaling.overfoersel,
        fritaget_modregning=udbetaling.fritaget_modregning,
        oprettet_af=user,
    )
    if note and udbetaling.alternativ:
        raekke = Udbetaling.objects.select_related(
            "modtager_borger", "modtager_alternativ", "borger"
        ).get(pk=raekke.pk)
        udgaaende_besked_opret(
            kommune_id=ompostering.kommune_id,
            type=BeskedType.MEDDELELSE,
            noegle=f"meddelelse:ompostering:{ompostering.pk}",
            payload={
                "ompostering_id": ompostering.pk,
                "udbetaling_id": raekke.pk,
                "modtager": raekke.modtager_navn,
                "tekst": meddelelse_tekst(
                    modtager=raekke.modtager_navn,
                    borger=ompostering.til_borger,
                    beloeb=raekke.beloeb,
                    aarsag=aarsag.tekst,
                    note=note,
                ),
            },
        )
    return raekke


def _inddrivelse_opdater(*, ompostering: Ompostering, fordringer: Any) -> None:
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
