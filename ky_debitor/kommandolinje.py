"""What the management commands share: a date on the command line as the screens write it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def dato_argument(tekst: str) -> dt.date:
    """``dd-mm-åååå`` as a date; a clear Danish ``CommandError`` otherwise."""
    try:
        dato: dt.date = forms.DateField(input_formats=["%d-%m-%Y"]).clean(tekst)
        return dato
    except ValidationError as exc:
        raise CommandError(f"Skriv datoen som dd-mm-åååå, ikke {tekst!r}.") from exc
