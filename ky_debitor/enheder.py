"""Who work for a person is addressed to (seed 004: "til en sagsbehandler eller en
organisatorisk enhed"): a person of the kommune or one of its units (``Enhed``)."""

from __future__ import annotations

from django.db.models import Q

from .models import Enhed


def adressat(kommune_id: int, *, person_id: int | None) -> dict[str, int | None]:
    """The address of a new item: the kommune's receiving unit where it has one, else the
    person whose work made the item, else nobody in particular (the kommune's whole list).
    As keyword arguments for the item's ``adresseret_bruger_id``/``adresseret_enhed_id``."""
    enhed_id = (
        Enhed.objects.filter(kommune_id=kommune_id, modtager_sagsbehandlerfordeling=True)
        .values_list("pk", flat=True)
        .first()
    )
    if enhed_id is not None:
        return {"adresseret_bruger_id": None, "adresseret_enhed_id": enhed_id}
    return {"adresseret_bruger_id": person_id, "adresseret_enhed_id": None}


def til_personen_q(user_id: int) -> Q:
    """Rows addressed to the person or to one of the units they are a member of."""
    return Q(adresseret_bruger_id=user_id) | Q(adresseret_enhed__medlemmer__id=user_id)
