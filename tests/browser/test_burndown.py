"""A Projektleder sees the burn-down on "Mine opgaver" in real Chromium: the chart, the
numbers beside it and the pace per package; axe finds nothing serious at 1366 or 1920 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from opgavepakker.models import Opgave

from .. import personas
from ..factories import OpgaveFactory, kommune
from .conftest import SKAERMBILLEDER, tjek_side
from .test_opgaver import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MED_AABNE, UDEN_AABNE = 14, 6


@pytest.fixture
def pia(transactional_db: None) -> Any:
    return personas.pia()


@pytest.fixture
def alice(transactional_db: None) -> Any:
    return personas.alice()


@pytest.fixture
def forloeb(transactional_db: None, pia: Any) -> None:
    """Tasks created over the last six weeks, some closed; all of it at least eight days ago,
    so the newest working day in the table has today's open counts whatever today is."""
    nu = timezone.now()
    for i in range(MED_AABNE + 12):
        # Most came with the first run, six more with a run three weeks later.
        oprettet = nu - dt.timedelta(days=40 if i < 20 else 20)
        afsluttet = (
            nu - dt.timedelta(days=35 - 2 * i)
            if i < 10
            else (nu - dt.timedelta(days=9) if i < 12 else None)
        )
        _opgave(oprettet, afsluttet, med=True, aarsag="FLERE_BEVILLINGER" if i % 2 else "DATAFEJL")
    for i in range(UDEN_AABNE + 3):
        oprettet = nu - dt.timedelta(days=35 - i)
        _opgave(oprettet, oprettet + dt.timedelta(days=3) if i < 3 else None, med=False)


def _opgave(
    oprettet: dt.datetime,
    afsluttet: dt.datetime | None,
    *,
    med: bool,
    aarsag: str = "INGEN_BEVILLING",
) -> None:
    o = OpgaveFactory.create(
        konto__borger__kommune=kommune(101),
        med_daekninger=med,
        aarsag=aarsag,
        **({"lukket": True} if afsluttet else {}),
    )
    Opgave.objects.filter(pk=o.pk).update(oprettet=oprettet, afsluttet=afsluttet)


def test_project_lead_sees_the_burn_down_with_its_numbers(forloeb, side):
    log_paa(side, "pia")
    side.goto("/mine-opgaver/")

    diagram = side.get_by_role("img", name="Burn-down for »Opret fordringssag«", exact=False)
    assert diagram.is_visible()
    assert diagram.bounding_box()["width"] > 600
    nyeste = side.locator("#burndown-tabel tbody tr").first.locator("td").all_inner_texts()
    assert nyeste[:2] == [str(MED_AABNE), str(UDEN_AABNE)]
    pakker = side.locator("#burndown-pakker tbody tr")
    assert pakker.count() == 14
    datafejl = side.locator('#burndown-pakker tr[data-pakke="DATAFEJL_MED"] td').all_inner_texts()
    assert datafejl[:2] == ["7", "6"]  # 13 tasks, 6 of them closed
    tjek_side(side, "burndown-projektleder-1366")
    side.locator("#burndown").screenshot(path=str(SKAERMBILLEDER / "burndown-diagram-1366.png"))

    side.set_viewport_size({"width": 1920, "height": 1080})
    side.reload()
    assert diagram.is_visible()
    tjek_side(side, "burndown-projektleder-1920")
    side.locator("#burndown").screenshot(path=str(SKAERMBILLEDER / "burndown-diagram-1920.png"))


def test_caseworker_does_not_get_the_burn_down(forloeb, alice, side):
    log_paa(side, "alice")
    side.goto("/mine-opgaver/")
    side.get_by_role("heading", name="Mine opgaver").wait_for()
    assert side.locator("#burndown").count() == 0
