"""Writing the audit trail. Services call these inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from .bulk import rows_insert
from .models import AuditEvent, Opslag


def _aktoer(user: Any, system: str) -> tuple[Any, str]:
    if user is not None and getattr(user, "is_authenticated", False):
        return user, user.get_username()
    return None, system


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
    events = []
    for row in rows:
        bruger, aktoer = _aktoer(row["user"], row.get("system", "system"))
        events.append(
            AuditEvent(
                kommune_id=row["kommune_id"],
                bruger=bruger,
                aktoer=aktoer,
                handling=row["handling"],
                objekt_type=row["objekt_type"],
                objekt_id=row["objekt_id"],
                beskrivelse=row["beskrivelse"],
                begrundelse=row.get("begrundelse", ""),
                data=row.get("data") or {},
            )
        )
    rows_insert(events)


def opslag_log(*, user: Any, kommune_id: int | None, objekt: models.Model, formaal: str) -> None:
    """Log that ``user`` was shown a citizen's CPR number on ``objekt``."""
    Opslag.objects.create(
        kommune_id=kommune_id,
        bruger=user,
        objekt_type=objekt._meta.label_lower,
        objekt_id=str(objekt.pk),
        formaal=formaal[:200],
    )


def audit_for(objekt: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        objekt_type=objekt._meta.label_lower, objekt_id=str(objekt.pk)
    ).select_related("bruger")


def opslag_for(objekt: models.Model) -> models.QuerySet[Opslag]:
    return Opslag.objects.filter(
        objekt_type=objekt._meta.label_lower, objekt_id=str(objekt.pk)
    ).select_related("bruger")
