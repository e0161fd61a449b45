"""API of the workspace: opgavepakker, opgaver, take a task, complete "Opret fordringssag",
the project lead's burn-down.

The writes call the same services as the screens (``opgave_services``) and need an
``Idempotency-Key``: completing a task links a konto and releases parked dækninger.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ky_debitor.adgang import person
from ky_debitor.api import EgenKommune, IdFilter
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent

from . import afslutning, opgave_services, selectors
from .burndown import selectors as burndown
from .models import Opgave, Opgavepakke, OpgaveType
from .pakker import AARSAGER
from .workflow import OpgaveStatus

TAG = ["Opgaver"]


# --- Serializers ------------------------------------------------------------------------------


class OpgavepakkeUd(serializers.ModelSerializer[Opgavepakke]):
    class Meta:
        model = Opgavepakke
        fields = ["id", "kode", "navn", "aarsag", "med_daekninger", "venteskridt", "raekkefoelge"]


class OpgaveUd(serializers.ModelSerializer[Opgave]):
    class Meta:
        model = Opgave
        fields = [
            "id",
            "pakke",
            "konto",
            "type",
            "aarsag",
            "status",
            "tildelt",
            "evidens",
            "oprettet",
            "afsluttet",
            "afsluttet_af",
            "afslutning",
            "aendringer",
            "koersel_id",
        ]
        extra_kwargs = {
            "aendringer": {
                "help_text": "Hvad afslutningen ændrede, før → efter: debitorkontoens "
                "bevilling og sag og hvert ændret felt på fordringerne."
            }
        }


class FordringAngivelseInd(serializers.Serializer):
    fordring = serializers.IntegerField(help_text="Fordringens id.")
    kmd_aktiv_reference = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    ydelsestype = serializers.IntegerField(required=False, allow_null=True, default=None)


class OpgaveAfslutInd(serializers.Serializer):
    bevilling = serializers.IntegerField(
        allow_null=True, help_text="Den valgte bevilling; null er »Ingen bevilling«."
    )
    sag = serializers.IntegerField(
        allow_null=True, help_text="Sagen at tilknytte; null opretter en ny sag."
    )
    ydelsestype = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Ydelsestype til fordringer, der ender uden en: hverken angivet, deres egen "
        "eller ud fra deres ydelseskode. Tom: bevillingens.",
    )
    kmd_aktiv_reference = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Reference til fordringer uden en (hverken angivet eller deres egen). "
        "Tom: bevillingens nummer.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    fordringer = FordringAngivelseInd(
        many=True,
        required=False,
        default=list,
        help_text="Reference og ydelsestype pr. fordring; tomt beholder fordringens egen.",
    )

    def valg(self) -> afslutning.OpgaveValg:
        data = self.validated_data
        return afslutning.OpgaveValg(
            bevilling_id=data["bevilling"],
            sag_id=data["sag"],
            ydelsestype_id=data["ydelsestype"],
            kmd_aktiv_reference=data["kmd_aktiv_reference"],
            note=data["note"],
            fordringer={
                f["fordring"]: afslutning.FordringAngivelse(
                    kmd_aktiv_reference=f["kmd_aktiv_reference"],
                    ydelsestype_id=f["ydelsestype"],
                )
                for f in data["fordringer"]
            },
        )


class KvitteringUd(serializers.Serializer):
    opgave = OpgaveUd()
    konto = serializers.IntegerField(source="konto.pk")
    sagsnummer = serializers.CharField(source="konto.sag.sagsnummer")
    sagsoprettet = serializers.BooleanField(help_text="En ny sag blev oprettet.")
    frigivet = serializers.IntegerField(help_text="Antal parkerede dækninger, der blev frigivet.")
    lukkede_opgaver = serializers.IntegerField()


# --- Filters ----------------------------------------------------------------------------------


class OpgaveFilter(django_filters.FilterSet):
    pakke = IdFilter(field_name="pakke_id")
    konto = IdFilter(field_name="konto_id")
    status = django_filters.ChoiceFilter(choices=OpgaveStatus.choices)
    type = django_filters.ChoiceFilter(choices=OpgaveType.choices)
    aarsag = django_filters.ChoiceFilter(choices=AARSAGER)
    mine = django_filters.BooleanFilter(method="filtrer_mine", label="Kun mine opgaver")

    class Meta:
        model = Opgave
        fields: list[str] = []

    def filtrer_mine(self, qs: QuerySet[Opgave], name: str, value: bool) -> QuerySet[Opgave]:
        user = getattr(self.request, "user", None)
        return qs.filter(tildelt_id=user.pk) if value and user is not None else qs


# --- Views ------------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(tags=TAG, summary="Opgavepakkerne (release 2.1)"))
class OpgavepakkeListe(EgenKommune, generics.ListAPIView[Opgavepakke]):
    model = Opgavepakke
    serializer_class = OpgavepakkeUd


@extend_schema_view(get=extend_schema(tags=TAG, summary="Opgaver"))
class OpgaveListe(EgenKommune, generics.ListAPIView[Opgave]):
    model = Opgave
    serializer_class = OpgaveUd
    filterset_class = OpgaveFilter


@extend_schema_view(
    get=extend_schema(tags=TAG, summary="Én opgave med evidensen fra sagstilknytningen")
)
class OpgaveDetalje(EgenKommune, generics.RetrieveAPIView[Opgave]):
    model = Opgave
    serializer_class = OpgaveUd


class OpgaveTag(APIView):
    @extend_schema(
        tags=TAG,
        summary="Tag en opgave",
        description="ÅBEN → I GANG for den, der spørger. En opgave, en anden har taget, giver "
        "400 med en dansk besked.",
        request=None,
        responses=OpgaveUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            bruger = person(request)
            opgave = opgave_services.opgave_tag(user=bruger, opgave_id=pk)
            return Response(OpgaveUd(opgave).data)

        return idempotent(request, udfoer)


class OpgaveAfslut(APIView):
    @extend_schema(
        tags=TAG,
        summary="Afslut en »Opret fordringssag«-opgave",
        description="Tilknytter debitorkontoen (sagstilknytning eller sagsoprettelse), sætter "
        "reference og ydelsestype på fordringerne, frigiver parkerede dækninger og lukker "
        "kontoens åbne opgaver — samme service som skærmen (seed 002).",
        request=OpgaveAfslutInd,
        responses=KvitteringUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = OpgaveAfslutInd(data=request.data)
            ind.is_valid(raise_exception=True)
            bruger = person(request)
            kvittering = afslutning.opgave_afslut(user=bruger, opgave_id=pk, valg=ind.valg())
            return Response(KvitteringUd(kvittering).data, status=status.HTTP_200_OK)

        # The task must be the user's kommune's before anything is stored under the key.
        selectors.opgave_for_user(user=request.user, pk=pk)
        return idempotent(request, udfoer)


# --- Burn-down --------------------------------------------------------------------------------


class BurndownDagUd(serializers.Serializer):
    dato = serializers.DateField()
    med_daekninger = serializers.IntegerField(help_text="Åbne ved dagens slutning.")
    uden_daekninger = serializers.IntegerField(help_text="Åbne ved dagens slutning.")
    ideel = serializers.IntegerField(help_text="Den ideelle linje for pakkerne med dækninger.")


class BurndownPakkeUd(serializers.Serializer):
    pakke = OpgavepakkeUd()
    aabne = serializers.IntegerField()
    afsluttet = serializers.IntegerField(help_text="Afsluttet siden første dag.")
    tempo = serializers.DecimalField(
        max_digits=9, decimal_places=1, help_text="Afsluttet pr. arbejdsdag for nylig."
    )
    pr_arbejdsdag = serializers.IntegerField(help_text="Nødvendigt pr. arbejdsdag til fristen.")
    i_tide = serializers.BooleanField()


class BurndownUd(serializers.Serializer):
    i_dag = serializers.DateField()
    foerste_dag = serializers.DateField(
        allow_null=True, help_text="Dagen for kommunens første »Opret fordringssag«-opgave."
    )
    frist = serializers.DateField()
    slutdag = serializers.DateField(
        allow_null=True, help_text="Sidste arbejdsdag før fristen: her når den ideelle linje 0."
    )
    arbejdsdage_i_alt = serializers.IntegerField()
    arbejdsdage_tilbage = serializers.IntegerField()
    aabne_med_daekninger = serializers.IntegerField()
    pr_arbejdsdag = serializers.IntegerField()
    tempo = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    tempo_dage = serializers.IntegerField()
    prognose = serializers.DateField(allow_null=True)
    dage = BurndownDagUd(many=True)
    pakker = BurndownPakkeUd(many=True)


class Burndown(APIView):
    @extend_schema(
        tags=TAG,
        summary="Burn-down for »Opret fordringssag«",
        description="Åbne opgaver med og uden dækninger pr. arbejdsdag fra kommunens første "
        "opgave til i dag, den ideelle linje til fristen og tempoet pr. opgavepakke — de samme "
        "tal som burn-down på »Mine opgaver«.",
        responses=BurndownUd,
    )
    def get(self, request: Request) -> Response:
        return Response(BurndownUd(burndown.burndown(user=request.user)).data)
