"""Screens of the documents: a konto's and a borger's documents (order a kontoudtog or a
kontooversigt, send a samling letter), one document's page with its progress, the PDF
download and "Send igen".

Every read starts from ``.for_user(request.user)``: another kommune's row is a 404. Fetching a
PDF is logged as a reading of the borger's data (``services.dokument_hentet``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordringer.choices import BeskedType, SamlingBeslutningType
from fordringer.dokumenter import selectors, services
from fordringer.models import (
    Borger,
    Debitorkonto,
    Dokument,
    Samlingsbeslutning,
    UdgaaendeBesked,
)
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser
from ky_debitor.roles import Rolle, has_role

DATOFORMATER = ["%d-%m-%Y"]


class KontoudtogForm(forms.Form):
    fra = forms.DateField(
        label="Fra (dd-mm-åååå)",
        required=False,
        input_formats=DATOFORMATER,
        help_text="Tom: fra kontoens første postering.",
        error_messages={"invalid": "Skriv datoen som dd-mm-åååå."},
    )
    til = forms.DateField(
        label="Til (dd-mm-åååå)",
        required=False,
        input_formats=DATOFORMATER,
        help_text="Tom: til og med i dag.",
        error_messages={"invalid": "Skriv datoen som dd-mm-åååå."},
    )
    send = forms.BooleanField(label="Send til borgeren med Digital Post", required=False)


class SendForm(forms.Form):
    send = forms.BooleanField(label="Send til borgeren med Digital Post", required=False)


class GensendForm(forms.Form):
    begrundelse = forms.CharField(
        label="Begrundelse", max_length=255, required=False, widget=forms.TextInput
    )


def _konto(request: HttpRequest, pk: int) -> Debitorkonto:
    konto = (
        Debitorkonto.objects.for_user(request.user).select_related("borger").filter(pk=pk).first()
    )
    if konto is None:
        raise Http404("Debitorkontoen findes ikke.")
    return konto


def _bestilt(request: HttpRequest, dokument: Dokument, udskudt: bool) -> HttpResponse:
    if dokument.er_aktiv:
        tekst = f"{dokument.titel} dannes i baggrunden; siden viser, hvor langt det er."
        if udskudt:
            tekst = f"{dokument.titel} dannes, når køen er tilgængelig igen."
        messages.info(request, tekst)
    else:
        messages.success(request, f"{dokument.titel} er dannet.")
    return redirect("dokument", dokument.pk)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def dokumenter_konto(request: HttpRequest, pk: int) -> HttpResponse:
    konto = _konto(request, pk)
    form = KontoudtogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with afsendelser() as afsendelse:
                dokument = services.kontoudtog_bestil(
                    user=person(request),
                    konto_id=konto.pk,
                    fra=form.cleaned_data["fra"],
                    til=form.cleaned_data["til"],
                    send=form.cleaned_data["send"],
                )
        except ApplicationError as fejl:
            form.add_error(None, fejl.message)
        else:
            return _bestilt(request, dokument, afsendelse.udskudt)
    beslutninger = (
        Samlingsbeslutning.objects.for_user(request.user)
        .filter(
            konto=konto,
            beslutning__in=[SamlingBeslutningType.SAML, SamlingBeslutningType.FRIGIV],
        )
        .select_related("ky_konto", "frigivet_konto")
    )
    return render(
        request,
        "fordringer/dokumenter/konto.html",
        {
            "konto": konto,
            "borger": konto.borger,
            "form": form,
            "dokumenter": selectors.dokumenter_for_user(user=request.user).filter(konto=konto),
            "beslutninger": beslutninger,
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def dokumenter_borger(request: HttpRequest, pk: int) -> HttpResponse:
    borger = Borger.objects.for_user(request.user).filter(pk=pk).first()
    if borger is None:
        raise Http404("Borgeren findes ikke.")
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with afsendelser() as afsendelse:
                dokument = services.kontooversigt_bestil(
                    user=person(request), borger_id=borger.pk, send=form.cleaned_data["send"]
                )
        except ApplicationError as fejl:
            form.add_error(None, fejl.message)
        else:
            return _bestilt(request, dokument, afsendelse.udskudt)
    return render(
        request,
        "fordringer/dokumenter/borger.html",
        {
            "borger": borger,
            "form": form,
            "dokumenter": selectors.dokumenter_for_user(user=request.user).filter(borger=borger),
        },
    )


@require_POST
@login_required
def dokument_samling_brev(request: HttpRequest, pk: int) -> HttpResponse:
    beslutning = Samlingsbeslutning.objects.for_user(request.user).filter(pk=pk).first()
    if beslutning is None:
        raise Http404("Beslutningen findes ikke.")
    try:
        with afsendelser() as afsendelse:
            dokument = services.samling_brev_bestil(user=person(request), beslutning_id=pk)
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
        return redirect("dokumenter_konto", beslutning.konto_id)
    return _bestilt(request, dokument, afsendelse.udskudt)


@require_GET
@never_cache
@login_required
def dokument_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    dokument = selectors.dokumenter_for_user(user=request.user).filter(pk=pk).first()
    if dokument is None:
        raise Http404("Dokumentet findes ikke.")
    beskeder = UdgaaendeBesked.objects.for_user(request.user).filter(
        type=BeskedType.DIGITAL_POST, payload__dokument_id=dokument.pk
    )
    return render(
        request,
        "fordringer/dokumenter/dokument.html",
        {
            "dokument": dokument,
            "beskeder": beskeder.order_by("oprettet", "id"),
            "kan_gensende": has_role(request.user, Rolle.BOGHOLDER),
            "gensend_form": GensendForm(),
        },
    )


@require_GET
@never_cache
@login_required
def dokument_hent(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dokument = selectors.dokument_for_user(user=request.user, pk=pk)
    except Dokument.DoesNotExist as exc:
        raise Http404("Dokumentet findes ikke.") from exc
    if dokument.pdf is None:
        raise Http404("Dokumentet er ikke dannet endnu.")
    services.dokument_hentet(user=person(request), dokument=dokument)
    response = HttpResponse(bytes(dokument.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dokument.filnavn}"'
    response["X-Content-SHA256"] = dokument.sha256
    return response


@require_POST
@login_required
def dokument_gensend(request: HttpRequest, pk: int) -> HttpResponse:
    if not Dokument.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404("Dokumentet findes ikke.")
    form = GensendForm(request.POST)
    begrundelse = form.cleaned_data["begrundelse"] if form.is_valid() else ""
    try:
        with afsendelser() as afsendelse:
            services.dokument_gensend(user=person(request), dokument_id=pk, begrundelse=begrundelse)
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    else:
        if afsendelse.udskudt:
            messages.warning(request, "Dokumentet sendes igen, når køen er tilgængelig.")
        else:
            messages.success(request, "Dokumentet er sendt igen med Digital Post.")
    return redirect("dokument", pk)
