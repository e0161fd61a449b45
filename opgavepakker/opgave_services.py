"""A person's writes on tasks: take, hand back, assign, and complete "Opret fordringssag".

Every service runs in one transaction, locks the konto before the task (the order the linking
run uses, so the two never deadlock), checks the task's state through
``workflow.kontroller_overgang`` and audits what it did. A ``ConflictError`` (someone else took
or finished the task meanwhile) leaves everything as it was (DESIGN §4.8).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from fordringer.choices import SagStatus
from fordringer.models import Bevilling, Debitorkonto, Fordring, Sag, Ydelsestype
from fordringer.tilknytning.services import (
    FordringValg,
    KontoValg,
    Tilknyttet,
    debitorkonti_tilknyt,
)
from fordringer.ydelser.selectors import ydelsestype_for_kode
from ky_debitor.audit import audit_log, audit_rows_create
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import Bruger
from ky_debitor.roles import Rolle, has_role

from .models import Opgave, OpgaveType
from .workflow import AABNE, OpgaveStatus, kontroller_overgang

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

SYSTEM = "opgavepakker"


def _opgave_laas(*, user: Bruger, opgave_id: int) -> Opgave:
    """The user's kommune's task, locked after its konto. ``Opgave.DoesNotExist`` otherwise."""
    konto_id = Opgave.objects.for_user(user).values_list("konto_id", flat=True).get(pk=opgave_id)
    list(Debitorkonto.objects.select_for_update().filter(pk=konto_id).values_list("pk"))
    return (
        Opgave.objects.for_user(user)
        .select_for_update(of=("self",))
        .select_related("tildelt", "afsluttet_af")
        .get(pk=opgave_id)
    )


def _kontroller_ikke_afsluttet(opgave: Opgave) -> None:
    if opgave.status == OpgaveStatus.AFSLUTTET:
        hvem = opgave.afsluttet_af.visningsnavn if opgave.afsluttet_af else "systemet"
        raise ConflictError(
            f"Opgaven er allerede afsluttet af {hvem}. Den er muligvis allerede behandlet af "
            "en anden. Intet er ændret."
        )


def _kontroller_ikke_andens(opgave: Opgave, user: Bruger) -> None:
    if opgave.status == OpgaveStatus.I_GANG and opgave.tildelt_id not in (None, user.pk):
        navn = opgave.tildelt.visningsnavn if opgave.tildelt else "en anden"
        raise ConflictError(f"Opgaven er allerede taget af {navn}. Intet er ændret.")


def _kontroller_arbejdsopgave(opgave: Opgave) -> None:
    if opgave.type != OpgaveType.OPRET_FORDRINGSSAG:
        raise ApplicationError(
            "Opgaven venter på, at debitorkontoen bliver sagstilknyttet, og kan ikke tages."
        )


def _audit(
    opgave: Opgave, user: Bruger, handling: str, beskrivelse: str, begrundelse: str = ""
) -> None:
    audit_log(
        user=user,
        kommune_id=opgave.kommune_id,
        handling=handling,
        objekt=opgave,
        beskrivelse=beskrivelse,
        begrundelse=begrundelse,
        system=SYSTEM,
    )


@transaction.atomic
def opgave_tag(*, user: Bruger, opgave_id: int) -> Opgave:
    """Assign an open task to ``user`` (ÅBEN → I GANG). Taking one's own task again is a no-op."""
    opgave = _opgave_laas(user=user, opgave_id=opgave_id)
    _kontroller_arbejdsopgave(opgave)
    if opgave.status == OpgaveStatus.I_GANG and opgave.tildelt_id == user.pk:
        return opgave
    kontroller_overgang(opgave.status, OpgaveStatus.I_GANG)
    _kontroller_ikke_andens(opgave, user)
    opgave.status, opgave.tildelt = OpgaveStatus.I_GANG, user
    opgave.save(update_fields=["status", "tildelt"])
    _audit(opgave, user, "opgave.tag", f"Opgaven er taget af {user.visningsnavn}.")
    return opgave


@transaction.atomic
def opgave_tag_naeste(*, user: Bruger, pakke_id: int) -> Opgave | None:
    """Take the oldest open, unassigned task of the package; None when none is left.

    A task someone else takes at the same moment is skipped rather than reported: the person
    asked for *a* next task, not a particular one.
    """
    kandidater = (
        Opgave.objects.for_user(user)
        .filter(pakke_id=pakke_id, status=OpgaveStatus.AABEN, type=OpgaveType.OPRET_FORDRINGSSAG)
        .order_by("oprettet", "pk")
        .values_list("pk", flat=True)
    )
    for opgave_id in kandidater[:5]:
        try:
            with transaction.atomic():
                return opgave_tag(user=user, opgave_id=opgave_id)
        except ConflictError:
            continue
    return None


@transaction.atomic
def opgave_aflever(*, user: Bruger, opgave_id: int) -> Opgave:
    """Hand a task back (I GANG → ÅBEN): by the person who has it, or by a Projektleder."""
    opgave = _opgave_laas(user=user, opgave_id=opgave_id)
    kontroller_overgang(opgave.status, OpgaveStatus.AABEN)
    if opgave.tildelt_id != user.pk and not has_role(user, Rolle.PROJEKTLEDER):
        _kontroller_ikke_andens(opgave, user)
    opgave.status, opgave.tildelt = OpgaveStatus.AABEN, None
    opgave.save(update_fields=["status", "tildelt"])
    _audit(opgave, user, "opgave.aflever", f"Opgaven er afleveret af {user.visningsnavn}.")
    return opgave


def tildelbare_brugere(*, user: Bruger | AnonymousUser | None) -> QuerySet[Bruger]:
    """Caseworkers of the user's kommune a Projektleder can assign tasks to."""
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        return Bruger.objects.none()
    return (
        Bruger.objects.filter(
            kommune_id=kommune_id, is_active=True, groups__name=Rolle.SAGSBEHANDLER.value
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def opgaver_tildel(*, user: Bruger, opgave_ids: Sequence[int], bruger_id: int) -> int:
    """A Projektleder assigns open tasks to a caseworker of the kommune in one go.

    All or nothing: a task that is finished or not a "Opret fordringssag" task rejects the
    whole assignment. Returns how many tasks were assigned.
    """
    if not has_role(user, Rolle.PROJEKTLEDER):
        raise ApplicationError("Kun en projektleder kan fordele opgaver.")
    if not opgave_ids:
        raise ApplicationError("Vælg mindst én opgave.")
    modtager = tildelbare_brugere(user=user).filter(pk=bruger_id).first()
    if modtager is None:
        raise ApplicationError("Vælg en sagsbehandler fra kommunen.")
    konto_ids = list(
        Opgave.objects.for_user(user).filter(pk__in=opgave_ids).values_list("konto_id", flat=True)
    )
    list(
        Debitorkonto.objects.select_for_update()
        .filter(pk__in=konto_ids)
        .order_by("pk")
        .values_list("pk")
    )
    opgaver = list(
        Opgave.objects.for_user(user).select_for_update().filter(pk__in=opgave_ids).order_by("pk")
    )
    if len(opgaver) != len(set(opgave_ids)):
        raise ApplicationError("En eller flere opgaver findes ikke i kommunen.")
    for opgave in opgaver:
        _kontroller_arbejdsopgave(opgave)
        kontroller_overgang(opgave.status, OpgaveStatus.I_GANG)
    Opgave.objects.filter(pk__in=[o.pk for o in opgaver]).update(
        status=OpgaveStatus.I_GANG, tildelt=modtager
    )
    audit_rows_create(
        [
            dict(
                user=user,
                kommune_id=o.kommune_id,
                handling="opgave.tildel",
                objekt_type=Opgave._meta.label_lower,
                objekt_id=str(o.pk),
                beskrivelse=f"Opgaven er tildelt {modtager.visningsnavn} af {user.visningsnavn}.",
                system=SYSTEM,
            )
            for o in opgaver
        ]
    )
    return len(opgaver)


# --- Completing "Opret fordringssag" ------------------------------------------------------


@dataclass(frozen=True)
class FordringAngivelse:
    """What the person wrote for one claim; empty means "from the chosen bevilling"."""

    kmd_aktiv_reference: str = ""
    ydelsestype_id: int | None = None


@dataclass(frozen=True)
class OpgaveValg:
    """The decision on the task screen.

    ``bevilling_id`` None is "Ingen bevilling" (then ``ydelsestype_id`` is required).
    ``sag_id`` None is *sagsoprettelse* of a new sag; otherwise *sagstilknytning* to it.
    A YDELSESTYPE_UKENDT task ignores both: the konto keeps its bevilling and sag.
    """

    bevilling_id: int | None
    sag_id: int | None
    ydelsestype_id: int | None = None
    fordringer: Mapping[int, FordringAngivelse] | None = None
    note: str = ""


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
    afskrivninger" task among them — in the same transaction, and audits each closing.
    """
    opgave = _afslutbar_opgave_laas(user=user, opgave_id=opgave_id)
    plan = _tilknytning_planlaeg(opgave, valg)
    tilknyttet = _konto_tilknyt(plan, user=user, begrundelse=valg.note)
    konto = Debitorkonto.objects.select_related("sag", "bevilling").get(pk=plan.konto.pk)
    lukkede = _kontoens_opgaver_luk(opgave, konto, user=user, note=valg.note)
    _afslutning_audit(lukkede, user=user, begrundelse=valg.note)
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
    fordring_valg: Mapping[int, FordringValg]


def _afslutbar_opgave_laas(*, user: Bruger, opgave_id: int) -> Opgave:
    """The task, locked after its konto, once it is sure ``user`` may complete it now."""
    opgave = _opgave_laas(user=user, opgave_id=opgave_id)
    _kontroller_arbejdsopgave(opgave)
    _kontroller_ikke_afsluttet(opgave)
    kontroller_overgang(opgave.status, OpgaveStatus.AFSLUTTET)
    _kontroller_ikke_andens(opgave, user)
    return opgave


def _tilknytning_planlaeg(opgave: Opgave, valg: OpgaveValg) -> _Tilknytning:
    """Check the choice against the konto's borger and claims; nothing is written yet."""
    konto = Debitorkonto.objects.select_related("bevilling", "sag").get(pk=opgave.konto_id)
    ydelsestype = (
        Ydelsestype.objects.filter(pk=valg.ydelsestype_id).first() if valg.ydelsestype_id else None
    )
    if valg.ydelsestype_id and ydelsestype is None:
        raise ApplicationError("Den valgte ydelsestype findes ikke.", felt="ydelsestype")
    ydelsestype_id = ydelsestype.pk if ydelsestype else None

    bevilling: Bevilling | None
    sag: Sag | None
    if opgave.aarsag == "YDELSESTYPE_UKENDT" and konto.er_tilknyttet:
        # Already linked: keep bevilling and sag, only references and ydelsestyper change.
        bevilling, sag = konto.bevilling, konto.sag
    else:
        bevilling, sag = _bevilling_og_sag(konto, valg, ydelsestype_id=ydelsestype_id)

    fordringer = list(Fordring.objects.filter(konto_id=konto.pk).order_by("pk"))
    if set(valg.fordringer or {}) - {f.pk for f in fordringer}:
        raise ApplicationError(
            "En angivet fordring tilhører ikke debitorkontoen. Angiv kun kontoens fordringer."
        )
    return _Tilknytning(
        konto=konto,
        bevilling=bevilling,
        sag=sag,
        ydelsestype_id=ydelsestype_id,
        fordring_valg=_fordring_valg(
            fordringer=fordringer,
            bevilling=bevilling,
            ydelsestype_id=ydelsestype_id,
            angivelser=valg.fordringer or {},
        ),
    )


def _bevilling_og_sag(
    konto: Debitorkonto, valg: OpgaveValg, *, ydelsestype_id: int | None
) -> tuple[Bevilling | None, Sag | None]:
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
        # The screen offers the borger's open sager only (``selectors.aabne_sager``).
        raise ApplicationError(
            f"Sagen er lukket: {sag.sagsnummer}. Vælg en åben sag eller »Opret ny sag«.",
            felt="sag",
        )
    if bevilling is None and ydelsestype_id is None:
        raise ApplicationError(
            "Vælg en bevilling, eller vælg ydelsestype ved »Ingen bevilling«.",
            felt="ydelsestype",
        )
    if sag is None and bevilling is not None and bevilling.sag_id is not None:
        # The bevilling already has its own KY sag: link to it rather than open another.
        sag = bevilling.sag
    return bevilling, sag


def _fordring_valg(
    *,
    fordringer: Sequence[Fordring],
    bevilling: Bevilling | None,
    ydelsestype_id: int | None,
    angivelser: Mapping[int, FordringAngivelse],
) -> dict[int, FordringValg]:
    """Reference and ydelsestype for every claim: what the person wrote, else the bevilling's
    number and ydelsestype. Every claim must end with both (seed 002: MI 38's purpose)."""
    standard_yt = ydelsestype_id
    if standard_yt is None and bevilling is not None:
        yt = ydelsestype_for_kode(bevilling.ydelseskode)
        standard_yt = yt.pk if yt else None
    valg: dict[int, FordringValg] = {}
    for fordring in fordringer:
        angivet = angivelser.get(fordring.pk, FordringAngivelse())
        reference = angivet.kmd_aktiv_reference.strip() or (
            bevilling.bevillingsnummer if bevilling else fordring.kmd_aktiv_reference.strip()
        )
        yt_id = angivet.ydelsestype_id or standard_yt or fordring.ydelsestype_id
        if not reference:
            raise ApplicationError(
                f"Angiv en KMD Aktiv reference for fordring {fordring.fordringsid}.",
                felt=f"reference_{fordring.pk}",
            )
        if yt_id is None:
            raise ApplicationError(
                f"Vælg en ydelsestype for fordring {fordring.fordringsid}.",
                felt=f"ydelsestype_{fordring.pk}",
            )
        if len(reference) > 40:
            raise ApplicationError(
                f"Referencen for fordring {fordring.fordringsid} må højst være 40 tegn.",
                felt=f"reference_{fordring.pk}",
            )
        valg[fordring.pk] = FordringValg(kmd_aktiv_reference=reference, ydelsestype_id=yt_id)
    return valg


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
