"""Waiting on another process (a Celery worker, say) with a bound: never a bare sleep loop.

A test that waits for a worker polls the database or the file system until the worker has
done its part; if the worker never does, the test must fail at a known moment with a message
that says what it was waiting for and what it saw last, not hang until CI's time runs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def vent_til(
    betingelse: Callable[[], T | None],
    *,
    timeout: float = 90,
    besked: str,
    interval: float = 0.2,
    tilstand: Callable[[], object] | None = None,
) -> T:
    """Call ``betingelse`` every ``interval`` seconds until it returns something true, and
    return that; after ``timeout`` seconds fail with ``besked`` (and ``tilstand()``, what the
    test saw at the bound, when given)."""
    frist = time.monotonic() + timeout
    while True:
        resultat = betingelse()
        if resultat:
            return resultat
        if time.monotonic() >= frist:
            sidst = f"; sidst: {tilstand()!r}" if tilstand is not None else ""
            raise AssertionError(f"nåede ikke frem inden {timeout:g} s: {besked}{sidst}")
        time.sleep(interval)
