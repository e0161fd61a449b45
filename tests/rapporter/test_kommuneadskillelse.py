"""No report gives one kommune's rows to another (DESIGN §4.3)."""

from __future__ import annotations

import pytest

from rapporter.definitioner import RAPPORTER

from .conftest import koer_rapport, laes_csv


@pytest.mark.parametrize("navn", sorted(RAPPORTER))
def test_every_report_holds_only_the_chosen_kommunes_rows(navn, rapportdata, tmp_path):
    koebenhavn = koer_rapport(navn, tmp_path, kommune=101).read_text(encoding="utf-8-sig")
    odense = koer_rapport(navn, tmp_path, kommune=461).read_text(encoding="utf-8-sig")

    for spor in ("0101709999", "O-1", "F-ODENSE", "Ole Odense", "O-SAG"):
        assert spor not in koebenhavn
    for spor in ("1505824321", "K-1", "K-2", "K-3", "F-KY", "F-STOP", "SAG-LUKKET"):
        assert spor not in odense
    if navn in ("detaljer_debitor", "kmd_aktiv_sagstilknytning", "fordringer_stoppede_sager"):
        assert "O-1" in odense  # Odense's own konto is there: the test can fail
    assert laes_csv(tmp_path / f"{navn}-101.csv") or navn == "opgavepakker_r21"
