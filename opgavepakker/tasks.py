"""Celery tasks of the task packages: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from fordringer.samling.maanedlig import maanedlige_samlinger_opret as _opret
from ky_debitor.taellinger import komprimer


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def maanedlige_samlinger_opret() -> int:
    """Daily: create the "Månedlig samling" tasks that have fallen due (idempotent)."""
    return _opret()


@shared_task
def taellinger_komprimer() -> int:
    """Every ten minutes: each overview figure's rows become one (``ky_debitor.taellinger``)."""
    return komprimer()
