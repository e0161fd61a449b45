"""Drift's screen for the debitorsystem integration (seed 003): the outbox messages that need a
look, "Prøv igen" on each, and whether the kommune's debitorsystem is ready.

Only Drift (the permission table, ``ky_debitor.adgang``); every row is the person's kommune's.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fordringer.debitorsystem.selectors import (
    debitorsystem_parathed,
    udgaaende_til_opfoelgning,
)
from fordringer.models import UdgaaendeBesked
from fordringer.udbakke.services import udgaaende_besked_proev_igen
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser

VIST = 200


@require_GET
@login_required
@never_cache
def drift_udbakke(request: HttpRequest) -> HttpResponse:
    beskeder = udgaaende_til_opfoelgning(user=request.user)
    return render(
        request,
        "fordringer/drift_udbakke.html",
        {
            "beskeder": beskeder[:VIST],
            "antal": beskeder.count(),
            "vist": VIST,
            "fast_minutter": settings.KY_UDGAAENDE_FAST_MINUTTER,
            "fast_forsoeg": settings.KY_UDGAAENDE_FAST_FORSOEG,
            "parathed": debitorsystem_parathed(user=request.user),
        },
    )


@require_POST
@login_required
def drift_udbakke_proev_igen(request: HttpRequest, pk: int) -> HttpResponse:
    bruger = person(request)
    try:
        with afsendelser() as afsendelse:
            besked = udgaaende_besked_proev_igen(user=bruger, besked_id=pk)
    except UdgaaendeBesked.DoesNotExist as exc:
        raise Http404("Beskeden findes ikke.") from exc
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    else:
        tekst = f"{besked.get_type_display()} {besked.noegle} er sat til afsendelse igen"
        if afsendelse.udskudt:
            messages.warning(request, f"{tekst}; den sendes, når køen er tilgængelig igen.")
        else:
            messages.success(request, f"{tekst}.")
    return redirect("drift_udbakke")
