"""URLs of the run's admin screens, mounted by ``SagstilknytningskoerselAdmin.get_urls`` so they
live under /admin/sagstilknytning/sagstilknytningskoersel/ behind the admin's login."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from . import views


def _i_admin(
    view: Callable[..., HttpResponse], model_admin: admin.ModelAdmin[Any]
) -> Callable[..., HttpResponse]:
    """Bind the view to its ModelAdmin and put it behind the admin's login (staff only)."""

    @wraps(view)
    def bundet(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, model_admin, *args, **kwargs)

    return model_admin.admin_site.admin_view(bundet)


def admin_urls(model_admin: admin.ModelAdmin[Any]) -> list[URLPattern]:
    navn = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    return [
        path("start/", _i_admin(views.koersel_start_view, model_admin), name=f"{navn}_start"),
        path(
            "<path:object_id>/fremdrift/",
            _i_admin(views.koersel_fremdrift_view, model_admin),
            name=f"{navn}_fremdrift",
        ),
        path(
            "<path:object_id>/annuller/",
            _i_admin(views.koersel_annuller_view, model_admin),
            name=f"{navn}_annuller",
        ),
        path(
            "<path:object_id>/genoptag/",
            _i_admin(views.koersel_genoptag_view, model_admin),
            name=f"{navn}_genoptag",
        ),
    ]
