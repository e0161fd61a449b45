"""The API's permission class and pagination, named in ``settings.REST_FRAMEWORK``.

Kept apart from ``api.py``: DRF reads these settings while ``rest_framework.views`` is being
imported, so this module must not import it.
"""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .adgang import NAEGTET, adgang_tilladt, url_navn


class AdgangTabel(BasePermission):
    """Logged in (session or token), and the role the table names for this endpoint."""

    message = NAEGTET

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return adgang_tilladt(request.user, url_navn(request._request))


class Markoerside(CursorPagination):
    """Cursor pages of 50 (``antal`` up to 500), newest id first unless a view says otherwise."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "antal"
    max_page_size = 500
    cursor_query_param = "markoer"
    invalid_cursor_message = "Ugyldig markør."
