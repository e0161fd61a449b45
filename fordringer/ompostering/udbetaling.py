"""Udbetalinger til godkendelse and the sagsbehandlerfordeling list (seed 004).

An ompostering may turn part of its amount into a payout (``udbetaling_opret``, inside
``ompostering_opret``'s transaction), with a letter to an alternative recipient; so may an
item on the sagsbehandlerfordeling list (``listeudbetaling``), with the same choice and the
same checks. The payout waits for a Bogholder other than the person who created it
(four-eyes): the persons behind the two requests are compared (``api_noegler.samme_person``),
so one person's screen and API keys are one person. Approved, it goes to the outbox for its
channel; rejected, its amount goes to the sagsbehandlerfordeling list, so no money is ever
lost: for every ompostering ``beloeb = fordelt + udbetalt + venter`` still holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from fordringer.choices import BeskedType, Overfoersel, Udbetalingskanal, UdbetalingStatus
from fordringer.cpr import identifikation_normaliser
from fordringer.dokumenter.services import udbetaling_meddelelse_bestil
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.models import (
    AlternativModtager,
    Borger,
    Debitorkonto,
    Fordring,
    Ompostering,
    Sagsbehandlerfordeling,
    Udbetaling,
)
from fordringer.ompostering.fordeling import (
    Kilde,
    NyDaekning,
    Pulje,
    fordeling_bogfoer,
    post_behandlet,
    post_laas,
    rest_tilbage,
    til_sagsbehandlerfordeling,
)
from fordringer.ompostering.kontrol import Fejl, fordeling_valider
from fordringer.udbakke.services import udgaaende_besked_opret
from ky_debitor.api_noegler import samme_person
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.money import format_beloeb
from ky_debitor.roles import Rolle, has_role

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

# What the recipient's row holds (``AlternativModtager``).
NAVN_MAKS, ADRESSE_MAKS = 200, 300


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
    kanal: str = ""  # a payout form (NemKonto, check) …
    overfoersel: str = ""  # … or a transfer (SAP38, EFI, the customer's account)
    fritaget_modregning: bool = False
    modtager_borger_id: int | None = None
    ny_modtager: NyModtager | None = None

    @property
    def alternativ(self) -> bool:
        return self.modtager_borger_id is not None or self.ny_modtager is not None


MANGLER_FORM = (
    "Vælg enten en udbetalingsform (NemKonto eller check) eller en overførsel (SAP38, EFI "
    "eller kundens konto)."
)
BEGGE_FORMER = "Vælg enten en udbetalingsform eller en overførsel, ikke begge."


def udbetaling_fejl(*, user: Bruger, udbetaling: UdbetalingValg) -> list[Fejl]:
    """Seed 004 trin 6-7: a positive amount, a payout form or a transfer (one of them), and at
    most one alternative recipient, who must exist in the person's kommune. Every error, each
    with its field."""
    fejl = []
    if udbetaling.beloeb <= 0:
        fejl.append(Fejl("udbetaling", "Beløbet til udbetaling skal være større end 0,00 kr."))
    fejl += _form_fejl(udbetaling)
    if udbetaling.modtager_borger_id is not None and udbetaling.ny_modtager is not None:
        fejl.append(
            Fejl(
                "modtager",
                "Vælg enten en eksisterende borger eller en ny modtager som alternativ modtager.",
            )
        )
    if udbetaling.ny_modtager is not None:
        fejl += _ny_modtager_fejl(udbetaling.ny_modtager, kanal=udbetaling.kanal)
    if (
        udbetaling.modtager_borger_id is not None
        and not Borger.objects.for_user(user).filter(pk=udbetaling.modtager_borger_id).exists()
    ):
        fejl.append(Fejl("modtager_cpr", "Den valgte modtager findes ikke."))
    return fejl


def _form_fejl(udbetaling: UdbetalingValg) -> list[Fejl]:
    """Seed 004 trin 7: the caseworker chooses a transfer (SAP38, EFI, the customer's account)
    *or* a payout form (NemKonto, check) — one of them, never both, and no cash."""
    kanal, overfoersel = udbetaling.kanal, udbetaling.overfoersel
    if kanal and kanal not in Udbetalingskanal.values:
        return [Fejl("kanal", "Vælg udbetalingsform: NemKonto eller check.")]
    if overfoersel and overfoersel not in Overfoersel.values:
        return [Fejl("overfoersel", "Vælg overførsel: SAP38, EFI eller kundens konto.")]
    if not kanal and not overfoersel:
        return [Fejl("kanal", MANGLER_FORM)]
    if kanal and overfoersel:
        return [Fejl("overfoersel", BEGGE_FORMER)]
    if overfoersel == Overfoersel.KUNDEKONTO and not udbetaling.alternativ:
        return [
            Fejl(
                "overfoersel",
                "Overførsel til kundens konto kan kun vælges med en alternativ modtager.",
            )
        ]
    return []


def _ny_modtager_fejl(ny: NyModtager, *, kanal: str) -> list[Fejl]:
    """A new recipient must be payable: NemKonto finds the account by a valid CPR or CVR
    number, a check goes by post to a full address. Nothing is cut to fit: too long is an
    error."""
    fejl = []
    navn, identifikation, adresse = ny.navn.strip(), ny.identifikation.strip(), ny.adresse.strip()
    if not navn:
        fejl.append(Fejl("ny_navn", "Angiv navnet på den nye modtager."))
    elif len(navn) > NAVN_MAKS:
        fejl.append(Fejl("ny_navn", f"Modtagerens navn må højst være {NAVN_MAKS} tegn."))
    if identifikation:
        try:
            identifikation_normaliser(identifikation)
        except ApplicationError as e:
            fejl.append(Fejl("ny_identifikation", e.message))
    elif kanal == Udbetalingskanal.NEMKONTO:
        fejl.append(
            Fejl(
                "ny_identifikation",
                "Udbetaling til NemKonto kræver modtagerens CPR- eller CVR-nummer.",
            )
        )
    if len(adresse) > ADRESSE_MAKS:
        fejl.append(Fejl("ny_adresse", f"Adressen må højst være {ADRESSE_MAKS} tegn."))
    elif kanal == Udbetalingskanal.CHECK and not _fuld_adresse(adresse):
        fejl.append(
            Fejl(
                "ny_adresse",
                "En check sendes med posten: angiv modtagerens fulde adresse med vej, "
                "husnummer, postnummer og by.",
            )
        )
    return fejl


def _fuld_adresse(adresse: str) -> bool:
    """Street and number, and a four-digit postcode with a town ("Vestergade 1, 8000 Aarhus
    C")."""
    return bool(re.search(r"[^\W\d_].*\d", adresse)) and bool(
        re.search(r"\b\d{4}\s+[^\W\d_]", adresse)
    )


def meddelelse_tekst(
    *, modtager: str, borger: Borger, beloeb: Decimal, aarsag: str, note: str
) -> str:
    """What the letter to an alternative recipient (seed 004 trin 8) says, as the guide
    previews it before booking: that an ompostering took place, the amount, which borger it
    concerns, the reason, and the caseworker's note (the letter itself is a PDF,
    ``fordringer.dokumenter``)."""
    return (
        f"Til {modtager}\n\n"
        f"Kommunen har omposteret en indbetaling vedrørende {borger.navn} og udbetaler "
        f"{format_beloeb(beloeb)} kr. til dig.\n\n"
        f"Årsag: {aarsag}\n\n"
        f"{note}\n"
    )


def udbetaling_opret(
    *,
    udbetaling: UdbetalingValg,
    user: Bruger,
    ompostering: Ompostering | None = None,
    post: Sagsbehandlerfordeling | None = None,
) -> Udbetaling:
    """A payout awaiting approval, from an ompostering (inside ``ompostering_opret``, which
    then orders the letters, ``fordringer.dokumenter``: with a note, one goes to the
    alternative recipient as well, seed 004 trin 8) or from an item on the
    sagsbehandlerfordeling list (``listeudbetaling``). Exactly one of the two is given; the
    caller has checked the choice with ``udbetaling_fejl``."""
    if ompostering is not None and post is None:
        kommune_id, borger_id = ompostering.kommune_id, ompostering.til_borger_id
    elif post is not None and ompostering is None:
        kommune_id, borger_id = post.kommune_id, post.borger_id
    else:
        raise ValueError("Angiv enten en ompostering eller en post på sagsbehandlerfordeling.")
    ny = None
    if udbetaling.ny_modtager is not None:
        ny = AlternativModtager.objects.create(
            kommune_id=kommune_id,
            navn=udbetaling.ny_modtager.navn.strip(),
            identifikation=identifikation_normaliser(udbetaling.ny_modtager.identifikation)
            if udbetaling.ny_modtager.identifikation.strip()
            else "",
            adresse=udbetaling.ny_modtager.adresse.strip(),
            oprettet_af=user,
        )
    return Udbetaling.objects.create(
        kommune_id=kommune_id,
        ompostering=ompostering,
        sagsbehandlerfordeling=post,
        borger_id=borger_id,
        modtager_borger_id=udbetaling.modtager_borger_id,
        modtager_alternativ=ny,
        beloeb=udbetaling.beloeb,
        kanal=udbetaling.kanal,
        overfoersel=udbetaling.overfoersel,
        fritaget_modregning=udbetaling.fritaget_modregning,
        oprettet_af=user,
    )


def _udbetaling_laas(*, user: Bruger, udbetaling_id: int) -> Udbetaling:
    if not has_role(user, Rolle.BOGHOLDER):
        raise ApplicationError("Kun en bogholder kan godkende eller afvise udbetalinger.")
    udbetaling = (
        Udbetaling.objects.for_user(user)
        .select_for_update(of=("self",))
        .filter(pk=udbetaling_id)
        .select_related(
            "borger",
            "modtager_borger",
            "modtager_alternativ",
            "oprettet_af",
            "sagsbehandlerfordeling",
        )
        .first()
    )
    if udbetaling is None:
        raise ApplicationError("Udbetalingen findes ikke.")
    if udbetaling.status != UdbetalingStatus.AFVENTER:
        raise ConflictError(
            f"Udbetalingen er allerede {udbetaling.get_status_display().lower()} af en anden."
        )
    # Four eyes are two natural persons, whichever screen, API key or admin each one used.
    if samme_person(udbetaling.oprettet_af, user):
        raise ApplicationError(
            "Du har selv oprettet udbetalingen. Den skal godkendes af en anden bogholder "
            "(fire øjne)."
        )
    return udbetaling


def _behandlet(udbetaling: Udbetaling, *, user: Bruger, status: str, begrundelse: str) -> None:
    udbetaling.status = status
    udbetaling.behandlet = timezone.now()
    udbetaling.behandlet_af = user
    udbetaling.begrundelse = begrundelse[:255]
    udbetaling.save(update_fields=["status", "behandlet", "behandlet_af", "begrundelse"])
    audit_log(
        user=user,
        kommune_id=udbetaling.kommune_id,
        handling=f"udbetaling.{status.lower()}",
        objekt=udbetaling,
        beskrivelse=(
            f"Udbetaling af {format_beloeb(udbetaling.beloeb)} kr. til "
            f"{udbetaling.modtager_navn} {udbetaling.get_status_display().lower()}."
        ),
        begrundelse=begrundelse,
        data={
            "ompostering_id": udbetaling.ompostering_id,
            "sagsbehandlerfordeling_id": udbetaling.sagsbehandlerfordeling_id,
        },
    )


@transaction.atomic
def udbetaling_godkend(*, user: Bruger, udbetaling_id: int, begrundelse: str = "") -> Udbetaling:
    """Approve a payout (four-eyes), send it to the outbox for its channel, and order the
    payout notice to its recipient (``fordringer.dokumenter``)."""
    udbetaling = _udbetaling_laas(user=user, udbetaling_id=udbetaling_id)
    _behandlet(udbetaling, user=user, status=UdbetalingStatus.GODKENDT, begrundelse=begrundelse)
    modtager = udbetaling.modtager_alternativ
    udgaaende_besked_opret(
        kommune_id=udbetaling.kommune_id,
        type=BeskedType.UDBETALING,
        noegle=f"udbetaling:{udbetaling.pk}",
        payload={
            "udbetaling_id": udbetaling.pk,
            "beloeb": str(udbetaling.beloeb),
            "kanal": udbetaling.kanal,
            "overfoersel": udbetaling.overfoersel,
            "fritaget_modregning": udbetaling.fritaget_modregning,
            "vedroerer_cpr": udbetaling.borger.cpr,
            "modtager_navn": udbetaling.modtager_navn,
            "modtager_cpr": (udbetaling.modtager_borger or udbetaling.borger).cpr
            if modtager is None
            else "",
            "modtager_identifikation": modtager.identifikation if modtager else "",
            "modtager_adresse": modtager.adresse if modtager else "",
        },
    )
    # The recipient is told what is paid, how and why (rendered and sent after commit).
    udbetaling_meddelelse_bestil(user=user, udbetaling_id=udbetaling.pk, baggrund=True)
    return udbetaling


@transaction.atomic
def udbetaling_afvis(*, user: Bruger, udbetaling_id: int, begrundelse: str) -> Udbetaling:
    """Reject a payout; its amount waits on the sagsbehandlerfordeling list instead. A payout
    from an item on the list returns as a new open item with the item's payment and original
    payment date; the ompostering the money came from (the payout's own or the item's) counts
    it as waiting again."""
    if not begrundelse.strip():
        raise ApplicationError("Angiv en begrundelse for afvisningen.", felt="begrundelse")
    udbetaling = _udbetaling_laas(user=user, udbetaling_id=udbetaling_id)
    _behandlet(udbetaling, user=user, status=UdbetalingStatus.AFVIST, begrundelse=begrundelse)
    post = udbetaling.sagsbehandlerfordeling
    ompostering_id = udbetaling.ompostering_id or (post.ompostering_id if post else None)
    ompostering = None
    if ompostering_id is not None:
        ompostering = Ompostering.objects.select_for_update().get(pk=ompostering_id)
        ompostering.udbetalt -= udbetaling.beloeb
        ompostering.venter += udbetaling.beloeb
        ompostering.save(update_fields=["udbetalt", "venter"])
    til_sagsbehandlerfordeling(
        ompostering=ompostering,
        borger_id=udbetaling.borger_id,
        indbetaling=post.indbetaling if post is not None else None,
        beloeb=udbetaling.beloeb,
        tekst=f"Afvist udbetaling: {begrundelse.strip()}",
        kommune_id=udbetaling.kommune_id,
        valoerdato=post.valoerdato if post is not None else None,
        fra=post,
    )
    return udbetaling


@transaction.atomic
def sagsbehandlerfordeling_behandl(
    *,
    user: Bruger,
    post_id: int,
    fordeling: Sequence[NyDaekning],
    behandling: str,
    idag: dt.date | None = None,
) -> Sagsbehandlerfordeling:
    """Allocate a waiting amount to the borger's claims (dated with the original payment
    date, interest recomputed). The item leaves the list, keeping who handled it and when;
    an amount left over becomes a new item."""
    idag = idag or timezone.localdate()
    if not behandling.strip():
        raise ApplicationError("Skriv hvad der er gjort med beløbet.", felt="behandling")
    post = Sagsbehandlerfordeling.objects.for_user(user).filter(pk=post_id).first()
    if post is None:
        raise ApplicationError("Posten findes ikke.")
    fordringer = {
        f.pk: f
        for f in Fordring.objects.for_user(user).filter(
            pk__in=[v.fordring_id for v in fordeling], konto__borger_id=post.borger_id
        )
    }
    if len(fordringer) != len({v.fordring_id for v in fordeling}):
        raise ApplicationError("En valgt fordring tilhører ikke borgeren.")
    konti = {f.konto_id for f in fordringer.values()}
    list(Debitorkonto.objects.select_for_update().filter(pk__in=konti).order_by("pk"))
    post = post_laas(post)
    fordeling_valider(fordeling=fordeling, fordringer=fordringer, udbetalt=None, total=post.beloeb)
    ompostering = (
        Ompostering.objects.select_for_update().get(pk=post.ompostering_id)
        if post.ompostering_id
        else None
    )
    if not fordeling:
        raise ApplicationError("Vælg mindst én fordring at dække.")
    fordelt = fordeling_bogfoer(
        ompostering=ompostering,
        pulje=Pulje([Kilde(post.indbetaling, post.valoerdato, post.beloeb)]),
        fordeling=fordeling,
        fordringer=fordringer,
        idag=idag,
        user=user,
        begrundelse=behandling,
        tekst="Dækning (sagsbehandlerfordeling)",
    )
    post_behandlet(post, user=user, behandling=behandling)
    kontostatus_opdater(kommune_id=post.kommune_id, konto_ids=konti)
    rest = post.beloeb - fordelt
    if fordelt and ompostering is not None:
        ompostering.fordelt += fordelt
        ompostering.venter -= fordelt
        ompostering.save(update_fields=["fordelt", "venter"])
    rest_tilbage(post, rest=rest, ompostering=ompostering)
    audit_log(
        user=user,
        kommune_id=post.kommune_id,
        handling="sagsbehandlerfordeling.behandl",
        objekt=post,
        beskrivelse=(
            f"{format_beloeb(post.beloeb)} kr. på sagsbehandlerfordeling behandlet; "
            f"{format_beloeb(fordelt)} kr. fordelt."
        ),
        begrundelse=behandling,
    )
    return post
