"""Filters and sorting of the task list (django-filter).

Filtering by name is a GET parameter; a CPR number never is. The CPR filter is a separate
POST form handled by the view (``cpr_filter``): a CPR must not end up in a URL, a browser
history or a proxy log (same rule as the borger search).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from fordringer.cpr import cpr_normaliser
from fordringer.tilknytning.regler import forklaring
from ky_debitor.errors import ApplicationError

from .opgave_services import tildelbare_brugere
from .pakker import AARSAGER
from .selectors import pakker_for_user
from .workflow import AABNE, OpgaveStatus

STATUS_VALG = (
    ("aabne", "Ikke afsluttet"),
    (OpgaveStatus.AABEN.value, "Åben"),
    (OpgaveStatus.I_GANG.value, "I gang"),
    (OpgaveStatus.AFSLUTTET.value, "Afsluttet"),
    ("alle", "Alle"),
)


def _pakker(request: Any) -> QuerySet[Any]:
    return pakker_for_user(user=getattr(request, "user", None))


class OpgaveFilter(django_filters.FilterSet):
    pakke = django_filters.ModelChoiceFilter(
        label="Opgavepakke", queryset=_pakker, empty_label="Alle pakker"
    )
    aarsag = django_filters.ChoiceFilter(
        label="Årsag", choices=AARSAGER, empty_label="Alle årsager"
    )
    navn = django_filters.CharFilter(
        label="Borgerens navn", field_name="konto__borger__navn", lookup_expr="icontains"
    )
    tildelt = django_filters.ChoiceFilter(
        label="Tildelt", method="filtrer_tildelt", empty_label="Alle"
    )
    restance_min = django_filters.NumberFilter(
        label="Restance fra (kr.)", field_name="restance_i_alt", lookup_expr="gte"
    )
    restance_max = django_filters.NumberFilter(
        label="Restance til (kr.)", field_name="restance_i_alt", lookup_expr="lte"
    )
    daekninger = django_filters.ChoiceFilter(
        label="Parkerede dækninger",
        choices=(("ja", "Med dækninger"), ("nej", "Uden dækninger")),
        method="filtrer_daekninger",
        empty_label="Alle",
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_VALG, method="filtrer_status", empty_label=None
    )
    sorter = django_filters.OrderingFilter(
        label="Sortér efter",
        empty_label="Flest parkerede dækninger først",
        fields=(
            ("oprettet", "oprettet"),
            ("restance_i_alt", "restance"),
            ("parkeret_i_alt", "parkeret"),
            ("konto__kontonummer", "konto"),
            ("konto__borger__navn", "navn"),
        ),
        field_labels={
            "oprettet": "Ældste først",
            "-oprettet": "Nyeste først",
            "-restance_i_alt": "Største restance",
            "restance_i_alt": "Mindste restance",
            "-parkeret_i_alt": "Flest parkerede dækninger",
            "parkeret_i_alt": "Færrest parkerede dækninger",
            "konto__kontonummer": "Kontonummer",
            "-konto__kontonummer": "Kontonummer (faldende)",
            "konto__borger__navn": "Navn",
            "-konto__borger__navn": "Navn (faldende)",
        },
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # Without a status the list shows the tasks that are not finished.
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = "aabne"
        super().__init__(data, *args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["tildelt"].extra["choices"] = [
            ("mig", "Mig"),
            ("ingen", "Ingen"),
            *((f"b{b.pk}", b.visningsnavn) for b in tildelbare_brugere(user=user)),
        ]
        self.filters["aarsag"].extra["choices"] = [
            (kode, forklaring(kode)) for kode, _navn in AARSAGER
        ]

    def filtrer_tildelt(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "mig":
            return qs.filter(tildelt=self.request.user if self.request else None)
        if value == "ingen":
            return qs.filter(tildelt__isnull=True)
        if value.startswith("b") and value[1:].isdigit():
            return qs.filter(tildelt_id=int(value[1:]))
        return qs

    def filtrer_daekninger(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "ja":
            return qs.filter(parkeret_i_alt__gt=0)
        if value == "nej":
            return qs.filter(parkeret_i_alt=0)
        return qs

    def filtrer_status(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "aabne":
            return qs.filter(status__in=AABNE)
        if value in OpgaveStatus.values:
            return qs.filter(status=value)
        return qs


class CprFilterForm(forms.Form):
    """Narrow the task list to one borger by CPR. Sent by POST only (see module docstring)."""

    cpr = forms.CharField(
        label="CPR-nummer",
        max_length=11,
        strip=True,
        error_messages={"required": "Skriv et CPR-nummer."},
    )

    def clean_cpr(self) -> str:
        try:
            return cpr_normaliser(self.cleaned_data["cpr"])
        except ApplicationError as exc:
            raise forms.ValidationError(
                "Skriv et gyldigt CPR-nummer med 10 cifre (fx 010203-1234)."
            ) from exc


def cpr_filter(qs: QuerySet[Any], cpr: str) -> QuerySet[Any]:
    return qs.filter(konto__borger__cpr=cpr)
