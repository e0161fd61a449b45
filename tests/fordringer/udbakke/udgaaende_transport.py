"""A transport for tests of the outbox on real workers, chosen with
``KY_UDGAAENDE_TRANSPORT=tests.fordringer.udbakke.udgaaende_transport.BlokerendeTransport``.

Each attempt writes a marker file (``KY_TEST_MARKOERER``/``<pid>-<n>.forsoeg``) holding the
idempotency key it was given, then sleeps ``KY_TEST_BLOKER_SEKUNDER`` (so a test can kill the
worker mid-send), then delivers through ``FilTransport``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from fordringer.models import UdgaaendeBesked
from fordringer.udbakke.transport import FilTransport


class BlokerendeTransport:
    def send(self, besked: UdgaaendeBesked) -> None:
        mappe = Path(os.environ["KY_TEST_MARKOERER"])
        mappe.mkdir(parents=True, exist_ok=True)
        n = len(list(mappe.glob(f"{os.getpid()}-*.forsoeg"))) + 1
        (mappe / f"{os.getpid()}-{n}.forsoeg").write_text(besked.noegle, "utf-8")
        time.sleep(float(os.environ.get("KY_TEST_BLOKER_SEKUNDER", "0")))
        FilTransport().send(besked)
