"""The demo's intended outcomes in the admin: read-only, scoped by kommune."""

from __future__ import annotations

from django.contrib import admin

from ky_debitor.admin_base import SkrivebeskyttetAdmin, etiketfilter
from ky_debitor.etiketter import etiket

from .models import DemoForventning


@admin.register(DemoForventning)
class DemoForventningAdmin(SkrivebeskyttetAdmin):
    list_display = [
        "konto",
        "resultat_vist",
        "aarsag_vist",
        "bevillingsnummer",
        "sagsnummer",
        "scenarie",
    ]
    list_filter = [
        etiketfilter("resultat", "resultat", "Resultat"),
        etiketfilter("aarsag", "årsag", "Aarsag"),
        "scenarie",
    ]
    list_select_related = ["konto"]
    search_fields = ["konto__kontonummer", "scenarie"]
    fields = ["konto", "resultat_vist", "aarsag_vist", "bevillingsnummer", "sagsnummer", "scenarie"]
    readonly_fields = ["resultat_vist", "aarsag_vist"]

    @admin.display(description="resultat", ordering="resultat")
    def resultat_vist(self, forventning: DemoForventning) -> str:
        return etiket(forventning.resultat, "Resultat")

    @admin.display(description="årsag", ordering="aarsag")
    def aarsag_vist(self, forventning: DemoForventning) -> str:
        return etiket(forventning.aarsag, "Aarsag")
