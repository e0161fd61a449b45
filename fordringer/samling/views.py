""" "Vurder, saml og frigiv debitorkonto" (seed 000): the screen and its decision.

GET shows the KMD Aktiv konto beside the borger's KY konti for the same ydelse (Sagsbehandler,
Bogholder and Projektleder, per ``ky_debitor.adgang``); POST to ``samling_beslut`` (the
Sagsbehandler alone) records a decision through ``samling.samlingsbeslutning_opret``. Another
kommune's konto is a 404. ``samling_liste`` is the worklist of the konti that wait for it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fordringer.models import Debitorkonto
from fordringer.samling.forms import SamlingForm
from fordringer.samling.selectors import (
    LOEBENDE,
    STOPPET,
    konto_til_vurdering,
    ky_konti_for_samling,
    samlingsvurdering,
    seneste_beslutning,
    vurderingsliste,
)
from fordringer.samling.services import samlingsbeslutning_opret
from ky_debitor.adgang import adgang_tilladt, person
from ky_debitor.audit import opslag_log
from ky_debitor.errors import ApplicationError, ConflictError

SIDE_STOERRELSE = 25

KVITTERING = {
    "SAML": "Debitorkontoen er samlet i {ky}. Fordringerne står nu på KY-debitorkontoen.",
    "FRIGIV": "Debitorkonto {frigivet} er frigivet til debitorsystemet.",
    "INGEN_SAMLING": "Beslutningen om ikke at samle er gemt.",
}


def _konto(request: HttpRequest, pk: int) -> Debitorkonto:
    try:
        return konto_til_vurdering(user=request.user, pk=pk)
    except Debitorkonto.DoesNotExist as exc:
        raise Http404("KMD Aktiv-debitorkontoen findes ikke.") from exc


def _vis(
    request: HttpRequest, konto: Debitorkonto, form: SamlingForm | None, status: int = 200
) -> HttpResponse:
    vurdering = samlingsvurdering(konto=konto, idag=timezone.localdate())
    kan_beslutte = adgang_tilladt(request.user, "samling_beslut")
    if form is None and kan_beslutte:
        form = SamlingForm(
            initial={
                "seneste": vurdering.seneste.pk if vurdering.seneste else 0,
                "ky_konto": vurdering.ky[0].konto.pk if len(vurdering.ky) == 1 else None,
            },
            ky_konti=[v.konto for v in vurdering.ky],
        )
    opslag_log(
        user=request.user,
        kommune_id=konto.kommune_id,
        objekt=konto,
        formaal=f"Debitorkonto {konto.kontonummer} vurderet til samling (fuldt CPR-nummer vist)",
    )
    return render(
        request,
        "fordringer/samling/vurder.html",
        {
            "konto": konto,
            "borger": konto.borger,
            "v": vurdering,
            "form": form,
            "kan_beslutte": kan_beslutte,
        },
        status=status,
    )


@require_GET
@never_cache
@login_required
def samling_liste(request: HttpRequest) -> HttpResponse:
    """The worklist: KMD Aktiv konti beside a KY konto that nobody has decided on yet."""
    konti = vurderingsliste(user=request.user, idag=timezone.localdate())
    return render(
        request,
        "fordringer/samling/liste.html",
        {
            "side": Paginator(konti, SIDE_STOERRELSE).get_page(request.GET.get("side")),
            "LOEBENDE": LOEBENDE,
            "STOPPET": STOPPET,
        },
    )


@require_GET
@never_cache
@login_required
def samling_vurder(request: HttpRequest, pk: int) -> HttpResponse:
    return _vis(request, _konto(request, pk), None)


@require_POST
@never_cache
@login_required
def samling_beslut(request: HttpRequest, pk: int) -> HttpResponse:
    konto = _konto(request, pk)
    ky_konti = ky_konti_for_samling(konto)
    form = SamlingForm(request.POST, ky_konti=ky_konti)
    if not form.is_valid():
        return _vis(request, konto, form, status=400)
    bruger = person(request)
    try:
        beslutning = samlingsbeslutning_opret(
            user=bruger,
            konto_id=konto.pk,
            beslutning=form.cleaned_data["beslutning"],
            begrundelse=form.cleaned_data["begrundelse"],
            ky_konto_id=form.cleaned_data["ky_konto"],
            forventet_seneste_id=form.cleaned_data["seneste"],
        )
    except ApplicationError as fejl:
        if isinstance(fejl, ConflictError):
            # The screen now shows the decision made meanwhile; a new attempt is against it.
            data = request.POST.copy()
            seneste = seneste_beslutning(konto)
            data["seneste"] = str(seneste.pk if seneste else 0)
            form = SamlingForm(data, ky_konti=ky_konti)
            form.is_valid()
        form.add_error(fejl.felt if fejl.felt in form.fields else None, fejl.message)
        return _vis(request, konto, form, status=409 if isinstance(fejl, ConflictError) else 400)
    messages.success(
        request,
        KVITTERING[beslutning.beslutning].format(
            ky=beslutning.ky_konto.kontonummer if beslutning.ky_konto else "",
            frigivet=beslutning.frigivet_konto.kontonummer if beslutning.frigivet_konto else "",
        ),
    )
    return redirect("samling_vurder", pk=konto.pk)
