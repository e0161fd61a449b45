"""The caseworker's workspace: "Mine opgaver", the task list, the "Opret fordringssag" screen.

Sagsbehandler and Projektleder only (others 403). Every read goes through a selector scoped
with ``.for_user(request.user)``, so another kommune's task or package is a 404; every write is
a service in ``opgave_services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordringer.samling.maanedlig import maanedlig_samling_afslut, samlinger_bogfoert
from ky_debitor.adgang import adgang_tilladt, person
from ky_debitor.audit import opslag_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.omdirigering import sikker_tilbage

from . import afslutning, opgave_services, selectors
from .burndown import selectors as burndown
from .burndown.diagram import diagram
from .filters import CprFilterForm, OpgaveFilter, cpr_filter
from .forms import UDFYLD, OpgaveForm, TildelForm
from .models import Opgave, Opgavepakke, OpgaveType
from .opgaveskaerm import opgaveskaerm
from .workflow import OpgaveStatus

SIDE_STOERRELSE = 25

View = Callable[..., HttpResponse]


def arbejdsrum(view: View) -> View:
    """Logged in. Which roles may use each screen is the table's (``ky_debitor.adgang``):
    Sagsbehandler and Projektleder; anyone else gets 403 from ``AdgangMiddleware``."""
    return login_required(view)


def _opgave(request: HttpRequest, pk: int) -> Opgave:
    try:
        return selectors.opgave_for_user(user=request.user, pk=pk)
    except Opgave.DoesNotExist as exc:
        raise Http404("Opgaven findes ikke.") from exc


@require_GET
@arbejdsrum
def mine_opgaver(request: HttpRequest) -> HttpResponse:
    """The packages and the deadline; for whoever may read the burn-down (the project lead,
    the same row of the table as its API), the burn-down chart as well."""
    forloeb = (
        burndown.burndown(user=request.user)
        if adgang_tilladt(request.user, "api:burndown")
        else None
    )
    return render(
        request,
        "opgavepakker/mine_opgaver.html",
        {
            "oversigt": selectors.opgave_oversigt(user=request.user),
            "burndown": forloeb,
            "burndown_diagram": diagram(forloeb) if forloeb else None,
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@arbejdsrum
def opgave_liste(request: HttpRequest) -> HttpResponse:
    """Filters come by GET; the CPR filter only by POST, so a CPR is in no URL."""
    filtre = OpgaveFilter(
        request.GET, queryset=selectors.opgaver_for_liste(user=request.user), request=request
    )
    opgaver = filtre.qs
    cpr_form = CprFilterForm(request.POST if request.method == "POST" else None)
    if cpr_form.is_bound and cpr_form.is_valid():
        opgaver = cpr_filter(opgaver, cpr_form.cleaned_data["cpr"])
    if not filtre.data.get("sorter"):
        opgaver = opgaver.order_by("-parkeret_i_alt", "oprettet", "pk")
    else:
        opgaver = opgaver.order_by(*opgaver.query.order_by, "pk")
    side = _side(opgaver, request.GET.get("side"))
    projektleder = adgang_tilladt(request.user, "opgaver_tildel")
    pakke = filtre.form.cleaned_data.get("pakke") if filtre.form.is_valid() else None
    forespoergsel = request.GET.copy()
    forespoergsel.pop("side", None)
    return render(
        request,
        "opgavepakker/opgave_liste.html",
        {
            "filtre": filtre,
            "side": side,
            "pakke": pakke,
            "cpr_form": cpr_form,
            "projektleder": projektleder,
            "brugere": list(opgave_services.tildelbare_brugere(user=request.user))
            if projektleder
            else [],
            "forespoergsel": forespoergsel.urlencode(),
        },
    )


def _side(opgaver: QuerySet[Opgave], nummer: str | None) -> Page[Any]:
    """One page of the task list in two steps: the page's ids in the chosen order (a narrow
    query: only what it sorts by is computed for every task of the pakke), then those rows
    with their konto, borger and sums. At a pakke of thousands of tasks the one-step query
    joined and carried every row to sort them."""
    # the same paginator pages the ids and then the rows: Any for both
    paginator: Paginator[Any] = Paginator(opgaver.values_list("pk", flat=True), SIDE_STOERRELSE)
    ids = paginator.get_page(nummer)
    raekker = opgaver.order_by().in_bulk(list(ids.object_list))
    return Page([raekker[pk] for pk in ids.object_list], ids.number, ids.paginator)


@require_POST
@arbejdsrum
def opgave_tag(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opgave_services.opgave_tag(user=person(request), opgave_id=pk)
    except Opgave.DoesNotExist as exc:
        raise Http404("Opgaven findes ikke.") from exc
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
        return redirect(
            sikker_tilbage(request, request.POST.get("tilbage"), reverse("opgave_liste"))
        )
    return redirect("opgave", pk=pk)


@require_POST
@arbejdsrum
def opgave_aflever(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opgave = opgave_services.opgave_aflever(user=person(request), opgave_id=pk)
    except Opgave.DoesNotExist as exc:
        raise Http404("Opgaven findes ikke.") from exc
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
        return redirect("opgave", pk=pk)
    messages.success(request, "Opgaven er afleveret og kan tages af en anden.")
    return redirect(f"{reverse('opgave_liste')}?pakke={opgave.pakke_id}")


@require_POST
@arbejdsrum
def naeste_opgave(request: HttpRequest, pakke_pk: int) -> HttpResponse:
    try:
        pakke = selectors.pakke_for_user(user=request.user, pk=pakke_pk)
    except Opgavepakke.DoesNotExist as exc:
        raise Http404("Opgavepakken findes ikke.") from exc
    opgave = opgave_services.opgave_tag_naeste(user=person(request), pakke_id=pakke.pk)
    if opgave is None:
        messages.info(request, f"Der er ikke flere ledige opgaver i pakken »{pakke.navn}«.")
        return redirect("mine_opgaver")
    return redirect("opgave", pk=opgave.pk)


@require_POST
@arbejdsrum
def opgaver_tildel(request: HttpRequest) -> HttpResponse:
    ider = [int(v) for v in request.POST.getlist("opgaver") if v.isdigit()]
    form = TildelForm(
        request.POST,
        opgave_ids=ider,
        brugere=list(opgave_services.tildelbare_brugere(user=request.user)),
    )
    tilbage = sikker_tilbage(request, request.POST.get("tilbage"), reverse("opgave_liste"))
    if not form.is_valid():
        for fejl in form.errors.values():
            messages.error(request, " ".join(str(f) for f in fejl))
        return redirect(tilbage)
    try:
        antal = opgave_services.opgaver_tildel(
            user=person(request),
            opgave_ids=form.cleaned_data["opgaver"],
            bruger_id=form.cleaned_data["bruger"],
        )
    except ApplicationError as fejl:
        messages.error(request, fejl.message)
    else:
        messages.success(request, f"{antal} opgave{'r' if antal != 1 else ''} er tildelt.")
    return redirect(tilbage)


@require_http_methods(["GET", "POST"])
@never_cache  # the screen shows a full CPR number
@arbejdsrum
def opgave(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Opret fordringssag" screen; POST confirms and shows the receipt."""
    opgave = _opgave(request, pk)
    if opgave.type == OpgaveType.DAEKNINGER:
        # The waiting step is not worked on its own: open the konto's "Opret fordringssag".
        aaben = selectors.aaben_opret_opgave(user=request.user, konto_id=opgave.konto_id)
        if aaben is not None:
            return redirect("opgave", pk=aaben.pk)
        return redirect("debitorkonto", pk=opgave.konto_id)
    if opgave.status == OpgaveStatus.AFSLUTTET and request.method == "GET":
        return redirect("opgave_kvittering", pk=pk)
    skaerm = opgaveskaerm(opgave=opgave)
    konflikt = False
    if request.method == "POST" and UDFYLD in request.POST:
        form = OpgaveForm.udfyldt(request.POST, skaerm=skaerm)
    else:
        form = OpgaveForm(request.POST or None, skaerm=skaerm)
    if request.method == "POST" and UDFYLD not in request.POST and form.is_valid():
        try:
            afslutning.opgave_afslut(user=person(request), opgave_id=opgave.pk, valg=form.valg())
        except ApplicationError as fejl:
            konflikt = isinstance(fejl, ConflictError)
            felter = fejl.felter or ({fejl.felt: [fejl.message]} if fejl.felt else {})
            form.tilfoej_fejl(felter, fejl.message)
        else:
            return redirect("opgave_kvittering", pk=pk)
    opslag_log(
        user=request.user,
        kommune_id=opgave.kommune_id,
        objekt=opgave.konto,
        formaal=f"Opgave {opgave.pk} (Opret fordringssag) vist med borgerens fulde CPR-nummer",
    )
    return render(
        request,
        "opgavepakker/opgave.html",
        {"opgave": opgave, "skaerm": skaerm, "form": form, "konto": opgave.konto},
        status=409 if konflikt else 200,
    )


@require_GET
@arbejdsrum
def opgave_kvittering(request: HttpRequest, pk: int) -> HttpResponse:
    opgave = _opgave(request, pk)
    if opgave.status != OpgaveStatus.AFSLUTTET:
        return redirect("opgave", pk=pk)
    return render(
        request,
        "opgavepakker/kvittering.html",
        {
            "opgave": opgave,
            "kvittering": selectors.kvittering(opgave=opgave),
            "naeste": selectors.naeste_opgave(user=request.user, pakke_id=opgave.pakke_id),
        },
    )


@require_GET
@arbejdsrum
def manglende_ydelsestype(request: HttpRequest) -> HttpResponse:
    side = Paginator(selectors.konti_uden_ydelsestype(user=request.user), SIDE_STOERRELSE)
    return render(
        request,
        "opgavepakker/manglende_ydelsestype.html",
        {"side": side.get_page(request.GET.get("side"))},
    )


def _maanedlige_samlinger_side(
    request: HttpRequest, *, fejl: ApplicationError | None = None, fejl_id: int = 0
) -> HttpResponse:
    samlinger = selectors.maanedlige_samlinger(user=request.user, idag=timezone.localdate())
    aabne = samlinger.i_dag + samlinger.overskredne + samlinger.kommende
    return render(
        request,
        "opgavepakker/maanedlige_samlinger.html",
        {
            "samlinger": samlinger,
            "bogfoert": samlinger_bogfoert(aabne),
            "kan_afslutte": adgang_tilladt(request.user, "maanedlig_samling_afslut"),
            "fejl": fejl.message if fejl else "",
            "fejl_id": fejl_id,
            "begrundelse": request.POST.get("begrundelse", "") if fejl else "",
        },
        status=400 if fejl else 200,
    )


@require_GET
@never_cache
@arbejdsrum
def maanedlige_samlinger(request: HttpRequest) -> HttpResponse:
    """ "Månedlig samling" (seed 000): due today, overdue, coming, and recently done."""
    return _maanedlige_samlinger_side(request)


@require_POST
@never_cache
@arbejdsrum
def maanedlig_samling_afslut_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        samling = maanedlig_samling_afslut(
            user=person(request), samling_id=pk, begrundelse=request.POST.get("begrundelse", "")
        )
    except ConflictError as fejl:
        messages.error(request, fejl.message)
    except ApplicationError as fejl:
        if fejl.felt != "begrundelse":
            raise Http404(fejl.message) from fejl
        return _maanedlige_samlinger_side(request, fejl=fejl, fejl_id=pk)
    else:
        messages.success(
            request,
            f"Månedlig samling på debitorkonto {samling.konto.kontonummer} er markeret som udført.",
        )
    return redirect("maanedlige_samlinger")
