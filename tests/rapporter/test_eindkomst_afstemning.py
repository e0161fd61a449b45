"""The reconciliation on Dataudtræk and from the command: the same numbers as the screen, one
row per borger, income year and art, the labels for people and the code beside them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from fordringer.choices import ManuelKilde
from fordringer.eindkomst.manuel import eindkomst_manuel_opret
from fordringer.models import EIndkomstLinje

from ..fordringer.eindkomst.afstemning_data import borger_med_ll8o, forsendelse
from .conftest import koer_rapport, laes_csv


def test_the_report_lists_each_borger_year_and_art_with_the_differences_first(db, bent, tmp_path):
    erik, _ = borger_med_ll8o(bogholder=bent)
    borger_med_ll8o(
        bogholder=bent,
        cpr="0101011234",
        navn="Anders And",
        beloeb=Decimal("40.00"),
        valoerdato=dt.date(2025, 5, 1),
    )
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        eindkomst_manuel_opret(
            user=bent,
            cpr=erik.cpr,
            indkomstaar=2026,
            beloeb=Decimal("500.00"),
            tekst="",
            kilde=ManuelKilde.SKAERM,
        )
    forsendelse(linjer=[EIndkomstLinje.objects.get(cpr=erik.cpr)], modregnet=Decimal("300.00"))

    rows = laes_csv(koer_rapport("eindkomst_afstemning", tmp_path))
    assert [(r["cpr"], r["indkomstaar"], r["art_kode"], r["afvigelse"]) for r in rows] == [
        ("0101011234", "2025", "LL8O", "Nej"),
        ("0502824567", "2026", "LL8O", "Ja"),
    ]
    erik_raekke = rows[1]
    assert erik_raekke["art"] == "Fradrag efter LL § 8 O"
    assert {k: erik_raekke[k] for k in ("forventet", "linjer", "indberettet", "manuelt")} == {
        "forventet": "300,00",
        "linjer": "300,00",
        "indberettet": "0,00",
        "manuelt": "500,00",
    }
    assert (erik_raekke["modregnet"], erik_raekke["afventer"], erik_raekke["forskel"]) == (
        "300,00",
        "0,00",
        "0,00",
    )
    assert erik_raekke["manuelt_ikke_modregnet"] == "200,00"

    kun_2026 = laes_csv(
        koer_rapport("eindkomst_afstemning", tmp_path, filtre=("indkomstaar=2026",))
    )
    assert [r["cpr"] for r in kun_2026] == ["0502824567"]
    assert laes_csv(koer_rapport("eindkomst_afstemning", tmp_path, kommune=461)) == []
