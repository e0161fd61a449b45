"""Uploading a file of amounts the kommune reported to eIndkomst by hand (``manuel``). The
Bogholder's (``ky_debitor.adgang``); a refused file is shown on the page of by-hand amounts
with every bad row."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fordringer.eindkomst.forms import ImportForm
from fordringer.eindkomst.views.afstemning import manuelle_vis
from fordringer.importer.manuel import ManuelImportFejl, eindkomst_manuel_importer
from ky_debitor.adgang import person
from ky_debitor.errors import ApplicationError
from ky_debitor.money import format_beloeb


@require_POST
@never_cache
@login_required
def eindkomst_manuel_importer_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            resultat = eindkomst_manuel_importer(user=person(request), fil=form.cleaned_data["fil"])
        except ManuelImportFejl as fejl:
            form.add_error("fil", fejl.overskrift)
            return manuelle_vis(request, import_form=form, import_fejl=fejl.fejl, status=400)
        except ApplicationError as fejl:
            form.add_error("fil", fejl.message)
        else:
            messages.success(
                request,
                f"Filen er indlæst: {resultat.antal} beløb på i alt "
                f"{format_beloeb(resultat.total)} kr. er registreret som manuelt indberettet.",
            )
            return redirect("eindkomst_manuel")
    return manuelle_vis(request, import_form=form, status=400)
