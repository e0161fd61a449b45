"""Log a person out after ``KY_SESSION_MINUTTER`` without activity — and polls are no activity.

The session expires ``SESSION_COOKIE_AGE`` after it was last saved. This middleware saves it on
every request a person makes, but not on an htmx background poll (the progress of a linking run
or an export, marked by the header ``KY-Poll``), so a page left open with a progress bar does
not keep the session alive for ever.

When an htmx request meets an expired session, the view's redirect to the login page would be
followed by htmx and the login page rendered inside the polled panel. Instead the answer tells
htmx to send the whole browser to the login page (``HX-Redirect``), with the page the person was
on as ``next``. A request that arrives with the cookie of a session that has expired adds a
Danish message that the login page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import resolve_url
from django.urls import reverse

POLL_HEADER = "KY-Poll"


def er_poll(request: HttpRequest) -> bool:
    """An htmx request that the page makes by itself on a timer, not a person's action."""
    return request.headers.get("HX-Request") == "true" and request.headers.get(POLL_HEADER) == "1"


def _session_udloebet(request: HttpRequest) -> bool:
    """The browser sent a session cookie, but the session behind it is gone (expired)."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        and not request.user.is_authenticated
        and request.session.session_key is None
    )


def _login_stier() -> set[str]:
    return {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


def _htmx_login_redirect(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Turn a redirect to a login page, answering an htmx request, into ``HX-Redirect``."""
    if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302):
        return response
    maal = urlsplit(response["Location"])
    if maal.path not in _login_stier():
        return response
    side = urlsplit(request.headers.get("HX-Current-URL", ""))
    naeste = side.path + (f"?{side.query}" if side.query else "") or "/"
    svar = HttpResponse(status=200)
    svar["HX-Redirect"] = redirect_to_login(naeste, maal.path)["Location"]
    return svar


class InaktivitetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _session_udloebet(request):
            messages.info(
                request,
                f"Du er blevet logget af, fordi du ikke har været aktiv i "
                f"{settings.SESSION_COOKIE_AGE // 60} minutter. Log på igen.",
            )
        elif request.user.is_authenticated and not er_poll(request):
            # Saving the session moves its expiry SESSION_COOKIE_AGE ahead.
            request.session.modified = True
        return _htmx_login_redirect(request, self.get_response(request))
