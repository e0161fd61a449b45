"""Stored exports in the admin: read-only, scoped to the operator's kommune."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Eksport


@admin.register(Eksport)
class EksportAdmin(admin.ModelAdmin):
    list_display = ("titel", "format", "bruger", "status", "antal", "oprettet", "udloeber")
    list_filter = ("status", "format", "rapport")
    readonly_fields = [f.name for f in Eksport._meta.fields]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Eksport.objects.for_user(request.user).select_related("bruger")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
