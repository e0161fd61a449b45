"""Admin for the opgavepakker and their tasks: read-only, scoped by kommune.

Tasks change state through the caseworker's screens and the linking run (``workflow.py``,
``services.py``), never by editing a row here. The lists are for following the packages: each
package shows how many of its tasks are open, in progress and done, counted in the same query
as the list itself.

Also home of two pieces the linking run's admin reuses (``sagstilknytning`` may import
``opgavepakker``, not the other way round): ``RolleAdgangAdmin`` and ``evidens_html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from fordringer.models import Debitorkonto, Sag
from fordringer.tilknytning.regler import REGELNAVNE
from fordringer.tilknytning.regler import navn as kodenavn
from ky_debitor.adgang import adgang_tilladt
from ky_debitor.admin import SkrivebeskyttetAdmin

from .models import MaanedligSamling, Opgave, Opgavepakke
from .pakker import AARSAGER
from .selectors import evidens_fordringer
from .workflow import OpgaveStatus

INGENTING = "\N{EN DASH}"  # an empty cell


class RolleAdgangAdmin(SkrivebeskyttetAdmin):
    """Read-only admin that the roles the table gives its list (``ky_debitor.adgang``) may
    view. Django's own view permission still works for anyone given it explicitly."""

    def _rolle_laeser(self, request: HttpRequest) -> bool:
        navn = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        return adgang_tilladt(request.user, navn)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._rolle_laeser(request) or super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._rolle_laeser(request) or super().has_module_permission(request)

    def get_list_display(self, request: HttpRequest) -> Any:
        # A person sees one kommune only: a column repeating it just takes room.
        kolonner = super().get_list_display(request)
        if getattr(request.user, "is_superuser", False):
            return kolonner
        return [k for k in kolonner if k != "kommune"]


class AarsagFilter(admin.SimpleListFilter):
    """The seven reason codes, with their Danish names; no scan of the table to list them."""

    title = "årsag"
    parameter_name = "aarsag"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        return AARSAGER

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(aarsag=self.value()) if self.value() else queryset


def aarsag_tekst(kode: str) -> str:
    return f"{kodenavn(kode)} ({kode})" if kode else INGENTING


def konto_link(konto: Debitorkonto) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:fordringer_debitorkonto_change", args=[konto.pk]),
        konto.kontonummer,
    )


def _kandidater(kandidater: Iterable[Mapping[str, Any]]) -> SafeString:
    liste = list(kandidater)
    if not liste:
        return format_html("{}", "Ingen kandidater: borgeren har ingen bevillinger.")
    # One line each, not a list: the admin's aligned forms indent every <ul> by 160px.
    return format_html_join(
        "",
        "<div>{}: {}</div>",
        (
            (
                k.get("bevillingsnummer") or "(tom)",
                f"afvist, {k['afvist']}" if k.get("afvist") else "valgt",
            )
            for k in liste
        ),
    )


def evidens_html(evidens: Mapping[str, Any], *, kommune_id: int) -> SafeString:
    """The evidence a linking run stored (DESIGN §4.7) as a table a person can read: per
    fordring which rule decided it, the candidate bevillinger and why each was rejected."""
    if not evidens:
        return format_html("{}", "Ingen evidens gemt.")
    dele: list[SafeString] = []
    ville = evidens.get("ville_have_besluttet")
    if ville:
        dele.append(
            format_html(
                "<p>Debitorkontoen er tilknyttet eller refereret manuelt og blev ikke ændret. "
                "Kørslen ville have besluttet <strong>{}</strong>{}.</p>",
                ville.get("resultat", ""),
                f" med årsag {aarsag_tekst(ville['aarsag'])}" if ville.get("aarsag") else "",
            )
        )
    nummer = {b["id"]: b["bevillingsnummer"] for b in evidens.get("bevillinger", [])}
    fordringer = evidens_fordringer(evidens)
    if fordringer:
        dele.append(
            format_html(
                "<table><caption>Fordringer</caption><thead><tr>"
                '<th scope="col">Fordring</th><th scope="col">Afgjort af</th>'
                '<th scope="col">Valgt bevilling</th><th scope="col">Kandidater</th>'
                "</tr></thead><tbody>{}</tbody></table>",
                format_html_join(
                    "",
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    (
                        (
                            f.get("fordringsid", ""),
                            kodenavn(f["regel"])
                            if f["regel"] in REGELNAVNE
                            else f"Ingen regel: {aarsag_tekst(f['regel'])}",
                            nummer.get(f.get("bevilling_id"), INGENTING),
                            _kandidater(f.get("kandidater", [])),
                        )
                        for f in fordringer
                    ),
                ),
            )
        )
    else:
        dele.append(format_html("<p>{}</p>", "Debitorkontoen har ingen fordringer."))
    if evidens.get("kandidat_sager"):
        sager = Sag.objects.filter(kommune_id=kommune_id, pk__in=evidens["kandidat_sager"])
        dele.append(
            format_html(
                "<p>Flere åbne KY-sager passer: {}.</p>",
                ", ".join(sorted(s.sagsnummer for s in sager)),
            )
        )
    bevillinger = evidens.get("bevillinger", [])
    dele.append(
        format_html(
            "<p>Borgerens bevillinger: {}.</p>",
            ", ".join(f"{b['bevillingsnummer']} ({b['ydelseskode']})" for b in bevillinger)
            or "ingen",
        )
    )
    return format_html_join("", "{}", ((d,) for d in dele))


@admin.register(Opgavepakke)
class OpgavepakkeAdmin(RolleAdgangAdmin):
    list_display = ["navn", "aabne", "i_gang", "afsluttede", "aarsag", "kommune"]
    list_filter = ["med_daekninger", "venteskridt", ("kommune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["kommune"]
    ordering = ["kommune__kode", "raekkefoelge"]
    fields = ["navn", "kode", "aarsag", "med_daekninger", "venteskridt", "raekkefoelge", "kommune"]

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
            '<a href="{}?pakke={}&amp;status__exact={}">{}</a>', url, pakke.pk, status, antal
        )

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
        return konto_link(opgave.konto)

    @admin.display(description="årsag", ordering="aarsag")
    def aarsag_vist(self, opgave: Opgave) -> str:
        return aarsag_tekst(opgave.aarsag)

    @admin.display(description="evidens")
    def evidens_vist(self, opgave: Opgave) -> SafeString:
        return evidens_html(opgave.evidens, kommune_id=opgave.kommune_id)


@admin.register(MaanedligSamling)
class MaanedligSamlingAdmin(SkrivebeskyttetAdmin):
    """ "Månedlig samling": created by the daily beat task, marked done on the screen."""

    list_display = ["forfald", "konto", "maaned", "udbetalingskoersel", "afsluttet", "afsluttet_af"]
    list_filter = ["forfald"]
    list_select_related = ["konto", "afsluttet_af"]
    search_fields = ["konto__kontonummer"]
