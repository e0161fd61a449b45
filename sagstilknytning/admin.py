"""Admin for linking runs and their per-konto decisions: read-only, scoped by kommune.

Runs are created by ``services.koersel_start``, never through an add form: the run list has a
"Start sagstilknytning" button (``views.koersel_start_view``), and a run's page shows a live
progress panel polled by htmx, with cancel and resume for Drift. Decisions are history and can
only be read. ``KoerselChunk`` is not registered: its progress is summed up on the run's page
("dele færdige"), and a run over a million konti would have a thousand rows of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django.utils.safestring import SafeString

from ky_debitor.admin_base import (
    INGENTING,
    KOMMUNE_FILTER,
    KoerselAdmin,
    RolleAdgangAdmin,
    admin_link,
)
from ky_debitor.etiketter import etiket
from ky_debitor.visning import dato, tal, tidspunkt
from opgavepakker.evidens import AarsagFilter, aarsag_tekst, evidens_html

from . import views
from .models import KontoBeslutning, Sagstilknytningskoersel
from .selectors import RESULTAT_TEKST, koersel_procent
from .urls import admin_urls


def _kort_tid(tid: dt.datetime | None) -> str:
    return tidspunkt(tid) if tid else INGENTING


@admin.register(Sagstilknytningskoersel)
class SagstilknytningskoerselAdmin(KoerselAdmin):
    panel_skabelon = "admin/sagstilknytning/_fremdrift.html"
    list_display = [
        "id",
        "kommune",
        "proeve_kort",
        "status",
        "fremdrift",
        "tilknyttet",
        "sagsoprettet",
        "opgave",
        "uaendret",
        "startet_kort",
        "afsluttet_kort",
        "startet_af",
    ]
    list_display_links = ["id"]
    list_filter = ["status", "proeve", KOMMUNE_FILTER]
    list_select_related = ["kommune", "startet_af"]
    # Status and times change while the page is open: the live panel shows them instead.
    fields = ["kommune", "proeve", "startet_af", "oprettet"]

    def get_urls(self) -> list[URLPattern]:
        # Ours first: the admin's own "<path:object_id>/" would swallow "start/".
        return admin_urls(self) + super().get_urls()

    @admin.display(description="behandlet", ordering="behandlet")
    def fremdrift(self, koersel: Sagstilknytningskoersel) -> str:
        return f"{tal(koersel.behandlet)} af {tal(koersel.total)} ({koersel_procent(koersel)} %)"

    # Short headings: the list has many columns.
    @admin.display(description="prøve", boolean=True, ordering="proeve")
    def proeve_kort(self, koersel: Sagstilknytningskoersel) -> bool:
        return koersel.proeve

    @admin.display(description="tilknyttet", ordering="antal_sagstilknyttet")
    def tilknyttet(self, koersel: Sagstilknytningskoersel) -> str:
        return tal(koersel.antal_sagstilknyttet)

    @admin.display(description="sag oprettet", ordering="antal_sagsoprettet")
    def sagsoprettet(self, koersel: Sagstilknytningskoersel) -> str:
        return tal(koersel.antal_sagsoprettet)

    @admin.display(description="opgave", ordering="antal_opgave")
    def opgave(self, koersel: Sagstilknytningskoersel) -> str:
        return tal(koersel.antal_opgave)

    @admin.display(description="uændret", ordering="antal_uaendret")
    def uaendret(self, koersel: Sagstilknytningskoersel) -> str:
        return tal(koersel.antal_uaendret)

    @admin.display(description="startet", ordering="startet")
    def startet_kort(self, koersel: Sagstilknytningskoersel) -> str:
        return _kort_tid(koersel.startet)

    @admin.display(description="afsluttet", ordering="afsluttet")
    def afsluttet_kort(self, koersel: Sagstilknytningskoersel) -> str:
        return _kort_tid(koersel.afsluttet)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "kan_starte": views.kan_styre(request.user)}
        return super().changelist_view(request, extra_context)

    def panel_context(
        self, request: HttpRequest, koersel: Sagstilknytningskoersel
    ) -> dict[str, Any]:
        return views.fremdrift_context(request, koersel)

    def koersel_titel(self, koersel: Sagstilknytningskoersel) -> str:
        return views.koersel_navn(koersel)


class KoerselFilter(admin.SimpleListFilter):
    """The person's newest runs; any run id given in the URL filters, listed or not."""

    title = "kørsel"
    parameter_name = "koersel"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        koersler = Sagstilknytningskoersel.objects.for_user(request.user)
        koersler = koersler.select_related("kommune")[:25]
        return [(str(k.pk), f"{k} {k.kommune.navn}, {dato(k.oprettet)}") for k in koersler]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(koersel_id=self.value()) if self.value() else queryset


class ResultatFilter(admin.SimpleListFilter):
    """The run's results (not "ikke behandlet": every decision is one of a run's)."""

    title = "resultat"
    parameter_name = "resultat"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        return [(kode, etiket(kode, "Resultat")) for kode in RESULTAT_TEKST]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(resultat=self.value()) if self.value() else queryset


@admin.register(KontoBeslutning)
class KontoBeslutningAdmin(RolleAdgangAdmin):
    list_display = [
        "konto_vist",
        "resultat_vist",
        "aarsag_vist",
        "bevilling",
        "sag",
        "aendring",
        "koersel_vist",
    ]
    list_display_links = ["resultat_vist"]
    list_filter = [KoerselFilter, ResultatFilter, AarsagFilter]
    list_select_related = ["konto", "bevilling", "sag", "koersel"]
    search_fields = ["konto__kontonummer"]
    fields = [
        "koersel_vist",
        "konto_vist",
        "resultat_vist",
        "aarsag_vist",
        "bevilling",
        "sag",
        "aendring",
        "evidens_vist",
    ]
    readonly_fields = ["koersel_vist", "konto_vist", "resultat_vist", "aarsag_vist", "evidens_vist"]

    @admin.display(description="kørsel", ordering="koersel")
    def koersel_vist(self, beslutning: KontoBeslutning) -> SafeString:
        return admin_link(beslutning.koersel, views.koersel_navn(beslutning.koersel))

    @admin.display(description="debitorkonto", ordering="konto__kontonummer")
    def konto_vist(self, beslutning: KontoBeslutning) -> SafeString:
        return admin_link(beslutning.konto, beslutning.konto.kontonummer)

    @admin.display(description="resultat", ordering="resultat")
    def resultat_vist(self, beslutning: KontoBeslutning) -> str:
        return etiket(beslutning.resultat, "Resultat")

    @admin.display(description="årsag", ordering="aarsag")
    def aarsag_vist(self, beslutning: KontoBeslutning) -> str:
        return aarsag_tekst(beslutning.aarsag)

    @admin.display(description="evidens")
    def evidens_vist(self, beslutning: KontoBeslutning) -> SafeString:
        return evidens_html(beslutning.evidens, kommune_id=beslutning.kommune_id)
