"""The "Dataudtræk" form: which report, its filters and the file format.

The same form parses the filters of ``manage.py rapport --filter navn=værdi``, so the screen
and the command accept exactly the same values with the same Danish messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from .definitioner import AAR, FRA_DATO, MAANED, RAPPORTER, TIL_DATO, VALG, Filter, Rapport
from .models import EksportFormat

DATOFORMATER = ["%d-%m-%Y", "%Y-%m-%d"]


class MaanedField(forms.Field):
    """A month written ``mm-åååå`` (or ``åååå-mm``), cleaned to the date of its first day."""

    widget = forms.TextInput(attrs={"maxlength": "7", "inputmode": "numeric"})

    def to_python(self, value: Any) -> dt.date | None:
        tekst = str(value or "").strip()
        if not tekst:
            return None
        for fmt in ("%m-%Y", "%Y-%m"):
            try:
                return dt.datetime.strptime(tekst, fmt).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                continue
        raise forms.ValidationError("Skriv måneden som mm-åååå, fx 03-2024.")


class AarField(forms.Field):
    """A year written ``åååå``, cleaned to an ``int``."""

    widget = forms.TextInput(attrs={"maxlength": "4", "inputmode": "numeric"})
    FRA, TIL = 1990, 2100

    def to_python(self, value: Any) -> int | None:
        tekst = str(value or "").strip()
        if not tekst:
            return None
        if len(tekst) != 4 or not tekst.isascii() or not tekst.isdigit():
            raise forms.ValidationError("Skriv året som åååå, fx 2026.")
        aar = int(tekst)
        if not self.FRA <= aar <= self.TIL:
            raise forms.ValidationError(f"Året skal ligge mellem {self.FRA} og {self.TIL}.")
        return aar


def _felt(f: Filter) -> forms.Field:
    if f.type == MAANED:
        return MaanedField(label=f.label, help_text=f.hjaelp, required=False)
    if f.type == AAR:
        return AarField(label=f.label, help_text=f.hjaelp, required=False)
    if f.type == VALG:
        return forms.ChoiceField(
            label=f.label,
            help_text=f.hjaelp,
            required=False,
            choices=[("", "Alle"), *f.valg],
        )
    if f.type in (FRA_DATO, TIL_DATO):
        return forms.DateField(
            label=f.label,
            help_text=f.hjaelp,
            required=False,
            input_formats=DATOFORMATER,
            error_messages={"invalid": "Skriv datoen som dd-mm-åååå."},
        )
    raise ValueError(f"Ukendt filtertype {f.type}")


class UdtraekForm(forms.Form):
    """Report choice plus the chosen report's filters (as fields named ``f_<filter>``)."""

    rapport = forms.ChoiceField(
        label="Rapport",
        choices=[(r.navn, r.titel) for r in RAPPORTER.values()],
        error_messages={"invalid_choice": "Vælg en af rapporterne på listen."},
    )
    format = forms.ChoiceField(
        label="Filformat",
        choices=EksportFormat.choices,
        initial=EksportFormat.XLSX,
        required=False,
    )

    def __init__(self, *args: Any, rapport: Rapport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.valgt = rapport
        self.fields["rapport"].initial = rapport.navn
        for f in rapport.filtre:
            self.fields[f"f_{f.navn}"] = _felt(f)

    @property
    def filterfelter(self) -> list[forms.BoundField]:
        return [self[f"f_{f.navn}"] for f in self.valgt.filtre]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fra, til = data.get("f_daekning_fra"), data.get("f_daekning_til")
        if fra and til and til < fra:
            self.add_error("f_daekning_til", "Til-datoen skal ligge efter fra-datoen.")
        return data

    def filtre(self) -> dict[str, Any]:
        """The chosen filters by name, empty ones left out (valid forms only)."""
        return {
            f.navn: self.cleaned_data[f"f_{f.navn}"]
            for f in self.valgt.filtre
            if self.cleaned_data.get(f"f_{f.navn}") not in (None, "")
        }


def rapport_fra_data(data: Any) -> Rapport:
    """The report a request names, or the first report when none (or an unknown one) is."""
    navn = (data or {}).get("rapport", "")
    return RAPPORTER.get(navn) or next(iter(RAPPORTER.values()))
