"""``Idempotency-Key`` on every API write that moves money or opens work (issue #8).

The first request with a key does the work and stores its answer in the same transaction;
the same key from the same user again gets that answer back (header ``Idempotent-Replayed``)
and nothing is done twice. The same key with another body or on another endpoint is refused
with 422. A request that fails stores nothing, so the client may try again with the same key.
Two requests with one key at once: the database's unique key makes the second wait for the
first and then replay it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import ApplicationError
from .models import Bruger, IdempotensNoegle

HEADER = "Idempotency-Key"
NOEGLE_MAKS = 255

IDEMPOTENS_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="En nøgle, klienten vælger pr. handling (fx et UUID). Samme nøgle igen giver "
    "det første svar tilbage, og intet udføres to gange.",
)


class NoegleGenbrugt(ApplicationError):
    """The key was used before for another request."""

    http_status = status.HTTP_422_UNPROCESSABLE_ENTITY


class _Afvist(Exception):
    def __init__(self, svar: Response) -> None:
        self.svar = svar


def _indhold_hash(request: Request) -> str:
    tekst = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(tekst.encode()).hexdigest()


def _gentag(tidligere: IdempotensNoegle, forespoergsel: str, indhold_hash: str) -> Response:
    if tidligere.forespoergsel != forespoergsel or tidligere.indhold_hash != indhold_hash:
        raise NoegleGenbrugt(
            f"Idempotency-Key er allerede brugt til en anden forespørgsel "
            f"({tidligere.forespoergsel}). Brug en ny nøgle til en ny handling. Intet er ændret."
        )
    svar = Response(tidligere.svar, status=tidligere.status or status.HTTP_200_OK)
    svar["Idempotent-Replayed"] = "true"
    return svar


def idempotent(request: Request, udfoer: Callable[[], Response]) -> Response:
    """Run ``udfoer`` once per (user, Idempotency-Key); replay its answer after that."""
    noegle = request.headers.get(HEADER, "").strip()
    if not noegle:
        raise ApplicationError(
            f"Headeren {HEADER} mangler. Send en ny, unik nøgle med hver handling.", felt=HEADER
        )
    if len(noegle) > NOEGLE_MAKS:
        raise ApplicationError(f"{HEADER} må højst være {NOEGLE_MAKS} tegn.", felt=HEADER)
    bruger = request.user
    assert isinstance(bruger, Bruger), "AdgangTabel lets only logged-in users through"
    forespoergsel = f"{request.method} {request.path}"[:300]
    indhold_hash = _indhold_hash(request)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    post = IdempotensNoegle.objects.create(
                        bruger=bruger,
                        noegle=noegle,
                        forespoergsel=forespoergsel,
                        indhold_hash=indhold_hash,
                    )
            except IntegrityError:
                tidligere = IdempotensNoegle.objects.get(bruger=bruger, noegle=noegle)
                return _gentag(tidligere, forespoergsel, indhold_hash)
            svar = udfoer()
            if not status.is_success(svar.status_code):
                raise _Afvist(svar)
            post.status = svar.status_code
            post.svar = json.loads(JSONRenderer().render(svar.data) or b"null")
            post.save(update_fields=["status", "svar"])
            return svar
    except _Afvist as afvist:
        return afvist.svar
