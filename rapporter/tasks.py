"""Celery tasks of the reports: thin, take ids, call one service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from ky_debitor import koe

from . import services

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def eksport_koer(eksport_id: int) -> None:
    if eksport_koer.app.conf.task_always_eager:
        # Embedded mode: the export runs inside the request that ordered it. A failure is
        # already recorded on the export (FEJLET); the page that ordered it still answers.
        try:
            services.eksport_koer(eksport_id=eksport_id)
        except Exception:
            logger.exception("Udtræk %s fejlede", eksport_id)
        return
    services.eksport_koer(eksport_id=eksport_id)


@shared_task(**RETRY)
def eksport_send_ventende() -> int:
    """Scheduled sweep: put exports still waiting for a worker back on the queue (the queue
    was away when they were ordered); one written meanwhile is not written twice."""
    ider = services.eksporter_ventende()
    for eksport_id in ider:
        koe.send(eksport_koer, eksport_id)
    return len(ider)


@shared_task(**RETRY)
def eksport_ryd_op() -> int:
    """Delete expired exports; meant for Celery beat once a day."""
    return services.eksport_ryd_op()
