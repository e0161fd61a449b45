"""API for the debitorsystem's messages to KY (SF1590 via the Beskedfordeler, seed 003).

The sender is a system with an API key of its kommune (made by Drift in the admin); a person's
session cannot send. The key's kommune is the only one it can book on. Each message carries
its own id (``besked_id``): the first delivery answers 201 with the outcome, a redelivery 200
with the same outcome and the header ``Idempotent-Replayed: true``, and nothing is booked
twice. The work is ``debitorsystem.py``'s.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fordringer.choices import DaekningArt, Frigivelsestype, KontoStatus
from fordringer.debitorsystem.services import (
    DaekningBesked,
    KontostatusBesked,
    debitorsystem_daekning_modtag,
    debitorsystem_kontostatus_modtag,
)
from fordringer.models import IndgaaendeBesked
from ky_debitor.adgang import person
from ky_debitor.api import beloeb_felt
from ky_debitor.models import ApiNoegle, Bruger

TAG = ["Debitorsystem (SF1590)"]
KUN_SYSTEM = "Kun debitorsystemet kan sende beskeder: brug kommunens API-nøgle."


def besked_id_felt() -> serializers.CharField:
    return serializers.CharField(
        max_length=100,
        help_text="Afsenderens unikke id for beskeden. Samme id igen bogføres ikke igen.",
    )


class DaekningInd(serializers.Serializer):
    besked_id = besked_id_felt()
    fordringsid = serializers.CharField(max_length=40, help_text="Fordringens id i KY.")
    art = serializers.ChoiceField(choices=DaekningArt.choices)
    beloeb = beloeb_felt("Beløb i kroner, større end 0 og højst fordringens restance.")
    valoerdato = serializers.DateField(help_text="Valørdato (ÅÅÅÅ-MM-DD), ikke i fremtiden.")
    indbetalingsid = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="",
        help_text="Indbetalingen, dækningen kommer fra (valgfri).",
    )  # fmt: skip

    def besked(self) -> DaekningBesked:
        return DaekningBesked(**self.validated_data)


class KontostatusInd(serializers.Serializer):
    besked_id = besked_id_felt()
    kontonummer = serializers.CharField(max_length=40)
    status = serializers.ChoiceField(choices=KontoStatus.choices, required=False)
    frigivelsestype = serializers.ChoiceField(choices=Frigivelsestype.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "status" not in attrs and "frigivelsestype" not in attrs:
            raise serializers.ValidationError("Angiv en ny status og/eller en ny frigivelsestype.")
        return attrs

    def besked(self) -> KontostatusBesked:
        return KontostatusBesked(**self.validated_data)


class IndgaaendeBeskedUd(serializers.ModelSerializer[IndgaaendeBesked]):
    kontonummer = serializers.CharField(source="konto.kontonummer", allow_null=True)

    class Meta:
        model = IndgaaendeBesked
        fields = [
            "besked_id",
            "type",
            "resultat",
            "postering",
            "kontonummer",
            "eindkomst",
            "modtaget",
        ]


def _svar(besked: IndgaaendeBesked, ny: bool) -> Response:
    svar = Response(
        IndgaaendeBeskedUd(besked).data,
        status=status.HTTP_201_CREATED if ny else status.HTTP_200_OK,
    )
    if not ny:
        svar["Idempotent-Replayed"] = "true"
    return svar


def _afsender(request: Request) -> Bruger:
    """The debitorsystem: only a request with an API key, which acts as the key's holder."""
    if not isinstance(request.auth, ApiNoegle):
        raise exceptions.PermissionDenied(KUN_SYSTEM)
    return person(request)


SVAR = {
    201: OpenApiResponse(IndgaaendeBeskedUd, description="Beskeden er modtaget og behandlet."),
    200: OpenApiResponse(
        IndgaaendeBeskedUd,
        description="Beskeden var modtaget før: det oprindelige resultat, intet bogført igen.",
    ),
}


class DebitorsystemDaekning(APIView):
    @extend_schema(
        tags=TAG,
        summary="Modtag en dækning eller afskrivning fra debitorsystemet",
        description="Bogfører dækningen/afskrivningen på fordringen. På en KMD Aktiv-konto, "
        "der ikke er sagstilknyttet, eller en fordring uden ydelsestype, parkeres den "
        "(resultat PARKERET) til kontoen tilknyttes; ellers indtægtsføres den (BOGFOERT), og "
        "en dækning, som LL § 8 O omfatter, giver en eIndkomst-indberetning. Samme besked-id "
        "igen giver det første resultat tilbage (200). Ugyldigt input giver 400 med en dansk "
        "fejl, og intet bogføres; samme besked-id med andet indhold giver 422.",
        request=DaekningInd,
        responses=SVAR,
        examples=[
            OpenApiExample(
                "Dækning",
                request_only=True,
                value={
                    "besked_id": "8f14e45f-ceea-467f-a0e6-0f2f5c1c9a11",
                    "fordringsid": "F000012345",
                    "art": "DAEKNING",
                    "beloeb": "250.00",
                    "valoerdato": "2026-01-15",
                    "indbetalingsid": "I00004711",
                },
            ),
            OpenApiExample(
                "Parkeret",
                response_only=True,
                status_codes=["201"],
                value={
                    "besked_id": "8f14e45f-ceea-467f-a0e6-0f2f5c1c9a11",
                    "type": "DAEKNING",
                    "resultat": "PARKERET",
                    "postering": 9876,
                    "kontonummer": "K00012345",
                    "eindkomst": False,
                    "modtaget": "2026-01-15T10:12:00+01:00",
                },
            ),
            OpenApiExample(
                "Afvist",
                response_only=True,
                status_codes=["400"],
                value={
                    "detail": "Beløbet 1.250,00 kr. overstiger fordringens restance 1.000,00 kr."
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        afsender = _afsender(request)
        ind = DaekningInd(data=request.data)
        ind.is_valid(raise_exception=True)
        return _svar(*debitorsystem_daekning_modtag(user=afsender, besked=ind.besked()))


class DebitorsystemKontostatus(APIView):
    @extend_schema(
        tags=TAG,
        summary="Modtag et statusskift på en debitorkonto fra debitorsystemet",
        description="Sætter debitorkontoens status og/eller frigivelsestype og logger "
        "ændringen. Samme besked-id igen giver det første resultat tilbage (200).",
        request=KontostatusInd,
        responses=SVAR,
        examples=[
            OpenApiExample(
                "Frigivet",
                request_only=True,
                value={
                    "besked_id": "0c1d7a52-3e2b-4f7e-9a0b-5d3c2e1f0a99",
                    "kontonummer": "K00012345",
                    "status": "AKTIV",
                    "frigivelsestype": "FRIGIVET",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        afsender = _afsender(request)
        ind = KontostatusInd(data=request.data)
        ind.is_valid(raise_exception=True)
        return _svar(*debitorsystem_kontostatus_modtag(user=afsender, besked=ind.besked()))
