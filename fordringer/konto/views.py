"""The caseworker's foundation screens: start page, borger search, borger and konto pages.

Every read starts from a selector scoped with ``.for_user(request.user)``, so an object of
another kommune is a 404. Showing a full CPR number is logged (``opslag_log``) each time.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fordringer.eindkomst.selectors import borgerens_aar
from fordringer.konto import detaljer, selectors
from fordringer.models import Borger, Debitorkonto, EIndkomstLinje, Fordring, Indbetaling
from fordringer.rente.gebyr import rykker_vurder
from ky_debitor.adgang import adgang_tilladt
from ky_debitor.audit import opslag_for, opslag_log

SOEG_MAKS = 50
OPSLAG_VIST = 50


class BorgerSoegForm(forms.Form):
    """Search by CPR (with or without dash), name, kontonummer or fordrings-ID. Always sent by
    POST: a CPR number must never end up in a URL, a browser history or a proxy log."""

    q = forms.CharField(
        label="CPR-nummer eller navn, kontonummer eller fordrings-ID",
        min_length=2,
        max_length=100,
        strip=True,
        error_messages={
            "required": "Skriv et CPR-nummer, et navn, et kontonummer eller et fordrings-ID.",
            "min_length": "Skriv mindst to tegn.",
            "max_length": "Søgningen må højst være 100 tegn.",
        },
    )


@require_GET
@login_required
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "start.html",
        {
            "noegletal": selectors.kommune_noegletal(user=request.user),
            "roller": sorted(request.user.groups.values_list("name", flat=True)),
            "form": BorgerSoegForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def borger_soeg(request: HttpRequest) -> HttpResponse:
    """GET shows an empty form and ignores any query string; POST searches."""
    form = BorgerSoegForm(request.POST) if request.method == "POST" else BorgerSoegForm()
    traef: list[selectors.BorgerTraef] | None = None
    konto_traef: list[selectors.BorgerTraef] = []
    if form.is_bound and form.is_valid():
        alle = selectors.borger_soeg_med_konti(
            user=request.user, q=form.cleaned_data["q"], limit=SOEG_MAKS
        )
        # A kontonummer or fordrings-ID leads to its konto; CPR and name to the borger.
        konto_traef = [t for t in alle if t.konto is not None]
        traef = [t for t in alle if t.konto is None]
    context = {"form": form, "traef": traef, "konto_traef": konto_traef, "maks": SOEG_MAKS}
    if request.headers.get("HX-Request") == "true":
        response = render(request, "fordringer/_soegeresultat.html", context)
    else:
        response = render(request, "fordringer/borger_soeg.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@never_cache  # a page with a full CPR number is not kept in any cache
@login_required
def borger_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        borger = selectors.borger_for_user(user=request.user, pk=pk)
    except Borger.DoesNotExist as exc:
        raise Http404("Borgeren findes ikke.") from exc
    opslag_log(
        user=request.user,
        kommune_id=borger.kommune_id,
        objekt=borger,
        formaal="Borgerside vist med fuldt CPR-nummer",
    )
    return render(
        request,
        "fordringer/borger.html",
        {
            "borger": borger,
            "konti": selectors.debitorkonti_for_borger(user=request.user, borger=borger),
            "bevillinger": selectors.bevillinger_for_borger(user=request.user, borger=borger),
            "sager": selectors.sager_for_borger(user=request.user, borger=borger),
            "kredit": detaljer.kredit_paa_kunden(borger),
            "eindkomst": borgerens_aar(
                EIndkomstLinje.objects.for_user(request.user), cpr=borger.cpr
            ),
        },
    )


@require_GET
@never_cache
@login_required
def debitorkonto_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        konto = selectors.debitorkonto_for_user(user=request.user, pk=pk)
    except Debitorkonto.DoesNotExist as exc:
        raise Http404("Debitorkontoen findes ikke.") from exc
    opslag_log(
        user=request.user,
        kommune_id=konto.kommune_id,
        objekt=konto,
        formaal=f"Debitorkonto {konto.kontonummer} vist med borgerens fulde CPR-nummer",
    )
    return render(
        request,
        "fordringer/debitorkonto.html",
        {
            "konto": konto,
            "borger": konto.borger,
            "fordringer": selectors.fordringer_for_konto(konto),
            "totaler": selectors.konto_totaler(konto),
            "kontoudtog": selectors.kontoudtog(konto),
            "audit": selectors.audit_for_konto(konto),
            "opslag": opslag_for(konto)[:OPSLAG_VIST],
            "eindkomst": borgerens_aar(
                EIndkomstLinje.objects.for_user(request.user), cpr=konto.borger.cpr
            ),
        },
    )


@require_GET
@never_cache
@login_required
def fordring_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    """19.04 Hent Fordring: the claim, every entry of it and who did what (CPR masked)."""
    try:
        fordring = detaljer.fordring_for_user(user=request.user, pk=pk)
    except Fordring.DoesNotExist as exc:
        raise Http404("Fordringen findes ikke.") from exc
    return render(
        request,
        "fordringer/fordring.html",
        {
            "fordring": fordring,
            "konto": fordring.konto,
            "borger": fordring.konto.borger,
            "historik": detaljer.fordring_historik(fordring),
            "parkeret": detaljer.fordring_parkeret(fordring),
            "audit": detaljer.fordring_audit(fordring),
            "rykker": rykker_vurder(fordring),
            "kan_rykke": adgang_tilladt(request.user, "fordring_rykker"),
        },
    )


@require_GET
@never_cache
@login_required
def indbetaling_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    """19.05 Hent Indbetaling: what the payment covered and every ompostering of it."""
    try:
        indbetaling = detaljer.indbetaling_for_user(user=request.user, pk=pk)
    except Indbetaling.DoesNotExist as exc:
        raise Http404("Indbetalingen findes ikke.") from exc
    return render(
        request,
        "fordringer/indbetaling.html",
        {
            "indbetaling": indbetaling,
            "daekning": detaljer.indbetaling_daekning(indbetaling),
            "omposteringer": detaljer.indbetaling_omposteringer(indbetaling),
            "fordelinger": detaljer.indbetaling_sagsbehandlerfordeling(indbetaling),
        },
    )
