"""API of the interest runs of the person's own kommune: start, follow, cancel and resume.

Only Drift starts, cancels and resumes a run (``adgang.ADGANG``), through the same services as
the admin's buttons (``rente/koersel.py``), once per ``Idempotency-Key``: a run books interest.
Drift and the project lead follow a run's progress.
"""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.models import Rentekoersel
from fordringer.rente.koersel import (
    rentekoersel_annuller,
    rentekoersel_genoptag,
    rentekoersel_start,
)
from ky_debitor.adgang import person
from ky_debitor.api import EgenKommune, koersel_styr
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.errors import ApplicationError

TAG = ["Renter"]


class RentekoerselUd(serializers.ModelSerializer[Rentekoersel]):
    class Meta:
        model = Rentekoersel
        fields = [
            "id",
            "til_dato",
            "status",
            "spor",
            "dele_faerdige",
            "antal_i_alt",
            "antal_behandlet",
            "antal_aendret",
            "beloeb_bogfoert",
            "oprettet",
            "startet",
            "afsluttet",
            "fejl",
        ]


class RentekoerselStartInd(serializers.Serializer):
    til_dato = serializers.DateField(
        required=False, allow_null=True, help_text="Renter til og med denne dato; uden: i dag."
    )


class RentekoerselStart(APIView):
    @extend_schema(
        tags=TAG,
        summary="Start en rentekørsel for egen kommune",
        description="Kun Drift. Afvises med en dansk besked, mens en rentekørsel for kommunen "
        "er i gang, og for en dato, der ikke er kommet, eller som ligger før den seneste "
        "færdige kørsel.",
        request=RentekoerselStartInd,
        responses={201: RentekoerselUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        def udfoer() -> Response:
            ind = RentekoerselStartInd(data=request.data)
            ind.is_valid(raise_exception=True)
            bruger = person(request)
            kommune = getattr(bruger, "kommune", None)
            if kommune is None:
                raise ApplicationError("Du er ikke knyttet til en kommune.")
            koersel = rentekoersel_start(
                kommune=kommune, til_dato=ind.validated_data.get("til_dato"), user=bruger
            )
            koersel.refresh_from_db()
            return Response(RentekoerselUd(koersel).data, status=status.HTTP_201_CREATED)

        return idempotent(request, udfoer)


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="En rentekørsel: status og fremdrift",
        description="Gennemgået (antal_behandlet) af antal_i_alt fordringer, dele færdige, "
        "fordringer med ny rente og bogført netto.",
    )
)
class RentekoerselDetalje(EgenKommune, generics.RetrieveAPIView[Rentekoersel]):
    model = Rentekoersel
    serializer_class = RentekoerselUd


def _styr(request: Request, pk: int, service: Callable[..., Rentekoersel]) -> Response:
    koersler = Rentekoersel.objects.for_user(request.user)
    return koersel_styr(request, koersler=koersler, pk=pk, service=service, ud=RentekoerselUd)


class RentekoerselAnnuller(APIView):
    @extend_schema(
        tags=TAG,
        summary="Annullér en rentekørsel, der er i gang",
        description="Kun Drift. Kørslen standser efter den del, den er i; det bogførte står. "
        "Kan genoptages bagefter.",
        request=None,
        responses={200: RentekoerselUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        return _styr(request, pk, rentekoersel_annuller)


class RentekoerselGenoptag(APIView):
    @extend_schema(
        tags=TAG,
        summary="Genoptag en fejlet eller annulleret rentekørsel",
        description="Kun Drift. Kørslen fortsætter efter sin sidste færdige del. Afvises, mens "
        "en anden rentekørsel for kommunen er i gang.",
        request=None,
        responses={200: RentekoerselUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        return _styr(request, pk, rentekoersel_genoptag)
