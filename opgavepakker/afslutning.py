"""Completing "Opret fordringssag": the caseworker's decision on a task, checked whole and
written in one transaction (seed 002, DESIGN §5).

The konto is locked before the task (``opgave_services.opgave_laas``, the linking run's order);
every claim's errors are found at once; a claim's field the person did not change keeps its
value unless the chosen bevilling requires one; and what changed is kept on the task for the
receipt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fordringer.choices import SagStatus
from fordringer.models import Bevilling, Debitorkonto, Fordring, Sag, Ydelsestype
from fordringer.tilknytning.regler import norm
from fordringer.tilknytning.selectors import bevilling_ejere
from fordringer.tilknytning.services import (
    FordringValg,
    KontoValg,
    Tilknyttet,
    debitorkonti_tilknyt,
)
from fordringer.ydelser.selectors import ydelseskode_tabel
from ky_debitor.audit import audit_rows_create
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Bruger

from .models import Opgave
from .opgave_services import (
    SYSTEM,
    kontroller_arbejdsopgave,
    kontroller_ikke_afsluttet,
    kontroller_ikke_andens,
    opgave_laas,
)
from .opgaveskaerm import fordring_forslag
from .workflow import AABNE, OpgaveStatus, kontroller_overgang


@dataclass(frozen=True)
class FordringAngivelse:
    """What the person wrote for one claim; empty means "keep the claim's own value"."""

    kmd_aktiv_reference: str = ""
    ydelsestype_id: int | None = None


@dataclass(frozen=True)
class OpgaveValg:
    """The decision on the task screen.

    ``bevilling_id`` None is "Ingen bevilling". ``sag_id`` None is *sagstilknytning* to the
    bevilling's own sag when it has one, else *sagsoprettelse* of a new sag.
    ``ydelsestype_id`` and ``kmd_aktiv_reference`` are for the claims that end without one:
    a claim keeps what the person wrote for it, else its own value, else its ydelseskode's
    type, and only then gets these (or, when empty, the chosen bevilling's number and type).
    A YDELSESTYPE_UKENDT task ignores bevilling and sag: the konto keeps its own.
    """

    bevilling_id: int | None
    sag_id: int | None
    ydelsestype_id: int | None = None
    fordringer: Mapping[int, FordringAngivelse] | None = None
    note: str = ""
    kmd_aktiv_reference: str = ""


@dataclass(frozen=True)
class Kvittering:
    opgave: Opgave
    konto: Debitorkonto
    sagsoprettet: bool
    frigivet: int
    lukkede_opgaver: int


@transaction.atomic
def opgave_afslut(*, user: Bruger, opgave_id: int, valg: OpgaveValg) -> Kvittering:
    """Complete an "Opret fordringssag" task (seed 002, DESIGN §5).

    Links the konto through ``fordringer.tilknytning.services.debitorkonti_tilknyt`` (manual:
    stamps references and ydelsestyper, releases parked dækninger with their eIndkomst rows,
    audits), then closes this task and the konto's other open tasks — the waiting "Dækninger og
    afskrivninger" task among them — in the same transaction, and audits each closing. What
    changed (konto and each claim's field, before → after) is kept on the task for the receipt.
    """
    opgave = _afslutbaropgave_laas(user=user, opgave_id=opgave_id)
    plan = _tilknytning_planlaeg(opgave, valg)
    tilknyttet = _konto_tilknyt(plan, user=user, begrundelse=valg.note)
    konto = Debitorkonto.objects.select_related("sag", "bevilling").get(pk=plan.konto.pk)
    lukkede = _kontoens_opgaver_luk(opgave, konto, user=user, note=valg.note)
    _afslutning_audit(lukkede, user=user, begrundelse=valg.note)
    opgave.aendringer = _aendringer(plan, konto, sagsoprettet=tilknyttet.sagsoprettet)
    opgave.save(update_fields=["aendringer"])
    opgave.refresh_from_db()
    return Kvittering(
        opgave=opgave,
        konto=konto,
        sagsoprettet=tilknyttet.sagsoprettet,
        frigivet=tilknyttet.frigivet,
        lukkede_opgaver=len(lukkede),
    )


@dataclass(frozen=True)
class _Tilknytning:
    """The plan between checking the person's choice and writing it: what the konto is linked
    to, and the reference and ydelsestype every claim gets."""

    konto: Debitorkonto
    bevilling: Bevilling | None
    sag: Sag | None
    ydelsestype_id: int | None
    fordringer: Sequence[Fordring]
    fordring_valg: Mapping[int, FordringValg]


def _afslutbaropgave_laas(*, user: Bruger, opgave_id: int) -> Opgave:
    """The task, locked after its konto, once it is sure ``user`` may complete it now."""
    opgave = opgave_laas(user=user, opgave_id=opgave_id)
    kontroller_arbejdsopgave(opgave)
    kontroller_ikke_afsluttet(opgave)
    kontroller_overgang(opgave.status, OpgaveStatus.AFSLUTTET)
    kontroller_ikke_andens(opgave, user)
    return opgave


def _tilknytning_planlaeg(opgave: Opgave, valg: OpgaveValg) -> _Tilknytning:
    """Check the choice against the konto's borger and claims; nothing is written yet."""
    konto = Debitorkonto.objects.select_related("bevilling", "sag").get(pk=opgave.konto_id)
    ydelsestype = (
        Ydelsestype.objects.filter(pk=valg.ydelsestype_id).first() if valg.ydelsestype_id else None
    )
    if valg.ydelsestype_id and ydelsestype is None:
        raise ApplicationError("Den valgte ydelsestype findes ikke.", felt="ydelsestype")

    bevilling: Bevilling | None
    sag: Sag | None
    if opgave.aarsag == "YDELSESTYPE_UKENDT" and konto.er_tilknyttet:
        # Already linked: keep bevilling and sag, only references and ydelsestyper change.
        bevilling, sag = konto.bevilling, konto.sag
    else:
        bevilling, sag = _bevilling_og_sag(konto, valg)

    fordringer = list(Fordring.objects.filter(konto_id=konto.pk).order_by("pk"))
    if set(valg.fordringer or {}) - {f.pk for f in fordringer}:
        raise ApplicationError(
            "En angivet fordring tilhører ikke debitorkontoen. Angiv kun kontoens fordringer."
        )
    fordring_valg = _fordring_valg(
        konto=konto, fordringer=fordringer, bevilling=bevilling, valg=valg
    )
    konto_yt = ydelsestype.pk if ydelsestype else None
    if konto_yt is None and bevilling is None:
        # "Ingen bevilling": the konto's ydelsestype is the one its claims share, if they do.
        typer = {v.ydelsestype_id for v in fordring_valg.values()}
        konto_yt = typer.pop() if len(typer) == 1 else None
    return _Tilknytning(
        konto=konto,
        bevilling=bevilling,
        sag=sag,
        ydelsestype_id=konto_yt,
        fordringer=fordringer,
        fordring_valg=fordring_valg,
    )


def _bevilling_og_sag(konto: Debitorkonto, valg: OpgaveValg) -> tuple[Bevilling | None, Sag | None]:
    """The chosen bevilling and sag, both the konto's borger's; no sag means a new one, unless
    the bevilling already has its own KY sag."""
    bevilling = (
        Bevilling.objects.for_kommune(konto.kommune_id)
        .filter(pk=valg.bevilling_id, borger_id=konto.borger_id)
        .first()
        if valg.bevilling_id
        else None
    )
    if valg.bevilling_id and bevilling is None:
        raise ApplicationError("Bevillingen tilhører ikke borgeren.", felt="bevilling")
    sag = (
        Sag.objects.for_kommune(konto.kommune_id)
        .filter(pk=valg.sag_id, borger_id=konto.borger_id)
        .first()
        if valg.sag_id
        else None
    )
    if valg.sag_id and sag is None:
        raise ApplicationError("Sagen tilhører ikke borgeren.", felt="sag")
    if sag is not None and sag.status != SagStatus.AABEN:
        # The screen offers the borger's open sager only (``aabne_sager``).
        raise ApplicationError(
            f"Sagen er lukket: {sag.sagsnummer}. Vælg en åben sag eller »Opret ny sag«.",
            felt="sag",
        )
    if sag is None and bevilling is not None and bevilling.sag_id is not None:
        # The bevilling already has its own KY sag: link to it rather than open another.
        sag = bevilling.sag
    return bevilling, sag


def _fordring_valg(
    *,
    konto: Debitorkonto,
    fordringer: Sequence[Fordring],
    bevilling: Bevilling | None,
    valg: OpgaveValg,
) -> dict[int, FordringValg]:
    """Reference and ydelsestype for every claim. A claim keeps what the person wrote for it,
    else what its own evidence says (its own value, its ydelseskode's type, the bevilling the
    rules find for it — what the screen suggested, ``opgaveskaerm.fordring_forslag``); nobody's
    choice elsewhere overwrites that. Only a field still empty gets the values given for claims
    without one, else the chosen bevilling's. Every claim must end with both (seed 002:
    MI 38's purpose), and no reference may name another borger's bevilling (the data check of
    DESIGN §5). All the claims' errors are raised at once, each under its field."""
    koder = ydelseskode_tabel()
    standard_ref = valg.kmd_aktiv_reference.strip() or (
        bevilling.bevillingsnummer if bevilling else ""
    )
    standard_yt = valg.ydelsestype_id
    if standard_yt is None and bevilling is not None:
        standard_yt = koder.get(bevilling.ydelseskode.strip().upper())
    # Each claim's own evidence, read as the screen suggests it (``opgaveskaerm``).
    bevillinger = list(
        Bevilling.objects.for_kommune(konto.kommune_id).filter(borger_id=konto.borger_id)
    )
    forslag = fordring_forslag(
        bevillinger,
        fordringer,
        koder,
        borger_id=konto.borger_id,
        reference_ejere=bevilling_ejere(
            kommune_id=konto.kommune_id,
            numre={norm(f.kmd_aktiv_reference) for f in fordringer} - {""},
        ),
    )
    angivelser = valg.fordringer or {}
    resultat: dict[int, FordringValg] = {}
    fejl: dict[str, list[str]] = {}
    for fordring in fordringer:
        angivet = angivelser.get(fordring.pk, FordringAngivelse())
        eget = forslag[fordring.pk]
        reference = angivet.kmd_aktiv_reference.strip() or eget.reference or standard_ref
        yt_id = angivet.ydelsestype_id or eget.ydelsestype_id or standard_yt
        if not reference:
            fejl[f"reference_{fordring.pk}"] = [
                f"Angiv en KMD Aktiv reference for fordring {fordring.fordringsid}, eller udfyld "
                "»Reference til tomme felter« og vælg »Brug på alle tomme felter«."
            ]
        elif len(reference) > 40:
            fejl[f"reference_{fordring.pk}"] = [
                f"Referencen for fordring {fordring.fordringsid} må højst være 40 tegn."
            ]
        if yt_id is None:
            fejl[f"ydelsestype_{fordring.pk}"] = [
                f"Vælg en ydelsestype for fordring {fordring.fordringsid}."
            ]
        resultat[fordring.pk] = FordringValg(kmd_aktiv_reference=reference, ydelsestype_id=yt_id)
    ejere = bevilling_ejere(
        kommune_id=konto.kommune_id,
        numre={norm(v.kmd_aktiv_reference) for v in resultat.values()} - {""},
    )
    for fordring in fordringer:
        ref = resultat[fordring.pk].kmd_aktiv_reference
        ejer = ejere.get(norm(ref))
        if ejer is not None and ejer != konto.borger_id:
            fejl.setdefault(f"reference_{fordring.pk}", []).append(
                f"Referencen {ref} på fordring {fordring.fordringsid} er en anden borgers "
                "bevilling. Ret referencen til en af borgerens egne bevillinger."
            )
    if fejl:
        tekster = [t for liste in fejl.values() for t in liste]
        besked = (
            tekster[0]
            if len(tekster) == 1
            else f"{len(tekster)} fejl ved fordringerne, fx: {tekster[0]}"
        )
        raise ApplicationError(f"{besked} Intet er gemt.", felter=fejl)
    return resultat


def _aendringer(plan: _Tilknytning, konto: Debitorkonto, *, sagsoprettet: bool) -> dict[str, Any]:
    """What the completion changed, before → after, for the receipt: the konto's bevilling and
    sag, and each field of a claim whose value changed (an unchanged field is not listed)."""
    typer = dict(Ydelsestype.objects.values_list("pk", "navn"))
    felter = []
    for f in plan.fordringer:
        ny = plan.fordring_valg[f.pk]
        if ny.kmd_aktiv_reference != f.kmd_aktiv_reference:
            felter.append(
                {
                    "fordringsid": f.fordringsid,
                    "felt": "KMD Aktiv reference",
                    "foer": f.kmd_aktiv_reference,
                    "efter": ny.kmd_aktiv_reference,
                }
            )
        if ny.ydelsestype_id != f.ydelsestype_id:
            felter.append(
                {
                    "fordringsid": f.fordringsid,
                    "felt": "Ydelsestype",
                    "foer": typer.get(f.ydelsestype_id, "") if f.ydelsestype_id else "",
                    "efter": typer.get(ny.ydelsestype_id, "") if ny.ydelsestype_id else "",
                }
            )
    foer = plan.konto
    return {
        "bevilling": {
            "foer": foer.bevilling.bevillingsnummer if foer.bevilling else "",
            "efter": konto.bevilling.bevillingsnummer if konto.bevilling else "",
        },
        "sag": {
            "foer": foer.sag.sagsnummer if foer.sag else "",
            "efter": konto.sag.sagsnummer if konto.sag else "",
            "ny": sagsoprettet,
        },
        "fordringer": felter,
    }


def _konto_tilknyt(plan: _Tilknytning, *, user: Bruger, begrundelse: str) -> Tilknyttet:
    """Link the konto as planned. The set-based form of ``debitorkonto_tilknyt`` (same code,
    one konto) also tells whether a sag was created and how many parked entries were
    released, for the receipt."""
    (tilknyttet,) = debitorkonti_tilknyt(
        kommune_id=plan.konto.kommune_id,
        valg=[
            KontoValg(
                konto_id=plan.konto.pk,
                bevilling_id=plan.bevilling.pk if plan.bevilling else None,
                sag_id=plan.sag.pk if plan.sag else None,
                ydelsestype_id=plan.ydelsestype_id,
                begrundelse=begrundelse,
            )
        ],
        user=user,
        manual=True,
        fordring_valg=plan.fordring_valg,
        system=SYSTEM,
    )
    return tilknyttet


def _kontoens_opgaver_luk(
    opgave: Opgave, konto: Debitorkonto, *, user: Bruger, note: str
) -> list[Opgave]:
    """Close the task and the konto's other open tasks, each with its note; returns them."""
    nu = timezone.now()
    sagsnummer = konto.sag.sagsnummer if konto.sag else ""
    afslutning = (
        note.strip()
        or f"Afsluttet af {user.visningsnavn}: debitorkontoen er tilknyttet sag {sagsnummer}."
    )[:300]
    lukkes = list(
        Opgave.objects.select_for_update()
        .filter(konto_id=konto.pk, status__in=AABNE)
        .order_by("pk")
    )
    for o in lukkes:
        o.status, o.afsluttet, o.afsluttet_af = OpgaveStatus.AFSLUTTET, nu, user
        o.afslutning = (
            afslutning
            if o.pk == opgave.pk
            else f"Lukket, da opgave {opgave.pk} blev afsluttet af {user.visningsnavn}."
        )
        o.save(update_fields=["status", "afsluttet", "afsluttet_af", "afslutning"])
    return lukkes


def _afslutning_audit(lukkede: Sequence[Opgave], *, user: Bruger, begrundelse: str) -> None:
    audit_rows_create(
        [
            dict(
                user=user,
                kommune_id=o.kommune_id,
                handling="opgave.afslut",
                objekt_type=Opgave._meta.label_lower,
                objekt_id=str(o.pk),
                beskrivelse=o.afslutning,
                begrundelse=begrundelse,
                system=SYSTEM,
            )
            for o in lukkede
        ]
    )
