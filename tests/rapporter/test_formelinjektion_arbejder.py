"""A stored export written by a real Celery worker (PostgreSQL and Redis, as in production)
holds no formula: the texts that start like one are text in the xlsx and ``'``-prefixed in the
CSV, exactly as when the export runs inside the request (``test_formelinjektion``)."""

from __future__ import annotations

import pytest

from rapporter.models import Eksport, EksportStatus
from rapporter.tasks import eksport_koer

from ..arbejdere import KRAEVER_ARBEJDERE, start_worker, stop
from ..factories import EksportFactory, kommune
from ..vent import vent_til
from .formler import FORMATER, FORVENTET, assert_neutraliseret

pytestmark = KRAEVER_ARBEJDERE


@pytest.mark.parametrize("format", FORMATER)
def test_a_celery_worker_writes_the_stored_export_without_formulas(
    broker, formeldata, pia, tmp_path, format
):
    eksport = EksportFactory.create(
        kommune=kommune(101),
        bruger=pia,
        rapport="detaljer_debitor",
        format=format,
        status=EksportStatus.VENTER,
        skrevet=0,
    )
    media = tmp_path / "media"
    worker = start_worker(
        f"formel-{format}", miljoe={"DJANGO_MEDIA_ROOT": str(media), "KY_VAR_DIR": str(tmp_path)}
    )
    try:
        broker.send_task(eksport_koer.name, args=[eksport.pk])
        vent_til(
            lambda: Eksport.objects.get(pk=eksport.pk).status == EksportStatus.FAERDIG,
            timeout=120,
            besked="udtrækket færdigt",
            tilstand=lambda: Eksport.objects.get(pk=eksport.pk).status,
        )
    finally:
        stop(worker)
    eksport.refresh_from_db()
    assert_neutraliseret(
        (media / eksport.fil.name).read_bytes(), format, FORVENTET[eksport.rapport]
    )
