"""API of "Omposter fordeling" (seed 004) and the payouts it creates.

The same services as the screens (``ompostering.ompostering_opret``, ``udbetaling``): moving a
dækning and approving or rejecting a payout move money, so each write needs an
``Idempotency-Key``. Which roles may call what is the permission table's
(``ky_debitor.adgang``): Sagsbehandler and Bogholder move dækninger, only a Bogholder approves
a payout, and never the one who created it (four eyes, enforced by the service).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.choices import Overfoersel, Udbetalingskanal, UdbetalingStatus
from fordringer.models import Kundekredit, Ompostering, Sagsbehandlerfordeling, Udbetaling
from fordringer.ompostering.adressering import sagsbehandlerfordeling_adresser
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.kontrol import Valideringsfejl
from fordringer.ompostering.kredit import sagsbehandlerfordeling_til_kunden
from fordringer.ompostering.listeudbetaling import (
    BEGRUNDELSE_MAKS,
    sagsbehandlerfordeling_tilbagebetal,
    sagsbehandlerfordeling_udbetal,
)
from fordringer.ompostering.plan import NOTE_MAKS
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from fordringer.ompostering.udbetaling import (
    NyModtager,
    UdbetalingValg,
    sagsbehandlerfordeling_behandl,
    udbetaling_afvis,
    udbetaling_godkend,
)
from ky_debitor.adgang import person
from ky_debitor.api import ID_MAKS, EgenKommune, IdFilter, beloeb_felt
from ky_debitor.api_idempotens import IDEMPOTENS_PARAMETER, idempotent
from ky_debitor.enheder import til_personen_q

TAG = ["Omposter fordeling"]


# --- Serializers ------------------------------------------------------------------------------


class NyDaekningInd(serializers.Serializer):
    fordring = serializers.IntegerField(
        min_value=1, max_value=ID_MAKS, help_text="Den udækkede fordring."
    )
    beloeb = beloeb_felt()


class NyModtagerInd(serializers.Serializer):
    navn = serializers.CharField(max_length=200)
    identifikation = serializers.CharField(
        max_length=20, required=False, default="",
        help_text="CPR- eller CVR-nummer; påkrævet ved NemKonto.",
    )  # fmt: skip
    adresse = serializers.CharField(
        max_length=300, required=False, default="",
        help_text="Fuld adresse med postnummer og by; påkrævet ved check.",
    )  # fmt: skip


class UdbetalingInd(serializers.Serializer):
    beloeb = beloeb_felt("Beløb, der udbetales, i kroner.")
    kanal = serializers.ChoiceField(
        choices=Udbetalingskanal.choices, required=False, allow_blank=True, default="",
        help_text="Udbetalingsform (NemKonto eller check) — eller en overførsel, ikke begge.",
    )  # fmt: skip
    overfoersel = serializers.ChoiceField(
        choices=Overfoersel.choices, required=False, allow_blank=True, default="",
        help_text="Overførsel (SAP38, EFI eller kundens konto) — eller en udbetalingsform.",
    )  # fmt: skip
    fritaget_modregning = serializers.BooleanField(required=False, default=False)
    modtager_borger = serializers.IntegerField(
        min_value=1, max_value=ID_MAKS, required=False, allow_null=True, default=None,
        help_text="En anden borger som alternativ modtager.",
    )  # fmt: skip
    ny_modtager = NyModtagerInd(
        required=False, allow_null=True, default=None,
        help_text="En ny alternativ modtager, fx en advokat i et dødsbo.",
    )  # fmt: skip


def udbetaling_valg(data: dict[str, Any]) -> UdbetalingValg:
    """The payout choice of a validated ``UdbetalingInd``."""
    return UdbetalingValg(
        beloeb=data["beloeb"],
        kanal=data["kanal"],
        overfoersel=data["overfoersel"],
        fritaget_modregning=data["fritaget_modregning"],
        modtager_borger_id=data["modtager_borger"],
        ny_modtager=None if data["ny_modtager"] is None else NyModtager(**data["ny_modtager"]),
    )


# Where a payout check's field (``udbetaling.udbetaling_fejl``) is in the request body.
UDBETALING_STIER = {
    "udbetaling": "udbetaling.beloeb",
    "kanal": "udbetaling.kanal",
    "overfoersel": "udbetaling.overfoersel",
    "modtager": "udbetaling",
    "modtager_cpr": "udbetaling.modtager_borger",
    "ny_navn": "udbetaling.ny_modtager.navn",
    "ny_identifikation": "udbetaling.ny_modtager.identifikation",
    "ny_adresse": "udbetaling.ny_modtager.adresse",
}


def fejl_svar(fejl: Valideringsfejl, stier: dict[str, str]) -> dict[str, Any]:
    """The service's errors (``kontrol.Valideringsfejl``, the same as the screen shows) in
    the API's error shape, each under the path of the input field it concerns."""
    felter: dict[str, list[str]] = {}
    for f in fejl.fejl:
        sti = stier.get(f.felt or "", f.felt or "non_field_errors")
        felter.setdefault(sti, []).append(f.besked)
    return {"detail": fejl.message, "felter": felter}


class OmposteringInd(serializers.Serializer):
    daekninger = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAKS),
        min_length=1,
        max_length=100,
        help_text="De dækninger (posteringer), der rulles helt tilbage.",
    )
    aarsag = serializers.IntegerField(
        min_value=1, max_value=ID_MAKS, help_text="En af de foruddefinerede årsager."
    )
    borger = serializers.IntegerField(
        min_value=1, max_value=ID_MAKS, required=False, allow_null=True, default=None,
        help_text="Den borger, der omposteres fra; angives den, skal alle dækninger være "
        "borgerens, ellers afvises omposteringen (400), og intet ændres.",
    )  # fmt: skip
    til_borger = serializers.IntegerField(
        min_value=1, max_value=ID_MAKS, required=False, allow_null=True, default=None,
        help_text="Fordel til en anden borgers fordringer (ellers samme borger).",
    )  # fmt: skip
    fordeling = NyDaekningInd(many=True, required=False, default=list)
    udbetaling = UdbetalingInd(required=False, allow_null=True, default=None)
    note = serializers.CharField(
        max_length=NOTE_MAKS, required=False, allow_blank=True, default="",
        help_text="Giver et brev (meddelelse) til en alternativ modtager.",
    )  # fmt: skip
    automatisk = serializers.BooleanField(
        required=False,
        default=False,
        help_text="»Lad system ompostere«: fordel efter lovens rækkefølge i stedet for fordeling.",
    )

    def service_args(self) -> dict[str, Any]:
        data = self.validated_data
        udbetaling = data["udbetaling"]
        return {
            "daekning_ids": data["daekninger"],
            "aarsag_id": data["aarsag"],
            "til_borger_id": data["til_borger"],
            "fra_borger_id": data["borger"],
            "fordeling": [NyDaekning(d["fordring"], d["beloeb"]) for d in data["fordeling"]],
            "udbetaling": None if udbetaling is None else udbetaling_valg(udbetaling),
            "note": data["note"],
            "automatisk": data["automatisk"],
        }

    def fejl_svar(self, fejl: Valideringsfejl) -> dict[str, Any]:
        stier = {
            f"fordring_{d['fordring']}": f"fordeling.{nummer}.beloeb"
            for nummer, d in enumerate(self.validated_data["fordeling"])
        } | UDBETALING_STIER
        return fejl_svar(fejl, stier | {"total": "non_field_errors"})


class OmposteringUd(serializers.ModelSerializer[Ompostering]):
    aarsag = serializers.CharField(source="aarsag_tekst")
    udbetalinger: serializers.PrimaryKeyRelatedField[Udbetaling] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )

    class Meta:
        model = Ompostering
        fields = [
            "id",
            "fra_borger",
            "til_borger",
            "beloeb",
            "fordelt",
            "udbetalt",
            "venter",
            "valoerdato",
            "aarsag",
            "note",
            "automatisk",
            "oprettet",
            "udbetalinger",
            "tilbagefoert",
            "tilbagefoert_af",
        ]


class UdbetalingUd(serializers.ModelSerializer[Udbetaling]):
    class Meta:
        model = Udbetaling
        fields = [
            "id",
            "ompostering",
            "sagsbehandlerfordeling",
            "borger",
            "modtager_borger",
            "modtager_alternativ",
            "beloeb",
            "kanal",
            "overfoersel",
            "fritaget_modregning",
            "status",
            "oprettet",
            "oprettet_af",
            "behandlet",
            "behandlet_af",
            "begrundelse",
        ]


class BehandlInd(serializers.Serializer):
    begrundelse = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class UdbetalingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=UdbetalingStatus.choices)

    class Meta:
        model = Udbetaling
        fields = ["status"]


# --- Views ------------------------------------------------------------------------------------


class OmposteringOpret(APIView):
    @extend_schema(
        tags=TAG,
        summary="Omposter en dækning (use case 18.01)",
        description="Ruller hele dækningen tilbage, genberegner renter som om den aldrig var "
        "der, fordeler beløbet på udækkede fordringer (samme eller anden borger) med den "
        "oprindelige indbetalingsdato og/eller opretter en udbetaling til godkendelse; resten "
        "venter på sagsbehandlerfordelingen. Fejl i valideringen (seed 004) giver 400 med alle "
        "fejl på én gang: de danske beskeder i `detail` og hver under sit felt i `felter` (fx "
        "`fordeling.0.beloeb`, når beløbet er større end fordringens restance lige nu), og "
        "intet ændres.",
        request=OmposteringInd,
        responses={201: OmposteringUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        def udfoer() -> Response:
            ind = OmposteringInd(data=request.data)
            ind.is_valid(raise_exception=True)
            bruger = person(request)
            try:
                ompostering = ompostering_opret(user=bruger, **ind.service_args())
            except Valideringsfejl as fejl:
                return Response(ind.fejl_svar(fejl), status=status.HTTP_400_BAD_REQUEST)
            return Response(OmposteringUd(ompostering).data, status=status.HTTP_201_CREATED)

        return idempotent(request, udfoer)


class TilbagefoerInd(serializers.Serializer):
    begrundelse = serializers.CharField(max_length=255)


class OmposteringTilbagefoer(APIView):
    @extend_schema(
        tags=TAG,
        summary="Tilbagefør en ompostering",
        description="Dækningerne står igen, som før omposteringen; renter og eIndkomst regnes "
        "om, og en ventende udbetaling bortfalder. Afvises med en dansk besked, når "
        "udbetalingen er godkendt, et beløb er fordelt fra sagsbehandlerfordelingen eller en "
        "dækning siden er flyttet.",
        request=TilbagefoerInd,
        responses=OmposteringUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = TilbagefoerInd(data=request.data)
            ind.is_valid(raise_exception=True)
            ompostering = ompostering_tilbagefoer(
                user=person(request),
                ompostering_id=pk,
                begrundelse=ind.validated_data["begrundelse"],
            )
            return Response(OmposteringUd(ompostering).data)

        # Another kommune's ompostering is a 404 before anything is stored under the key.
        generics.get_object_or_404(Ompostering.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class UdbetalingListe(EgenKommune, generics.ListAPIView[Udbetaling]):
    model = Udbetaling
    serializer_class = UdbetalingUd
    filterset_class = UdbetalingFilter

    @extend_schema(tags=TAG, summary="Udbetalinger (til godkendelse med status=AFVENTER)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class _UdbetalingBehandl(APIView):
    service: Any = None

    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = BehandlInd(data=request.data)
            ind.is_valid(raise_exception=True)
            udbetaling = self.service(
                user=request.user, udbetaling_id=pk, begrundelse=ind.validated_data["begrundelse"]
            )
            return Response(UdbetalingUd(udbetaling).data)

        # Another kommune's payout is a 404 before anything is stored under the key.
        generics.get_object_or_404(Udbetaling.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class UdbetalingGodkend(_UdbetalingBehandl):
    service = staticmethod(udbetaling_godkend)

    @extend_schema(
        tags=TAG,
        summary="Godkend en udbetaling",
        description="Kun en bogholder, og aldrig den, der oprettede udbetalingen (fire øjne). "
        "Den godkendte udbetaling sendes til den valgte kanal via udbakken.",
        request=BehandlInd,
        responses=UdbetalingUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class UdbetalingAfvis(_UdbetalingBehandl):
    service = staticmethod(udbetaling_afvis)

    @extend_schema(
        tags=TAG,
        summary="Afvis en udbetaling",
        description="Kun en bogholder, og aldrig den, der oprettede udbetalingen; en "
        "begrundelse skal angives.",
        request=BehandlInd,
        responses=UdbetalingUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


# --- Sagsbehandlerfordeling (seed 004: the list worked daily) ---------------------------------


class SagsbehandlerfordelingUd(serializers.ModelSerializer[Sagsbehandlerfordeling]):
    class Meta:
        model = Sagsbehandlerfordeling
        fields = [
            "id",
            "borger",
            "beloeb",
            "valoerdato",
            "tekst",
            "indbetaling",
            "ompostering",
            "oprettet",
            "behandlet",
            "behandlet_af",
            "behandling",
            "adresseret_bruger",
            "adresseret_enhed",
            "adressat_navn",
        ]


class KundekreditUd(serializers.ModelSerializer[Kundekredit]):
    class Meta:
        model = Kundekredit
        fields = [
            "id",
            "borger",
            "beloeb",
            "rest",
            "valoerdato",
            "indbetaling",
            "ompostering",
            "sagsbehandlerfordeling",
            "oprettet",
            "oprettet_af",
            "udlignet",
        ]


class _KreditFilter(django_filters.FilterSet):
    """Seed 004 trin 1's criteria for money that stands on no claim: the borger, Periode (the
    original payment date) and Beløb (as a positive number)."""

    borger = IdFilter(field_name="borger_id")
    valoerdato_fra = django_filters.DateFilter(field_name="valoerdato", lookup_expr="gte")
    valoerdato_til = django_filters.DateFilter(field_name="valoerdato", lookup_expr="lte")


class SagsbehandlerfordelingFilter(_KreditFilter):
    behandlet = django_filters.BooleanFilter(
        field_name="behandlet", lookup_expr="isnull", exclude=True
    )
    beloeb_fra = django_filters.NumberFilter(field_name="beloeb", lookup_expr="gte")
    beloeb_til = django_filters.NumberFilter(field_name="beloeb", lookup_expr="lte")
    til_mig = django_filters.BooleanFilter(
        method="_til_mig", label="Kun poster til mig og mine enheder"
    )

    class Meta:
        model = Sagsbehandlerfordeling
        fields: list[str] = []

    def _til_mig(
        self, qs: QuerySet[Sagsbehandlerfordeling], navn: str, vaerdi: bool
    ) -> QuerySet[Sagsbehandlerfordeling]:
        mine = Sagsbehandlerfordeling.objects.filter(til_personen_q(self.request.user.pk))
        return (
            qs.filter(pk__in=mine.values("pk")) if vaerdi else qs.exclude(pk__in=mine.values("pk"))
        )


class KundekreditFilter(_KreditFilter):
    """``aaben=true``: the credits with something left; the amounts search what is left."""

    aaben = django_filters.BooleanFilter(method="_aaben")
    beloeb_fra = django_filters.NumberFilter(field_name="rest", lookup_expr="gte")
    beloeb_til = django_filters.NumberFilter(field_name="rest", lookup_expr="lte")

    class Meta:
        model = Kundekredit
        fields: list[str] = []

    def _aaben(self, qs: QuerySet[Kundekredit], navn: str, vaerdi: bool) -> QuerySet[Kundekredit]:
        return qs.filter(rest__gt=0) if vaerdi else qs.filter(rest=0)


class FordelInd(serializers.Serializer):
    fordeling = NyDaekningInd(many=True, help_text="Beløb pr. udækket fordring.")
    behandling = serializers.CharField(max_length=255, help_text="Hvad der er gjort med beløbet.")


class TilKundenInd(serializers.Serializer):
    behandling = serializers.CharField(max_length=255, help_text="Hvad der er gjort med beløbet.")


class AdresserInd(serializers.Serializer):
    til = serializers.CharField(
        max_length=40,
        allow_blank=True,
        help_text='"bruger-ID", "enhed-ID" eller "" (hele kommunens liste).',
    )
    begrundelse = serializers.CharField(max_length=255, allow_blank=True, required=False)


class UdbetalInd(serializers.Serializer):
    udbetaling = UdbetalingInd(help_text="Beløb (højst postens), modtager og udbetalingsform.")
    behandling = serializers.CharField(
        max_length=255, help_text="Hvad der er gjort med beløbet; vises som årsag."
    )


class TilbagebetalInd(serializers.Serializer):
    begrundelse = serializers.CharField(
        max_length=BEGRUNDELSE_MAKS, help_text="Hvorfor beløbet betales tilbage."
    )


class SagsbehandlerfordelingListe(EgenKommune, generics.ListAPIView[Sagsbehandlerfordeling]):
    model = Sagsbehandlerfordeling
    serializer_class = SagsbehandlerfordelingUd
    filterset_class = SagsbehandlerfordelingFilter

    @extend_schema(
        tags=TAG,
        summary="Sagsbehandlerfordelingen (behandlet=false: de poster, der venter)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SagsbehandlerfordelingFordel(APIView):
    @extend_schema(
        tags=TAG,
        summary="Fordel en post på borgerens fordringer",
        description="Som skærmbilledet: dækningerne får den oprindelige indbetalingsdato, "
        "renterne genberegnes, og et resterende beløb bliver en ny post.",
        request=FordelInd,
        responses=SagsbehandlerfordelingUd,
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = FordelInd(data=request.data)
            ind.is_valid(raise_exception=True)
            post = sagsbehandlerfordeling_behandl(
                user=person(request),
                post_id=pk,
                fordeling=[
                    NyDaekning(v["fordring"], v["beloeb"]) for v in ind.validated_data["fordeling"]
                ],
                behandling=ind.validated_data["behandling"],
            )
            return Response(SagsbehandlerfordelingUd(post).data)

        generics.get_object_or_404(Sagsbehandlerfordeling.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class SagsbehandlerfordelingTilKunden(APIView):
    @extend_schema(
        tags=TAG,
        summary="Placér en post på kunden",
        description="Seed 004 afklaring b: posten forlader listen, og beløbet står som kredit "
        "på kunden, der dækker borgerens fordringer i lovens rækkefølge ved den næste "
        "udligningskørsel.",
        request=TilKundenInd,
        responses={201: KundekreditUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = TilKundenInd(data=request.data)
            ind.is_valid(raise_exception=True)
            kredit = sagsbehandlerfordeling_til_kunden(
                user=person(request), post_id=pk, behandling=ind.validated_data["behandling"]
            )
            return Response(KundekreditUd(kredit).data, status=status.HTTP_201_CREATED)

        generics.get_object_or_404(Sagsbehandlerfordeling.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class SagsbehandlerfordelingUdbetal(APIView):
    @extend_schema(
        tags=TAG,
        summary="Udbetal en post",
        description="Som en udbetaling fra en ompostering (seed 004 trin 7): en udbetalingsform "
        "(NemKonto kræver et gyldigt CPR- eller CVR-nummer, check en fuld adresse) eller en "
        "overførsel, til borgeren eller en alternativ modtager. Posten forlader listen, og "
        "udbetalingen venter på en bogholders godkendelse; et resterende beløb bliver en ny "
        "post, og afvises udbetalingen, kommer beløbet tilbage på listen. Fejl giver 400 med "
        "alle fejl, hver under sit felt, og intet ændres.",
        request=UdbetalInd,
        responses={201: UdbetalingUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = UdbetalInd(data=request.data)
            ind.is_valid(raise_exception=True)
            try:
                udbetaling = sagsbehandlerfordeling_udbetal(
                    user=person(request),
                    post_id=pk,
                    udbetaling=udbetaling_valg(ind.validated_data["udbetaling"]),
                    behandling=ind.validated_data["behandling"],
                )
            except Valideringsfejl as fejl:
                return Response(
                    fejl_svar(fejl, UDBETALING_STIER), status=status.HTTP_400_BAD_REQUEST
                )
            return Response(UdbetalingUd(udbetaling).data, status=status.HTTP_201_CREATED)

        generics.get_object_or_404(Sagsbehandlerfordeling.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class SagsbehandlerfordelingTilbagebetal(APIView):
    @extend_schema(
        tags=TAG,
        summary="Tilbagebetal en post til indbetaler",
        description="Hele beløbet udbetales til den, der indbetalte det, til NemKonto; "
        "udbetalingen venter på en bogholders godkendelse, og afvises den, kommer beløbet "
        "tilbage på listen.",
        request=TilbagebetalInd,
        responses={201: UdbetalingUd},
        parameters=[IDEMPOTENS_PARAMETER],
    )
    def post(self, request: Request, pk: int) -> Response:
        def udfoer() -> Response:
            ind = TilbagebetalInd(data=request.data)
            ind.is_valid(raise_exception=True)
            udbetaling = sagsbehandlerfordeling_tilbagebetal(
                user=person(request),
                post_id=pk,
                begrundelse=ind.validated_data["begrundelse"],
            )
            return Response(UdbetalingUd(udbetaling).data, status=status.HTTP_201_CREATED)

        generics.get_object_or_404(Sagsbehandlerfordeling.objects.for_user(request.user), pk=pk)
        return idempotent(request, udfoer)


class KundekreditListe(EgenKommune, generics.ListAPIView[Kundekredit]):
    model = Kundekredit
    serializer_class = KundekreditUd
    filterset_class = KundekreditFilter

    @extend_schema(tags=TAG, summary="Kreditter på kunder (rest: hvad der endnu ikke er udlignet)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SagsbehandlerfordelingAdresser(APIView):
    @extend_schema(
        tags=TAG,
        summary="Send en post videre til en sagsbehandler, en enhed eller hele kommunen",
        description="Seed 004: posten står på listen for den sagsbehandler eller den "
        "organisatoriske enhed, den er sendt til. Som skærmbilledet; auditeret.",
        request=AdresserInd,
        responses=SagsbehandlerfordelingUd,
    )
    def post(self, request: Request, pk: int) -> Response:
        generics.get_object_or_404(Sagsbehandlerfordeling.objects.for_user(request.user), pk=pk)
        ind = AdresserInd(data=request.data)
        ind.is_valid(raise_exception=True)
        post = sagsbehandlerfordeling_adresser(
            user=person(request),
            post_id=pk,
            til=ind.validated_data["til"],
            begrundelse=ind.validated_data.get("begrundelse", ""),
        )
        return Response(SagsbehandlerfordelingUd(post).data)
