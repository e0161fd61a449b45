"""API of reminders (issue #19): the same rule and service as the claim page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.dokumenter.api import DokumentUd
from fordringer.models import Fordring
from fordringer.rente.gebyr import rykker_vurder
from fordringer.rykker import services
from ky_debitor.adgang import person
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.money import MAX_DIGITS

TAG = ["Fordringer"]


class RykkerInd(serializers.Serializer):
    begrundelse = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        error_messages={"max_length": "Bemærkningen må højst være 255 tegn."},
    )


class RykkervurderingUd(serializers.Serializer):
    kan_sendes = serializers.BooleanField()
    afvist = serializers.CharField(help_text="Hvorfor der ikke kan sendes en rykker i dag.")
    rykkerniveau = serializers.IntegerField(source="tidligere")
    gebyr = serializers.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=2, allow_null=True, help_text="Næste rykkers gebyr."
    )
    uden_gebyr_grund = serializers.CharField()
    naeste_fra = serializers.DateField(allow_null=True)


class RykkerUd(serializers.Serializer):
    dokument = DokumentUd()
    gebyr = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, allow_null=True)
    postering = serializers.IntegerField(allow_null=True)
    rykkerniveau = serializers.IntegerField()


class Rykker(APIView):
    @extend_schema(
        tags=TAG,
        summary="Kan der sendes en rykker for fordringen i dag, og med hvilket gebyr",
        responses=RykkervurderingUd,
    )
    def get(self, request: Request, pk: int) -> Response:
        fordring = generics.get_object_or_404(Fordring.objects.for_user(request.user), pk=pk)
        return Response(RykkervurderingUd(rykker_vurder(fordring)).data)

    @extend_schema(
        tags=TAG,
        summary="Send en rykker for fordringen med Digital Post og bogfør dens gebyr",
        description="Gebyret følger fordringens renteregime (gebyrsatserne); en fordring, der "
        "ikke kan rykkes for i dag, afvises med en dansk begrundelse, og intet ændres.",
        request=RykkerInd,
        responses={201: RykkerUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = RykkerInd(data=request.data)
            ind.is_valid(raise_exception=True)
            rykker = services.rykker_send(
                user=person(request),
                fordring_id=pk,
                begrundelse=ind.validated_data.get("begrundelse", ""),
            )
            ud = {
                "dokument": rykker.dokument,
                "gebyr": rykker.gebyr.beloeb if rykker.gebyr is not None else None,
                "postering": rykker.gebyr.pk if rykker.gebyr is not None else None,
                "rykkerniveau": rykker.dokument.parametre["nummer"],
            }
            return Response(RykkerUd(ud).data, status=201)

        generics.get_object_or_404(Fordring.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)
