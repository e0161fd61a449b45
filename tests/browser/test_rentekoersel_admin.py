"""Drift follows an interest run on its admin page, cancels it half-way and resumes it, in
real Chromium with axe.

Celery has a broker here, so the start only queues the run; the test does the worker's part
itself (one chunk through the same service the task calls) while the open page polls.

Data fixtures come before ``side`` in each signature: they must exist before the browser starts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from fordringer.choices import Renteregime
from fordringer.models import Fordring, Rentekoersel, RentekoerselStatus
from fordringer.rente.koersel import rentekoersel_del_koer, rentekoersel_markeer_koerer
from ky_debitor.celery import app as celery_app

from .. import personas
from ..factories import FordringFactory
from .test_koersel_admin import admin_log_paa, tjek_side

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KOERSLER = "/admin/fordringer/rentekoersel/"


@pytest.fixture
def dagmar(transactional_db: None) -> Any:
    return personas.dagmar()


@pytest.fixture
def krav(transactional_db: None) -> None:
    """Three gebyrlov claims of 1.000,00 due 10-01-2025: to 20-04-2025 40,00 each."""
    for _ in range(3):
        FordringFactory.create(
            hovedstol=Decimal("1000.00"),
            forfaldsdato=dt.date(2025, 1, 10),
            renteregime=Renteregime.GEBYRLOVEN_3,
        )


def test_drift_follows_cancels_and_resumes_an_interest_run(dagmar, krav, side):
    admin_log_paa(side, "dagmar")
    side.goto(KOERSLER)
    side.get_by_role("link", name="Start rentekørsel").click()
    side.get_by_label("Renter til og med").fill("20-04-2025")
    foer = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # queued, not run in the request
    try:
        side.get_by_role("button", name="Start rentekørsel").click()
        side.wait_for_url("**/change/")
    finally:
        celery_app.conf.task_always_eager = foer
    koersel = Rentekoersel.objects.get()
    expect(side.locator("#rentekoersel-status")).to_have_text("Venter")
    tjek_side(side, "60-admin-rentekoersel-venter")

    # The worker's part: it takes the run, then one chunk of one claim; the page follows
    # without a reload.
    with side.expect_response(lambda r: "/fremdrift/" in r.url):
        pass
    assert rentekoersel_markeer_koerer(koersel_id=koersel.pk)
    expect(side.locator("#rentekoersel-status")).to_have_text("Kører")
    expect(side.locator("#rentekoersel-i-alt")).to_have_text("3")
    with side.expect_response(lambda r: "/fremdrift/" in r.url):
        pass
    # One chunk of one claim, in the lane of the first claim's konto (the run has two lanes).
    spor = Fordring.objects.order_by("pk").values_list("konto_id", flat=True)[0] % koersel.spor
    assert rentekoersel_del_koer(koersel_id=koersel.pk, nummer=spor, chunk_stoerrelse=1)
    expect(side.locator("#rentekoersel-behandlet")).to_have_text("1")
    expect(side.locator("#rentekoersel-procent")).to_have_text("33 %")
    expect(side.locator("#rentekoersel-bogfoert")).to_have_text("40,00 kr.")

    side.get_by_role("button", name="Annullér rentekørslen").click()
    side.wait_for_url("**/change/")
    expect(side.locator("#rentekoersel-status")).to_have_text("Annulleret")
    assert side.locator("#rentekoersel-fremdrift").get_attribute("hx-trigger") is None
    tjek_side(side, "61-admin-rentekoersel-annulleret")

    side.get_by_role("button", name="Genoptag rentekørslen").click()  # eager: runs to the end
    side.wait_for_url("**/change/")
    expect(side.locator("#rentekoersel-status")).to_have_text("Færdig")
    expect(side.locator("#rentekoersel-procent")).to_have_text("100 %")
    expect(side.locator("#rentekoersel-behandlet")).to_have_text("3")
    expect(side.locator("#rentekoersel-bogfoert")).to_have_text("120,00 kr.")
    tjek_side(side, "62-admin-rentekoersel-faerdig")
    koersel.refresh_from_db()
    assert koersel.status == RentekoerselStatus.DONE
