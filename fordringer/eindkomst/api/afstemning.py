"""API of eIndkomst: the by-hand reported amounts (list, record, cancel) and the
reconciliation per income year.

The same services and selector as the screens (``manuel``, ``afstemning``); recording and
cancelling need an ``Idempotency-Key`` (an amount recorded twice would be netted twice). A CPR
number travels in a request body, never in a URL, and answers show it masked; showing
borgere's amounts is logged as a look-up. Which roles may call what is the permission table's
(``ky_debitor.adgang``).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.choices import EIndkomstArt, ManuelKilde
from fordringer.cpr import cpr_maskeret
from fordringer.eindkomst.afstemning import AfstemningRaekke, eindkomst_afstemning
from fordringer.eindkomst.manuel import (
    TEKST_MAKS,
    eindkomst_manuel_annuller,
    eindkomst_manuel_opret,
)
from fordringer.eindkomst.selectors import manuelle
from fordringer.models import EIndkomstManuel
from ky_debitor.adgang import person
from ky_debitor.api import EgenKommune
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.audit import opslag_log
from ky_debitor.errors import ApplicationError

TAG = ["eIndkomst"]
AAR_MIN, AAR_MAKS = 1900, 2100


# --- Serializers ------------------------------------------------------------------------------


class ManuelInd(serializers.Serializer):
    cpr = serializers.CharField(
        max_length=11, help_text="Borgerens CPR-nummer, 10 cifre med eller uden bindestreg."
    )
    indkomstaar = serializers.IntegerField(
        min_value=AAR_MIN,
        max_value=AAR_MAKS,
        help_text="Indkomståret; fra kommunens første data (2015 uden data) til i år.",
    )
    beloeb = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Det manuelt indberettede § 8 O-beløb i kroner, større end 0, fx 200.00.",
        error_messages={
            "invalid": "Skriv beløbet som et tal med højst to decimaler, fx 1234.56.",
            "max_decimal_places": "Beløbet må højst have to decimaler.",
            "max_digits": "Beløbet er for stort.",
            "max_whole_digits": "Beløbet er for stort.",
        },
    )
    tekst = serializers.CharField(
        max_length=TEKST_MAKS, required=False, allow_blank=True, default=""
    )


class ManuelUd(serializers.ModelSerializer[EIndkomstManuel]):
    cpr = serializers.SerializerMethodField(help_text="Maskeret: DDMMÅÅ-****.")
    annullerer = serializers.IntegerField(
        source="tilbagefoerer_id",
        allow_null=True,
        read_only=True,
        help_text="Rækken, denne række annullerer (beløbet er da negativt).",
    )
    annulleret_af = serializers.SerializerMethodField(
        help_text="Rækken, der annullerer denne række; tom, når den står ved magt."
    )

    class Meta:
        model = EIndkomstManuel
        fields = [
            "id",
            "cpr",
            "indkomstaar",
            "beloeb",
            "tekst",
            "kilde",
            "annullerer",
            "annulleret_af",
            "aktoer",
            "oprettet",
        ]

    def get_cpr(self, row: EIndkomstManuel) -> str:
        return cpr_maskeret(row.cpr)

    def get_annulleret_af(self, row: EIndkomstManuel) -> int | None:
        try:
            return int(row.tilbagefoert_af.pk)
        except EIndkomstManuel.DoesNotExist:
            return None


class AnnullerInd(serializers.Serializer):
    begrundelse = serializers.CharField(max_length=TEKST_MAKS)


class ManuelFilter(django_filters.FilterSet):
    indkomstaar = django_filters.NumberFilter(min_value=AAR_MIN, max_value=AAR_MAKS)

    class Meta:
        model = EIndkomstManuel
        fields = ["indkomstaar"]


class AfstemningInd(serializers.Serializer):
    indkomstaar = serializers.IntegerField(
        min_value=AAR_MIN, max_value=AAR_MAKS, required=False, help_text="I år, hvis tom."
    )


def _kr(hjaelp: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, help_text=hjaelp
    )


class BeloebUd(serializers.Serializer):
    forventet = _kr("Genberegnet ud fra posteringerne.")
    linjer = _kr("Indberetningslinjernes sum; skal være lig forventet.")
    indberettet = _kr("Sendt i leverede forsendelser.")
    manuelt = _kr("Manuelt indberettet af kommunen (§ 8 O).")
    modregnet = _kr("Modregnet i leverede forsendelser.")
    afventer = _kr("Linjer, der ikke er i en leveret forsendelse.")
    forskel = _kr("Forventet - indberettet - modregnet - afventer.")
    manuelt_ikke_modregnet = _kr("Manuelt - modregnet.")


class AfstemningRaekkeUd(BeloebUd):
    cpr = serializers.CharField(source="cpr_maskeret", help_text="Maskeret: DDMMÅÅ-****.")
    art = serializers.ChoiceField(choices=EIndkomstArt.choices)
    linjefejl = serializers.BooleanField(
        help_text="Indberetningslinjerne svarer ikke til posteringerne."
    )


class AfstemningUd(serializers.Serializer):
    indkomstaar = serializers.IntegerField()
    antal_borgere = serializers.IntegerField()
    antal_borgere_med_forskel = serializers.IntegerField()
    total = BeloebUd()
    forskelle = AfstemningRaekkeUd(
        many=True, help_text="Alle rækker for hver borger med en forskel, sorteret på CPR."
    )


# --- Views ------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Manuelt indberettede eIndkomst-beløb",
        description="Nyeste først. Et annulleret beløb har `annulleret_af`; annulleringen selv "
        "er en række med negativt beløb og `annullerer`.",
    )
)
class ManuelListe(EgenKommune, generics.ListAPIView[EIndkomstManuel]):
    model = EIndkomstManuel
    serializer_class = ManuelUd
    filterset_class = ManuelFilter

    def get_queryset(self) -> QuerySet[EIndkomstManuel]:
        return manuelle(super().get_queryset())

    @extend_schema(
        tags=TAG,
        summary="Registrér et manuelt indberettet § 8 O-beløb",
        description="CPR-nummeret skal tilhøre en borger i kommunen, indkomståret ligge inden "
        "for kommunens data, og beløbet være større end 0 med højst to decimaler; ellers 400 "
        "med en dansk besked, og intet gemmes — samme service som skærmen. Beløbet modregnes "
        "i de næste eIndkomst-forsendelser.",
        request=ManuelInd,
        responses={201: ManuelUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        def udfoer() -> Response:
            ind = ManuelInd(data=request.data)
            ind.is_valid(raise_exception=True)
            row = eindkomst_manuel_opret(
                user=person(request), kilde=ManuelKilde.API, **ind.validated_data
            )
            return Response(ManuelUd(row).data, status=status.HTTP_201_CREATED)

        return idempotent(request, udfoer)


class ManuelAnnuller(APIView):
    @extend_schema(
        tags=TAG,
        summary="Annullér et manuelt indberettet beløb",
        description="Skriver en række med det modsatte beløb, der peger på den annullerede. "
        "Et beløb annulleres én gang; en annullering annulleres ikke.",
        request=AnnullerInd,
        responses={201: ManuelUd},
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
            return Response(ManuelUd(row).data, status=status.HTTP_201_CREATED)

        # Another kommune's row is a 404 before anything is stored under the key.
        generics.get_object_or_404(EIndkomstManuel.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class AfstemningVis(APIView):
    @extend_schema(
        tags=TAG,
        summary="eIndkomst-afstemning for et indkomstår",
        description="Forventet (genberegnet ud fra posteringerne) mod indberettet, modregnet, "
        "afventende og manuelt indberettet, i alt og for hver borger med en forskel — samme "
        "afstemning som skærmen.",
        parameters=[
            OpenApiParameter(
                "indkomstaar", OpenApiTypes.INT, description="Indkomståret; i år, hvis tom."
            )
        ],
        responses=AfstemningUd,
    )
    def get(self, request: Request) -> Response:
        ind = AfstemningInd(data=request.query_params)
        ind.is_valid(raise_exception=True)
        bruger = person(request)
        kommune = bruger.kommune
        if kommune is None:
            raise ApplicationError("Du er ikke tilknyttet en kommune.")
        aar = ind.validated_data.get("indkomstaar") or timezone.localdate().year
        afstemning = eindkomst_afstemning(kommune_id=kommune.pk, indkomstaar=aar)
        forskelle: list[AfstemningRaekke] = afstemning.afvigelser
        if forskelle:
            opslag_log(
                user=bruger,
                kommune_id=kommune.pk,
                objekt=kommune,
                formaal=f"eIndkomst-afstemning for indkomståret {aar} hentet gennem API'et "
                "(CPR-nummer maskeret)",
            )
        data: dict[str, Any] = {
            "indkomstaar": aar,
            "antal_borgere": afstemning.antal_borgere,
            "antal_borgere_med_forskel": len(afstemning.borgere_med_afvigelse),
            "total": afstemning.total,
            "forskelle": forskelle,
        }
        return Response(AfstemningUd(data).data)
