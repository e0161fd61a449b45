"""API of the money side: borgere (CPR search), debitorkonti, fordringer and the ledger.

Read only. Every queryset starts from ``.for_user(request.user)`` (another kommune's row is a
404). A CPR number travels only in a request body, never in a URL, and is masked in answers
unless ``fuldt_cpr=true`` is asked for — which is logged as a CPR look-up, as on the screens.
"""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.choices import (
    Frigivelsestype,
    Kilde,
    KontoStatus,
    Opkraevningstilstand,
    PosteringArt,
)
from fordringer.choices import Tilknytning as TilknytningValg
from fordringer.konto import detaljer, selectors
from fordringer.konto.views import BorgerSoegForm
from fordringer.models import Borger, Debitorkonto, Fordring, Indbetaling, Postering
from ky_debitor.api import EgenKommune, IdFilter
from ky_debitor.audit import opslag_log

TAG = ["Borgere og konti"]
SOEG_MAKS = 50


# --- Serializers ------------------------------------------------------------------------------


class BorgerSoegInd(serializers.Serializer):
    q = serializers.CharField(
        min_length=2,
        max_length=100,
        help_text="CPR-nummer (med eller uden bindestreg), begyndelsen af et CPR-nummer, en del "
        "af navnet, et kontonummer eller et fordrings-ID.",
        # The screen's own wording (``views.BorgerSoegForm``).
        error_messages=BorgerSoegForm.base_fields["q"].error_messages,
    )


class BorgerTraefUd(serializers.Serializer):
    id = serializers.IntegerField(source="borger.pk")
    navn = serializers.CharField(source="borger.navn")
    cpr = serializers.CharField(source="borger.cpr_maskeret", help_text="Maskeret: DDMMÅÅ-****.")
    konti = serializers.IntegerField(help_text="Antal debitorkonti.")
    ikke_tilknyttet = serializers.IntegerField(
        help_text="Antal KMD Aktiv-debitorkonti, der endnu ikke er sagstilknyttet."
    )
    konto = serializers.IntegerField(
        source="konto.pk",
        default=None,
        help_text="Debitorkontoen, når søgningen ramte et kontonummer eller et fordrings-ID.",
    )
    fundet_paa = serializers.CharField(
        help_text="Fx »Kontonummer 1010000042« eller »Fordrings-ID 300000123«; tom ved CPR "
        "eller navn."
    )


class BorgerUd(serializers.ModelSerializer[Borger]):
    cpr = serializers.SerializerMethodField(help_text="Maskeret, medmindre fuldt_cpr=true.")

    class Meta:
        model = Borger
        fields = ["id", "navn", "cpr"]

    def get_cpr(self, borger: Borger) -> str:
        return borger.cpr_formateret if self.context.get("fuldt_cpr") else borger.cpr_maskeret


class DebitorkontoUd(serializers.ModelSerializer[Debitorkonto]):
    bevillingsnummer = serializers.CharField(
        source="bevilling.bevillingsnummer", default="", read_only=True
    )
    sagsnummer = serializers.CharField(source="sag.sagsnummer", default="", read_only=True)

    class Meta:
        model = Debitorkonto
        fields = [
            "id",
            "kontonummer",
            "borger",
            "kilde",
            "status",
            "frigivelsestype",
            "tilknytning",
            "bevilling",
            "bevillingsnummer",
            "sag",
            "sagsnummer",
            "tilknyttet_tid",
        ]


class FordringUd(serializers.ModelSerializer[Fordring]):
    class Meta:
        model = Fordring
        fields = [
            "id",
            "fordringsid",
            "konto",
            "kilde",
            "kmd_aktiv_reference",
            "reference_kilde",
            "ydelseskode",
            "ydelsestype",
            "tekst",
            "periode_fra",
            "periode_til",
            "forfaldsdato",
            "hovedstol",
            "restance",
            "opkraevningstilstand",
            "rykkerniveau",
            "inddrivelse",
            "renteregime",
        ]


class PosteringUd(serializers.ModelSerializer[Postering]):
    parkeret = serializers.SerializerMethodField(
        help_text="Dækningen/afskrivningen venter i »Dækninger og afskrivninger af KMD Aktiv "
        "fordringer« (ikke frigivet)."
    )

    class Meta:
        model = Postering
        fields = [
            "id",
            "fordring",
            "art",
            "beloeb",
            "valoerdato",
            "bogfoert",
            "indbetaling",
            "tilbagefoerer",
            "ekstern_id",
            "tekst",
            "aktoer",
            "parkeret",
        ]

    def get_parkeret(self, postering: Postering) -> bool:
        parkering = getattr(postering, "parkering", None)
        return parkering is not None and parkering.frigivet is None


# --- Filters ----------------------------------------------------------------------------------


class DebitorkontoFilter(django_filters.FilterSet):
    kilde = django_filters.ChoiceFilter(choices=Kilde.choices)
    status = django_filters.ChoiceFilter(choices=KontoStatus.choices)
    frigivelsestype = django_filters.ChoiceFilter(choices=Frigivelsestype.choices)
    tilknytning = django_filters.ChoiceFilter(choices=TilknytningValg.choices)
    borger = IdFilter(field_name="borger_id")
    kontonummer = django_filters.CharFilter()

    class Meta:
        model = Debitorkonto
        fields: list[str] = []


class FordringFilter(django_filters.FilterSet):
    konto = IdFilter(field_name="konto_id")
    kilde = django_filters.ChoiceFilter(choices=Kilde.choices)
    opkraevningstilstand = django_filters.ChoiceFilter(choices=Opkraevningstilstand.choices)
    uden_ydelsestype = django_filters.BooleanFilter(field_name="ydelsestype", lookup_expr="isnull")

    class Meta:
        model = Fordring
        fields: list[str] = []


class PosteringFilter(django_filters.FilterSet):
    fordring = IdFilter(field_name="fordring_id")
    indbetaling = IdFilter(field_name="indbetaling_id")
    konto = IdFilter(field_name="fordring__konto_id")
    art = django_filters.ChoiceFilter(choices=PosteringArt.choices)
    valoerdato_fra = django_filters.DateFilter(field_name="valoerdato", lookup_expr="gte")
    valoerdato_til = django_filters.DateFilter(field_name="valoerdato", lookup_expr="lte")

    class Meta:
        model = Postering
        fields: list[str] = []


class IndbetalingUd(serializers.ModelSerializer[Indbetaling]):
    daekker_nu = serializers.SerializerMethodField(
        help_text="Hvad indbetalingen dækker nu: dens dækninger fratrukket tilbageførsler af dem."
    )
    posteringer = serializers.SerializerMethodField(
        help_text="Indbetalingens dækninger og tilbageførslerne af dem, ældste først."
    )
    omposteringer = serializers.SerializerMethodField(
        help_text="Id'erne på de omposteringer, der har flyttet af indbetalingen, nyeste først."
    )

    class Meta:
        model = Indbetaling
        fields = [
            "id",
            "indbetalingsid",
            "borger",
            "valoerdato",
            "beloeb",
            "daekket",
            "daekker_nu",
            "posteringer",
            "omposteringer",
        ]

    def _daekning(self, indbetaling: Indbetaling) -> detaljer.IndbetalingDaekning:
        # One read serves both fields of the same payment.
        gemt = getattr(self, "_gemt", None)
        if gemt is None or gemt[0] != indbetaling.pk:
            gemt = (indbetaling.pk, detaljer.indbetaling_daekning(indbetaling))
            self._gemt = gemt
        return gemt[1]

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_daekker_nu(self, indbetaling: Indbetaling) -> str:
        return str(self._daekning(indbetaling).daekker_nu)

    @extend_schema_field(PosteringUd(many=True))
    def get_posteringer(self, indbetaling: Indbetaling) -> Any:
        linjer = self._daekning(indbetaling).linjer
        return PosteringUd([linje.postering for linje in linjer], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_omposteringer(self, indbetaling: Indbetaling) -> list[int]:
        return list(detaljer.indbetaling_omposteringer(indbetaling).values_list("pk", flat=True))


class IndbetalingFilter(django_filters.FilterSet):
    borger = IdFilter(field_name="borger_id")
    valoerdato_fra = django_filters.DateFilter(field_name="valoerdato", lookup_expr="gte")
    valoerdato_til = django_filters.DateFilter(field_name="valoerdato", lookup_expr="lte")

    class Meta:
        model = Indbetaling
        fields: list[str] = []


class IndbetalingListeUd(serializers.ModelSerializer[Indbetaling]):
    class Meta:
        model = Indbetaling
        fields = ["id", "indbetalingsid", "borger", "valoerdato", "beloeb", "daekket"]


# --- Views ------------------------------------------------------------------------------------

FULDT_CPR = OpenApiParameter(
    "fuldt_cpr",
    OpenApiTypes.BOOL,
    description="Vis det fulde CPR-nummer. Opslaget logges.",
)


class BorgerSoeg(APIView):
    @extend_schema(
        tags=TAG,
        summary="Søg borgere på CPR-nummer, navn, kontonummer eller fordrings-ID",
        description="CPR-nummeret sendes i body (aldrig i URL'en). Højst 50 træf; CPR maskeret.",
        request=BorgerSoegInd,
        responses=BorgerTraefUd(many=True),
    )
    def post(self, request: Request) -> Response:
        ind = BorgerSoegInd(data=request.data)
        ind.is_valid(raise_exception=True)
        traef = selectors.borger_soeg_med_konti(
            user=request.user, q=ind.validated_data["q"], limit=SOEG_MAKS
        )
        return Response(BorgerTraefUd(traef, many=True).data)


class BorgerDetalje(EgenKommune, generics.RetrieveAPIView[Borger]):
    model = Borger
    serializer_class = BorgerUd

    def get_serializer_context(self) -> dict[str, Any]:
        fuldt = self.request.query_params.get("fuldt_cpr", "").lower() in {"1", "true", "ja"}
        return {**super().get_serializer_context(), "fuldt_cpr": fuldt}

    @extend_schema(tags=TAG, summary="Én borger", parameters=[FULDT_CPR])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        borger = self.get_object()
        context = self.get_serializer_context()
        if context["fuldt_cpr"]:
            opslag_log(
                user=request.user,
                kommune_id=borger.kommune_id,
                objekt=borger,
                formaal="Borger hentet med fuldt CPR-nummer gennem API'et",
            )
        return Response(BorgerUd(borger, context=context).data)


@extend_schema_view(get=extend_schema(tags=TAG, summary="Debitorkonti"))
class DebitorkontoListe(EgenKommune, generics.ListAPIView[Debitorkonto]):
    model, relationer = Debitorkonto, ("bevilling", "sag")
    serializer_class = DebitorkontoUd
    filterset_class = DebitorkontoFilter


@extend_schema_view(get=extend_schema(tags=TAG, summary="Én debitorkonto"))
class DebitorkontoDetalje(EgenKommune, generics.RetrieveAPIView[Debitorkonto]):
    model, relationer = Debitorkonto, ("bevilling", "sag")
    serializer_class = DebitorkontoUd


@extend_schema_view(get=extend_schema(tags=TAG, summary="Fordringer"))
class FordringListe(EgenKommune, generics.ListAPIView[Fordring]):
    model = Fordring
    serializer_class = FordringUd
    filterset_class = FordringFilter


@extend_schema_view(get=extend_schema(tags=TAG, summary="Én fordring"))
class FordringDetalje(EgenKommune, generics.RetrieveAPIView[Fordring]):
    model = Fordring
    serializer_class = FordringUd


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Posteringer (dækninger, afskrivninger, renter, tilbageførsler)",
        description="Ledgeren er kun tilføjelser: en rettelse er en tilbageførsel, der peger "
        "på den postering, den tilbagefører.",
    )
)
class PosteringListe(EgenKommune, generics.ListAPIView[Postering]):
    model, relationer = Postering, ("parkering",)
    serializer_class = PosteringUd
    filterset_class = PosteringFilter


@extend_schema_view(get=extend_schema(tags=TAG, summary="Indbetalinger"))
class IndbetalingListe(EgenKommune, generics.ListAPIView[Indbetaling]):
    model = Indbetaling
    serializer_class = IndbetalingListeUd
    filterset_class = IndbetalingFilter


@extend_schema_view(
    get=extend_schema(
        tags=TAG,
        summary="Én indbetaling: hvad den dækkede og hvor den er omposteret",
        description="Som skærmbilledet »Indbetaling« (19.05 Hent Indbetaling).",
    )
)
class IndbetalingDetalje(EgenKommune, generics.RetrieveAPIView[Indbetaling]):
    model = Indbetaling
    serializer_class = IndbetalingUd
