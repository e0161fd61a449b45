"""The decision form of "Vurder, saml og frigiv debitorkonto". The rules are the service's
(``samling.py``); the form only reads the input and names the fields in Danish."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from fordringer.choices import SamlingBeslutningType
from fordringer.models import Debitorkonto

BEGRUNDELSE_MAKS = 2000


class SamlingForm(forms.Form):
    beslutning = forms.ChoiceField(
        label="Beslutning",
        choices=SamlingBeslutningType.choices,
        error_messages={
            "required": "Vælg en beslutning.",
            "invalid_choice": "Vælg en beslutning.",
        },
    )
    ky_konto = forms.TypedChoiceField(
        label="KY-debitorkonto",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Vælg en af borgerens KY-debitorkonti."},
    )
    begrundelse = forms.CharField(
        label="Begrundelse",
        max_length=BEGRUNDELSE_MAKS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Hvorfor du beslutter sådan. Gemmes i historikken og kan ikke ændres.",
        error_messages={
            "required": "Skriv en begrundelse for beslutningen.",
            "max_length": f"Begrundelsen må højst være {BEGRUNDELSE_MAKS} tegn.",
        },
    )
    seneste = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, ky_konti: Sequence[Debitorkonto], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        felt = self.fields["ky_konto"]
        assert isinstance(felt, forms.TypedChoiceField)
        felt.choices = [("", "Ingen valgt")] + [(k.pk, k.kontonummer) for k in ky_konti]
