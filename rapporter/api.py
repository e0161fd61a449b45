"""API of the reports: the report definitions, ordering an export, and "Mine udtræk".

An export ordered through the API is always a stored export written in the background
(``services.eksport_bestil``, the same as the screen's large downloads); it needs an
``Idempotency-Key``. An export's file is for the person who ordered it only, and every fetch
is audited (``services.eksport_hentet``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.errors import ApplicationError

from . import selectors, services
from .definitioner import RAPPORTER
from .forms import UdtraekForm
from .models import Eksport, EksportFormat

TAG = ["Rapporter"]


class FilterUd(serializers.Serializer):
    navn = serializers.CharField()
    ledetekst = serializers.CharField(source="label")
    type = serializers.CharField()
    valg = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class RapportUd(serializers.Serializer):
    navn = serializers.CharField()
    titel = serializers.CharField()
    beskrivelse = serializers.CharField()
    filtre = FilterUd(many=True)
    kolonner = serializers.SerializerMethodField()

    def get_kolonner(self, rapport: Any) -> list[str]:
        return [k.navn for k in rapport.kolonner]


class EksportUd(serializers.ModelSerializer[Eksport]):
    procent = serializers.IntegerField(read_only=True)
    filnavn = serializers.CharField(read_only=True)
    resterende_sekunder = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Sekunder tilbage i det hidtidige tempo."
    )

    class Meta:
        model = Eksport
        fields = [
            "id",
            "rapport",
            "titel",
            "format",
            "filtre_tekst",
            "status",
            "antal",
            "skrevet",
            "procent",
            "filnavn",
            "fejl",
            "oprettet",
            "startet",
            "faerdig",
            "stoerrelse",
            "resterende_sekunder",
            "udloeber",
        ]


class EksportBestilInd(serializers.Serializer):
    rapport = serializers.ChoiceField(choices=list(RAPPORTER))
    format = serializers.ChoiceField(choices=EksportFormat.choices, default=EksportFormat.XLSX)
    filtre = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="Rapportens filtre efter navn, skrevet som på skærmen (fx måned 03-2024, "
        "dato 31-01-2025).",
    )


def _kommune_id(request: Request) -> int:
    kommune_id = getattr(request.user, "kommune_id", None)
    if kommune_id is None:
        raise ApplicationError("Du er ikke knyttet til en kommune.")
    return int(kommune_id)


class RapportListe(APIView):
    pagination_class = None

    @extend_schema(tags=TAG, summary="Rapporterne og deres filtre", responses=RapportUd(many=True))
    def get(self, request: Request) -> Response:
        return Response(RapportUd(list(RAPPORTER.values()), many=True).data)


class MineEksporter(generics.GenericAPIView[Eksport]):
    """Only the exports the person ordered, in their kommune."""

    serializer_class = EksportUd

    def get_queryset(self) -> QuerySet[Eksport]:
        return selectors.eksporter_for_user(user=self.request.user)


@extend_schema_view(get=extend_schema(tags=TAG, summary="Mine udtræk"))
class EksportListe(MineEksporter, generics.ListAPIView[Eksport]):
    pass


@extend_schema_view(get=extend_schema(tags=TAG, summary="Ét udtræk og dets fremdrift"))
class EksportDetalje(MineEksporter, generics.RetrieveAPIView[Eksport]):
    pass


class EksportFil(APIView):
    @extend_schema(
        tags=TAG,
        summary="Hent et færdigt udtræks fil",
        description="Hentningen logges. 404 når udtrækket ikke er færdigt eller er slettet.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        eksport = selectors.eksporter_for_user(user=request.user).get(pk=pk)
        if not eksport.fil:
            raise exceptions.NotFound("Udtrækket er ikke færdigt.")
        try:
            fil = eksport.fil.open("rb")
        except FileNotFoundError as exc:
            raise exceptions.NotFound("Filen er slettet.") from exc
        services.eksport_hentet(user=request.user, eksport=eksport)
        return FileResponse(
            fil,
            as_attachment=True,
            filename=eksport.filnavn,
            content_type="application/octet-stream",
        )


class EksportBestil(APIView):
    @extend_schema(
        tags=TAG,
        summary="Bestil et udtræk af en rapport",
        description="Udtrækket skrives i baggrunden; følg det under Mine udtræk. Filtrene "
        "kontrolleres som på skærmen Dataudtræk.",
        request=EksportBestilInd,
        responses={201: EksportUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        def udfoer() -> Response:
            ind = EksportBestilInd(data=request.data)
            ind.is_valid(raise_exception=True)
            rapport = RAPPORTER[ind.validated_data["rapport"]]
            kendte = {f.navn for f in rapport.filtre}
            ukendte = sorted(set(ind.validated_data["filtre"]) - kendte)
            if ukendte:
                raise ApplicationError(
                    f"Rapporten »{rapport.titel}« har ikke filteret {', '.join(ukendte)}.",
                    felt="filtre",
                )
            form = UdtraekForm(
                {
                    "rapport": rapport.navn,
                    "format": ind.validated_data["format"],
                    **{f"f_{k}": v for k, v in ind.validated_data["filtre"].items()},
                },
                rapport=rapport,
            )
            if not form.is_valid():
                raise exceptions.ValidationError(
                    {k.removeprefix("f_"): [str(f) for f in v] for k, v in form.errors.items()}
                )
            filtre = form.filtre()
            eksport = services.eksport_bestil(
                user=request.user,
                rapport=rapport,
                filtre=filtre,
                format=ind.validated_data["format"],
                antal=rapport.antal(_kommune_id(request), filtre),
            )
            return Response(EksportUd(eksport).data, status=status.HTTP_201_CREATED)

        return idempotent(request, udfoer)
