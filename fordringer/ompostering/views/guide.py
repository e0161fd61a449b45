"""The wizard of Omposter fordeling (seed 004 "Omposter fordeling (web)").

The wizard keeps its choices in the session (never a CPR number in a URL); nothing is booked
until the last step calls ``ompostering_opret`` (or "Lad system ompostere" calls
``ompostering_automatisk``), so leaving half-way changes nothing.

Steps: 1 search and choose dækninger (and another borger) → 2 confirm the rollback, seeing
the recomputed interest → 3 new allocation, payout, reason, recipient, note, channel →
4 confirmation with the letter preview → receipt.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fordringer.dokumenter.selectors import dokumenter_for_user
from fordringer.models import Borger, Fordring, Ompostering
from fordringer.ompostering import selectors as selectors_ompostering
from fordringer.ompostering.forms import (
    FordelingForm,
    SoegeForm,
    TilbagefoerForm,
    borger_efter_cpr,
)
from fordringer.ompostering.kontrol import Opgoerelse, Valideringsfejl, opgoerelse
from fordringer.ompostering.plan import plan_kontroller
from fordringer.ompostering.services import ompostering_automatisk, ompostering_opret
from fordringer.ompostering.udbetaling import meddelelse_tekst
from fordringer.ompostering.views.faelles import (
    SESSION,
    borger_hent,
    delvis,
    fejl_til_form,
    raekker,
    skaerm,
    tilstand_hent,
)
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.money import NUL, format_beloeb


def _valgte_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("daekning") if v.isdigit() and len(v) < 19]


def _valgt_sum(request: HttpRequest, borger: Borger, valgte: list[int]) -> dict[str, Any]:
    """Seed 004 trin 3 "Viser det samlede omposteringsbeløb": the chosen dækninger read now."""
    try:
        daekninger = (
            selectors_ompostering.daekninger_valgte(user=request.user, ids=valgte, borger=borger)
            if valgte
            else []
        )
    except ApplicationError:
        daekninger = []
    return {
        "antal_valgt": len(daekninger),
        "valgt_total": -sum((d.beloeb for d in daekninger), NUL),
    }


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_soeg(request: HttpRequest, pk: int) -> HttpResponse:
    """Trin 1-3: search the borger's dækninger, choose them, and maybe another borger.

    ``handling``: ``soeg`` searches, ``sum`` recomputes the chosen total (htmx, or the button
    shown without JavaScript), ``nulstil`` empties every field, ``vaelg`` goes on."""
    borger = borger_hent(request, pk)
    handling = request.POST.get("handling", "") if request.method == "POST" else ""
    if handling == "nulstil":
        request.session.pop(SESSION, None)
        return redirect("ompostering_soeg", borger.pk)
    form = SoegeForm(request.POST if request.method == "POST" else None)
    valgte = _valgte_ids(request) if request.method == "POST" else []
    kontekst: dict[str, Any] = {"borger": borger, "form": form, "valgte": set(valgte)}
    kontekst |= _valgt_sum(request, borger, valgte)
    if handling == "sum" and request.headers.get("HX-Request") == "true":
        return delvis(request, "fordringer/ompostering/_valgt_sum.html", kontekst)
    valgfejl = ""
    if handling == "vaelg":
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
            selectors_ompostering.daekninger_staar_tjek(valgte)
        except ApplicationError as fejl:
            valgfejl = f"{valgfejl} {fejl.message}".strip()
        if not valgfejl:
            request.session[SESSION] = {
                "borger": borger.pk,
                "daekninger": valgte,
                "til_borger": til_borger.pk,
            }
            return redirect("ompostering_bekraeft")
    traef = kreditter = None
    if form.is_bound and form.is_valid():
        kriterier = selectors_ompostering.Soegekriterier(**form.cleaned_data)
        traef = list(
            selectors_ompostering.daekninger_soeg(
                user=request.user, borger=borger, kriterier=kriterier
            )[:200]
        )
        kreditter = selectors_ompostering.kreditter_soeg(
            user=request.user, borger=borger, kriterier=kriterier
        )
    kontekst |= {
        "traef": traef,
        "kreditter": kreditter,
        "valgfejl": valgfejl,
        "anden_borger_cpr": request.POST.get("anden_borger_cpr", "")[:11],
    }
    return render(request, "fordringer/ompostering/soeg.html", kontekst)


def _valgte(request: HttpRequest, tilstand: dict[str, Any]) -> list[Any]:
    try:
        return selectors_ompostering.daekninger_valgte(
            user=request.user,
            ids=tilstand["daekninger"],
            borger=borger_hent(request, tilstand["borger"]),
        )
    except ApplicationError as fejl:
        raise Http404(fejl.message) from fejl


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_bekraeft(request: HttpRequest) -> HttpResponse:
    """Trin 4: what the rollback does, interest recomputed, before anything is booked."""
    tilstand = tilstand_hent(request)
    daekninger = _valgte(request, tilstand)
    try:
        selectors_ompostering.daekninger_staar_tjek(tilstand["daekninger"])
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
        return redirect("ompostering_soeg", tilstand["borger"])
    if request.method == "POST":
        return redirect("ompostering_fordeling")
    return render(
        request,
        "fordringer/ompostering/bekraeft.html",
        {
            "borger": borger_hent(request, tilstand["borger"]),
            "til_borger": borger_hent(request, tilstand["til_borger"]),
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
    til_borger = borger_hent(request, tilstand["til_borger"])
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
        "borger": borger_hent(request, tilstand["borger"]),
        "til_borger": til_borger,
        "daekninger": daekninger,
        "total": -sum((d.beloeb for d in daekninger), NUL),
        "udaekkede": udaekkede,
    }


def _fordeling_form(request: HttpRequest, kontekst: dict[str, Any], data: Any) -> FordelingForm:
    return FordelingForm(data, user=request.user, fordringer=[f for f, _r in kontekst["udaekkede"]])


def _fordeling_kontroller(
    request: HttpRequest, tilstand: dict[str, Any], form: FordelingForm
) -> dict[str, str]:
    """The step's decision checked by the service (``plan.plan_kontroller``) against the
    restance read now, its errors added to ``form``; returns the restancer it read, to tell
    the person later if one changed before "Gennemfør"."""
    form.is_valid()
    aarsag = form.cleaned_data.get("aarsag")
    try:
        plan = plan_kontroller(
            user=person(request),
            daekning_ids=tilstand["daekninger"],
            aarsag_id=aarsag.pk if aarsag is not None else None,
            til_borger_id=tilstand["til_borger"],
            fra_borger_id=tilstand["borger"],
            fordeling=form.fordeling(),
            udbetaling=form.udbetaling_valg(),
            note=form.cleaned_data.get("note", ""),
            idag=timezone.localdate(),
        )
    except ApplicationError as fejl:
        fejl_til_form(form, fejl)
        return {}
    return {str(pk): str(f.restance) for pk, f in plan.fordringer.items()}


def _opgoerelse(form: FordelingForm, total: Decimal) -> Opgoerelse:
    """The running total from the amounts that can be read; the rest are not counted."""
    if not form.is_bound:
        return opgoerelse(total=total, fordeling=[], udbetalt=None)
    form.is_valid()
    return opgoerelse(
        total=total, fordeling=form.fordeling(), udbetalt=form.cleaned_data.get("udbetaling")
    )


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_fordeling(request: HttpRequest) -> HttpResponse:
    """Trin 5-7: the new allocation, payout, reason, recipient, note and channel.

    ``handling``: ``videre`` checks the whole step against the live restance and goes on only
    without errors; ``beregn`` recomputes the running total (htmx, or the button shown without
    JavaScript); ``nulstil`` empties the step's fields; ``automatisk`` is "Lad system
    ompostere". Coming back to the step (from "Godkend") checks the stored choice again."""
    tilstand = tilstand_hent(request)
    handling = request.POST.get("handling") or "videre" if request.method == "POST" else ""
    if handling == "nulstil":
        tilstand.pop("fordeling", None)
        request.session[SESSION] = tilstand
        return redirect("ompostering_fordeling")
    kontekst = _fordeling_kontekst(request, tilstand)
    data = request.POST if request.method == "POST" else tilstand.get("fordeling")
    form = _fordeling_form(request, kontekst, data)
    kontekst["opgoerelse"] = _opgoerelse(form, kontekst["total"])
    if handling == "beregn":
        if request.headers.get("HX-Request") == "true":
            return delvis(request, "fordringer/ompostering/_fordeling_sum.html", kontekst)
        # Recomputing is not submitting: the fields keep what was typed, without errors.
        form = _fordeling_form(request, kontekst, None)
        form.initial = request.POST.dict()
    if handling == "automatisk" and form.is_valid():
        try:
            ompostering = ompostering_automatisk(
                user=person(request),
                daekning_ids=tilstand["daekninger"],
                aarsag_id=form.cleaned_data["aarsag"].pk,
                til_borger_id=tilstand["til_borger"],
                fra_borger_id=tilstand["borger"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as fejl:
            fejl_til_form(form, fejl)
        else:
            request.session.pop(SESSION, None)
            messages.success(request, "Omposteringen er gennemført af systemet.")
            return redirect("ompostering_kvittering", ompostering.pk)
    elif handling == "videre" or (request.method == "GET" and data is not None):
        restancer = _fordeling_kontroller(request, tilstand, form)
        if handling == "videre" and not form.errors:
            tilstand["fordeling"] = {
                k: v
                for k, v in request.POST.items()
                if k not in ("csrfmiddlewaretoken", "handling")
            }
            tilstand["restancer"] = restancer
            request.session[SESSION] = tilstand
            return redirect("ompostering_godkend")
    return render(
        request,
        "fordringer/ompostering/fordeling.html",
        {
            **kontekst,
            "form": form,
            "raekker": raekker(form, kontekst["udaekkede"]),
        },
    )


def _restance_aendret(tilstand: dict[str, Any]) -> str:
    """Which claims' restance changed since the allocation was chosen, in words."""
    foer = tilstand.get("restancer") or {}
    aendret = [
        f"fordring {f.fordringsid} fra {format_beloeb(Decimal(foer[str(f.pk)]))} kr. til "
        f"{format_beloeb(f.restance)} kr."
        for f in Fordring.objects.filter(pk__in=[int(pk) for pk in foer]).order_by("pk")
        if Decimal(foer[str(f.pk)]) != f.restance
    ]
    if not aendret:
        return ""
    return f"Restancen er ændret, siden du valgte fordelingen: {', '.join(aendret)}. "


@require_http_methods(["GET", "POST"])
@skaerm
def ompostering_godkend(request: HttpRequest) -> HttpResponse:
    """Trin 8: the summary and the letter preview; "Gennemfør" books it all in one go.

    The summary is shown only for an allocation that the live restance allows (checked again
    here); "Gennemfør" checks it once more under the lock. When a restance changed meanwhile,
    the person is sent back to the allocation step with the errors and what changed."""
    tilstand = tilstand_hent(request)
    if "fordeling" not in tilstand:
        return redirect("ompostering_fordeling")
    kontekst = _fordeling_kontekst(request, tilstand)
    form = _fordeling_form(request, kontekst, tilstand["fordeling"])
    if request.method == "GET":
        _fordeling_kontroller(request, tilstand, form)
    if not form.is_valid():
        messages.error(
            request,
            f"{_restance_aendret(tilstand)}Fordelingen kan ikke gennemføres, som den er. "
            "Ret fejlene nedenfor.",
        )
        return redirect("ompostering_fordeling")
    udbetaling = form.udbetaling_valg()
    fejl = None
    if request.method == "POST":
        try:
            ompostering = ompostering_opret(
                user=person(request),
                daekning_ids=tilstand["daekninger"],
                aarsag_id=form.cleaned_data["aarsag"].pk,
                til_borger_id=tilstand["til_borger"],
                fra_borger_id=tilstand["borger"],
                fordeling=form.fordeling(),
                udbetaling=udbetaling,
                note=form.cleaned_data["note"],
            )
        except Valideringsfejl:
            messages.error(
                request,
                f"Omposteringen blev ikke gennemført. {_restance_aendret(tilstand)}"
                "Ret fordelingen; intet er bogført.",
            )
            return redirect("ompostering_fordeling")
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
        .select_related("fra_borger", "til_borger", "aarsag", "oprettet_af", "tilbagefoert_af")
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
            "tilbagefoersel": selectors_ompostering.tilbagefoersel_begrundelse(ompostering)
            if ompostering.tilbagefoert
            else "",
            "tilbagefoer_form": TilbagefoerForm(),
            "dokumenter": dokumenter_for_user(user=request.user).filter(ompostering=ompostering),
        },
    )
