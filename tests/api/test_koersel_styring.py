"""Cancelling and resuming a linking run through the API: the same services as the admin's
buttons (issue #16: a cancelled run can be resumed)."""

from __future__ import annotations

from ky_debitor.models import AuditEvent
from ky_debitor.roles import Rolle
from sagstilknytning.models import KoerselStatus
from sagstilknytning.services import koersel_opret

from ..factories import BrugerFactory, DebitorkontoFactory, kommune
from .conftest import api_med_noegle, api_som


def _url(koersel, handling: str) -> str:
    return f"/api/v1/koersler/{koersel.pk}/{handling}/"


def test_drift_cancels_and_resumes_a_run(drift_noegle, django_capture_on_commit_callbacks):
    DebitorkontoFactory.create_batch(3)
    koersel = koersel_opret(kommune=kommune(101), user=None, proeve=True)
    client = api_med_noegle(drift_noegle[1])

    annulleret = client.post(_url(koersel, "annuller"), HTTP_IDEMPOTENCY_KEY="a1")
    assert (annulleret.status_code, annulleret.json()["status"]) == (200, "CANCELLED")

    with django_capture_on_commit_callbacks(execute=True):
        genoptaget = client.post(_url(koersel, "genoptag"), HTTP_IDEMPOTENCY_KEY="g1")
    assert (genoptaget.status_code, genoptaget.json()["status"]) == (200, "PENDING")
    koersel.refresh_from_db()
    assert (koersel.status, koersel.behandlet) == (KoerselStatus.DONE, 3)
    assert AuditEvent.objects.filter(handling="sagstilknytning.genoptag").count() == 1

    igen = client.post(_url(koersel, "genoptag"), HTTP_IDEMPOTENCY_KEY="g2")
    assert igen.status_code == 400
    assert igen.json()["detail"] == "Kun en fejlet eller annulleret kørsel kan genoptages."


def test_only_drift_of_the_runs_own_kommune_may(db):
    koersel = koersel_opret(kommune=kommune(101), user=None, proeve=True)
    sagsbehandler = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.SAGSBEHANDLER])
    odense = BrugerFactory.create(kommune=kommune(461), roller=[Rolle.DRIFT])

    svar = api_som(sagsbehandler).post(_url(koersel, "annuller"), HTTP_IDEMPOTENCY_KEY="s")
    assert svar.status_code == 403
    svar = api_som(odense).post(_url(koersel, "annuller"), HTTP_IDEMPOTENCY_KEY="o")
    assert svar.status_code == 404
    koersel.refresh_from_db()
    assert koersel.status == KoerselStatus.PENDING
