"""The "Dataudtræk" screens: choose a report, filter, preview, download; "Mine udtræk".

Only Projektleder and Sagsbehandler (others get 403). Rows come from the user's own kommune
(``request.user.kommune``), and stored exports are looked up through
``selectors.eksporter_for_user``, so another kommune's (or person's) export is a 404.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ky_debitor.koe import afsendelser

from . import selectors, services
from .definitioner import BELOEB, HELTAL, RAPPORTER
from .eksport import csv_vaerdi
from .forms import UdtraekForm, rapport_fra_data
from .models import Eksport, EksportFormat

FORHAANDSVISNING = 50
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rapportbruger(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Logged in and in a kommune. The roles (Projektleder, Sagsbehandler) are the table's
    (``ky_debitor.adgang``), enforced by ``AdgangMiddleware``."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if getattr(user, "kommune_id", None) is None:
            raise PermissionDenied("Dataudtræk kræver, at du er knyttet til en kommune.")
        return view(request, *args, **kwargs)

    return wrapper


def _kommune_id(request: HttpRequest) -> int:
    kommune_id = getattr(request.user, "kommune_id", None)
    if kommune_id is None:
        raise PermissionDenied("Du er ikke knyttet til en kommune.")
    return int(kommune_id)


def _filnavn(navn: str, format: str) -> str:
    return f"{navn}_{timezone.localtime():%Y%m%d_%H%M}.{format}"


@require_GET
@never_cache
@rapportbruger
def dataudtraek(request: HttpRequest) -> HttpResponse:
    """GET with ``vis`` shows the row count and the first 50 rows of the filtered report."""
    rapport = rapport_fra_data(request.GET)
    vis = "vis" in request.GET
    form = UdtraekForm(request.GET if vis else None, rapport=rapport)
    visning = None
    celler: list[list[tuple[str, bool]]] = []
    if vis and form.is_valid():
        visning = services.udtraek_vis(
            user=request.user, rapport=rapport, filtre=form.filtre(), maks=FORHAANDSVISNING
        )
        # Shown as in the CSV file: Danish amounts and dates; numbers right-aligned.
        celler = [
            [
                (csv_vaerdi(v, k.type), k.type in (BELOEB, HELTAL))
                for v, k in zip(raekke, rapport.kolonner, strict=True)
                if not k.kode
            ]
            for raekke in visning.raekker
        ]
    return render(
        request,
        "rapporter/dataudtraek.html",
        {
            "rapporter": RAPPORTER.values(),
            "rapport": rapport,
            "form": form,
            "visning": visning,
            "celler": celler,
            "maks": FORHAANDSVISNING,
            "graense": services.direkte_graense(),
        },
    )


@require_POST
@never_cache
@rapportbruger
def udtraek_hent(request: HttpRequest) -> HttpResponseBase:
    """Download: straight in the response up to the threshold, else a background export."""
    rapport = rapport_fra_data(request.POST)
    form = UdtraekForm(request.POST, rapport=rapport)
    if not form.is_valid():
        return render(
            request,
            "rapporter/dataudtraek.html",
            {
                "rapporter": RAPPORTER.values(),
                "rapport": rapport,
                "form": form,
                "visning": None,
                "maks": FORHAANDSVISNING,
                "graense": services.direkte_graense(),
            },
            status=400,
        )
    filtre = form.filtre()
    format = form.cleaned_data.get("format") or EksportFormat.XLSX
    antal = rapport.antal(_kommune_id(request), filtre)
    if antal > services.direkte_graense():
        with afsendelser() as afsendelse:
            eksport = services.eksport_bestil(
                user=request.user, rapport=rapport, filtre=filtre, format=format, antal=antal
            )
        if afsendelse.udskudt:
            messages.warning(
                request, "Udtrækket er bestilt; det dannes, når køen er tilgængelig igen."
            )
        return redirect("eksport", pk=eksport.pk)
    filnavn = _filnavn(rapport.navn, format)
    if format == EksportFormat.CSV:
        stroem = services.udtraek_csv_stroem(
            user=request.user, rapport=rapport, filtre=filtre, antal=antal
        )
        response = StreamingHttpResponse(stroem, content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filnavn}"'
        return response
    fil = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse
    services.udtraek_xlsx_direkte(
        user=request.user, rapport=rapport, filtre=filtre, fil=fil, antal=antal
    )
    fil.seek(0)
    return FileResponse(fil, as_attachment=True, filename=filnavn, content_type=XLSX_TYPE)


def _eksport(request: HttpRequest, pk: int) -> Eksport:
    try:
        return selectors.eksporter_for_user(user=request.user).get(pk=pk)
    except Eksport.DoesNotExist as exc:
        raise Http404("Udtrækket findes ikke.") from exc


@require_GET
@never_cache
@rapportbruger
def eksport_detalje(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of one stored export; htmx polls the status part until it is done."""
    eksport = _eksport(request, pk)
    skabelon = (
        "rapporter/_eksport_status.html"
        if request.headers.get("HX-Request") == "true"
        else "rapporter/eksport.html"
    )
    return render(request, skabelon, {"eksport": eksport})


@require_GET
@never_cache
@rapportbruger
def eksport_fil(request: HttpRequest, pk: int) -> HttpResponseBase:
    eksport = _eksport(request, pk)
    if not eksport.fil:
        raise Http404("Udtrækket er ikke færdigt.")
    try:
        fil = eksport.fil.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Filen er slettet.") from exc
    services.eksport_hentet(user=request.user, eksport=eksport)
    content_type = CSV_TYPE if eksport.format == EksportFormat.CSV else XLSX_TYPE
    return FileResponse(
        fil, as_attachment=True, filename=eksport.filnavn, content_type=content_type
    )


@require_GET
@never_cache
@rapportbruger
def mine_udtraek(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rapporter/mine_udtraek.html",
        {
            "eksporter": selectors.eksporter_for_user(user=request.user)[:100],
            "dage": services.eksport_dage(),
        },
    )
