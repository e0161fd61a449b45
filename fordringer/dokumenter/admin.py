"""The letters and statements in the admin: every document made, for whom, its progress, size
and hash, read-only. The PDF opens on the document's own page, where each download is audited;
the admin never shows its bytes."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from fordringer.models import Dokument
from ky_debitor.admin_base import KOMMUNE_FILTER, SkrivebeskyttetAdmin


@admin.register(Dokument)
class DokumentAdmin(SkrivebeskyttetAdmin):
    list_display = ["oprettet", "type", "titel", "modtager_navn", "status", "send", "stoerrelse"]
    list_filter = [KOMMUNE_FILTER, "type", "status", "send"]
    search_fields = ["titel", "modtager_navn", "=sha256"]
    list_select_related = ["kommune"]
    exclude = ["pdf"]
    readonly_fields = ["side"]
    date_hierarchy = "oprettet"

    @admin.display(description="Dokumentets side")
    def side(self, obj: Dokument) -> str:
        return format_html('<a href="{}">Åbn dokumentet</a>', reverse("dokument", args=[obj.pk]))
