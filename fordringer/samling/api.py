"""API of "Vurder, saml og frigiv debitorkonto" (seed 000): the worklist, and marking a
"Månedlig samling" done.

The same selector and service as the screens (``selectors.vurderingsliste``,
``maanedlig.maanedlig_samling_afslut``); which roles may call what is the permission table's
(``ky_debitor.adgang``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.konto.api import DebitorkontoUd
from fordringer.models import Debitorkonto, MaanedligSamling
from fordringer.samling.maanedlig import BEGRUNDELSE_MAKS, maanedlig_samling_afslut
from fordringer.samling.selectors import LOEBENDE, STOPPET, vurderingsliste
from ky_debitor.adgang import person
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent

TAG = ["Vurder, saml og frigiv"]


class Side(PageNumberPagination):
    """Pages of 50 (``antal`` up to 500) in the worklist's own order."""

    page_size = 50
    page_size_query_param = "antal"
    max_page_size = 500
    page_query_param = "side"


class VurderingUd(DebitorkontoUd):
    """A konto of the worklist: the konto as ``/debitorkonti/`` gives it, with the borger's
    name, where it stands in the order, and its restance."""

    borger_navn = serializers.CharField(source="borger.navn", read_only=True)
    loebende_med_tilbagebetalingspligt = serializers.SerializerMethodField(
        help_text="Løbende forsørgelsesydelse med tilbagebetalingspligt, der ikke er stoppet."
    )
    sag_stoppet = serializers.SerializerMethodField(
        help_text="Bevillingens periode er udløbet, eller sagen er lukket."
    )
    restance = serializers.DecimalField(
        source="restance_i_alt", max_digits=14, decimal_places=2, read_only=True
    )

    class Meta(DebitorkontoUd.Meta):
        fields = [
            *DebitorkontoUd.Meta.fields,
            "borger_navn",
            "loebende_med_tilbagebetalingspligt",
            "sag_stoppet",
            "restance",
        ]

    def get_loebende_med_tilbagebetalingspligt(self, konto: Any) -> bool:
        return bool(konto.raekkefoelge == LOEBENDE)

    def get_sag_stoppet(self, konto: Any) -> bool:
        return bool(konto.raekkefoelge == STOPPET)


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="KMD Aktiv-debitorkonti, der venter på »Vurder, saml og frigiv«",
        description="Borgeren har også en KY-debitorkonto, og der er endnu ikke truffet en "
        "beslutning. Løbende forsørgelsesydelser med tilbagebetalingspligt først, stoppede "
        "sager sidst — samme liste som skærmen.",
    )
)
class Vurderingsliste(generics.ListAPIView[Debitorkonto]):
    serializer_class = VurderingUd
    pagination_class = Side

    def get_queryset(self) -> QuerySet[Debitorkonto]:
        return vurderingsliste(user=self.request.user, idag=timezone.localdate())


class MaanedligSamlingAfslutInd(serializers.Serializer):
    begrundelse = serializers.CharField(
        max_length=BEGRUNDELSE_MAKS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Kræves, når kontoen ikke er samlet efter udbetalingskørslen.",
        error_messages={"max_length": f"Begrundelsen må højst være {BEGRUNDELSE_MAKS} tegn."},
    )


class MaanedligSamlingUd(serializers.ModelSerializer[MaanedligSamling]):
    begrundelse = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = MaanedligSamling
        fields = [
            "id",
            "konto",
            "maaned",
            "udbetalingskoersel",
            "forfald",
            "afsluttet",
            "afsluttet_af",
            "begrundelse",
        ]


class MaanedligSamlingAfslut(APIView):
    @extend_schema(
        tags=TAG,
        summary="Markér en »Månedlig samling« som udført",
        description="Kun når kontoen er samlet efter udbetalingskørslen, eller med en "
        "begrundelse; ellers 400 med en dansk besked, og intet ændres — samme service som "
        "skærmen.",
        request=MaanedligSamlingAfslutInd,
        responses=MaanedligSamlingUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = MaanedligSamlingAfslutInd(data=request.data)
            ind.is_valid(raise_exception=True)
            samling = maanedlig_samling_afslut(
                user=person(request),
                samling_id=pk,
                begrundelse=ind.validated_data["begrundelse"],
            )
            return Response(MaanedligSamlingUd(samling).data)

        # The task must be the user's kommune's before anything is stored under the key.
        generics.get_object_or_404(MaanedligSamling.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)
