"""A person's writes on tasks: take, hand back, assign, and complete "Opret fordringssag".

Every service runs in one transaction, locks the konto before the task (the order the linking
run uses, so the two never deadlock), checks the task's state through
``workflow.kontroller_overgang`` and audits what it did. A ``ConflictError`` (someone else took
or finished the task meanwhile) leaves everything as it was (DESIGN §4.8).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from fordringer.models import Debitorkonto
from ky_debitor.audit import audit_log, audit_rows_create
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import Bruger
from ky_debitor.roles import Rolle, has_role

from .models import Opgave, OpgaveType
from .workflow import OpgaveStatus, kontroller_overgang

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

SYSTEM = "opgavepakker"


def opgave_laas(*, user: Bruger, opgave_id: int) -> Opgave:
    """The user's kommune's task, locked after its konto. ``Opgave.DoesNotExist`` otherwise."""
    konto_id = Opgave.objects.for_user(user).values_list("konto_id", flat=True).get(pk=opgave_id)
    list(Debitorkonto.objects.select_for_update().filter(pk=konto_id).values_list("pk"))
    return (
        Opgave.objects.for_user(user)
        .select_for_update(of=("self",))
        .select_related("tildelt", "afsluttet_af")
        .get(pk=opgave_id)
    )


def kontroller_ikke_afsluttet(opgave: Opgave) -> None:
    if opgave.status == OpgaveStatus.AFSLUTTET:
        hvem = opgave.afsluttet_af.visningsnavn if opgave.afsluttet_af else "systemet"
        raise ConflictError(
            f"Opgaven er allerede afsluttet af {hvem}. Den er muligvis allerede behandlet af "
            "en anden. Intet er ændret."
        )


def kontroller_ikke_andens(opgave: Opgave, user: Bruger) -> None:
    if opgave.status == OpgaveStatus.I_GANG and opgave.tildelt_id not in (None, user.pk):
        navn = opgave.tildelt.visningsnavn if opgave.tildelt else "en anden"
        raise ConflictError(f"Opgaven er allerede taget af {navn}. Intet er ændret.")


def kontroller_arbejdsopgave(opgave: Opgave) -> None:
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
    opgave = opgave_laas(user=user, opgave_id=opgave_id)
    kontroller_arbejdsopgave(opgave)
    if opgave.status == OpgaveStatus.I_GANG and opgave.tildelt_id == user.pk:
        return opgave
    kontroller_overgang(opgave.status, OpgaveStatus.I_GANG)
    kontroller_ikke_andens(opgave, user)
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
    opgave = opgave_laas(user=user, opgave_id=opgave_id)
    kontroller_overgang(opgave.status, OpgaveStatus.AABEN)
    if opgave.tildelt_id != user.pk and not has_role(user, Rolle.PROJEKTLEDER):
        kontroller_ikke_andens(opgave, user)
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
        kontroller_arbejdsopgave(opgave)
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
