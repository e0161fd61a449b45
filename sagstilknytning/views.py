"""Admin screens of a linking run: start it, watch its progress, cancel or resume it.

The views live under /admin/ (mounted by the run's ModelAdmin through ``urls.admin_urls``), so
they get the admin's login, CSRF and look. Each takes the ModelAdmin: its ``get_object`` is the
kommune-scoped look-up, so another kommune's run is simply not found. Starting, cancelling and
resuming are for Drift; the services do the work and refuse with a Danish message.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from ky_debitor.adgang import adgang_tilladt
from ky_debitor.admin_base import kommune_afgraens
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser
from ky_debitor.models import Bruger, Kommune

from .models import Sagstilknytningskoersel
from .selectors import koersel_fremdrift
from .services import koersel_annuller, koersel_genoptag, koersel_start


def kan_styre(user: Any) -> bool:
    """Only Drift (and platform operators) start, cancel and resume runs (``adgang``)."""
    return adgang_tilladt(user, "admin:sagstilknytning_sagstilknytningskoersel_start")


def _kraev_drift(request: HttpRequest) -> Bruger:
    """The Drift person acting; anyone else gets 403."""
    if not isinstance(request.user, Bruger) or not kan_styre(request.user):
        raise PermissionDenied("Kun Drift kan starte, annullere og genoptage sagstilknytning.")
    return request.user


def _koersel(
    request: HttpRequest, model_admin: admin.ModelAdmin[Any], object_id: str
) -> Sagstilknytningskoersel:
    koersel = model_admin.get_object(request, unquote(object_id))
    if koersel is None:
        raise Http404("Kørslen findes ikke.")
    if not model_admin.has_view_permission(request, koersel):
        raise PermissionDenied
    return koersel


def koersel_navn(koersel: Sagstilknytningskoersel) -> str:
    """A run's name without its status (which changes while a page shows it)."""
    return f"{'Prøvekørsel' if koersel.proeve else 'Kørsel'} {koersel.pk}"


def _detalje_url(koersel: Sagstilknytningskoersel) -> str:
    return reverse("admin:sagstilknytning_sagstilknytningskoersel_change", args=[koersel.pk])


def fremdrift_context(request: HttpRequest, koersel: Sagstilknytningskoersel) -> dict[str, Any]:
    """What the progress panel needs: the figures and the URLs of the actions."""

    def url(handling: str) -> str:
        return reverse(
            f"admin:sagstilknytning_sagstilknytningskoersel_{handling}", args=[koersel.pk]
        )

    return {
        "koersel": koersel,
        "fremdrift": koersel_fremdrift(koersel=koersel),
        "kan_styre": kan_styre(request.user),
        "fremdrift_url": url("fremdrift"),
        "annuller_url": url("annuller"),
        "genoptag_url": url("genoptag"),
        "beslutninger_url": reverse("admin:sagstilknytning_kontobeslutning_changelist")
        + f"?koersel={koersel.pk}",
    }


def koersel_fremdrift_view(
    request: HttpRequest, model_admin: admin.ModelAdmin[Any], object_id: str
) -> HttpResponse:
    """The progress panel alone: polled by htmx every second while the run is active."""
    koersel = _koersel(request, model_admin, object_id)
    return TemplateResponse(
        request, "admin/sagstilknytning/_fremdrift.html", fremdrift_context(request, koersel)
    )


class StartForm(forms.Form):
    kommune = forms.ModelChoiceField(queryset=Kommune.objects.none(), label="Kommune")
    proeve = forms.BooleanField(
        required=False,
        label="Prøvekørsel (gem kun beslutningerne)",
        help_text="En prøvekørsel tilknytter ingen debitorkonti og åbner eller lukker ingen "
        "opgaver. Den gemmer, hvad kørslen ville have besluttet for hver konto.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kommuner = kommune_afgraens(Kommune.objects.order_by("navn"), user)
        felt = cast("forms.ModelChoiceField[Kommune]", self.fields["kommune"])
        felt.queryset = kommuner
        if not getattr(user, "is_superuser", False):
            # People start runs for their own kommune only: it is the one choice.
            felt.empty_label = None


def koersel_start_view(request: HttpRequest, model_admin: admin.ModelAdmin[Any]) -> HttpResponse:
    drift = _kraev_drift(request)
    form = StartForm(request.POST or None, user=drift)
    if request.method == "POST" and form.is_valid():
        try:
            with afsendelser() as afsendelse:
                koersel = koersel_start(
                    kommune=form.cleaned_data["kommune"],
                    user=drift,
                    proeve=form.cleaned_data["proeve"],
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            art = "Prøvekørsel" if koersel.proeve else "Sagstilknytning"
            if afsendelse.udskudt:
                messages.warning(
                    request,
                    f"{art} for {koersel.kommune.navn} er oprettet; den starter, når køen er "
                    "tilgængelig igen.",
                )
            else:
                messages.success(request, f"{art} for {koersel.kommune.navn} er startet.")
            return HttpResponseRedirect(_detalje_url(koersel))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Start sagstilknytning",
        "form": form,
    }
    return TemplateResponse(request, "admin/sagstilknytning/start.html", context)


@require_POST
def koersel_annuller_view(
    request: HttpRequest, model_admin: admin.ModelAdmin[Any], object_id: str
) -> HttpResponse:
    drift = _kraev_drift(request)
    koersel = _koersel(request, model_admin, object_id)
    try:
        koersel = koersel_annuller(koersel=koersel, user=drift)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Kørslen er annulleret efter {koersel.behandlet} af {koersel.total} debitorkonti.",
        )
    return HttpResponseRedirect(_detalje_url(koersel))


@require_POST
def koersel_genoptag_view(
    request: HttpRequest, model_admin: admin.ModelAdmin[Any], object_id: str
) -> HttpResponse:
    drift = _kraev_drift(request)
    koersel = _koersel(request, model_admin, object_id)
    try:
        with afsendelser() as afsendelse:
            koersel_genoptag(koersel=koersel, user=drift)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if afsendelse.udskudt:
            messages.warning(
                request,
                "Kørslen er genoptaget; den fortsætter, når køen er tilgængelig igen.",
            )
        else:
            messages.success(request, "Kørslen er genoptaget fra sin sidste færdige del.")
    return HttpResponseRedirect(_detalje_url(koersel))
