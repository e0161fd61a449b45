"""What the ompostering screens share: the login wrapper, the wizard's state in the session,
and a service's errors beside their form fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from fordringer.konto import selectors
from fordringer.models import Borger
from fordringer.ompostering.forms import FordelingForm
from fordringer.ompostering.kontrol import Fejl, Valideringsfejl
from ky_debitor.errors import ApplicationError

View = Callable[..., HttpResponse]
SESSION = "ompostering"


def skaerm(view: View) -> View:
    """Logged in. Which roles may use each screen is the permission table's
    (``ky_debitor.adgang``): Bogholder and Sagsbehandler (seed 004 "Aktører"), the payout list
    the Bogholder alone; anyone else gets 403 from ``AdgangMiddleware``."""
    return login_required(never_cache(view))


def borger_hent(request: HttpRequest, pk: int) -> Borger:
    try:
        return selectors.borger_for_user(user=request.user, pk=pk)
    except Borger.DoesNotExist as exc:
        raise Http404("Borgeren findes ikke.") from exc


def tilstand_hent(request: HttpRequest) -> dict[str, Any]:
    """The wizard's choices so far; without them, the wizard starts over."""
    tilstand = request.session.get(SESSION)
    if not tilstand or not tilstand.get("daekninger"):
        raise Http404("Ompostering er ikke påbegyndt. Start fra borgerens side.")
    return dict(tilstand)


def fejl_til_form(form: forms.Form, fejl: ApplicationError) -> None:
    """A service's error(s) beside their fields; one a form field already has is not repeated,
    and an error of the whole step (the total) goes to the top."""
    alle = fejl.fejl if isinstance(fejl, Valideringsfejl) else (Fejl(fejl.felt, fejl.message),)
    for f in alle:
        felt = f.felt if f.felt in form.fields else None
        if felt is not None and form.has_error(felt):
            continue
        if felt is None and f.besked in form.non_field_errors():
            continue
        form.add_error(felt, f.besked)


def delvis(request: HttpRequest, skabelon: str, kontekst: dict[str, Any]) -> HttpResponse:
    """The running total alone, for htmx; the same template the page includes."""
    svar = render(request, skabelon, kontekst)
    patch_vary_headers(svar, ["HX-Request"])
    return svar


def raekker(form: FordelingForm, udaekkede: list[Any]) -> list[tuple[Any, Any, Any]]:
    """One row per uncovered claim: the claim, its restance after the rollback, its field."""
    return [(f, restance, form[f"fordring_{f.pk}"]) for f, restance in udaekkede]
