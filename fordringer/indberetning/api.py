"""API of the eIndkomst batches: the list, one batch with its rows, and "send igen" for a
failed one — the same selectors and service as the screens (``indberetning.views``). CPR
numbers are masked, and showing a batch's rows is logged as a look-up; another kommune's batch
is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.cpr import cpr_maskeret
from fordringer.indberetning.forsendelse import (
    eindkomst_forsendelse_send_igen,
    forsendelse_raekker,
    forsendelse_status,
    forsendelser,
)
from fordringer.models import EIndkomstForsendelse, EIndkomstForsendelseRaekke
from ky_debitor.adgang import person
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.audit import opslag_log

TAG = ["eIndkomst"]


class ForsendelseUd(serializers.ModelSerializer[EIndkomstForsendelse]):
    status = serializers.SerializerMethodField(
        help_text="Afventer kvittering, Kvitteret eller Fejlet. Linjerne er indberettet, "
        "når forsendelsen er kvitteret."
    )
    sidste_fejl = serializers.CharField(source="besked.sidste_fejl", default="")
    kvitteret = serializers.DateTimeField(source="besked.sendt", default=None)
    dannet = serializers.DateTimeField(source="oprettet")

    class Meta:
        model = EIndkomstForsendelse
        fields = [
            "id",
            "noegle",
            "dannet",
            "periode_fra",
            "periode_til",
            "antal",
            "antal_raekker",
            "total",
            "modregnet",
            "status",
            "kvitteret",
            "sidste_fejl",
        ]

    def get_status(self, obj: EIndkomstForsendelse) -> str:
        return forsendelse_status(obj)


class RaekkeUd(serializers.ModelSerializer[EIndkomstForsendelseRaekke]):
    cpr = serializers.SerializerMethodField(help_text="Maskeret: DDMMÅÅ-****.")
    ydelsestype_kode = serializers.CharField(source="ydelsestype.kode")

    class Meta:
        model = EIndkomstForsendelseRaekke
        fields = [
            "cpr",
            "indkomstaar",
            "art",
            "ydelsestype",
            "ydelsestype_kode",
            "linjer",
            "modregnet",
            "beloeb",
        ]

    def get_cpr(self, obj: EIndkomstForsendelseRaekke) -> str:
        return cpr_maskeret(obj.cpr)


class ForsendelseMedRaekkerUd(ForsendelseUd):
    raekker = serializers.SerializerMethodField()

    class Meta(ForsendelseUd.Meta):
        fields = [*ForsendelseUd.Meta.fields, "raekker"]

    @extend_schema_field(RaekkeUd(many=True))
    def get_raekker(self, obj: EIndkomstForsendelse) -> list[dict[str, object]]:
        return list(RaekkeUd(forsendelse_raekker(obj), many=True).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="eIndkomst-forsendelser",
        description="Kommunens daglige forsendelser til eIndkomst, nyeste først, med status "
        "(Afventer kvittering, Kvitteret, Fejlet) — samme liste som skærmen.",
    )
)
class ForsendelseListe(generics.ListAPIView[EIndkomstForsendelse]):
    serializer_class = ForsendelseUd

    def get_queryset(self) -> QuerySet[EIndkomstForsendelse]:
        return forsendelser(user=self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Én eIndkomst-forsendelse med rækker",
        description="Hvad forsendelsen sagde pr. borger, indkomstår, art og ydelsestype, "
        "efter modregning af manuelt indberettede beløb. CPR-numre er maskerede; "
        "opslaget logges.",
    )
)
class ForsendelseDetalje(generics.RetrieveAPIView[EIndkomstForsendelse]):
    serializer_class = ForsendelseMedRaekkerUd

    def get_queryset(self) -> QuerySet[EIndkomstForsendelse]:
        return forsendelser(user=self.request.user)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        forsendelse = self.get_object()
        opslag_log(
            user=request.user,
            kommune_id=forsendelse.kommune_id,
            objekt=forsendelse,
            formaal="eIndkomst-forsendelsens rækker hentet via API (CPR-nummer maskeret)",
        )
        return Response(self.get_serializer(forsendelse).data)


class ForsendelseSendIgen(APIView):
    @extend_schema(
        tags=TAG,
        summary="Send en fejlet eIndkomst-forsendelse igen",
        description="Samme indhold og idempotensnøgle, så eIndkomst ikke får den to gange. "
        "En kvitteret forsendelse afvises med 400 og en dansk besked — samme service som "
        "skærmen.",
        request=None,
        responses=ForsendelseUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            forsendelse = eindkomst_forsendelse_send_igen(user=person(request), forsendelse_id=pk)
            return Response(ForsendelseUd(forsendelse).data)

        # The batch must be the user's kommune's before anything is stored under the key.
        generics.get_object_or_404(forsendelser(user=request.user), pk=pk)
        return idempotent(request, udfoer)
