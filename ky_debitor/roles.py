"""The roles of KY Debitor, as Django groups (synced after every migrate).

* Sagsbehandler — works the "Opret fordringssag" tasks, assesses and merges konti.
* Bogholder — reallocates dækninger and approves payouts.
* Projektleder — follows the packages and downloads reports.
* Drift — operations: starts linking runs, watches integrations.
* Landsadministrator (national administrator) — keeps the reference tables every kommune
  uses (``NATIONALE_TABELLER``). A person without a kommune (the national operator): they see
  no kommune's citizens, only the national tables and the national audit trail. A kommune's
  own roles may view these tables but never change them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Rolle(StrEnum):
    SAGSBEHANDLER = "Sagsbehandler"
    BOGHOLDER = "Bogholder"
    PROJEKTLEDER = "Projektleder"
    DRIFT = "Drift"
    NATIONAL = "Landsadministrator"  # at most 20 characters: ApiNoegle.rolle


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


# The reference tables that are the same for every kommune ("app_label.model"). Rates and lists
# are append-only (a change is a new row with its valid-from date); a reason text is never
# rewritten, only retired. Their changes are audited without a kommune, and every kommune's
# audit trail shows them (``audit.nationale_haendelser``).
NATIONALE_TABELLER: tuple[str, ...] = (
    "fordringer.ydelsestype",
    "fordringer.ydelseskode",
    "fordringer.ll8odaekning",
    "fordringer.rentesats",
    "fordringer.gebyrsats",
    "fordringer.renteregimeregel",
    "fordringer.omposteringaarsag",
)


def _nationale(*handlinger: str) -> tuple[str, ...]:
    return tuple(
        f"{app}.{handling}_{model}"
        for app, model in (t.split(".") for t in NATIONALE_TABELLER)
        for handling in handlinger
    )


# Model permissions each role's group holds, as "app_label.codename" with "*" for any model.
# ``demo.view_*`` is the demo's intended outcomes, readable by whoever reads the konti.
# Synced after every migrate (``apps.py``); the admin shows a person what these allow, and
# every queryset is still scoped to their kommune.
GRUPPE_RETTIGHEDER: dict[Rolle, tuple[str, ...]] = {
    Rolle.DRIFT: (
        "ky_debitor.view_*",
        "ky_debitor.add_apinoegle",
        "ky_debitor.change_apinoegle",
        # Which privilege of the kommune's Adgangsstyring gives which role (``ky_debitor.saml``).
        "ky_debitor.add_rolleprivilegium",
        "ky_debitor.change_rolleprivilegium",
        "ky_debitor.delete_rolleprivilegium",
        # The kommune's organisational units and their members (seed 004's addressees).
        "ky_debitor.add_enhed",
        "ky_debitor.change_enhed",
        "ky_debitor.delete_enhed",
        "fordringer.view_*",
        "demo.view_*",
        "sagstilknytning.view_*",
        "opgavepakker.view_*",
        "sagstilknytning.add_sagstilknytningskoersel",
        "sagstilknytning.change_sagstilknytningskoersel",
        "fordringer.add_debitorsystemopsaetning",
        "fordringer.change_debitorsystemopsaetning",
    ),
    Rolle.PROJEKTLEDER: (
        "fordringer.view_*",
        "demo.view_*",
        "sagstilknytning.view_*",
        "opgavepakker.view_*",
    ),
    Rolle.SAGSBEHANDLER: ("opgavepakker.view_*",),
    # Records by-hand eIndkomst amounts in the admin too (through the service).
    Rolle.BOGHOLDER: ("fordringer.view_*", "demo.view_*", "fordringer.add_eindkomstmanuel"),
    # Adds rows to the national tables (never edits them) and retires reason texts; reads the
    # audit trail, where a person without a kommune sees the national changes only.
    Rolle.NATIONAL: (
        *_nationale("view", "add"),
        "fordringer.change_omposteringaarsag",
        "ky_debitor.view_auditevent",
    ),
}


def rettighed_matcher(moenster: str, navn: str) -> bool:
    """Does a pattern of ``GRUPPE_RETTIGHEDER`` (``app.codename``, ``*`` at the end) cover
    the permission ``navn``?"""
    return moenster == navn or (moenster.endswith("*") and navn.startswith(moenster[:-1]))


def roller_synkroniser(**kwargs: Any) -> None:
    """Give each role's group exactly the permissions of ``GRUPPE_RETTIGHEDER``."""
    from django.contrib.auth.models import Group, Permission

    alle = list(Permission.objects.select_related("content_type"))
    for rolle, moenstre in GRUPPE_RETTIGHEDER.items():
        group, _ = Group.objects.get_or_create(name=rolle.value)
        valgte = [
            p
            for p in alle
            if any(
                rettighed_matcher(m, f"{p.content_type.app_label}.{p.codename}") for m in moenstre
            )
        ]
        group.permissions.set(valgte)
