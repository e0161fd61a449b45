"""Admin for the opgavepakker and their tasks: read-only, scoped by kommune.

Tasks change state through the caseworker's screens and the linking run (``workflow.py``,
``services.py``), never by editing a row here. The lists are for following the packages: each
package shows how many of its tasks are open, in progress and done, counted in the same query
as the list itself. A task's evidence is shown as ``evidens.evidens_html`` writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ky_debitor.admin_base import (
    KOMMUNE_FILTER,
    RolleAdgangAdmin,
    admin_link,
)
from ky_debitor.visning import tal

from .evidens import AarsagFilter, aarsag_tekst, evidens_html
from .models import Opgave, Opgavepakke
from .workflow import OpgaveStatus


@admin.register(Opgavepakke)
class OpgavepakkeAdmin(RolleAdgangAdmin):
    list_display = ["navn", "aabne", "i_gang", "afsluttede", "aarsag_vist", "kommune"]
    list_filter = ["med_daekninger", "venteskridt", KOMMUNE_FILTER]
    list_select_related = ["kommune"]
    ordering = ["kommune__kode", "raekkefoelge"]
    fields = [
        "navn",
        "kode",
        "aarsag_vist",
        "med_daekninger",
        "venteskridt",
        "raekkefoelge",
        "kommune",
    ]
    readonly_fields = ["aarsag_vist"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                antal_aabne=Count("opgaver", filter=Q(opgaver__status=OpgaveStatus.AABEN)),
                antal_i_gang=Count("opgaver", filter=Q(opgaver__status=OpgaveStatus.I_GANG)),
                antal_afsluttede=Count("opgaver", filter=Q(opgaver__status=OpgaveStatus.AFSLUTTET)),
            )
        )

    def _antal(self, pakke: Any, antal: int, status: str) -> SafeString:
        url = reverse("admin:opgavepakker_opgave_changelist")
        return format_html(
            '<a href="{}?pakke={}&amp;status__exact={}">{}</a>', url, pakke.pk, status, tal(antal)
        )

    @admin.display(description="årsag", ordering="aarsag")
    def aarsag_vist(self, pakke: Opgavepakke) -> str:
        return aarsag_tekst(pakke.aarsag)

    @admin.display(description="åbne", ordering="antal_aabne")
    def aabne(self, pakke: Any) -> SafeString:
        return self._antal(pakke, pakke.antal_aabne, OpgaveStatus.AABEN)

    @admin.display(description="i gang", ordering="antal_i_gang")
    def i_gang(self, pakke: Any) -> SafeString:
        return self._antal(pakke, pakke.antal_i_gang, OpgaveStatus.I_GANG)

    @admin.display(description="afsluttede", ordering="antal_afsluttede")
    def afsluttede(self, pakke: Any) -> SafeString:
        return self._antal(pakke, pakke.antal_afsluttede, OpgaveStatus.AFSLUTTET)


class PakkeFilter(admin.SimpleListFilter):
    """The person's own packages (the kommune's fifteen), in their working order."""

    title = "opgavepakke"
    parameter_name = "pakke"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        pakker = Opgavepakke.objects.for_user(request.user).select_related("kommune")
        flere_kommuner = getattr(request.user, "is_superuser", False)
        return [
            (str(p.pk), f"{p.navn} ({p.kommune.navn})" if flere_kommuner else p.navn)
            for p in pakker.order_by("kommune__kode", "raekkefoelge")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(pakke_id=self.value()) if self.value() else queryset


@admin.register(Opgave)
class OpgaveAdmin(RolleAdgangAdmin):
    list_display = ["id", "konto_vist", "type", "aarsag_vist", "status", "tildelt", "oprettet"]
    list_display_links = ["id"]
    list_filter = [PakkeFilter, "type", AarsagFilter, "status"]
    list_select_related = ["konto", "pakke", "tildelt"]
    search_fields = ["konto__kontonummer"]
    search_help_text = "Søg på kontonummer."
    fields = [
        "konto_vist",
        "pakke",
        "type",
        "aarsag_vist",
        "status",
        "tildelt",
        "oprettet",
        "koersel_id",
        "afsluttet",
        "afsluttet_af",
        "afslutning",
        "evidens_vist",
    ]
    readonly_fields = ["konto_vist", "aarsag_vist", "evidens_vist"]

    @admin.display(description="debitorkonto", ordering="konto__kontonummer")
    def konto_vist(self, opgave: Opgave) -> SafeString:
        return admin_link(opgave.konto, opgave.konto.kontonummer)

    @admin.display(description="årsag", ordering="aarsag")
    def aarsag_vist(self, opgave: Opgave) -> str:
        return aarsag_tekst(opgave.aarsag)

    @admin.display(description="evidens")
    def evidens_vist(self, opgave: Opgave) -> SafeString:
        return evidens_html(opgave.evidens, kommune_id=opgave.kommune_id)
