"""The outbox on real Celery workers over Redis: a worker killed in the middle of a delivery
loses nothing, and the next worker delivers the message under the same idempotency key.

Needs PostgreSQL and ``REDIS_TEST_URL``; the workers are started as in
``tests/sagstilknytning/test_celery_arbejder.py`` (``tests/arbejdere.py``) and deliver through
``udgaaende_transport.BlokerendeTransport``: the first blocks inside ``send`` and is killed.
"""

from __future__ import annotations

import signal
from pathlib import Path

from fordringer.choices import BeskedStatus
from fordringer.models import UdgaaendeBesked
from fordringer.tasks import udgaaende_send
from tests.arbejdere import KRAEVER_ARBEJDERE, start_worker, stop
from tests.factories import UdgaaendeBeskedFactory
from tests.vent import vent_til

pytestmark = KRAEVER_ARBEJDERE

TRANSPORT = "tests.fordringer.udbakke.udgaaende_transport.BlokerendeTransport"


def _miljoe(var: Path, bloker: int) -> dict[str, str]:
    return {
        "KY_UDGAAENDE_TRANSPORT": TRANSPORT,
        "KY_VAR_DIR": str(var),
        "KY_TEST_MARKOERER": str(var / "markoerer"),
        "KY_TEST_BLOKER_SEKUNDER": str(bloker),
    }


def test_worker_killed_mid_delivery_loses_nothing_and_the_key_stays_the_same(
    broker, tmp_path, koebenhavn
):
    besked = UdgaaendeBeskedFactory.create(
        noegle="frigiv:K00000042:1", payload={"kontonummer": "K00000042"}
    )
    markoerer = tmp_path / "markoerer"

    worker = start_worker("doemt", miljoe=_miljoe(tmp_path, bloker=600))
    try:
        broker.send_task(udgaaende_send.name, args=[besked.pk])
        vent_til(lambda: any(markoerer.glob("*.forsoeg")), besked="første forsøg i gang")
    finally:
        stop(worker, signal.SIGKILL)  # no goodbye: mid-send, task unacknowledged
    besked.refresh_from_db()
    assert besked.status == BeskedStatus.AFVENTER and besked.sendt is None

    worker = start_worker("redning", miljoe=_miljoe(tmp_path, bloker=0))
    try:
        vent_til(
            lambda: UdgaaendeBesked.objects.get(pk=besked.pk).status == BeskedStatus.SENDT,
            besked="beskeden leveret af den nye arbejder",
            timeout=120,
        )
    finally:
        stop(worker)

    besked.refresh_from_db()
    assert besked.sendt is not None and besked.sidste_fejl == ""
    assert UdgaaendeBesked.objects.count() == 1
    forsoeg = sorted(markoerer.glob("*.forsoeg"))
    assert len({f.name.split("-")[0] for f in forsoeg}) == 2, forsoeg  # two workers tried
    assert {f.read_text("utf-8") for f in forsoeg} == {besked.noegle}
    leveret = tmp_path / "udgaaende" / "sf1590_b_01" / "frigiv_K00000042_1.json"
    assert leveret.exists(), list((tmp_path / "udgaaende").rglob("*"))
    assert list(leveret.parent.glob("*.json")) == [leveret]
