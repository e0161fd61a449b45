"""API of eIndkomst: the kommune's efterreguleringer (seed 002), the same selector as the screen
(``efterregulering.efterreguleringer``). Read only; CPR numbers are masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from fordringer.eindkomst.efterregulering import efterreguleringer
from fordringer.models import EIndkomstLinje

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
