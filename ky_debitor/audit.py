"""Writing the audit trail. Services call these inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .bulk import rows_copy
from .models import AuditEvent, Opslag
from .roles import NATIONALE_TABELLER


def _aktoer(user: Any, system: str) -> tuple[Any, str]:
    if user is not None and getattr(user, "is_authenticated", False):
        # A request with an API key acts as its holder; the line names the key as well.
        noegle = getattr(user, "ky_api_noegle", None)
        if noegle is not None:
            navn = f"{user.get_username()} via API-nøgle {noegle.praefiks} ({noegle.navn})"
            return user, navn[:150]
        return user, user.get_username()
    return None, system


def _aktoer_id(user: Any, system: str) -> tuple[int | None, str]:
    bruger, aktoer = _aktoer(user, system)
    return (bruger.pk if bruger is not None else None), aktoer


def audit_log(
    *,
    user: Any,
    kommune_id: int | None,
    handling: str,
    objekt: models.Model,
    beskrivelse: str,
    begrundelse: str = "",
    data: dict[str, Any] | None = None,
    system: str = "system",
) -> AuditEvent:
    """Record who did what to which object, and why."""
    bruger, aktoer = _aktoer(user, system)
    return AuditEvent.objects.create(
        kommune_id=kommune_id,
        bruger=bruger,
        aktoer=aktoer,
        handling=handling,
        objekt_type=objekt._meta.label_lower,
        objekt_id=str(objekt.pk),
        beskrivelse=beskrivelse,
        begrundelse=begrundelse,
        data=data or {},
    )


def audit_rows_create(rows: list[dict[str, Any]]) -> None:
    """Bulk form of ``audit_log`` for set-based services: each dict names ``user``,
    ``kommune_id``, ``handling``, ``objekt_type``, ``objekt_id``, ``beskrivelse`` and optionally
    ``begrundelse``, ``data`` and ``system``."""
    kolonner = (
        "kommune_id",
        "bruger",
        "aktoer",
        "handling",
        "objekt_type",
        "objekt_id",
        "beskrivelse",
        "begrundelse",
        "data",
    )
    rows_copy(
        AuditEvent,
        columns=kolonner,
        rows=[
            (
                row["kommune_id"],
                *_aktoer_id(row["user"], row.get("system", "system")),
                row["handling"],
                row["objekt_type"],
                row["objekt_id"],
                row["beskrivelse"],
                row.get("begrundelse", ""),
                row.get("data") or {},
            )
            for row in rows
        ],
    )


def opslag_log(*, user: Any, kommune_id: int | None, objekt: models.Model, formaal: str) -> None:
    """Log that ``user`` was shown a citizen's CPR number on ``objekt``."""
    Opslag.objects.create(
        kommune_id=kommune_id,
        bruger=user,
        objekt_type=objekt._meta.label_lower,
        objekt_id=str(objekt.pk),
        formaal=formaal[:200],
    )


def nationale_haendelser() -> models.Q:
    """The audit events of national changes: a row of a national table, written without a
    kommune. Every kommune's audit trail shows them; every other event stays in its kommune."""
    return models.Q(kommune__isnull=True, objekt_type__in=NATIONALE_TABELLER)


def audit_for(objekt: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        objekt_type=objekt._meta.label_lower, objekt_id=str(objekt.pk)
    ).select_related("bruger")


def opslag_for(objekt: models.Model) -> models.QuerySet[Opslag]:
    return Opslag.objects.filter(
        objekt_type=objekt._meta.label_lower, objekt_id=str(objekt.pk)
    ).select_related("bruger")
