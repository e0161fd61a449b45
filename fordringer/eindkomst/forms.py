"""The forms of the by-hand amounts and the reconciliation. They read the input and name the
fields in Danish; the rules (which CPR numbers, years and amounts) are the service's
(``manuel.py``), so the screen, the API and the administration refuse the same things."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from fordringer.eindkomst.manuel import TEKST_MAKS


class ManuelForm(forms.Form):
    cpr = forms.CharField(
        label="CPR-nummer",
        max_length=11,
        help_text="10 cifre, med eller uden bindestreg.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={
            "required": "Skriv borgerens CPR-nummer.",
            "max_length": "Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX).",
        },
    )
    indkomstaar = forms.CharField(
        label="Indkomstår",
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input-width-xs"}),
        error_messages={
            "required": "Skriv indkomståret.",
            "max_length": "Skriv indkomståret som et årstal med fire cifre.",
        },
    )
    beloeb = forms.CharField(
        label="Beløb (kr.)",
        max_length=20,
        help_text="Det § 8 O-beløb, kommunen har indberettet manuelt, fx 1.234,56.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Skriv beløbet.",
            "max_length": "Beløbet er for langt; skriv det som fx 1.234,56.",
        },
    )
    tekst = forms.CharField(
        label="Tekst (valgfri)",
        max_length=TEKST_MAKS,
        required=False,
        help_text="Fx hvornår og hvordan beløbet blev indberettet.",
        error_messages={"max_length": f"Teksten må højst være {TEKST_MAKS} tegn."},
    )


class AnnullerForm(forms.Form):
    begrundelse = forms.CharField(
        label="Begrundelse",
        max_length=TEKST_MAKS,
        error_messages={
            "required": "Skriv en begrundelse for annulleringen.",
            "max_length": f"Begrundelsen må højst være {TEKST_MAKS} tegn.",
        },
    )


class ImportForm(forms.Form):
    fil = forms.FileField(
        label="CSV-fil",
        help_text="Semikolonsepareret med overskriften cpr;indkomstaar;beloeb;tekst (tekst er "
        "valgfri), UTF-8 eller Windows-1252, som Excel gemmer den. Én forkert række afviser "
        "hele filen.",
        error_messages={"required": "Vælg en fil.", "empty": "Filen er tom."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AfstemningForm(forms.Form):
    """The income year to reconcile, among those the kommune has anything in."""

    indkomstaar = forms.TypedChoiceField(
        label="Indkomstår",
        coerce=int,
        error_messages={"invalid_choice": "Vælg et af indkomstårene på listen."},
    )

    def __init__(self, *args: Any, aar: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        felt = self.fields["indkomstaar"]
        assert isinstance(felt, forms.TypedChoiceField)
        felt.choices = [(a, str(a)) for a in sorted(aar, reverse=True)]
