"""``/healthz`` for operations: can this web process reach its database and its broker?

Answered by the first middleware, before host validation and the HTTPS redirect, so a load
balancer or ``docker compose`` can probe a container by its IP over plain HTTP. No login is
needed and nothing is revealed but "ok" or "utilgængelig": no host names, no error texts.
200 when everything answers, 503 when something does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse

log = logging.getLogger(__name__)

STI = "/healthz"
OK = "ok"
UTILGAENGELIG = "utilgængelig"
I_PROCES = "in-process"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.exception("Healthz: databasen svarer ikke")
        return UTILGAENGELIG
    return OK


def _broker() -> str:
    """Redis when ``REDIS_URL`` is set; without it Celery tasks run in this process."""
    if not settings.REDIS_URL:
        return I_PROCES
    try:
        klient = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        try:
            klient.ping()
        finally:
            klient.close()
    except Exception:
        log.exception("Healthz: brokeren svarer ikke")
        return UTILGAENGELIG
    return OK


def healthz(request: HttpRequest) -> JsonResponse:
    svar = {"database": _database(), "broker": _broker()}
    fejl = UTILGAENGELIG in svar.values()
    response = JsonResponse({"status": "fejl" if fejl else OK, **svar}, status=503 if fejl else 200)
    response["Cache-Control"] = "no-store"
    return response


class HealthzMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.rstrip("/") == STI and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
