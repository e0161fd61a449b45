"""Where a screen sends the person back to (``tilbage``, ``next``): only an address on this
site. A posted or linked return address that names another host, starts with ``//``, or uses
another scheme (``javascript:``) would make the site an open redirect; such a value falls back
to the screen's own default."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def sikker_tilbage(request: HttpRequest, adresse: str | None, standard: str) -> str:
    """``adresse`` if it leads to this site (Django's ``url_has_allowed_host_and_scheme``,
    HTTPS required when the request came by HTTPS), else ``standard``."""
    if adresse and url_has_allowed_host_and_scheme(
        adresse, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return adresse
    return standard
