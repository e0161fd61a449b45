"""API of the interest runs: starting one for the person's own kommune.

Only Drift starts a run (``adgang.ADGANG``), through the same service as the admin's button
(``rentekoersel_start``), once per ``Idempotency-Key``: a run books interest.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.models import Rentekoersel
from fordringer.rente.koersel import rentekoersel_start
from ky_debitor.adgang import person
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
            "dele_faerdige",
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
