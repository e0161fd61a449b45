"""Manglende ydelsestype and Fordringer på stoppede sager, ikke frigivet."""

from __future__ import annotations

from .conftest import data_ark, koer_rapport, laes_csv


def test_manglende_ydelsestype_lists_linked_kmd_aktiv_konti(rapportdata, tmp_path):
    rows = laes_csv(koer_rapport("manglende_ydelsestype", tmp_path))

    assert list(rows[0]) == [
        "kontonummer",
        "cpr",
        "navn",
        "sagsnummer",
        "bevillingsnummer",
        "fordringer",
        "restance",
    ]
    # K-1 is a KY konto; K-3 and K-4 have a ydelsestype; O-1 belongs to Odense.
    assert [(r["kontonummer"], r["sagsnummer"], r["fordringer"], r["restance"]) for r in rows] == [
        ("K-2", "SAG-AABEN", "1", "800,00")
    ]
    assert rows[0]["cpr"] == "1505824321"


def test_manglende_ydelsestype_ignores_unlinked_konti(rapportdata, tmp_path):
    konto = rapportdata["uden_type"].konto
    konto.tilknytning, konto.sag = "INGEN", None
    konto.save()
    assert laes_csv(koer_rapport("manglende_ydelsestype", tmp_path)) == []


def test_stoppede_sager_lists_claims_on_closed_sager_not_released(rapportdata, tmp_path):
    rows = laes_csv(koer_rapport("fordringer_stoppede_sager", tmp_path))

    assert [(r["fordringsid"], r["sagsnummer"], r["frigivelsestype"]) for r in rows] == [
        ("F-STOP", "SAG-LUKKET", "Ikke frigivet")
    ]
    _, ark = data_ark(koer_rapport("fordringer_stoppede_sager", tmp_path, format="xlsx"))
    assert ark.title == "Stoppede sager"
    assert [c.value for c in next(ark.iter_rows(min_row=2))][4] == "F-STOP"
