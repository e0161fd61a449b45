"""Admin for the money side. Every class builds on ``ky_debitor.admin_base.KommuneAdmin``: lists,
forms and choices are limited to the person's kommune and every write is audited.

Money and links are moved by the services only (``ledger.postering_bogfoer``,
``services.debitorkonto_tilknyt``), never by editing a row here: restance, dækket amounts,
bevilling, sag, references and ydelsestyper are read-only, and the ledger, parked entries and
the eIndkomst outbox cannot be changed at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from fordringer.choices import ManuelKilde
from fordringer.cpr import cpr_maskeret
from fordringer.dokumenter.admin import DokumentAdmin
from fordringer.eindkomst.forms import ManuelForm
from fordringer.eindkomst.manuel import eindkomst_manuel_opret
from fordringer.eindkomst.services import eindkomst_afstem
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.models import (
    Bevilling,
    Borger,
    Debitorkonto,
    DebitorsystemOpsaetning,
    EIndkomstLinje,
    EIndkomstManuel,
    Fordring,
    Gebyrsats,
    Indbetaling,
    IndgaaendeBesked,
    LL8ODaekning,
    MaanedligSamling,
    Ompostering,
    OmposteringAarsag,
    Parkering,
    Postering,
    Renteregimeregel,
    Rentesats,
    Sag,
    SamletFordring,
    Samlingsbeslutning,
    Udbetaling,
    UdgaaendeBesked,
    Ydelseskode,
    Ydelsestype,
)
from fordringer.rente.admin import RentekoerselAdmin
from ky_debitor.admin_base import KOMMUNE_FILTER, KommuneAdmin, SkrivebeskyttetAdmin, kr_kolonne
from ky_debitor.audit import opslag_log
from ky_debitor.errors import ApplicationError
from ky_debitor.money import format_beloeb

# The interest runs' and the documents' admins live with them; importing them registers them.
__all__ = ["DokumentAdmin", "RentekoerselAdmin"]

# --- National reference tables: the same for every kommune, added to, never edited ----------


class NationalTabelAdmin(KommuneAdmin):
    """A national table (``roles.NATIONALE_TABELLER``): only the national administrator's group
    may add a row; a row is never changed or deleted, by anyone (read-only change form; the
    model and a database trigger refuse it too). A change is a new row with its valid-from
    date, audited without a kommune so every kommune's audit trail shows it."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ydelsestype)
class YdelsestypeAdmin(NationalTabelAdmin):
    list_display = ["kode", "navn", "forsoergelsesydelse"]
    list_filter = ["forsoergelsesydelse"]
    search_fields = ["kode", "navn"]


@admin.register(Ydelseskode)
class YdelseskodeAdmin(NationalTabelAdmin):
    list_display = ["kode", "ydelsestype", "beskrivelse"]
    list_filter = ["ydelsestype"]
    list_select_related = ["ydelsestype"]
    search_fields = ["kode", "beskrivelse", "ydelsestype__navn"]


@admin.register(LL8ODaekning)
class LL8ODaekningAdmin(NationalTabelAdmin):
    list_display = ["ydelsestype", "fra_indkomstaar", "til_indkomstaar", "omfattet", "kilde"]
    list_filter = ["ydelsestype", "fra_indkomstaar", "omfattet"]
    list_select_related = ["ydelsestype"]
    search_fields = ["ydelsestype__navn", "kilde"]


# --- Tenant data ------------------------------------------------------------------------------


@admin.register(Borger)
class BorgerAdmin(KommuneAdmin):
    # No search on CPR: the admin searches by GET, and a CPR number must never be in a URL.
    list_display = ["navn", "cpr_vist", "kommune"]
    list_filter = [KOMMUNE_FILTER]
    list_select_related = ["kommune"]
    search_fields = ["navn"]
    laast_ved_rettelse = ("kommune",)

    @admin.display(description="CPR-nummer", ordering="cpr")
    def cpr_vist(self, obj: Borger) -> str:
        return obj.cpr_maskeret

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The change form shows the full CPR number: log it, as on the caseworker's screens.
        if request.method == "GET":
            borger = self.get_object(request, object_id)
            if borger is not None:
                opslag_log(
                    user=request.user,
                    kommune_id=borger.kommune_id,
                    objekt=borger,
                    formaal="Borger vist i administrationen med fuldt CPR-nummer",
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Sag)
class SagAdmin(KommuneAdmin):
    list_display = [
        "sagsnummer",
        "borger",
        "ydelseskode",
        "ydelsestype",
        "status",
        "oprettet_ved_tilknytning",
        "kommune",
    ]
    list_filter = ["status", "oprettet_ved_tilknytning", "ydelsestype", KOMMUNE_FILTER]
    list_select_related = ["borger", "ydelsestype", "kommune"]
    search_fields = ["sagsnummer", "borger__navn"]
    raw_id_fields = ["borger"]
    laast_ved_rettelse = ("kommune", "borger")


@admin.register(Bevilling)
class BevillingAdmin(KommuneAdmin):
    list_display = [
        "bevillingsnummer",
        "borger",
        "ydelseskode",
        "periode_fra",
        "periode_til",
        "tilbagebetalingspligt",
        "loebende",
        "sag",
        "kommune",
    ]
    list_filter = ["ydelseskode", "tilbagebetalingspligt", "loebende", KOMMUNE_FILTER]
    list_select_related = ["borger", "sag", "kommune"]
    search_fields = ["bevillingsnummer", "borger__navn", "sag__sagsnummer"]
    raw_id_fields = ["borger", "sag"]
    laast_ved_rettelse = ("kommune", "borger")


@admin.register(Debitorkonto)
class DebitorkontoAdmin(KommuneAdmin):
    list_display = [
        "kontonummer",
        "borger",
        "kilde",
        "status",
        "frigivelsestype",
        "tilknytning",
        "sag",
        "kommune",
    ]
    list_filter = ["kilde", "status", "frigivelsestype", "tilknytning", KOMMUNE_FILTER]
    list_select_related = ["borger", "sag", "kommune"]
    search_fields = ["kontonummer", "borger__navn", "sag__sagsnummer"]
    raw_id_fields = ["borger"]
    # Linking goes through services.debitorkonto_tilknyt (releases parked dækninger, audits).
    # The status is derived from the konto's facts (fordringer.kontostatus); LUKKET comes from
    # the import or the debitorsystem.
    readonly_fields = [
        "status",
        "bevilling",
        "sag",
        "tilknytning",
        "tilknyttet_af",
        "tilknyttet_tid",
    ]
    laast_ved_rettelse = ("kommune", "borger", "kilde")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # A changed frigivelsestype is a fact of the status.
            kontostatus_opdater(kommune_id=obj.kommune_id, konto_ids=[obj.pk])


@admin.register(Fordring)
class FordringAdmin(KommuneAdmin):
    list_display = [
        "fordringsid",
        "konto",
        "tekst",
        "forfaldsdato",
        "hovedstol_kr",
        "restance_kr",
        "ydelsestype",
        "kmd_aktiv_reference",
        "opkraevningstilstand",
    ]
    list_filter = [
        "kilde",
        "opkraevningstilstand",
        "ydelsestype",
        "inddrivelse",
        "renteregime",
        KOMMUNE_FILTER,
    ]
    list_select_related = ["konto", "ydelsestype"]
    search_fields = ["fordringsid", "konto__kontonummer", "kmd_aktiv_reference"]
    raw_id_fields = ["konto"]
    readonly_fields = [
        "hovedstol",
        "restance",
        "kmd_aktiv_reference",
        "reference_kilde",
        "ydelsestype",
    ]
    laast_ved_rettelse = ("kommune", "konto", "kilde")

    hovedstol_kr = kr_kolonne("hovedstol", "hovedstol")

    restance_kr = kr_kolonne("restance", "restance")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A claim's principal is its first ledger entry; claims come from the import.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and {"periode_fra", "forfaldsdato"} & set(form.changed_data):
                # The payout year decides correction or § 8 O: the lines follow the period.
                eindkomst_afstem(fordring_ids=[obj.pk])
            if change and "opkraevningstilstand" in form.changed_data:
                # A claim under collection without payments makes its konto wait for one.
                kontostatus_opdater(kommune_id=obj.kommune_id, konto_ids=[obj.konto_id])


@admin.register(Indbetaling)
class IndbetalingAdmin(KommuneAdmin):
    list_display = ["indbetalingsid", "borger", "beloeb_kr", "daekket_kr", "valoerdato", "kommune"]
    list_filter = ["valoerdato", KOMMUNE_FILTER]
    list_select_related = ["borger", "kommune"]
    search_fields = ["indbetalingsid", "borger__navn"]
    raw_id_fields = ["borger"]
    readonly_fields = ["daekket"]
    laast_ved_rettelse = ("kommune", "beloeb")

    beloeb_kr = kr_kolonne("beloeb")

    daekket_kr = kr_kolonne("daekket", "dækket")


# --- Append-only history and outboxes: read-only ---------------------------------------------


@admin.register(Postering)
class PosteringAdmin(SkrivebeskyttetAdmin):
    list_display = [
        "valoerdato",
        "fordring",
        "art",
        "beloeb_kr",
        "tekst",
        "aktoer",
        "bogfoert",
        "tilbagefoerer",
    ]
    list_filter = ["art", KOMMUNE_FILTER]
    list_select_related = ["fordring", "tilbagefoerer"]
    search_fields = ["fordring__fordringsid", "ekstern_id", "aktoer"]
    date_hierarchy = "valoerdato"

    beloeb_kr = kr_kolonne("beloeb")


@admin.register(Parkering)
class ParkeringAdmin(SkrivebeskyttetAdmin):
    list_display = ["postering", "konto", "beloeb_kr", "parkeret", "frigivet"]
    list_filter = [("frigivet", admin.EmptyFieldListFilter), KOMMUNE_FILTER]
    list_select_related = ["postering", "konto"]
    search_fields = ["konto__kontonummer"]

    beloeb_kr = kr_kolonne("beloeb")


@admin.register(EIndkomstLinje)
class EIndkomstLinjeAdmin(SkrivebeskyttetAdmin):
    # The full CPR number stays out of the admin; the file export is where it belongs.
    list_display = [
        "indkomstaar",
        "art",
        "cpr_vist",
        "beloeb_kr",
        "ydelsestype",
        "efterregulering",
        "oprettet",
    ]
    list_filter = ["indkomstaar", "art", "efterregulering", "ydelsestype", KOMMUNE_FILTER]
    list_select_related = ["ydelsestype"]
    exclude = ["cpr"]
    readonly_fields = ["cpr_vist"]
    raw_id_fields = ["postering", "tilbagefoerer"]

    @admin.display(description="CPR-nummer")
    def cpr_vist(self, obj: EIndkomstLinje) -> str:
        return cpr_maskeret(obj.cpr)

    beloeb_kr = kr_kolonne("beloeb")


# --- Ompostering: national reasons and rates; the rest is written by the services ----------


@admin.register(OmposteringAarsag)
class OmposteringAarsagAdmin(KommuneAdmin):
    """National reason texts: the national administrator adds a reason and may retire it
    (``aktiv``) or reorder it; its text is never reworded and it is never deleted."""

    list_display = ["tekst", "aktiv", "raekkefoelge"]
    list_editable = ["aktiv", "raekkefoelge"]
    search_fields = ["tekst"]
    laast_ved_rettelse = ("tekst",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rentesats)
class RentesatsAdmin(NationalTabelAdmin):
    list_display = ["renteregime", "gyldig_fra", "basisrente", "tillaeg", "kilde"]
    list_filter = ["renteregime"]


@admin.register(Gebyrsats)
class GebyrsatsAdmin(NationalTabelAdmin):
    list_display = [
        "renteregime",
        "art",
        "gyldig_fra",
        "beloeb",
        "hoejst_pr_fordring",
        "mindste_interval_dage",
        "kilde",
    ]
    list_filter = ["renteregime", "art"]


@admin.register(Renteregimeregel)
class RenteregimeregelAdmin(NationalTabelAdmin):
    list_display = ["ydelsestype", "renteregime", "gyldig_fra", "kilde"]
    list_filter = ["renteregime", "ydelsestype"]


@admin.register(Ompostering)
class OmposteringAdmin(SkrivebeskyttetAdmin):
    list_display = [
        "pk",
        "fra_borger",
        "til_borger",
        "beloeb_kr",
        "aarsag_tekst",
        "oprettet_af",
        "oprettet",
    ]
    list_filter = [KOMMUNE_FILTER, "automatisk"]
    list_select_related = ["fra_borger", "til_borger", "oprettet_af"]
    beloeb_kr = kr_kolonne("beloeb")


@admin.register(Udbetaling)
class UdbetalingAdmin(SkrivebeskyttetAdmin):
    list_display = [
        "pk",
        "borger",
        "beloeb_kr",
        "kanal",
        "overfoersel",
        "status",
        "oprindelse",
        "oprettet",
    ]
    list_filter = [KOMMUNE_FILTER, "status", "kanal"]
    list_select_related = ["borger"]
    beloeb_kr = kr_kolonne("beloeb")


@admin.register(UdgaaendeBesked)
class UdgaaendeBeskedAdmin(SkrivebeskyttetAdmin):
    list_display = [
        "noegle",
        "type",
        "status",
        "forsoeg",
        "sidste_forsoeg",
        "naeste_forsoeg",
        "sendt",
    ]
    list_filter = [KOMMUNE_FILTER, "type", "status"]
    search_fields = ["noegle"]


@admin.register(DebitorsystemOpsaetning)
class DebitorsystemOpsaetningAdmin(KommuneAdmin):
    """Which of the debitorsystem's integrations are in place (seed 003); Drift ticks them off
    as the supplier confirms, and the Drift screen shows what is still missing."""

    list_display = [
        "kommune",
        "b01_registrering",
        "b02_forespoergsel",
        "b03_indbetaling",
        "beskedfordeler",
        "opdateret",
    ]
    laast_ved_rettelse = ("kommune",)


@admin.register(IndgaaendeBesked)
class IndgaaendeBeskedAdmin(SkrivebeskyttetAdmin):
    list_display = ["besked_id", "type", "resultat", "kommune", "modtaget", "modtaget_af"]
    list_filter = [KOMMUNE_FILTER, "type", "resultat"]
    search_fields = ["besked_id"]


@admin.register(Samlingsbeslutning)
class SamlingsbeslutningAdmin(SkrivebeskyttetAdmin):
    """ "Vurder, saml og frigiv debitorkonto": every decision, never edited (seed 000)."""

    list_display = ["tidspunkt", "konto", "beslutning", "ky_konto", "frigivet_konto", "bruger"]
    list_filter = ["beslutning", KOMMUNE_FILTER]
    list_select_related = ["konto", "ky_konto", "frigivet_konto", "bruger"]
    search_fields = ["konto__kontonummer", "ky_konto__kontonummer"]


@admin.register(SamletFordring)
class SamletFordringAdmin(SkrivebeskyttetAdmin):
    list_display = ["beslutning", "fra_fordring", "til_fordring", "beloeb_kr"]
    list_select_related = ["beslutning", "fra_fordring", "til_fordring"]
    search_fields = ["fra_fordring__fordringsid", "til_fordring__fordringsid"]

    beloeb_kr = kr_kolonne("beloeb")


@admin.register(MaanedligSamling)
class MaanedligSamlingAdmin(SkrivebeskyttetAdmin):
    """ "Månedlig samling": created by the daily beat task, marked done on the screen."""

    list_display = ["forfald", "konto", "maaned", "udbetalingskoersel", "afsluttet", "afsluttet_af"]
    list_filter = ["forfald"]
    list_select_related = ["konto", "afsluttet_af"]
    search_fields = ["konto__kontonummer"]


# --- eIndkomst: what the kommune reported by hand (seed 000's workaround) ---------------------


@admin.register(EIndkomstManuel)
class EIndkomstManuelAdmin(KommuneAdmin):
    """Read-only history; "Tilføj" records an amount through the service, as the screen and
    the API do (same checks, same audit), never as a bare row."""

    list_display = [
        "oprettet",
        "indkomstaar",
        "cpr_vist",
        "beloeb_kr",
        "kilde",
        "tekst",
        "tilbagefoerer",
        "aktoer",
    ]
    list_filter = ["indkomstaar", "kilde", KOMMUNE_FILTER]
    list_select_related = ["tilbagefoerer"]
    exclude = ["cpr"]
    readonly_fields = ["cpr_vist"]
    raw_id_fields = ["tilbagefoerer"]

    @admin.display(description="CPR-nummer")
    def cpr_vist(self, obj: EIndkomstManuel) -> str:
        return cpr_maskeret(obj.cpr)

    beloeb_kr = kr_kolonne("beloeb")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ManuelForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                row = eindkomst_manuel_opret(
                    user=request.user,  # type: ignore[arg-type]
                    cpr=form.cleaned_data["cpr"],
                    indkomstaar=form.cleaned_data["indkomstaar"],
                    beloeb=form.cleaned_data["beloeb"],
                    tekst=form.cleaned_data["tekst"],
                    kilde=ManuelKilde.ADMIN,
                )
            except ApplicationError as fejl:
                form.add_error(fejl.felt if fejl.felt in form.fields else None, fejl.message)
            else:
                self.message_user(
                    request,
                    f"{format_beloeb(row.beloeb)} kr. for {cpr_maskeret(row.cpr)} i indkomståret "
                    f"{row.indkomstaar} er registreret som manuelt indberettet.",
                    messages.SUCCESS,
                )
                return redirect("admin:fordringer_eindkomstmanuel_changelist")
        context = {
            **self.admin_site.each_context(request),
            **(extra_context or {}),
            "opts": self.opts,
            "title": "Registrér et manuelt indberettet beløb",
            "form": form,
        }
        return TemplateResponse(
            request,
            "admin/fordringer/eindkomstmanuel/tilfoej.html",
            context,
            status=400 if form.errors else 200,
        )
