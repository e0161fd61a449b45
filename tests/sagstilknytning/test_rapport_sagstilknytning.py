"""``manage.py rapport kmd_aktiv_sagstilknytning`` gives one row per KMD Aktiv konto (DESIGN §6)."""

from __future__ import annotations

import csv

from django.core.management import call_command

from fordringer.models import Debitorkonto

from ..factories import DebitorkontoFactory
from .conftest import koer


def _read(path):
    with open(path, encoding="utf-8", newline="") as fil:
        assert fil.read(1) == "\ufeff"  # UTF-8 with BOM, as Danish Excel wants it
        return list(csv.DictReader(fil, delimiter=";"))


def test_report_rows_follow_the_linking_state(data, koebenhavn, tmp_path):
    DebitorkontoFactory.create(ky=True)  # a KY konto is not in the report
    ikke_koert = DebitorkontoFactory.create()
    koer(koebenhavn)
    fresh = DebitorkontoFactory.create()  # arrived after the run
    out = tmp_path / "sagstilknytning.csv"
    call_command(
        "rapport",
        "kmd_aktiv_sagstilknytning",
        "--kommune",
        "101",
        "--format",
        "csv",
        "--output",
        str(out),
    )
    rows = {r["kontonummer"]: r for r in _read(out)}

    assert list(next(iter(rows.values()))) == [
        "kontonummer",
        "cpr",
        "status",
        "frigivelsestype",
        "resultat",
        "aarsag",
        "bevillingsnummer",
        "sagsnummer",
    ]
    assert len(rows) == Debitorkonto.objects.filter(kilde="KMD_AKTIV").count()
    ref = rows[data["ref"].kontonummer]
    assert (ref["resultat"], ref["aarsag"], ref["bevillingsnummer"]) == ("SAGSTILKNYTTET", "", "B1")
    assert ref["sagsnummer"] == data["bev1"].sag.sagsnummer
    assert ref["cpr"] == data["ref"].borger.cpr
    assert rows[data["ny"].kontonummer]["resultat"] == "SAGSOPRETTET"
    flere = rows[data["flere"].kontonummer]
    assert (flere["resultat"], flere["aarsag"], flere["sagsnummer"]) == (
        "OPGAVE",
        "FLERE_BEVILLINGER",
        "",
    )
    assert rows[data["venter"].kontonummer]["status"] == "VENTER_PAA_DAEKNING"
    # An empty konto (no claims) gets a task; one added after the run is not yet decided.
    assert rows[ikke_koert.kontonummer]["resultat"] == "OPGAVE"
    assert rows[fresh.kontonummer]["resultat"] == "IKKE_KOERT"
