"""The eIndkomst batches (``indberetning.forsendelse``): the list, one batch with its rows, and
"Send igen" for a failed one.

The Bogholder and the Projektleder read; only the Bogholder sends again (``ky_debitor.adgang``).
Another kommune's batch is a 404. The rows' CPR numbers are shown masked, and showing a
batch's rows is logged as a look-up (DESIGN §4.4).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fordringer.choices import BeskedStatus
from fordringer.cpr import cpr_maskeret
from fordringer.indberetning.forsendelse import (
    eindkomst_forsendelse_send_igen,
    forsendelse_raekker,
    forsendelse_status,
    forsendelser,
)
from fordringer.models import EIndkomstForsendelse
from ky_debitor.adgang import adgang_tilladt, person
from ky_debitor.audit import opslag_log
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser

SIDE_STOERRELSE = 25
RAEKKER_PR_SIDE = 100


@require_GET
@never_cache
@login_required
def forsendelse_liste(request: HttpRequest) -> HttpResponse:
    side = Paginator(forsendelser(user=request.user), SIDE_STOERRELSE).get_page(
        request.GET.get("side")
    )
    for f in side.object_list:
        f.status_tekst = forsendelse_status(f)  # type: ignore[attr-defined]
    return render(request, "fordringer/eindkomst/forsendelse_liste.html", {"side": side})


@require_GET
@never_cache
@login_required
def forsendelse_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    forsendelse = get_object_or_404(forsendelser(user=request.user), pk=pk)
    side = Paginator(forsendelse_raekker(forsendelse), RAEKKER_PR_SIDE).get_page(
        request.GET.get("side")
    )
    for r in side.object_list:
        r.cpr_vist = cpr_maskeret(r.cpr)  # type: ignore[attr-defined]
    if side.object_list:
        opslag_log(
            user=request.user,
            kommune_id=forsendelse.kommune_id,
            objekt=forsendelse,
            formaal="eIndkomst-forsendelsens rækker vist (CPR-nummer maskeret)",
        )
    fejlet = forsendelse.besked is not None and forsendelse.besked.status == BeskedStatus.FEJLET
    return render(
        request,
        "fordringer/eindkomst/forsendelse_detalje.html",
        {
            "forsendelse": forsendelse,
            "status": forsendelse_status(forsendelse),
            "side": side,
            "kan_sende_igen": fejlet
            and adgang_tilladt(request.user, "eindkomst_forsendelse_send_igen"),
        },
    )


@require_POST
@login_required
def forsendelse_send_igen(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        with afsendelser() as afsendelse:
            forsendelse = eindkomst_forsendelse_send_igen(user=person(request), forsendelse_id=pk)
    except EIndkomstForsendelse.DoesNotExist as exc:
        raise Http404("Forsendelsen findes ikke.") from exc
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    else:
        tekst = f"Forsendelsen {forsendelse.noegle} er sat til afsendelse igen"
        if afsendelse.udskudt:
            messages.warning(request, f"{tekst}; den sendes, når køen er tilgængelig igen.")
        else:
            messages.success(request, f"{tekst}.")
    return redirect("eindkomst_forsendelse", pk=pk)
