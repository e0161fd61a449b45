"""The admin of kommuner, people, the audit trail and API tokens.

Every model admin of the project builds on ``admin_base.KommuneAdmin``: scoped to the person's
kommune, every write audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from .admin_base import KOMMUNE_FILTER, KommuneAdmin, SkrivebeskyttetAdmin
from .api_noegler import api_noegle_opret, api_noegle_tilbagekald, api_noegle_valider
from .audit import audit_log, nationale_haendelser
from .errors import ApplicationError
from .login_spaerring import bruger_login_spaerring_ophaev, spaerringer
from .models import ApiNoegle, AuditEvent, Bruger, Enhed, Kommune, Opslag, Rolleprivilegium
from .roles import Rolle, has_role
from .rolletildeling import rolle_tildeling_tjek, tildeler


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
        KOMMUNE_FILTER,
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
        # Set by each login through the kommune's login (``ky_debitor.saml``), never by hand.
        ("Kommunens login (SAML)", {"fields": ("saml_name_id", "dataafgraensninger")}),
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
        felter = (
            *super().get_readonly_fields(request, obj),
            "last_login",
            "date_joined",
            "saml_name_id",
            "dataafgraensninger",
        )
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
    list_filter = ["handling", "objekt_type", KOMMUNE_FILTER]
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
    list_filter = ["objekt_type", KOMMUNE_FILTER]
    search_fields = ["bruger__username", "=objekt_id", "formaal"]
    list_select_related = ["bruger", "kommune"]
    date_hierarchy = "tidspunkt"


@admin.register(ApiNoegle)
class ApiNoegleAdmin(KommuneAdmin):
    """Drift makes and revokes the API tokens of systems. The token is shown once, on the
    page after it is made; only its hash is stored (``api_noegler``). A key acts as the person
    who makes it, with a role they hold; a platform operator names the person it acts for."""

    list_display = ["navn", "rolle", "kommune", "praefiks", "oprettet", "sidst_brugt", "aktiv"]
    list_filter = ["rolle", KOMMUNE_FILTER]
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


@admin.register(Enhed)
class EnhedAdmin(KommuneAdmin):
    """Drift keeps the kommune's organisational units: their members, and the one unit that
    gets the new items on the sagsbehandlerfordeling (seed 004). Audited (``KommuneAdmin``)."""

    list_display = ["navn", "kommune", "modtager_sagsbehandlerfordeling"]
    list_filter = ["modtager_sagsbehandlerfordeling", KOMMUNE_FILTER]
    search_fields = ["navn"]
    fields = ["kommune", "navn", "medlemmer", "modtager_sagsbehandlerfordeling"]
    filter_horizontal = ["medlemmer"]
    laast_ved_rettelse = ("kommune",)


@admin.register(Rolleprivilegium)
class RolleprivilegiumAdmin(KommuneAdmin):
    """Drift maps the privileges of their kommune's Adgangsstyring to roles (issue #21).

    A mapping is a grant: Drift maps only to roles they hold themselves, as when giving a role
    by hand (``rolletildeling``); national rows (the national administrator) are the platform
    operators'. Every add, change and delete is audited (``KommuneAdmin``)."""

    list_display = ["privilegium", "rolle", "kommune", "beskrivelse"]
    list_filter = ["rolle", KOMMUNE_FILTER]
    search_fields = ["privilegium", "beskrivelse"]
    fields = ["kommune", "privilegium", "rolle", "beskrivelse"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        formular = super().get_form(request, obj, change=change, **kwargs)
        giver = request.user
        operatoer = bool(getattr(giver, "is_superuser", False))
        if not operatoer and "kommune" in formular.base_fields:
            formular.base_fields["kommune"].required = True

        class PrivilegiumFormular(formular):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                data = super().clean()
                rolle = data.get("rolle")
                if rolle == Rolle.NATIONAL.value and data.get("kommune") is not None:
                    self.add_error("kommune", "Landsadministratoren har ingen kommune.")
                elif rolle and rolle != Rolle.NATIONAL.value and data.get("kommune") is None:
                    self.add_error("kommune", "Vælg den kommune, rollen gælder i.")
                if rolle:
                    try:
                        rolle_tildeling_tjek(giver, {rolle})
                    except ApplicationError as fejl:
                        self.add_error("rolle", fejl.message)
                return data

        return PrivilegiumFormular
