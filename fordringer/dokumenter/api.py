"""API of the documents (issue #20): the same selectors and services as the screens.

Order a kontoudtog or kontooversigt, a samling letter, send a letter again (all with an
``Idempotency-Key``), list a kommune's documents, read one's status and fetch its PDF.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.choices import DokumentStatus, DokumentType
from fordringer.dokumenter import selectors, services
from fordringer.models import Borger, Debitorkonto, Dokument, Samlingsbeslutning
from ky_debitor.adgang import person
from ky_debitor.api import EgenKommune, IdFilter
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent

TAG = ["Dokumenter"]


class DokumentUd(serializers.ModelSerializer[Dokument]):
    procent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dokument
        fields = [
            "id",
            "type",
            "titel",
            "borger",
            "konto",
            "ompostering",
            "udbetaling",
            "samlingsbeslutning",
            "modtager_navn",
            "send",
            "status",
            "procent",
            "fejl",
            "sha256",
            "stoerrelse",
            "oprettet",
            "faerdig",
        ]


class DokumentFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=DokumentType.choices)
    status = django_filters.ChoiceFilter(choices=DokumentStatus.choices)
    # Plain numbers, not choices over every kommune's rows: another kommune's id simply finds
    # nothing, and no answer tells whether it exists.
    borger = IdFilter(field_name="borger_id")
    konto = IdFilter(field_name="konto_id")
    ompostering = IdFilter(field_name="ompostering_id")

    class Meta:
        model = Dokument
        fields = ["type", "status", "borger", "konto", "ompostering"]


class DokumentListe(EgenKommune, generics.ListAPIView[Dokument]):
    serializer_class = DokumentUd
    filterset_class = DokumentFilter

    def get_queryset(self) -> Any:
        return selectors.dokumenter_for_user(user=self.request.user)

    @extend_schema(tags=TAG, summary="Dokumenter (kontoudtog, kontooversigter og breve)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DokumentDetalje(EgenKommune, generics.RetrieveAPIView[Dokument]):
    serializer_class = DokumentUd

    def get_queryset(self) -> Any:
        return selectors.dokumenter_for_user(user=self.request.user)

    @extend_schema(tags=TAG, summary="Et dokument: status, fremskridt og SHA-256")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DokumentPdf(APIView):
    @extend_schema(
        tags=TAG,
        summary="Hent dokumentets PDF",
        description="Hentningen logges som et opslag på borgeren.",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        try:
            dokument = selectors.dokument_for_user(user=request.user, pk=pk)
        except Dokument.DoesNotExist as exc:
            raise Http404("Dokumentet findes ikke.") from exc
        if dokument.pdf is None:
            raise Http404("Dokumentet er ikke dannet endnu.")
        services.dokument_hentet(user=person(request), dokument=dokument)
        response = HttpResponse(bytes(dokument.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{dokument.filnavn}"'
        return response


class KontoudtogInd(serializers.Serializer):
    fra = serializers.DateField(required=False, allow_null=True)
    til = serializers.DateField(required=False, allow_null=True)
    send = serializers.BooleanField(default=False)


class SendInd(serializers.Serializer):
    send = serializers.BooleanField(default=False)


class GensendInd(serializers.Serializer):
    begrundelse = serializers.CharField(max_length=255, required=False, allow_blank=True)


class KontoudtogBestil(APIView):
    @extend_schema(
        tags=TAG,
        summary="Dan et kontoudtog for en periode",
        description="Små kontoudtog dannes med det samme (status FAERDIG); store dannes i "
        "baggrunden, og status og fremskridt læses på dokumentet.",
        request=KontoudtogInd,
        responses={201: DokumentUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = KontoudtogInd(data=request.data)
            ind.is_valid(raise_exception=True)
            dokument = services.kontoudtog_bestil(
                user=person(request),
                konto_id=pk,
                fra=ind.validated_data.get("fra"),
                til=ind.validated_data.get("til"),
                send=ind.validated_data["send"],
            )
            return Response(DokumentUd(dokument).data, status=201)

        generics.get_object_or_404(Debitorkonto.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class KontooversigtBestil(APIView):
    @extend_schema(
        tags=TAG,
        summary="Dan en kontooversigt for en borger",
        request=SendInd,
        responses={201: DokumentUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = SendInd(data=request.data)
            ind.is_valid(raise_exception=True)
            dokument = services.kontooversigt_bestil(
                user=person(request), borger_id=pk, send=ind.validated_data["send"]
            )
            return Response(DokumentUd(dokument).data, status=201)

        generics.get_object_or_404(Borger.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class SamlingBrevBestil(APIView):
    @extend_schema(
        tags=TAG,
        summary="Send brev om en samling eller frigivelse til borgeren",
        request=None,
        responses={201: DokumentUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            dokument = services.samling_brev_bestil(user=person(request), beslutning_id=pk)
            return Response(DokumentUd(dokument).data, status=201)

        generics.get_object_or_404(Samlingsbeslutning.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class DokumentGensend(APIView):
    @extend_schema(
        tags=TAG,
        summary="Send et dokument igen med Digital Post (bogholder)",
        description="Samme PDF og SHA-256 under en ny idempotensnøgle; handlingen logges.",
        request=GensendInd,
        responses=DokumentUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = GensendInd(data=request.data)
            ind.is_valid(raise_exception=True)
            services.dokument_gensend(
                user=person(request),
                dokument_id=pk,
                begrundelse=ind.validated_data.get("begrundelse", ""),
            )
            dokument = selectors.dokumenter_for_user(user=request.user).get(pk=pk)
            return Response(DokumentUd(dokument).data)

        generics.get_object_or_404(Dokument.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)
