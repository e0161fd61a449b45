"""Screens of eIndkomst: what the kommune reported by hand (list, record, cancel; a file is
uploaded through ``fordringer.importer.views``, which shows its errors on the same page) and
the reconciliation per income year.

Which roles may use each screen is the permission table's (``ky_debitor.adgang``): the
by-hand amounts are the Bogholder's, the reconciliation the Bogholder's and the
Projektleder's. Rows of another kommune are a 404. CPR numbers are shown masked, and showing
borgere's amounts is logged as a look-up (DESIGN §4.4).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fordringer.choices import ManuelKilde
from fordringer.eindkomst.afstemning import afstemning_indkomstaar, eindkomst_afstemning
from fordringer.eindkomst.forms import AfstemningForm, AnnullerForm, ImportForm, ManuelForm
from fordringer.eindkomst.manuel import eindkomst_manuel_annuller, eindkomst_manuel_opret
from fordringer.eindkomst.selectors import indkomstaar_interval, manuelle
from fordringer.models import Borger, EIndkomstManuel
from ky_debitor.adgang import adgang_tilladt, person
from ky_debitor.audit import opslag_log
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Kommune
from ky_debitor.money import format_beloeb

SIDE_STOERRELSE = 25


def _kommune(request: HttpRequest) -> Kommune:
    kommune = getattr(request.user, "kommune", None)
    if kommune is None:
        raise Http404("Du er ikke tilknyttet en kommune.")
    return kommune


def manuelle_vis(
    request: HttpRequest,
    *,
    form: ManuelForm | None = None,
    import_form: ImportForm | None = None,
    import_fejl: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page of by-hand amounts, with a form's errors when one was refused."""
    kommune = _kommune(request)
    side = Paginator(
        manuelle(EIndkomstManuel.objects.for_user(request.user)), SIDE_STOERRELSE
    ).get_page(request.GET.get("side"))
    if side.object_list:
        opslag_log(
            user=request.user,
            kommune_id=kommune.pk,
            objekt=kommune,
            formaal="Manuelt indberettede eIndkomst-beløb vist (CPR-nummer maskeret)",
        )
    fra, til = indkomstaar_interval(kommune_id=kommune.pk, idag=timezone.localdate())
    return render(
        request,
        "fordringer/eindkomst/manuel.html",
        {
            "side": side,
            "form": form or ManuelForm(initial={"indkomstaar": til}),
            "import_form": import_form or ImportForm(),
            "import_fejl": import_fejl or [],
            "fra": fra,
            "til": til,
            "kan_afstemme": adgang_tilladt(request.user, "eindkomst_afstemning"),
        },
        status=status,
    )


@require_GET
@never_cache
@login_required
def eindkomst_manuel(request: HttpRequest) -> HttpResponse:
    return manuelle_vis(request)


@require_POST
@never_cache
@login_required
def eindkomst_manuel_opret_view(request: HttpRequest) -> HttpResponse:
    form = ManuelForm(request.POST)
    if form.is_valid():
        try:
            row = eindkomst_manuel_opret(
                user=person(request),
                cpr=form.cleaned_data["cpr"],
                indkomstaar=form.cleaned_data["indkomstaar"],
                beloeb=form.cleaned_data["beloeb"],
                tekst=form.cleaned_data["tekst"],
                kilde=ManuelKilde.SKAERM,
            )
        except ApplicationError as fejl:
            form.add_error(fejl.felt if fejl.felt in form.fields else None, fejl.message)
        else:
            messages.success(
                request,
                f"{format_beloeb(row.beloeb)} kr. for indkomståret {row.indkomstaar} er "
                "registreret som manuelt indberettet. Beløbet modregnes i næste "
                "eIndkomst-forsendelse.",
            )
            return redirect("eindkomst_manuel")
    return manuelle_vis(request, form=form, status=400)


@require_POST
@never_cache
@login_required
def eindkomst_manuel_annuller_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not EIndkomstManuel.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404("Det manuelt indberettede beløb findes ikke.")
    form = AnnullerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(f) for f in form.errors["begrundelse"]))
        return redirect("eindkomst_manuel")
    try:
        row = eindkomst_manuel_annuller(
            user=person(request),
            manuel_id=pk,
            begrundelse=form.cleaned_data["begrundelse"],
            kilde=ManuelKilde.SKAERM,
        )
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    else:
        messages.success(
            request,
            f"Det manuelt indberettede beløb på {format_beloeb(-row.beloeb)} kr. for "
            f"indkomståret {row.indkomstaar} er annulleret.",
        )
    return redirect("eindkomst_manuel")


@require_GET
@never_cache
@login_required
def eindkomst_afstemning_view(request: HttpRequest) -> HttpResponse:
    kommune = _kommune(request)
    idag = timezone.localdate()
    aar = sorted(set(afstemning_indkomstaar(kommune_id=kommune.pk)) | {idag.year})
    form = AfstemningForm(request.GET or {"indkomstaar": aar[-1]}, aar=aar)
    if not form.is_valid():
        form = AfstemningForm({"indkomstaar": aar[-1]}, aar=aar)
        form.is_valid()
        messages.error(request, "Vælg et af indkomstårene på listen.")
    indkomstaar = form.cleaned_data["indkomstaar"]
    afstemning = eindkomst_afstemning(kommune_id=kommune.pk, indkomstaar=indkomstaar)
    side = Paginator(afstemning.afvigelser, SIDE_STOERRELSE).get_page(request.GET.get("side"))
    navne = dict(
        Borger.objects.for_kommune(kommune.pk)
        .filter(cpr__in=[r.cpr for r in side.object_list])
        .values_list("cpr", "navn")
    )
    if side.object_list:
        opslag_log(
            user=request.user,
            kommune_id=kommune.pk,
            objekt=kommune,
            formaal=f"eIndkomst-afstemning for indkomståret {indkomstaar} vist med forskelle "
            "pr. borger (CPR-nummer maskeret)",
        )
    return render(
        request,
        "fordringer/eindkomst/afstemning.html",
        {
            "form": form,
            "a": afstemning,
            "side": side,
            "raekker": [(r, navne.get(r.cpr, "")) for r in side.object_list],
            "antal_med_afvigelse": len(afstemning.borgere_med_afvigelse),
            "kan_registrere": adgang_tilladt(request.user, "eindkomst_manuel"),
            "kan_hente": adgang_tilladt(request.user, "dataudtraek"),
        },
    )
