"""Giving roles: a person grants only roles they hold themselves, and every grant is audited.

Roles are Django groups (``roles``). A role is given in two ways: an API key is made with it
(``api_noegler``), or a person's groups change (the admin's user form, or any code that
changes ``Bruger.groups``). The rule is here, once (``rolle_tildeling_tjek``):

* only the roles of the permission table's ``TILDELING`` row grant at all;
* they grant only roles they hold themselves;
* platform operators (superusers) grant any role.

Every change of a person's groups is audited by ``grupper_aendret`` (a ``m2m_changed``
receiver): "dina gav carl rollen Bogholder", "dina fjernede rollen Drift fra carl". The granter
is the person ``tildeler`` names for the block of code that makes the change (the admin names
the person at the screen); the receiver refuses a role that person may not give, so no path
that names its granter can skip the rule. A change without a granter is the system's (a
migration, a management command) and is audited as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import Group

from .adgang import TILDELING
from .audit import audit_log
from .errors import ApplicationError
from .models import Bruger
from .roles import Rolle, has_role

_tildeler: ContextVar[Any] = ContextVar("ky_tildeler", default=None)


@contextmanager
def tildeler(user: Any) -> Iterator[None]:
    """Changes of people's groups inside this block are ``user``'s grants."""
    token = _tildeler.set(user)
    try:
        yield
    finally:
        _tildeler.reset(token)


def _er_person(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def egne_roller(user: Any) -> set[str]:
    """The names of the roles ``user`` holds now (for a request with a key: the key's)."""
    return {r.value for r in Rolle if has_role(user, r)}


def rolle_tildeling_tjek(user: Any, roller: Iterable[str]) -> None:
    """Refuse (``ApplicationError``) unless ``user`` may give every role in ``roller``.

    ``None`` is the system (a migration, a management command), which is not refused."""
    if not _er_person(user) or getattr(user, "is_superuser", False):
        return
    roller = set(roller)
    if not roller:
        return
    if not has_role(user, *TILDELING):
        raise ApplicationError("Din rolle giver ikke lov til at give roller eller API-nøgler.")
    mangler = sorted(roller - egne_roller(user))
    if mangler:
        raise ApplicationError(
            f"Du kan kun give roller, du selv har. Du har ikke rollen {', '.join(mangler)}."
        )


def _par(instance: Any, reverse: bool, pk_set: Iterable[int] | None) -> list[tuple[Bruger, Group]]:
    """The (person, group) pairs a change of ``Bruger.groups`` names."""
    if reverse:
        return [(b, instance) for b in Bruger.objects.filter(pk__in=pk_set or ())]
    return [(instance, g) for g in Group.objects.filter(pk__in=pk_set or ()).order_by("name")]


def _nuvaerende(instance: Any, reverse: bool, pk_set: Iterable[int] | None) -> list[Any]:
    """Of the pairs a removal names, those that exist now (``clear`` names all of them)."""
    gennem = Bruger.groups.through.objects.select_related("bruger", "group")
    if reverse:
        gennem = gennem.filter(group=instance)
        if pk_set is not None:
            gennem = gennem.filter(bruger_id__in=pk_set)
    else:
        gennem = gennem.filter(bruger=instance)
        if pk_set is not None:
            gennem = gennem.filter(group_id__in=pk_set)
    return [(g.bruger, g.group) for g in gennem.order_by("group__name")]


def _audit(par: list[tuple[Bruger, Group]], *, givet: bool) -> None:
    user = _tildeler.get()
    navn = user.get_username() if _er_person(user) else "system"
    for bruger, gruppe in par:
        audit_log(
            user=user,
            kommune_id=bruger.kommune_id,
            handling="rolle.tildel" if givet else "rolle.fjern",
            objekt=bruger,
            beskrivelse=(
                f"{navn} gav {bruger.get_username()} rollen {gruppe.name}."
                if givet
                else f"{navn} fjernede rollen {gruppe.name} fra {bruger.get_username()}."
            ),
            data={"rolle": gruppe.name, "bruger_id": bruger.pk},
        )


def grupper_aendret(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """``m2m_changed`` of ``Bruger.groups``: refuse a grant the granter may not give, and
    audit every role given and taken away."""
    if action == "pre_add":
        par = _par(instance, reverse, pk_set)
        rolle_tildeling_tjek(_tildeler.get(), {g.name for _b, g in par})
    elif action == "post_add":
        _audit(_par(instance, reverse, pk_set), givet=True)
    elif action in ("pre_remove", "pre_clear"):
        instance._ky_fjernes = _nuvaerende(
            instance, reverse, pk_set if action == "pre_remove" else None
        )
    elif action in ("post_remove", "post_clear"):
        _audit(getattr(instance, "_ky_fjernes", []), givet=False)
        instance._ky_fjernes = []
