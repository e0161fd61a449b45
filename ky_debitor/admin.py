"""The admin, scoped by kommune and audited.

``KommuneAdmin`` is the one base class every model admin of the project uses:

* every list, every change form and every foreign-key choice is limited to the person's own
  kommune (``TenantQuerySet.for_user``; for the few tables without it, their ``kommune``
  column), so the admin cannot be used to reach another kommune's data;
* every add, change and delete writes an ``AuditEvent`` (who, what, which fields from → to) in
  the same transaction as the write.

``SkrivebeskyttetAdmin`` is for history that is appended only (the ledger, the audit trail, the
CPR look-up log): it can be viewed, never added, changed or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import models, transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from .api_noegler import api_noegle_opret, api_noegle_tilbagekald, api_noegle_valider
from .audit import audit_log, nationale_haendelser
from .errors import ApplicationError
from .login_spaerring import bruger_login_spaerring_ophaev, spaerringer
from .models import ApiNoegle, AuditEvent, Bruger, Kommune, Opslag
from .roles import Rolle, has_role
from .rolletildeling import rolle_tildeling_tjek, tildeler

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


@admin.register(Kommune)
class KommuneModelAdmin(KommuneAdmin):
    list_display = ["kode", "navn", "frist_maaned_dag", "udbetalingsdag"]
    search_fields = ["navn", "=kode"]
    laast_ved_rettelse = ("kode",)

    # The 98 kommuner come from a data migration; only platform operators add or remove one.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))


@admin.register(Bruger)
class BrugerAdmin(KommuneAdmin, UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "kommune",
        "is_staff",
        "is_active",
        "login_spaerret",
    ]
    actions = ["ophaev_login_spaerring"]
    list_filter = [
        "is_active",
        "is_staff",
        "groups",
        ("kommune", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["kommune"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Kommune og roller", {"fields": ("kommune", "groups")}),
        (
            "Adgang",
            {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")},
        ),
        ("Datoer", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "kommune", "groups", "password1", "password2"),
            },
        ),
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """The user form refuses to give a role the person at the screen does not hold."""
        formular = super().get_form(request, obj, change=change, **kwargs)
        giver = request.user

        class RolleFormular(formular):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                data = super().clean()
                grupper = data.get("groups")
                if grupper is not None:
                    foer = (
                        set(self.instance.groups.values_list("name", flat=True))
                        if self.instance.pk
                        else set()
                    )
                    try:
                        rolle_tildeling_tjek(giver, {g.name for g in grupper} - foer)
                    except ApplicationError as fejl:
                        self.add_error("groups", fejl.message)
                return data

        return RolleFormular

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The roles given and taken away are this person's grants (checked and audited).
        with tildeler(request.user):
            super().save_related(request, form, formsets, change)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        felter = (*super().get_readonly_fields(request, obj), "last_login", "date_joined")
        if not getattr(request.user, "is_superuser", False):
            # Only platform operators hand out superuser status or single permissions.
            felter += ("is_superuser", "user_permissions")
        return felter

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                er_spaerret=models.Exists(
                    spaerringer().filter(username=models.OuterRef("username"))
                )
            )
        )

    @admin.display(boolean=True, description="Login spærret")
    def login_spaerret(self, obj: Any) -> bool:
        return bool(getattr(obj, "er_spaerret", False))

    def has_ophaev_permission(self, request: HttpRequest) -> bool:
        """Drift lifts the lock-outs of their own kommune (the list is kommune-scoped)."""
        return has_role(request.user, Rolle.DRIFT)

    @admin.action(description="Ophæv login-spærring for valgte brugere", permissions=["ophaev"])
    def ophaev_login_spaerring(
        self, request: HttpRequest, queryset: models.QuerySet[Bruger]
    ) -> None:
        ophaevet = [
            b.username
            for b in queryset
            if bruger_login_spaerring_ophaev(user=request.user, bruger=b)
        ]
        if ophaevet:
            self.message_user(
                request, f"Login-spærring ophævet for {', '.join(ophaevet)}.", messages.SUCCESS
            )
        else:
            self.message_user(request, "Ingen af de valgte brugere var spærret.", messages.INFO)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and isinstance(response, HttpResponseRedirect):
                bruger = self.get_object(request, id)
                if bruger is not None:
                    audit_log(
                        user=request.user,
                        kommune_id=bruger.kommune_id,
                        handling="admin.adgangskode",
                        objekt=bruger,
                        beskrivelse=f"Adgangskode for bruger '{bruger}' ændret i administrationen.",
                    )
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(SkrivebeskyttetAdmin):
    list_display = ["tidspunkt", "aktoer", "handling", "objekt_type", "objekt_id", "beskrivelse"]
    list_filter = ["handling", "objekt_type", ("kommune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["aktoer", "handling", "=objekt_id", "beskrivelse"]
    list_select_related = ["bruger", "kommune"]
    date_hierarchy = "tidspunkt"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        """The own kommune's events and the national changes every kommune shares."""
        egne = super().get_queryset(request)
        if not getattr(request.user, "is_authenticated", False):
            return egne
        alle = admin.ModelAdmin.get_queryset(self, request)
        return egne | alle.filter(nationale_haendelser())


@admin.register(Opslag)
class OpslagAdmin(SkrivebeskyttetAdmin):
    list_display = ["tidspunkt", "bruger", "objekt_type", "objekt_id", "formaal"]
    list_filter = ["objekt_type", ("kommune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["bruger__username", "=objekt_id", "formaal"]
    list_select_related = ["bruger", "kommune"]
    date_hierarchy = "tidspunkt"


@admin.register(ApiNoegle)
class ApiNoegleAdmin(KommuneAdmin):
    """Drift makes and revokes the API tokens of systems. The token is shown once, on the
    page after it is made; only its hash is stored (``api_noegler``). A key acts as the person
    who makes it, with a role they hold; a platform operator names the person it acts for."""

    list_display = ["navn", "rolle", "kommune", "praefiks", "oprettet", "sidst_brugt", "aktiv"]
    list_filter = ["rolle", ("kommune", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["navn", "=praefiks"]
    actions = ["tilbagekald"]
    fields = ["navn", "kommune", "rolle"]
    visningsfelter = [
        "navn",
        "kommune",
        "rolle",
        "indehaver",
        "bruger",
        "praefiks",
        "oprettet",
        "oprettet_af",
        "sidst_brugt",
        "tilbagekaldt",
        "tilbagekaldt_af",
    ]

    @admin.display(boolean=True, description="aktiv")
    def aktiv(self, noegle: ApiNoegle) -> bool:
        return noegle.aktiv

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return self.visningsfelter
        if getattr(request.user, "is_superuser", False):
            return [*self.fields, "indehaver"]
        return self.fields

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        felt = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "indehaver" and felt is not None:
            felt.queryset = felt.queryset.filter(
                is_active=True, is_superuser=False, api_noegle__isnull=True
            )
        return felt

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        """The add form refuses, before anything is made, what ``api_noegle_opret`` would."""
        formular = super().get_form(request, obj, change=change, **kwargs)
        opretter = request.user

        class NoegleFormular(formular):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                data = super().clean()
                if self.instance.pk is None and data.get("kommune") and data.get("rolle"):
                    try:
                        api_noegle_valider(
                            user=opretter,
                            kommune=data["kommune"],
                            rolle=data["rolle"],
                            indehaver=data.get("indehaver"),
                        )
                    except ApplicationError as fejl:
                        self.add_error(None, fejl.message)
                return data

        return NoegleFormular

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.visningsfelter if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a revoked token stays, so the audit trail can name it

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return
        noegle, token = api_noegle_opret(
            user=request.user,
            kommune=form.cleaned_data["kommune"],
            rolle=form.cleaned_data["rolle"],
            navn=form.cleaned_data["navn"],
            indehaver=form.cleaned_data.get("indehaver"),
        )
        for felt in ApiNoegle._meta.concrete_fields:
            setattr(obj, felt.attname, getattr(noegle, felt.attname))
        obj._state.adding = False
        request.ky_api_token = token  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: str | None = None
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/ky_debitor/apinoegle/vist.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "API-nøglen er oprettet",
                "noegle": obj,
                "token": getattr(request, "ky_api_token", ""),
            },
        )

    @admin.action(description="Tilbagekald de valgte API-nøgler", permissions=["change"])
    def tilbagekald(self, request: HttpRequest, queryset: models.QuerySet[ApiNoegle]) -> None:
        for noegle in queryset:
            api_noegle_tilbagekald(user=request.user, noegle_id=noegle.pk)
        self.message_user(request, f"{queryset.count()} API-nøgle(r) er tilbagekaldt.")
