"""The lists that follow an ompostering (seed 004): payouts awaiting a Bogholder's approval
and the sagsbehandlerfordeling list of amounts waiting for a person."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fordringer.models import Sagsbehandlerfordeling
from fordringer.ompostering import selectors as selectors_ompostering
from fordringer.ompostering.adressering import adressater, sagsbehandlerfordeling_adresser
from fordringer.ompostering.forms import (
    BegrundelseForm,
    BehandlingForm,
    FordelingForm,
)
from fordringer.ompostering.kredit import sagsbehandlerfordeling_til_kunden
from fordringer.ompostering.listeudbetaling import (
    indbetaler,
    sagsbehandlerfordeling_tilbagebetal,
    sagsbehandlerfordeling_udbetal,
)
from fordringer.ompostering.udbetaling import (
    sagsbehandlerfordeling_behandl,
    udbetaling_afvis,
    udbetaling_godkend,
)
from fordringer.ompostering.views.faelles import (
    fejl_til_form,
    raekker,
    skaerm,
)
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser
from ky_debitor.money import format_beloeb


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
    til_mig = request.GET.get("til") == "mig"
    q = request.GET.get("q", "")[:100]
    return render(
        request,
        "fordringer/ompostering/sagsbehandlerfordeling.html",
        {
            "poster": selectors_ompostering.sagsbehandlerfordeling_liste(
                user=request.user, behandlede=behandlede, q=q, til_mig=til_mig
            )[:500],
            "behandlede": behandlede,
            "til_mig": til_mig,
            "q": q,
            "dagsliste": None
            if behandlede
            else selectors_ompostering.sagsbehandlerfordeling_dagsliste(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@skaerm
def sagsbehandlerfordeling_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = (
        Sagsbehandlerfordeling.objects.for_user(request.user)
        .select_related("borger", "indbetaling__borger", "ompostering__fra_borger")
        .filter(pk=pk, behandlet__isnull=True)
        .first()
    )
    if post is None:
        raise Http404("Posten findes ikke eller er behandlet.")
    udaekkede = selectors_ompostering.udaekkede_fordringer(user=request.user, borger=post.borger)
    fordringer = [f for f, _r in udaekkede]
    data = request.POST if request.method == "POST" else None
    form = FordelingForm(
        data,
        user=request.user,
        fordringer=fordringer,
        initial={"udbetaling": format_beloeb(post.beloeb)},
    )
    behandling = BehandlingForm(data)
    # Only the amounts and the payout choice matter here; the reason is what was done.
    form.fields["aarsag"].required = False
    # Without a button's value (a form sent by Enter) the item is allocated, as before.
    handling = (request.POST.get("handling") or "fordel") if request.method == "POST" else None
    if handling not in (None, "til_kunden", "tilbagebetal"):
        form.is_valid()  # its errors are shown together with the note's
    if handling is not None and behandling.is_valid():
        besked = _post_behandl(request, post, handling, form, behandling.cleaned_data["behandling"])
        if besked:
            messages.success(request, besked)
            return redirect("sagsbehandlerfordeling")
    return render(
        request,
        "fordringer/ompostering/sagsbehandlerfordeling_post.html",
        {
            "post": post,
            "form": form,
            "behandling": behandling,
            "raekker": raekker(form, udaekkede),
            "adressater": adressater(post.kommune_id),
            "indbetaler": indbetaler(post),
        },
    )


@require_POST
@skaerm
def sagsbehandlerfordeling_adresser_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an item on to a colleague, a unit or the kommune's whole list (seed 004)."""
    try:
        post = sagsbehandlerfordeling_adresser(
            user=person(request),
            post_id=pk,
            til=request.POST.get("til", "")[:40],
            begrundelse=request.POST.get("begrundelse", "")[:255],
        )
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
        return redirect("sagsbehandlerfordeling_post", pk)
    messages.success(request, f"Posten står nu på listen for {post.adressat_navn}.")
    return redirect("sagsbehandlerfordeling")


def _post_behandl(
    request: HttpRequest,
    post: Sagsbehandlerfordeling,
    handling: str,
    form: FordelingForm,
    tekst: str,
) -> str:
    """One way out for the item, chosen by the button pressed; the message to show when it
    is done, or "" with the errors on the form."""
    bruger = person(request)
    try:
        if handling == "til_kunden":
            # Seed 004 afklaring b: no claim now; the settlement run covers the next one.
            sagsbehandlerfordeling_til_kunden(user=bruger, post_id=post.pk, behandling=tekst)
            return "Beløbet er placeret på kunden og udlignes i den næste udligningskørsel."
        if handling == "tilbagebetal":
            udbetaling = sagsbehandlerfordeling_tilbagebetal(
                user=bruger, post_id=post.pk, begrundelse=tekst
            )
            return (
                f"Tilbagebetalingen til {udbetaling.modtager_navn} afventer godkendelse "
                "af en bogholder."
            )
        if not form.is_valid():
            return ""
        if handling == "udbetal":
            valg = form.udbetaling_valg()
            if valg is None:
                form.add_error("udbetaling", "Angiv beløbet, der skal udbetales.")
                return ""
            udbetaling = sagsbehandlerfordeling_udbetal(
                user=bruger, post_id=post.pk, udbetaling=valg, behandling=tekst
            )
            return (
                f"Udbetalingen af {format_beloeb(udbetaling.beloeb)} kr. afventer godkendelse "
                "af en bogholder."
            )
        sagsbehandlerfordeling_behandl(
            user=bruger, post_id=post.pk, fordeling=form.fordeling(), behandling=tekst
        )
        return "Beløbet er fordelt, og posten er behandlet."
    except ApplicationError as fejl:
        fejl_til_form(form, fejl)
        return ""
