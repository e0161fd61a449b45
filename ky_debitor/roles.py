"""The four roles of KY Debitor, as Django groups created by a migration.

* Sagsbehandler — works the "Opret fordringssag" tasks, assesses and merges konti.
* Bogholder — reallocates dækninger and approves payouts.
* Projektleder — follows the packages and downloads reports.
* Drift — operations: starts linking runs, watches integrations.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Rolle(StrEnum):
    SAGSBEHANDLER = "Sagsbehandler"
    BOGHOLDER = "Bogholder"
    PROJEKTLEDER = "Projektleder"
    DRIFT = "Drift"


def has_role(user: Any, *roller: Rolle) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    names = getattr(user, "_ky_roller", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._ky_roller = names
    return any(r.value in names for r in roller)
