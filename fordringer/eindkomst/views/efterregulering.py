"""The kommune's efterreguleringer: eIndkomst lines written after their income year's deadline
(seed 002), for the Bogholder, Projektleder and Sagsbehandler (``ky_debitor.adgang``).

Read only and scoped by ``efterregulering.efterreguleringer`` (``.for_user``); CPR numbers are
masked, the full number is on the konto page, which logs the look-up.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fordringer.eindkomst.efterregulering import efterregulering_aar, efterreguleringer

SIDE_STOERRELSE = 25


class EfterreguleringFilter(forms.Form):
    """Which income year to list; only the years the kommune has efterreguleringer of."""

    indkomstaar = forms.TypedChoiceField(
        label="Indkomstår",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Vælg et af indkomstårene på listen."},
    )

    def __init__(self, *args: Any, aarene: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        felt = self.fields["indkomstaar"]
        assert isinstance(felt, forms.TypedChoiceField)
        felt.choices = [("", "Alle indkomstår"), *((str(aar), str(aar)) for aar in aarene)]


@require_GET
@never_cache
@login_required
def efterreguleringer_liste(request: HttpRequest) -> HttpResponse:
    filtre = EfterreguleringFilter(
        request.GET or None, aarene=efterregulering_aar(user=request.user)
    )
    if filtre.is_bound and not filtre.is_valid():
        return render(
            request,
            "fordringer/eindkomst/efterreguleringer.html",
            {"filtre": filtre, "side": None, "aar": None},
            status=400,
        )
    aar = filtre.cleaned_data.get("indkomstaar") if filtre.is_bound else None
    linjer = efterreguleringer(user=request.user, indkomstaar=aar)
    return render(
        request,
        "fordringer/eindkomst/efterreguleringer.html",
        {
            "filtre": filtre,
            "aar": aar,
            "side": Paginator(linjer, SIDE_STOERRELSE).get_page(request.GET.get("side")),
        },
    )
