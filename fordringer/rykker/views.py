"""The claim page's "Send rykker" (issue #19): the same service as the API.

The page itself (``konto.views.fordring_detalje``) shows the rule's answer - may a reminder be
sent today, with which fee - before anyone presses; this view sends it and says what happened.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from fordringer.models import Fordring
from fordringer.rykker import services
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser
from ky_debitor.money import format_beloeb


class RykkerForm(forms.Form):
    begrundelse = forms.CharField(
        label="Bemærkning til historikken (valgfri)",
        max_length=255,
        required=False,
        widget=forms.TextInput,
        error_messages={"max_length": "Bemærkningen må højst være 255 tegn."},
    )


@require_POST
@login_required
def rykker_send(request: HttpRequest, pk: int) -> HttpResponse:
    if not Fordring.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404("Fordringen findes ikke.")
    tilbage = reverse("fordring", args=[pk]) + "#rykker"
    form = RykkerForm(request.POST)
    if not form.is_valid():
        for fejl in form.errors.get("begrundelse", []):
            messages.error(request, str(fejl))
        return redirect(tilbage)
    try:
        with afsendelser() as afsendelse:
            rykker = services.rykker_send(
                user=person(request),
                fordring_id=pk,
                begrundelse=form.cleaned_data["begrundelse"],
            )
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
        return redirect(tilbage)
    tekst = f"{rykker.dokument.titel} er sendt med Digital Post"
    if rykker.gebyr is not None:
        tekst += f", og der er bogført et rykkergebyr på {format_beloeb(rykker.gebyr.beloeb)} kr."
    else:
        tekst += " uden gebyr."
    if afsendelse.udskudt:
        messages.warning(request, tekst + " Brevet afsendes, når køen er tilgængelig igen.")
    else:
        messages.success(request, tekst)
    return redirect(tilbage)
