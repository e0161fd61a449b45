"""API of the linking runs: the runs, their decisions per konto, and starting, cancelling and
resuming a run.

Only Drift starts, cancels and resumes a run (``adgang.ADGANG``), through the same services as
the admin's buttons (``koersel_start``, ``koersel_annuller``, ``koersel_genoptag``); each needs
an ``Idempotency-Key``: a run opens work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ky_debitor.adgang import person
from ky_debitor.api import EgenKommune, IdFilter, koersel_styr
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.errors import ApplicationError
from opgavepakker.selectors import evidens_fordringer

from .models import KontoBeslutning, Sagstilknytningskoersel
from .services import koersel_annuller, koersel_genoptag, koersel_start

TAG = ["Sagstilknytning"]


class KoerselUd(serializers.ModelSerializer[Sagstilknytningskoersel]):
    class Meta:
        model = Sagstilknytningskoersel
        fields = [
            "id",
            "proeve",
            "status",
            "total",
            "behandlet",
            "antal_sagstilknyttet",
            "antal_sagsoprettet",
            "antal_opgave",
            "antal_uaendret",
            "oprettet",
            "startet",
            "afsluttet",
            "fejl",
        ]


class KoerselStartInd(serializers.Serializer):
    proeve = serializers.BooleanField(
        default=False, help_text="Prøvekørsel: gem kun beslutningerne, tilknyt intet."
    )


class BeslutningUd(serializers.ModelSerializer[KontoBeslutning]):
    evidens = serializers.SerializerMethodField(
        help_text="Kontoens evidens med én række pr. fordring under »fordringer« (regel, "
        "bevilling og kandidater), som skærmene viser den."
    )

    class Meta:
        model = KontoBeslutning
        fields = [
            "id",
            "koersel",
            "konto",
            "resultat",
            "aarsag",
            "bevilling",
            "sag",
            "aendring",
            "evidens",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_evidens(self, beslutning: KontoBeslutning) -> dict[str, Any]:
        # Decisions store claims decided alike as one group; read them as the screens do.
        evidens = dict(beslutning.evidens or {})
        fordringer = evidens_fordringer(evidens)
        evidens.pop("grupper", None)
        return {**evidens, "fordringer": fordringer}


class BeslutningFilter(django_filters.FilterSet):
    resultat = django_filters.CharFilter()
    aarsag = django_filters.CharFilter()
    konto = IdFilter(field_name="konto_id")

    class Meta:
        model = KontoBeslutning
        fields: list[str] = []


@extend_schema_view(get=extend_schema(tags=TAG, summary="Sagstilknytningskørsler, nyeste først"))
class KoerselListe(EgenKommune, generics.ListAPIView[Sagstilknytningskoersel]):
    model = Sagstilknytningskoersel
    serializer_class = KoerselUd


@extend_schema_view(get=extend_schema(tags=TAG, summary="Én kørsel med dens optælling"))
class KoerselDetalje(EgenKommune, generics.RetrieveAPIView[Sagstilknytningskoersel]):
    model = Sagstilknytningskoersel
    serializer_class = KoerselUd


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="En kørsels beslutninger pr. debitorkonto",
        description="Resultat, årsagskode og evidens (regel og kandidatbevillinger) for hver "
        "konto (DESIGN §4.7).",
    )
)
class BeslutningListe(EgenKommune, generics.ListAPIView[KontoBeslutning]):
    model = KontoBeslutning
    serializer_class = BeslutningUd
    filterset_class = BeslutningFilter

    def get_queryset(self) -> QuerySet[KontoBeslutning]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no run
            return KontoBeslutning.objects.none()
        koersel = Sagstilknytningskoersel.objects.for_user(self.request.user).get(
            pk=self.kwargs["pk"]
        )
        return super().get_queryset().filter(koersel=koersel)


class KoerselStart(APIView):
    @extend_schema(
        tags=TAG,
        summary="Start en sagstilknytningskørsel for egen kommune",
        description="Kun Drift. Afvises med en dansk besked, mens en kørsel for kommunen er "
        "i gang.",
        request=KoerselStartInd,
        responses={201: KoerselUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        def udfoer() -> Response:
            ind = KoerselStartInd(data=request.data)
            ind.is_valid(raise_exception=True)
            bruger = person(request)
            kommune = getattr(bruger, "kommune", None)
            if kommune is None:
                raise ApplicationError("Du er ikke knyttet til en kommune.")
            koersel = koersel_start(
                kommune=kommune, user=bruger, proeve=ind.validated_data["proeve"]
            )
            return Response(KoerselUd(koersel).data, status=status.HTTP_201_CREATED)

        return idempotent(request, udfoer)


def _styr(
    request: Request,
    pk: int,
    service: Callable[..., Sagstilknytningskoersel],
) -> Response:
    koersler = Sagstilknytningskoersel.objects.for_user(request.user)
    return koersel_styr(request, koersler=koersler, pk=pk, service=service, ud=KoerselUd)


class KoerselAnnuller(APIView):
    @extend_schema(
        tags=TAG,
        summary="Annullér en kørsel, der er i gang",
        description="Kun Drift. Dele, der er færdige, forbliver færdige; resten startes ikke. "
        "Kan genoptages bagefter.",
        request=None,
        responses={200: KoerselUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        return _styr(request, pk, koersel_annuller)


class KoerselGenoptag(APIView):
    @extend_schema(
        tags=TAG,
        summary="Genoptag en fejlet eller annulleret kørsel",
        description="Kun Drift. Kørslen fortsætter fra sin sidste færdige del. Afvises, mens "
        "en anden kørsel for kommunen er i gang.",
        request=None,
        responses={200: KoerselUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        return _styr(request, pk, koersel_genoptag)
