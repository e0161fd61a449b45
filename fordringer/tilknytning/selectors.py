"""Reads the matching vocabulary needs from the database (the rules themselves are pure, in
``regler``)."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models.functions import Lower, Trim

from fordringer.models import Bevilling


def bevilling_ejere(*, kommune_id: int, numre: Collection[str]) -> dict[str, int]:
    """The borger of each of the kommune's bevillinger whose normalised number is in ``numre``:
    what the data check needs to see a reference naming another borger's bevilling (DESIGN §5).
    No query for no numbers."""
    if not numre:
        return {}
    return dict(
        Bevilling.objects.annotate(n=Lower(Trim("bevillingsnummer")))
        .filter(kommune_id=kommune_id, n__in=numre)
        .values_list("n", "borger_id")
    )
