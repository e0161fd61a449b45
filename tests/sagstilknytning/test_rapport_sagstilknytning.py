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
        "resultat_kode",
        "aarsag_kode",
        "bevillingsnummer",
        "sagsnummer",
        "status_kode",
        "frigivelsestype_kode",
    ]
    assert len(rows) == Debitorkonto.objects.filter(kilde="KMD_AKTIV").count()
    ref = rows[data["ref"].kontonummer]
    assert (ref["resultat_kode"], ref["aarsag_kode"], ref["bevillingsnummer"]) == (
        "SAGSTILKNYTTET",
        "",
        "B1",
    )
    assert (ref["resultat"], ref["aarsag"]) == ("Sagstilknyttet", "")
    assert ref["sagsnummer"] == data["bev1"].sag.sagsnummer
    assert ref["cpr"] == data["ref"].borger.cpr
    # Linked, its claim under collection and nothing paid in KY: still waiting (seed 000).
    assert (ref["status"], ref["status_kode"]) == ("Venter på dækning", "VENTER_PAA_DAEKNING")
    assert (ref["frigivelsestype"], ref["frigivelsestype_kode"]) == (
        "Ikke frigivet",
        "IKKE_FRIGIVET",
    )
    ny = rows[data["ny"].kontonummer]
    assert (ny["resultat"], ny["resultat_kode"]) == ("Sagsoprettet", "SAGSOPRETTET")
    flere = rows[data["flere"].kontonummer]
    assert (flere["resultat_kode"], flere["aarsag_kode"], flere["sagsnummer"]) == (
        "OPGAVE",
        "FLERE_BEVILLINGER",
        "",
    )
    assert (flere["resultat"], flere["aarsag"]) == (
        "Opgave oprettet",
        "Flere bevillinger eller sager passer",
    )
    venter = rows[data["venter"].kontonummer]
    assert (venter["status"], venter["status_kode"]) == (
        "Venter på dækning",
        "VENTER_PAA_DAEKNING",
    )
    # An empty konto (no claims) gets a task; one added after the run is not yet decided.
    assert rows[ikke_koert.kontonummer]["resultat_kode"] == "OPGAVE"
    assert rows[fresh.kontonummer]["resultat_kode"] == "IKKE_KOERT"
    assert rows[fresh.kontonummer]["resultat"] == "Ikke behandlet af sagstilknytningen"
