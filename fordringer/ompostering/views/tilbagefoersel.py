"""Undoing an ompostering from its receipt (seed 004): a reason is required, the service
refuses where a payout has been approved or the money has moved on since, and says why."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from fordringer.models import Ompostering
from fordringer.ompostering.forms import TilbagefoerForm
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from fordringer.ompostering.views.faelles import skaerm
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError


@require_POST
@skaerm
def ompostering_tilbagefoer_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not Ompostering.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404("Omposteringen findes ikke.")
    form = TilbagefoerForm(request.POST)
    if not form.is_valid():
        for tekst in form.errors.get("begrundelse", []):
            messages.error(request, str(tekst))
        return redirect("ompostering_kvittering", pk)
    try:
        ompostering_tilbagefoer(
            user=person(request), ompostering_id=pk, begrundelse=form.cleaned_data["begrundelse"]
        )
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    else:
        messages.success(
            request,
            "Omposteringen er tilbageført: dækningerne står igen, som før omposteringen, og "
            "renter og eIndkomst er regnet om.",
        )
    return redirect("ompostering_kvittering", pk)
