"""The base of every model admin of the project, and the helpers the app admins share.

``KommuneAdmin`` is the one base class every model admin uses:

* every list, every change form and every foreign-key choice is limited to the person's own
  kommune (``TenantQuerySet.for_user``; for the few tables without it, their ``kommune``
  column), so the admin cannot be used to reach another kommune's data;
* every add, change and delete writes an ``AuditEvent`` (who, what, which fields from → to) in
  the same transaction as the write.

``SkrivebeskyttetAdmin`` is for history that is appended only (the ledger, the audit trail, the
CPR look-up log): it can be viewed, never added, changed or deleted. ``RolleAdgangAdmin`` is
a read-only list that the roles the permission table gives it may open.

Each app's ``admin.py`` registers its own models on these; nothing here knows an app above
``ky_debitor``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from . import etiketter, visning
from .adgang import adgang_tilladt
from .audit import audit_log
from .models import Kommune

INGENTING = "\N{EN DASH}"  # an empty cell

# The list filter by kommune, offering only the kommuner that have rows in the list.
KOMMUNE_FILTER = ("kommune", admin.RelatedOnlyFieldListFilter)

# Never written to the audit trail, whatever their value.
HEMMELIGE_FELTER = ("password", "password1", "password2")


def kommune_afgraens(queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
    """Limit any queryset to what ``user`` may see: tenant rows of their own kommune.

    Tenant models scope themselves (``for_user``); for the kommune table itself and for
    people and audit rows, the ``kommune`` column decides. Shared reference tables
    (ydelsestyper, roles) are the same for every kommune and are not limited.
    """
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if getattr(user, "is_superuser", False):
        return queryset
    kommune_id = getattr(user, "kommune_id", None)
    model = queryset.model
    if model is Kommune:
        return queryset.filter(pk=kommune_id) if kommune_id else queryset.none()
    if any(f.name == "kommune" for f in model._meta.get_fields()):
        return queryset.filter(kommune_id=kommune_id) if kommune_id else queryset.none()
    return queryset


def _som_tekst(vaerdi: Any) -> Any:
    """A form value as something the audit trail's JSON can hold."""
    if vaerdi is None or isinstance(vaerdi, bool | int | str):
        return vaerdi
    if isinstance(vaerdi, Decimal | dt.date | dt.datetime | dt.time):
        return str(vaerdi)
    if isinstance(vaerdi, models.Model):
        return f"{vaerdi} (id {vaerdi.pk})"
    if isinstance(vaerdi, Iterable):
        return [_som_tekst(v) for v in vaerdi]
    return str(vaerdi)


def _aendringer(form: BaseForm) -> dict[str, dict[str, Any]]:
    """The fields a form changed, each with its value before and after."""
    aendret = {}
    for navn in form.changed_data:
        if navn in HEMMELIGE_FELTER:
            aendret[navn] = {"fra": "(skjult)", "til": "(skjult)"}
            continue
        felt = form.fields[navn]
        foer = form.get_initial_for_field(felt, navn)
        if isinstance(foer, Iterable) and not isinstance(foer, str):
            foer = list(foer)
        aendret[navn] = {"fra": _som_tekst(foer), "til": _som_tekst(form.cleaned_data.get(navn))}
    return aendret


def _afgraens_valg(formfield: Any, request: HttpRequest) -> Any:
    """Limit a relation field's choices, so another kommune's row can be neither shown nor
    posted by id."""
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None:
        formfield.queryset = kommune_afgraens(queryset, request.user)
    return formfield


def _kommune_id(obj: models.Model) -> int | None:
    if isinstance(obj, Kommune):
        return obj.pk
    return getattr(obj, "kommune_id", None)


def _navn(obj: models.Model) -> str:
    return f"{str(obj._meta.verbose_name).capitalize()} '{obj}'"


class KommuneAdmin(admin.ModelAdmin):
    """Base admin: scoped to the person's kommune, every write audited (see module docstring)."""

    # Fields that may be set when a row is added but never changed afterwards (who a konto
    # belongs to, which kommune a row lives in).
    laast_ved_rettelse: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return kommune_afgraens(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        felter = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            felter += tuple(f for f in self.laast_ved_rettelse if f not in felter)
        return felter

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        return _afgraens_valg(
            super().formfield_for_foreignkey(db_field, request, **kwargs), request
        )

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        return _afgraens_valg(
            super().formfield_for_manytomany(db_field, request, **kwargs), request
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        aendringer = _aendringer(form)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                felter = ", ".join(aendringer) or "ingen felter"
                beskrivelse = f"{_navn(obj)} rettet i administrationen ({felter})."
            else:
                beskrivelse = f"{_navn(obj)} oprettet i administrationen."
            audit_log(
                user=request.user,
                kommune_id=_kommune_id(obj),
                handling="admin.ret" if change else "admin.opret",
                objekt=obj,
                beskrivelse=beskrivelse,
                data={"felter": aendringer},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._audit_sletning(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._audit_sletning(request, obj)
            super().delete_queryset(request, queryset)

    def _audit_sletning(self, request: HttpRequest, obj: Any) -> None:
        audit_log(
            user=request.user,
            kommune_id=_kommune_id(obj),
            handling="admin.slet",
            objekt=obj,
            beskrivelse=f"{_navn(obj)} slettet i administrationen.",
            data={
                "felter": {f.name: _som_tekst(f.value_from_object(obj)) for f in obj._meta.fields}
            },
        )


class SkrivebeskyttetAdmin(KommuneAdmin):
    """Append-only history: viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RolleAdgangAdmin(SkrivebeskyttetAdmin):
    """Read-only admin that the roles the table gives its list (``ky_debitor.adgang``) may
    view. Django's own view permission still works for anyone given it explicitly."""

    def _rolle_laeser(self, request: HttpRequest) -> bool:
        navn = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        return adgang_tilladt(request.user, navn)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._rolle_laeser(request) or super().has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._rolle_laeser(request) or super().has_module_permission(request)

    def get_list_display(self, request: HttpRequest) -> Any:
        # A person sees one kommune only: a column repeating it just takes room.
        kolonner = super().get_list_display(request)
        if getattr(request.user, "is_superuser", False):
            return kolonner
        return [k for k in kolonner if k != "kommune"]


class KoerselAdmin(RolleAdgangAdmin):
    """A long run's page (linking, interest): the admin's read-only fields with a live progress
    panel above them, polled by htmx while the run is active. A subclass names the panel's
    template and gives its context and the run's name (without its status, which the panel
    keeps up to date)."""

    change_form_template = "admin/koersel_change_form.html"
    panel_skabelon = ""

    def panel_context(self, request: HttpRequest, koersel: Any) -> dict[str, Any]:
        raise NotImplementedError

    def koersel_titel(self, koersel: Any) -> str:
        raise NotImplementedError

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        koersel = self.get_object(request, unquote(object_id))
        if koersel is not None and self.has_view_permission(request, koersel):
            extra_context = {
                **(extra_context or {}),
                **self.panel_context(request, koersel),
                "panel_skabelon": self.panel_skabelon,
                "title": self.koersel_titel(koersel),
                "subtitle": None,
            }
        return super().change_view(request, object_id, form_url, extra_context)


def admin_link(obj: models.Model, tekst: object) -> SafeString:
    """A link showing ``tekst`` to ``obj``'s page in the admin."""
    return format_html(
        '<a href="{}">{}</a>',
        reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]),
        tekst,
    )


def etiketfilter(felt: str, titel: str, tabel: str) -> type[admin.SimpleListFilter]:
    """A list filter on a column of stored codes that offers them by their Danish labels
    (``ky_debitor.etiketter``); the code stays in the URL."""

    class Etiketfilter(admin.SimpleListFilter):
        title = titel
        parameter_name = felt

        def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
            return etiketter.valg(tabel)

        def queryset(
            self, request: HttpRequest, queryset: models.QuerySet[Any]
        ) -> models.QuerySet[Any]:
            return queryset.filter(**{felt: self.value()}) if self.value() else queryset

    return Etiketfilter


def kr_kolonne(felt: str, overskrift: str = "beløb") -> Callable[[Any, Any], str]:
    """A list column showing the amount ``felt`` the Danish way (``1.234,56``), sortable:
    ``beloeb_kr = kr_kolonne("beloeb")`` in a model admin."""

    @admin.display(description=overskrift, ordering=felt)
    def vis(model_admin: Any, obj: Any) -> str:
        return visning.beloeb(getattr(obj, felt))

    return vis
