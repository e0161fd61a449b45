"""Task states and the transitions between them, in one place.

ÅBEN → I_GANG (a caseworker takes it) → AFSLUTTET (done by a person, or closed automatically
when a run or a person links the konto). I_GANG → ÅBEN when it is handed back. A closed task is
never reopened: a new task is opened instead, so the history stays as it happened.
"""

from __future__ import annotations

from django.db import models

from ky_debitor.errors import ConflictError


class OpgaveStatus(models.TextChoices):
    AABEN = "AABEN", "Åben"
    I_GANG = "I_GANG", "I gang"
    AFSLUTTET = "AFSLUTTET", "Afsluttet"


AABNE = (OpgaveStatus.AABEN, OpgaveStatus.I_GANG)

OVERGANGE: dict[str, set[str]] = {
    OpgaveStatus.AABEN: {OpgaveStatus.I_GANG, OpgaveStatus.AFSLUTTET},
    OpgaveStatus.I_GANG: {OpgaveStatus.AABEN, OpgaveStatus.AFSLUTTET, OpgaveStatus.I_GANG},
    OpgaveStatus.AFSLUTTET: set(),
}


def kontroller_overgang(fra: str, til: str) -> None:
    """Raise a Danish ``ConflictError`` if a task cannot go from ``fra`` to ``til``."""
    if til not in OVERGANGE[fra]:
        raise ConflictError(
            f"Opgaven er {OpgaveStatus(fra).label.lower()} og kan ikke blive "
            f"{OpgaveStatus(til).label.lower()}. Den er muligvis allerede behandlet af en anden."
        )
