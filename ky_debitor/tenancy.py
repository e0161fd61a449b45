"""Tenancy: every row belongs to one kommune and a person sees only their own.

The scope is applied in exactly one place, ``TenantQuerySet.for_user``. Screens, admin, API,
reports and exports all start from ``Model.objects.for_user(user)``; no view filters by kommune
by hand. Every tenant model carries a direct ``kommune`` foreign key so the filter is the same
single-column condition everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Bruger


class TenantQuerySet(models.QuerySet):
    def for_user(self, user: Bruger | AnonymousUser | Any) -> Self:
        """Rows of the user's kommune; nothing for anonymous users or users without one.

        Superusers are platform operators (created by hand with ``createsuperuser``); they see
        every kommune in the admin. People log in as ordinary users with a kommune and roles.
        """
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if getattr(user, "is_superuser", False):
            return self.all()
        kommune_id = getattr(user, "kommune_id", None)
        if kommune_id is None:
            return self.none()
        return self.filter(kommune_id=kommune_id)

    def for_kommune(self, kommune_id: int) -> Self:
        return self.filter(kommune_id=kommune_id)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    pass


class TenantModel(models.Model):
    """A row of one kommune: the ``kommune`` key and the manager whose ``for_user`` scopes it.

    Every app's tenant tables inherit it, so the key and the scope are declared once. A table
    whose key differs (no index of its own, no database constraint) overrides ``kommune`` with
    the same name; a table with its own manager sets ``objects`` to a ``TenantQuerySet`` one.
    """

    kommune = models.ForeignKey("ky_debitor.Kommune", on_delete=models.PROTECT, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True


def kommune_uden_eget_indeks() -> models.ForeignKey:
    """The tenant key without a single-column index of its own, for a table whose look-ups by
    kommune are served by a composite index that starts with ``kommune``, or whose rows are
    reached through another key (their konto, their fordring).

    Such an index would only cost a write per row (the import writes millions of rows;
    docs/adr/0004).
    """
    return models.ForeignKey(
        "ky_debitor.Kommune", on_delete=models.PROTECT, related_name="+", db_index=False
    )
