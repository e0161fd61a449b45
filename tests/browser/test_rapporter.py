"""A Projektleder opens Dataudtræk, previews Detaljer_Debitor, orders a large export (the
threshold is lowered), watches the progress bar reach 100 % and downloads the file.

Real Chromium; every page is checked with axe-core and photographed (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import load_workbook

from .. import personas
from .conftest import ADGANGSKODE, tjek_side
from .test_grundskærme import log_paa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def pia(transactional_db: None) -> Any:
    return personas.pia()


def test_projektleder_downloads_a_large_export_with_progress(
    pia, karens_konto, settings, tmp_path, side
):
    settings.KY_EKSPORT_GRAENSE = 1
    settings.MEDIA_ROOT = tmp_path / "media"
    log_paa(side, "pia", ADGANGSKODE)
    side.wait_for_url("**/")
    side.get_by_role("link", name="Dataudtræk").first.click()
    side.wait_for_url("**/dataudtraek/")
    tjek_side(side, "20-dataudtraek")

    side.get_by_role("button", name="Vis udtræk").click()
    side.wait_for_url("**/dataudtraek/?*vis=1*")
    assert side.locator("#antal-raekker").inner_text().startswith("2 rækker i alt")
    assert "1505824321" in side.locator("#udtraek-tabel").inner_text()
    tjek_side(side, "21-dataudtraek-forhaandsvisning")

    side.get_by_label("Excel (xlsx)").check()
    side.get_by_role("button", name="Hent fil").click()
    side.wait_for_url("**/dataudtraek/mine/*/")
    fremskridt = side.locator("#eksport-fremskridt")
    fremskridt.wait_for()
    side.wait_for_function(
        "() => document.querySelector('#eksport-fremskridt').value === 100", timeout=15000
    )
    assert side.locator("#eksport-procent").inner_text().startswith("100 %")
    tjek_side(side, "22-udtraek-faerdigt")

    with side.expect_download() as hentning:
        side.locator("#eksport-hent").click()
    fil = tmp_path / "hentet.xlsx"
    hentning.value.save_as(fil)
    ark = load_workbook(fil)["Detaljer_Debitor"]
    assert sorted(r[4] for r in ark.iter_rows(min_row=2, values_only=True)) == ["F-1", "F-2"]

    side.goto("/dataudtraek/mine/")
    assert "Detaljer_Debitor" in side.locator("#mine-udtraek").inner_text()
    tjek_side(side, "23-mine-udtraek")
