"""The API's shared plumbing: permission by the table, errors in Danish, cursor pages, schema.

Each app's ``api.py`` holds its views (one per action, with input and output serializers);
they call the same selectors and services as the screens. What is here applies to all of them:

* ``api_adgang.AdgangTabel`` — the role check of ``adgang.ADGANG`` (after token
  authentication), and ``api_adgang.Markoerside`` — cursor pagination (stable under inserts,
  no page counting); both apart, since DRF reads them while ``rest_framework.views`` loads;
* ``fejlhaandtering`` — every error as ``{"detail": "…"}`` in Danish, a service's
  ``ApplicationError`` as 400 with its message, field errors under ``felter`` by field path,
  an unexpected exception as 500 in the same shape (its traceback only in the log);
* ``KySchema`` — documents the error answers of every endpoint in the OpenAPI schema.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from .adgang import person
from .api_idempotens import idempotent
from .errors import ApplicationError


class FejlSerializer(serializers.Serializer):
    """The body of every error answer."""

    detail = serializers.CharField(help_text="Fejlen på dansk.")
    felt = serializers.CharField(required=False, help_text="Feltet, fejlen gælder.")
    felter = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Fejl pr. felt, når input er ugyldigt.",
    )


logger = logging.getLogger(__name__)

UGYLDIG = "Forespørgslen er ugyldig. Se fejlene pr. felt."


UVENTET = (
    "Der opstod en uventet fejl på serveren. Prøv igen om lidt, eller kontakt driften, "
    "hvis fejlen bliver ved."
)


def _felter(data: Any, sti: str = "") -> dict[str, list[str]]:
    """Field errors by path: a nested field as ``udbetaling.ny_modtager.navn``, an item of a
    list as ``fordeling.0.beloeb``; the texts themselves, never their Python repr."""
    if isinstance(data, dict):
        felter: dict[str, list[str]] = {}
        for noegle, vaerdi in data.items():
            for felt, tekster in _felter(vaerdi, f"{sti}.{noegle}" if sti else str(noegle)).items():
                felter.setdefault(felt, []).extend(tekster)
        return felter
    if isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        felter = {}
        for nummer, vaerdi in enumerate(data):
            for felt, tekster in _felter(vaerdi, f"{sti}.{nummer}" if sti else str(nummer)).items():
                felter.setdefault(felt, []).extend(tekster)
        return felter
    tekster = [str(v) for v in (data if isinstance(data, list) else [data])]
    return {sti or "non_field_errors": tekster} if tekster else {}


def fejlhaandtering(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler with the project's errors and one Danish error shape."""
    if isinstance(exc, ApplicationError):
        data: dict[str, Any] = {"detail": exc.message}
        if exc.felt:
            data["felt"] = exc.felt
        if exc.felter:
            data["felter"] = exc.felter
        # A subclass may name its own status (422 for a reused Idempotency-Key).
        return Response(data, status=getattr(exc, "http_status", status.HTTP_400_BAD_REQUEST))
    if isinstance(exc, ObjectDoesNotExist | Http404):  # Django's wording is English
        exc = exceptions.NotFound("Findes ikke.")
    response = exception_handler(exc, context)
    if response is None:
        # Anything else is a fault of ours: the client gets the same shape in Danish, never a
        # traceback; the traceback goes to the log, and the request's transaction is undone.
        logger.error("Uventet fejl i API'et", exc_info=exc)
        set_rollback()
        return Response({"detail": UVENTET}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": UGYLDIG, "felter": _felter(exc.detail)}
    elif not (isinstance(response.data, dict) and "detail" in response.data):
        response.data = {"detail": str(response.data)}
    else:
        response.data = {"detail": str(response.data["detail"])}
    return response


class KySchema(AutoSchema):
    """Every operation documents its error answers: the shape of ``FejlSerializer``."""

    # 422: an Idempotency-Key used before with another body.
    FEJLKODER = ("400", "401", "403", "404", "500")
    SKRIV_FEJLKODER = ("422",)

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies = dict(super()._get_response_bodies(direction))
        koder = self.FEJLKODER + (self.SKRIV_FEJLKODER if self.method == "POST" else ())
        for kode in koder:
            if kode not in bodies:
                bodies[kode] = self._get_response_for_code(
                    FejlSerializer, kode, direction=direction
                )
        return bodies


class EgenKommune(generics.GenericAPIView[Any]):
    """A list or detail view whose rows start from ``model.objects.for_user(request.user)``:
    another kommune's row is never listed, and asking for it by id is a 404."""

    model: Any = None
    relationer: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet[Any]:
        rows = self.model.objects.for_user(self.request.user)
        return rows.select_related(*self.relationer) if self.relationer else rows


# Ids are positive and fit a 64-bit integer column; a larger number would overflow the
# database driver (a 500) instead of being a clear 404 or 400.
ID_MAKS = 10**18 - 1


class IdConverter:
    """``<id:pk>`` in API paths: 1 to 18 digits."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class IdFilter(django_filters.NumberFilter):
    """Filter on a related row's id: a whole number from 1 to ``ID_MAKS``."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAKS)
        super().__init__(*args, **kwargs)


def positive_id(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Schema hook: an id in a path is a positive integer of at most 18 digits."""
    for sti in result.get("paths", {}).values():
        for operation in sti.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"].update(minimum=1, maximum=ID_MAKS)
    return result


def beloeb_felt(hjaelp: str = "Beløb i kroner, fx 200.00.") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), help_text=hjaelp
    )


def koersel_styr(
    request: Any,
    *,
    koersler: QuerySet[Any],
    pk: int,
    service: Callable[..., Any],
    ud: type[serializers.Serializer],
) -> Response:
    """Cancel or resume the run ``pk`` of the person's own kommune (``koersler``, scoped to the
    person; 404 for any other) through the admin's own service, once per
    ``Idempotency-Key``; answers with the run as it stands afterwards."""

    def udfoer() -> Response:
        koersel = generics.get_object_or_404(koersler, pk=pk)
        service(koersel=koersel, user=person(request))
        koersel.refresh_from_db()
        return Response(ud(koersel).data)

    return idempotent(request, udfoer)
