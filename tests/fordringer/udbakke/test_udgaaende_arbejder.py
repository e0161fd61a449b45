"""The outbox on real Celery workers over Redis: a worker killed in the middle of a delivery
loses nothing, and the next worker delivers the message under the same idempotency key.

Needs PostgreSQL and ``REDIS_TEST_URL``; the workers are started as in
``tests/sagstilknytning/test_celery_arbejder.py`` (``tests/arbejdere.py``) and deliver through
``udgaaende_transport.BlokerendeTransport``: the first blocks inside ``send`` and is killed.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.models import UdgaaendeBesked
from fordringer.tasks import udgaaende_send
from tests.arbejdere import KRAEVER_ARBEJDERE, start_worker, stop
from tests.factories import kommune

pytestmark = KRAEVER_ARBEJDERE

TRANSPORT = "tests.fordringer.udbakke.udgaaende_transport.BlokerendeTransport"


def _vent(betingelse, beskrivelse: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if betingelse():
            return
        time.sleep(0.2)
    raise AssertionError(f"nåede ikke frem: {beskrivelse}")


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
    besked = UdgaaendeBesked.objects.create(
        kommune=kommune(101),
        type=BeskedType.SF1590_B_01,
        noegle="frigiv:K00000042:1",
        payload={"kontonummer": "K00000042"},
    )
    markoerer = tmp_path / "markoerer"

    worker = start_worker("doemt", miljoe=_miljoe(tmp_path, bloker=600))
    try:
        broker.send_task(udgaaende_send.name, args=[besked.pk])
        _vent(lambda: any(markoerer.glob("*.forsoeg")), "første forsøg i gang")
    finally:
        stop(worker, signal.SIGKILL)  # no goodbye: mid-send, task unacknowledged
    besked.refresh_from_db()
    assert besked.status == BeskedStatus.AFVENTER and besked.sendt is None

    worker = start_worker("redning", miljoe=_miljoe(tmp_path, bloker=0))
    try:
        _vent(
            lambda: UdgaaendeBesked.objects.get(pk=besked.pk).status == BeskedStatus.SENDT,
            "beskeden leveret af den nye arbejder",
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
