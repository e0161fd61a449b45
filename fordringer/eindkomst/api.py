"""API of eIndkomst, through the same selectors and services as the screens: the kommune's
efterreguleringer (seed 002), the amounts it reported by hand (seed 000) and the
reconciliation per income year. CPR numbers are masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.choices import ManuelKilde
from fordringer.cpr import cpr_maskeret
from fordringer.eindkomst.afstemning import eindkomst_afstemning
from fordringer.eindkomst.efterregulering import efterreguleringer
from fordringer.eindkomst.manuel import eindkomst_manuel_annuller, eindkomst_manuel_opret
from fordringer.eindkomst.selectors import manuelle
from fordringer.models import EIndkomstLinje, EIndkomstManuel
from ky_debitor.adgang import person
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent

TAG = ["eIndkomst"]
AAR_MIN, AAR_MAKS = 1990, 2100


class EfterreguleringForespoergsel(serializers.Serializer):
    indkomstaar = serializers.IntegerField(
        required=False,
        help_text="Kun linjer af dette indkomstår.",
        min_value=AAR_MIN,
        max_value=AAR_MAKS,
        error_messages={
            "invalid": "Skriv indkomståret som et årstal, fx 2026.",
            "min_value": f"Indkomståret skal ligge mellem {AAR_MIN} og {AAR_MAKS}.",
            "max_value": f"Indkomståret skal ligge mellem {AAR_MIN} og {AAR_MAKS}.",
        },
    )


class EfterreguleringUd(serializers.ModelSerializer[EIndkomstLinje]):
    cpr = serializers.CharField(source="cpr_maskeret", help_text="Maskeret: DDMMÅÅ-****.")
    debitorkonto = serializers.IntegerField(source="postering.fordring.konto_id")
    kontonummer = serializers.CharField(source="postering.fordring.konto.kontonummer")
    fordring = serializers.IntegerField(source="postering.fordring_id")
    fordringsid = serializers.CharField(source="postering.fordring.fordringsid")
    ydelsestype_kode = serializers.CharField(source="ydelsestype.kode")
    tilbagefoerer = serializers.IntegerField(
        source="tilbagefoerer_id",
        allow_null=True,
        help_text="Linjen, denne linje tilbagefører (null for en ny linje).",
    )
    dannet = serializers.DateTimeField(source="oprettet")
    indberettet = serializers.BooleanField(
        help_text="Linjen er sendt til eIndkomst, og afsendelsen er kvitteret."
    )

    class Meta:
        model = EIndkomstLinje
        fields = [
            "id",
            "indkomstaar",
            "cpr",
            "debitorkonto",
            "kontonummer",
            "fordring",
            "fordringsid",
            "art",
            "beloeb",
            "ydelsestype",
            "ydelsestype_kode",
            "tilbagefoerer",
            "dannet",
            "indberettet",
        ]


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Efterreguleringer: eIndkomst-linjer dannet efter indkomstårets frist",
        description="Linjer dannet efter 31. januar året efter deres indkomstår, som derfor "
        "ændrer en årsopgørelse, borgeren allerede har fået — samme liste som skærmen.",
        parameters=[EfterreguleringForespoergsel],
    )
)
class EfterreguleringListe(generics.ListAPIView[EIndkomstLinje]):
    serializer_class = EfterreguleringUd

    def get_queryset(self) -> QuerySet[EIndkomstLinje]:
        ind = EfterreguleringForespoergsel(data=self.request.query_params)
        ind.is_valid(raise_exception=True)
        aar: Any = ind.validated_data.get("indkomstaar")
        return efterreguleringer(user=self.request.user, indkomstaar=aar)


# --- By-hand reported amounts (seed 000's workaround) and the reconciliation ------------------


class ManuelInd(serializers.Serializer):
    cpr = serializers.CharField(max_length=11, help_text="Borgerens CPR-nummer (10 cifre).")
    indkomstaar = serializers.CharField(max_length=4, help_text="Indkomståret, fx 2025.")
    beloeb = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Det manuelt indberettede beløb i kroner, fx 200.00 (større end 0).",
    )
    tekst = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class ManuelUd(serializers.ModelSerializer[EIndkomstManuel]):
    cpr = serializers.SerializerMethodField(help_text="Maskeret: DDMMÅÅ-****.")
    annulleret_af = serializers.SerializerMethodField()

    class Meta:
        model = EIndkomstManuel
        fields = [
            "id",
            "cpr",
            "indkomstaar",
            "beloeb",
            "tekst",
            "kilde",
            "tilbagefoerer",
            "annulleret_af",
            "aktoer",
            "oprettet",
        ]

    def get_cpr(self, obj: EIndkomstManuel) -> str:
        return cpr_maskeret(obj.cpr)

    def get_annulleret_af(self, obj: EIndkomstManuel) -> int | None:
        annullering = getattr(obj, "tilbagefoert_af", None)
        return annullering.pk if annullering is not None else None


class AnnullerInd(serializers.Serializer):
    begrundelse = serializers.CharField(max_length=255)


@extend_schema_view(
    get=extend_schema(tags=TAG, summary="Manuelt indberettede eIndkomst-beløb"),
    post=extend_schema(
        tags=TAG,
        summary="Registrér et beløb, kommunen selv har indberettet til eIndkomst",
        description="Samme service som skærmen: ukendt CPR-nummer, et indkomstår uden for "
        "kommunens data eller et beløb, der ikke er større end 0, giver 400 med en dansk "
        "besked, og intet gemmes.",
        request=ManuelInd,
        responses=ManuelUd,
        parameters=[IDEMPOTENS_PARAMETER],
    ),
)
class ManuelListe(generics.ListAPIView[EIndkomstManuel]):
    serializer_class = ManuelUd

    def get_queryset(self) -> QuerySet[EIndkomstManuel]:
        return manuelle(EIndkomstManuel.objects.for_user(self.request.user))

    def post(self, request: Request) -> Response:
        def udfoer() -> Response:
            ind = ManuelInd(data=request.data)
            ind.is_valid(raise_exception=True)
            row = eindkomst_manuel_opret(
                user=person(request), kilde=ManuelKilde.API, **ind.validated_data
            )
            return Response(ManuelUd(row).data, status=201)

        return idempotent(request, udfoer)


class ManuelAnnuller(APIView):
    @extend_schema(
        tags=TAG,
        summary="Annullér et manuelt indberettet beløb",
        description="Skriver en modrække; en række annulleres kun én gang.",
        request=AnnullerInd,
        responses=ManuelUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = AnnullerInd(data=request.data)
            ind.is_valid(raise_exception=True)
            row = eindkomst_manuel_annuller(
                user=person(request),
                manuel_id=pk,
                begrundelse=ind.validated_data["begrundelse"],
                kilde=ManuelKilde.API,
            )
            return Response(ManuelUd(row).data, status=201)

        generics.get_object_or_404(EIndkomstManuel.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class AfstemningForespoergsel(serializers.Serializer):
    indkomstaar = serializers.IntegerField(min_value=AAR_MIN, max_value=AAR_MAKS)


class AfstemningRaekkeUd(serializers.Serializer):
    cpr = serializers.CharField(source="cpr_maskeret", help_text="Maskeret; tom i totalrækken.")
    art = serializers.CharField()
    forventet = serializers.DecimalField(max_digits=14, decimal_places=2)
    linjer = serializers.DecimalField(max_digits=14, decimal_places=2)
    indberettet = serializers.DecimalField(max_digits=14, decimal_places=2)
    manuelt = serializers.DecimalField(max_digits=14, decimal_places=2)
    modregnet = serializers.DecimalField(max_digits=14, decimal_places=2)
    afventer = serializers.DecimalField(max_digits=14, decimal_places=2)
    forskel = serializers.DecimalField(max_digits=14, decimal_places=2)
    afviger = serializers.BooleanField()


class AfstemningUd(serializers.Serializer):
    indkomstaar = serializers.IntegerField()
    total = AfstemningRaekkeUd()
    afvigelser = AfstemningRaekkeUd(many=True)


class AfstemningVis(APIView):
    @extend_schema(
        tags=TAG,
        summary="eIndkomst-afstemning for et indkomstår",
        description="Forventet (genberegnet fra ledgeren) mod indberettet mod manuelt "
        "indberettet, med hver forskel pr. borger — samme afstemning som skærmen.",
        parameters=[AfstemningForespoergsel],
        responses=AfstemningUd,
    )
    def get(self, request: Request) -> Response:
        ind = AfstemningForespoergsel(data=request.query_params)
        ind.is_valid(raise_exception=True)
        kommune_id = getattr(request.user, "kommune_id", None)
        if kommune_id is None:
            raise Http404
        a = eindkomst_afstemning(
            kommune_id=kommune_id, indkomstaar=ind.validated_data["indkomstaar"]
        )
        return Response(AfstemningUd(a).data)
