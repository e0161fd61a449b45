"""Admin for interest runs: the list with each run's progress, "Start rentekørsel" (a form for
the kommune and the date), the action that resumes stopped runs, and on a run's page a live
progress panel polled by htmx, with cancel and resume, as for the linking runs.

Runs are created and resumed by the services in ``rente/koersel.py`` only, which audit who
did it; the list itself is read-only and scoped to the person's kommune. Only Drift (and
platform operators) start and resume runs, the same people who run the linking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from fordringer.models import Rentekoersel
from fordringer.rente.koersel import (
    rentekoersel_annuller,
    rentekoersel_genoptag,
    rentekoersel_start,
)
from fordringer.rente.selectors import rentekoersel_fremdrift
from ky_debitor.adgang import adgang_tilladt
from ky_debitor.admin_base import INGENTING, KOMMUNE_FILTER, KoerselAdmin, kommune_afgraens
from ky_debitor.errors import ApplicationError
from ky_debitor.koe import afsendelser
from ky_debitor.models import Bruger, Kommune
from ky_debitor.money import format_beloeb
from ky_debitor.visning import tal, tidspunkt

START = "admin:fordringer_rentekoersel_start"


def kan_styre(user: Any) -> bool:
    """Only Drift (and platform operators) start and resume interest runs (``adgang``)."""
    return adgang_tilladt(user, START)


class StartForm(forms.Form):
    kommune = forms.ModelChoiceField(queryset=Kommune.objects.none(), label="Kommune")
    til_dato = forms.DateField(
        label="Renter til og med",
        required=False,
        input_formats=["%d-%m-%Y"],
        help_text="dd-mm-åååå; tom: i dag.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        felt = cast("forms.ModelChoiceField[Kommune]", self.fields["kommune"])
        felt.queryset = kommune_afgraens(Kommune.objects.order_by("navn"), user)
        if not getattr(user, "is_superuser", False):
            felt.empty_label = None  # a person starts runs for their own kommune only


@admin.register(Rentekoersel)
class RentekoerselAdmin(KoerselAdmin):
    list_display = [
        "id",
        "kommune",
        "til_dato",
        "status",
        "fremdrift",
        "aendret",
        "bogfoert",
        "startet_kort",
        "afsluttet_kort",
        "startet_af",
    ]
    list_filter = ["status", KOMMUNE_FILTER]
    list_select_related = ["kommune", "startet_af"]
    actions = ["genoptag"]
    change_list_template = "admin/fordringer/rentekoersel/change_list.html"
    panel_skabelon = "admin/fordringer/rentekoersel/_fremdrift.html"
    # Status, figures and times change while the page is open: the live panel shows them.
    fields = ["kommune", "til_dato", "startet_af", "oprettet"]

    def get_urls(self) -> list[URLPattern]:
        # Ours first: the admin's own "<path:object_id>/" would swallow "start/".
        def vis(view: Any) -> Any:
            return self.admin_site.admin_view(view)

        return [
            path("start/", vis(self.start_view), name="fordringer_rentekoersel_start"),
            path(
                "<path:object_id>/fremdrift/",
                vis(self.fremdrift_view),
                name="fordringer_rentekoersel_fremdrift",
            ),
            path(
                "<path:object_id>/annuller/",
                vis(require_POST(self.annuller_view)),
                name="fordringer_rentekoersel_annuller",
            ),
            path(
                "<path:object_id>/genoptag/",
                vis(require_POST(self.genoptag_view)),
                name="fordringer_rentekoersel_genoptag",
            ),
            *super().get_urls(),
        ]

    def has_styre_permission(self, request: HttpRequest) -> bool:
        return kan_styre(request.user)

    @admin.display(description="fremdrift", ordering="antal_behandlet")
    def fremdrift(self, koersel: Rentekoersel) -> str:
        return f"{tal(koersel.antal_behandlet)} fordringer i {tal(koersel.dele_faerdige)} dele"

    @admin.display(description="ny rente", ordering="antal_aendret")
    def aendret(self, koersel: Rentekoersel) -> str:
        return tal(koersel.antal_aendret)

    @admin.display(description="bogført netto (kr.)", ordering="beloeb_bogfoert")
    def bogfoert(self, koersel: Rentekoersel) -> str:
        return format_beloeb(koersel.beloeb_bogfoert)

    @admin.display(description="startet", ordering="startet")
    def startet_kort(self, koersel: Rentekoersel) -> str:
        return tidspunkt(koersel.startet) if koersel.startet else INGENTING

    @admin.display(description="afsluttet", ordering="afsluttet")
    def afsluttet_kort(self, koersel: Rentekoersel) -> str:
        return tidspunkt(koersel.afsluttet) if koersel.afsluttet else INGENTING

    @admin.action(description="Genoptag de markerede rentekørsler", permissions=["styre"])
    def genoptag(self, request: HttpRequest, queryset: QuerySet[Rentekoersel]) -> None:
        for koersel in queryset.order_by("pk"):
            try:
                rentekoersel_genoptag(koersel=koersel, user=cast(Bruger, request.user))
            except ApplicationError as exc:
                messages.error(request, f"Rentekørsel {koersel.pk}: {exc.message}")
            else:
                messages.success(request, f"Rentekørsel {koersel.pk} er genoptaget.")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "kan_starte": kan_styre(request.user)}
        return super().changelist_view(request, extra_context)

    # --- A run's page: the live panel, cancel and resume ------------------------------------

    def _koersel(self, request: HttpRequest, object_id: str) -> Rentekoersel:
        """The run, looked up within the person's kommune: another kommune's is not found."""
        koersel = self.get_object(request, unquote(object_id))
        if koersel is None or not self.has_view_permission(request, koersel):
            raise Http404("Rentekørslen findes ikke.")
        return koersel

    def panel_context(self, request: HttpRequest, koersel: Rentekoersel) -> dict[str, Any]:
        def url(handling: str) -> str:
            return reverse(f"admin:fordringer_rentekoersel_{handling}", args=[koersel.pk])

        return {
            "koersel": koersel,
            "fremdrift": rentekoersel_fremdrift(koersel),
            "kan_styre": kan_styre(request.user),
            "fremdrift_url": url("fremdrift"),
            "annuller_url": url("annuller"),
            "genoptag_url": url("genoptag"),
        }

    def koersel_titel(self, koersel: Rentekoersel) -> str:
        return f"Rentekørsel {koersel.pk} til {koersel.til_dato:%d-%m-%Y}"

    def fremdrift_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The panel alone: polled by htmx every second while the run is active."""
        koersel = self._koersel(request, object_id)
        return TemplateResponse(
            request,
            "admin/fordringer/rentekoersel/_fremdrift.html",
            self.panel_context(request, koersel),
        )

    def _styr(
        self, request: HttpRequest, object_id: str, handling: Any, udfoert: str
    ) -> HttpResponse:
        if not isinstance(request.user, Bruger) or not kan_styre(request.user):
            raise PermissionDenied("Kun Drift kan annullere og genoptage rentekørsler.")
        koersel = self._koersel(request, object_id)
        try:
            with afsendelser():
                handling(koersel=koersel, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, udfoert)
        return HttpResponseRedirect(
            reverse("admin:fordringer_rentekoersel_change", args=[koersel.pk])
        )

    def annuller_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._styr(
            request,
            object_id,
            rentekoersel_annuller,
            "Rentekørslen er annulleret; det bogførte står, og den kan genoptages.",
        )

    def genoptag_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._styr(request, object_id, rentekoersel_genoptag, "Rentekørslen er genoptaget.")

    def start_view(self, request: HttpRequest) -> HttpResponse:
        if not isinstance(request.user, Bruger) or not kan_styre(request.user):
            raise PermissionDenied("Kun Drift kan starte rentekørsler.")
        form = StartForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            til_dato: dt.date | None = form.cleaned_data["til_dato"]
            try:
                with afsendelser() as afsendelse:
                    koersel = rentekoersel_start(
                        kommune=form.cleaned_data["kommune"], til_dato=til_dato, user=request.user
                    )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if afsendelse.udskudt:
                    messages.warning(
                        request,
                        f"Rentekørslen for {koersel.kommune.navn} er oprettet; den starter, "
                        "når køen er tilgængelig igen.",
                    )
                else:
                    messages.success(
                        request, f"Rentekørslen for {koersel.kommune.navn} er startet."
                    )
                return HttpResponseRedirect(
                    reverse("admin:fordringer_rentekoersel_change", args=[koersel.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Start rentekørsel",
            "form": form,
        }
        return TemplateResponse(request, "admin/fordringer/rentekoersel/start.html", context)
