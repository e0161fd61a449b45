"""Screens of Omposter fordeling (seed 004 "Omposter fordeling (web)").

The wizard keeps its choices in the session (never a CPR number in a URL); nothing is booked
until the last step calls ``ompostering_opret`` (or "Lad system ompostere" calls
``ompostering_automatisk``), so leaving half-way changes nothing.

Steps: 1 search and choose dækninger (and another borger) → 2 confirm the rollback, seeing
the recomputed interest → 3 new allocation, payout, reason, recipient, note, channel →
4 confirmation with the letter preview → receipt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fordringer.konto import selectors
from fordringer.models import Borger, Ompostering, Sagsbehandlerfordeling
from fordringer.ompostering import selectors as selectors_ompostering
from fordringer.ompostering.forms import (
    BegrundelseForm,
    BehandlingForm,
    FordelingForm,
    SoegeForm,
    borger_efter_cpr,
)
from fordringer.ompostering.services import ompostering_automatisk, ompostering_opret
from fordringer.ompostering.udbetaling import (
    meddelelse_tekst,
    sagsbehandlerfordeling_behandl,
    udbetaling_afvis,
    udbetaling_godkend,
)
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser
from ky_debitor.money import NUL

View = Callable[..., HttpResponse]
SESSION = "ompostering"


def skaerm(view: View) -> View:
    """Logged in. Which roles may use each screen is the permission table's
    (``ky_debitor.adgang``): Bogholder and Sagsbehandler (seed 004 "Aktører"), the payout list
    the Bogholder alone; anyone else gets 403 from ``AdgangMiddleware``."""
    return login_required(never_cache(view))


def _borger(request: HttpRequest, pk: int) -> Borger:
    try:
        return selectors.borger_for_user(user=request.user, pk=pk)
    except Borger.DoesNotExist as exc:
        raise Http404("Borgeren findes ikke.") from exc


def _tilstand(request: HttpRequest) -> dict[str, Any]:
    """The wizard's choices so far; without them, the wizard starts over."""
    tilstand = request.session.get(SESSION)
    if not tilstand or not tilstand.get("daekninger"):
        raise Http404("Ompostering er ikke påbegyndt. Start fra borgerens side.")
    return dict(tilstand)


def _fejl_til_form(form: forms.Form, fejl: ApplicationError) -> None:
    felt = fejl.felt if fejl.felt in form.fields else None
    form.add_error(felt, fejl.message)


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_soeg(request: HttpRequest, pk: int) -> HttpResponse:
    """Trin 1-3: search the borger's dækninger, choose them, and maybe another borger."""
    borger = _borger(request, pk)
    form = SoegeForm(request.POST if request.method == "POST" else None)
    traef = None
    valgfejl = ""
    if request.method == "POST" and request.POST.get("handling") == "vaelg":
        valgte = [int(v) for v in request.POST.getlist("daekning") if v.isdigit()]
        til_borger = borger
        try:
            if request.POST.get("anden_borger_cpr", "").strip():
                til_borger = borger_efter_cpr(
                    user=request.user, tekst=request.POST["anden_borger_cpr"]
                )
        except forms.ValidationError as fejl:
            valgfejl = " ".join(fejl.messages)
        try:
            selectors_ompostering.daekninger_valgte(user=request.user, ids=valgte, borger=borger)
        except ApplicationError as fejl:
            valgfejl = fejl.message
        if not valgfejl:
            request.session[SESSION] = {
                "borger": borger.pk,
                "daekninger": valgte,
                "til_borger": til_borger.pk,
            }
            return redirect("ompostering_bekraeft")
    if form.is_bound and form.is_valid():
        traef = list(
            selectors_ompostering.daekninger_soeg(
                user=request.user, borger=borger, **form.cleaned_data
            )[:200]
        )
    return render(
        request,
        "fordringer/ompostering/soeg.html",
        {"borger": borger, "form": form, "traef": traef, "valgfejl": valgfejl},
    )


def _valgte(request: HttpRequest, tilstand: dict[str, Any]) -> list[Any]:
    try:
        return selectors_ompostering.daekninger_valgte(
            user=request.user,
            ids=tilstand["daekninger"],
            borger=_borger(request, tilstand["borger"]),
        )
    except ApplicationError as fejl:
        raise Http404(fejl.message) from fejl


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_bekraeft(request: HttpRequest) -> HttpResponse:
    """Trin 4: what the rollback does, interest recomputed, before anything is booked."""
    tilstand = _tilstand(request)
    if request.method == "POST":
        return redirect("ompostering_fordeling")
    daekninger = _valgte(request, tilstand)
    return render(
        request,
        "fordringer/ompostering/bekraeft.html",
        {
            "borger": _borger(request, tilstand["borger"]),
            "til_borger": _borger(request, tilstand["til_borger"]),
            "daekninger": daekninger,
            "total": -sum((d.beloeb for d in daekninger), NUL),
            "linjer": selectors_ompostering.tilbagerulning_vis(
                daekninger=daekninger, idag=timezone.localdate()
            ),
        },
    )


def _fordeling_kontekst(request: HttpRequest, tilstand: dict[str, Any]) -> dict[str, Any]:
    daekninger = _valgte(request, tilstand)
    linjer = selectors_ompostering.tilbagerulning_vis(
        daekninger=daekninger, idag=timezone.localdate()
    )
    til_borger = _borger(request, tilstand["til_borger"])
    udaekkede = selectors_ompostering.udaekkede_fordringer(
        user=request.user,
        borger=til_borger,
        restance_efter={
            linje.fordring.pk: linje.restance_efter
            for linje in linjer
            if linje.fordring.konto.borger_id == til_borger.pk
        },
    )
    return {
        "borger": _borger(request, tilstand["borger"]),
        "til_borger": til_borger,
        "daekninger": daekninger,
        "total": -sum((d.beloeb for d in daekninger), NUL),
        "udaekkede": udaekkede,
    }


def _raekker(form: FordelingForm, udaekkede: list[Any]) -> list[tuple[Any, Any, Any]]:
    """One row per uncovered claim: the claim, its restance after the rollback, its field."""
    return [(f, restance, form[f"fordring_{f.pk}"]) for f, restance in udaekkede]


def _fordeling_form(request: HttpRequest, kontekst: dict[str, Any], data: Any) -> FordelingForm:
    return FordelingForm(data, user=request.user, fordringer=[f for f, _r in kontekst["udaekkede"]])


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_fordeling(request: HttpRequest) -> HttpResponse:
    """Trin 5-7: the new allocation, payout, reason, recipient, note and channel."""
    tilstand = _tilstand(request)
    kontekst = _fordeling_kontekst(request, tilstand)
    data = request.POST if request.method == "POST" else tilstand.get("fordeling")
    form = _fordeling_form(request, kontekst, data)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("handling") == "automatisk":
            bruger = person(request)
            try:
                ompostering = ompostering_automatisk(
                    user=bruger,
                    daekning_ids=tilstand["daekninger"],
                    aarsag_id=form.cleaned_data["aarsag"].pk,
                    til_borger_id=tilstand["til_borger"],
                    fra_borger_id=tilstand["borger"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as fejl:
                _fejl_til_form(form, fejl)
            else:
                request.session.pop(SESSION, None)
                messages.success(request, "Omposteringen er gennemført af systemet.")
                return redirect("ompostering_kvittering", ompostering.pk)
        else:
            tilstand["fordeling"] = {
                k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"
            }
            request.session[SESSION] = tilstand
            return redirect("ompostering_godkend")
    return render(
        request,
        "fordringer/ompostering/fordeling.html",
        {**kontekst, "form": form, "raekker": _raekker(form, kontekst["udaekkede"])},
    )


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_godkend(request: HttpRequest) -> HttpResponse:
    """Trin 8: the summary and the letter preview; "Gennemfør" books it all in one go."""
    tilstand = _tilstand(request)
    if "fordeling" not in tilstand:
        return redirect("ompostering_fordeling")
    kontekst = _fordeling_kontekst(request, tilstand)
    form = _fordeling_form(request, kontekst, tilstand["fordeling"])
    if not form.is_valid():
        return redirect("ompostering_fordeling")
    udbetaling = form.udbetaling_valg()
    fejl = None
    if request.method == "POST":
        bruger = person(request)
        try:
            ompostering = ompostering_opret(
                user=bruger,
                daekning_ids=tilstand["daekninger"],
                aarsag_id=form.cleaned_data["aarsag"].pk,
                til_borger_id=tilstand["til_borger"],
                fra_borger_id=tilstand["borger"],
                fordeling=form.fordeling(),
                udbetaling=udbetaling,
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            fejl = exc.message
        else:
            request.session.pop(SESSION, None)
            messages.success(request, "Omposteringen er gennemført.")
            return redirect("ompostering_kvittering", ompostering.pk)
    modtager = ""
    if udbetaling is not None:
        if udbetaling.ny_modtager is not None:
            modtager = udbetaling.ny_modtager.navn
        elif udbetaling.modtager_borger_id is not None:
            modtager = form.cleaned_data["modtager_borger"].navn
    brev = (
        meddelelse_tekst(
            modtager=modtager,
            borger=kontekst["til_borger"],
            beloeb=udbetaling.beloeb,
            aarsag=form.cleaned_data["aarsag"].tekst,
            note=form.cleaned_data["note"],
        )
        if udbetaling is not None and modtager and form.cleaned_data["note"]
        else ""
    )
    fordelt = sum((v.beloeb for v in form.fordeling()), NUL)
    udbetalt = udbetaling.beloeb if udbetaling else NUL
    return render(
        request,
        "fordringer/ompostering/godkend.html",
        {
            **kontekst,
            "form": form,
            "fordeling": [
                (f, form.cleaned_data[f"fordring_{f.pk}"])
                for f, _r in kontekst["udaekkede"]
                if form.cleaned_data.get(f"fordring_{f.pk}") is not None
            ],
            "udbetaling": udbetaling,
            "modtager": modtager or kontekst["til_borger"].navn,
            "fordelt": fordelt,
            "venter": kontekst["total"] - fordelt - udbetalt,
            "brev": brev,
            "fejl": fejl,
        },
    )


@require_http_methods(["GET"])
@skaerm
def ompostering_kvittering(request: HttpRequest, pk: int) -> HttpResponse:
    ompostering = (
        Ompostering.objects.for_user(request.user)
        .select_related("fra_borger", "til_borger", "aarsag", "oprettet_af")
        .filter(pk=pk)
        .first()
    )
    if ompostering is None:
        raise Http404("Omposteringen findes ikke.")
    return render(
        request,
        "fordringer/ompostering/kvittering.html",
        {
            "ompostering": ompostering,
            "posteringer": ompostering.posteringer.select_related("postering__fordring").order_by(
                "postering__id"
            ),
            "udbetalinger": ompostering.udbetalinger.select_related("modtager_alternativ"),
        },
    )


@require_http_methods(["GET"])
@skaerm
def udbetalinger(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fordringer/ompostering/udbetalinger.html",
        {
            "udbetalinger": selectors_ompostering.udbetalinger_til_godkendelse(user=request.user),
            "form": BegrundelseForm(),
        },
    )


@require_POST
@skaerm
def udbetaling_behandl(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one payout; the service enforces four-eyes."""
    form = BegrundelseForm(request.POST)
    begrundelse = form.data.get("begrundelse", "")[:255]
    bruger = person(request)
    try:
        if request.POST.get("handling") == "afvis":
            udbetaling_afvis(user=bruger, udbetaling_id=pk, begrundelse=begrundelse)
            messages.success(request, "Udbetalingen er afvist; beløbet er sat til fordeling.")
        else:
            with afsendelser() as afsendelse:
                udbetaling_godkend(user=bruger, udbetaling_id=pk, begrundelse=begrundelse)
            if afsendelse.udskudt:
                messages.warning(
                    request,
                    "Udbetalingen er godkendt; afsendelse sker, når køen er tilgængelig igen.",
                )
            else:
                messages.success(request, "Udbetalingen er godkendt og sendt til udbetaling.")
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    return redirect("udbetalinger")


@require_http_methods(["GET"])
@skaerm
def sagsbehandlerfordeling(request: HttpRequest) -> HttpResponse:
    behandlede = request.GET.get("vis") == "behandlede"
    q = request.GET.get("q", "")[:100]
    return render(
        request,
        "fordringer/ompostering/sagsbehandlerfordeling.html",
        {
            "poster": selectors_ompostering.sagsbehandlerfordeling_liste(
                user=request.user, behandlede=behandlede, q=q
            )[:500],
            "behandlede": behandlede,
            "q": q,
        },
    )


@require_http_methods(["GET", "POST"])
@skaerm
def sagsbehandlerfordeling_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = (
        Sagsbehandlerfordeling.objects.for_user(request.user)
        .select_related("borger")
        .filter(pk=pk, behandlet__isnull=True)
        .first()
    )
    if post is None:
        raise Http404("Posten findes ikke eller er behandlet.")
    udaekkede = selectors_ompostering.udaekkede_fordringer(user=request.user, borger=post.borger)
    fordringer = [f for f, _r in udaekkede]
    data = request.POST if request.method == "POST" else None
    form = FordelingForm(data, user=request.user, fordringer=fordringer)
    behandling = BehandlingForm(data)
    # Only the amounts matter here; reason and payout belong to the ompostering.
    form.fields["aarsag"].required = False
    if request.method == "POST" and form.is_valid() and behandling.is_valid():
        bruger = person(request)
        try:
            sagsbehandlerfordeling_behandl(
                user=bruger,
                post_id=post.pk,
                fordeling=form.fordeling(),
                behandling=behandling.cleaned_data["behandling"],
            )
        except ApplicationError as fejl:
            _fejl_til_form(form, fejl)
        else:
            messages.success(request, "Beløbet er fordelt, og posten er behandlet.")
            return redirect("sagsbehandlerfordeling")
    return render(
        request,
        "fordringer/ompostering/sagsbehandlerfordeling_post.html",
        {
            "post": post,
            "form": form,
            "behandling": behandling,
            "raekker": _raekker(form, udaekkede),
        },
    )
