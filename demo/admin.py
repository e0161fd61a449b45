"""The demo's intended outcomes in the admin: read-only, scoped by kommune."""

from __future__ import annotations

from django.contrib import admin

from ky_debitor.admin_base import SkrivebeskyttetAdmin

from .models import DemoForventning


@admin.register(DemoForventning)
class DemoForventningAdmin(SkrivebeskyttetAdmin):
    list_display = ["konto", "resultat", "aarsag", "bevillingsnummer", "sagsnummer", "scenarie"]
    list_filter = ["resultat", "aarsag", "scenarie"]
    list_select_related = ["konto"]
    search_fields = ["konto__kontonummer", "scenarie"]
