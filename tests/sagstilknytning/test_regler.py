"""The linking rules of DESIGN §5, one behaviour per test, on plain data (no database)."""

from __future__ import annotations

import datetime as dt

from sagstilknytning.regler import (
    Aarsag,
    BevillingData,
    FordringData,
    KontoData,
    Resultat,
    SagData,
    vurder_konto,
)

KTH, UDH = 1, 2  # ydelsestype ids
BORGER, ANDEN = 10, 11


def bev(id_, nummer, kode="KTH", fra=(2023, 1, 1), til=(2024, 12, 31), sag=None, yt=KTH):
    return BevillingData(id_, nummer, kode, dt.date(*fra), dt.date(*til) if til else None, sag, yt)


def ford(id_, ref="", kode="KTH", tekst="Tilbagebetaling", fra=(2024, 1, 1), til=(2024, 1, 31)):
    return FordringData(
        id_,
        f"F{id_}",
        ref,
        kode,
        tekst,
        dt.date(*fra) if fra else None,
        dt.date(*til) if til else None,
    )


def konto(fordringer, bevillinger, sager=(), venter=False, ejere=None):
    return KontoData(
        1,
        "K1",
        BORGER,
        venter,
        tuple(fordringer),
        tuple(bevillinger),
        tuple(sager),
        ejere or {b.bevillingsnummer.lower(): BORGER for b in bevillinger},
    )


def test_rule_reference_links_to_the_bevillings_own_sag():
    b = vurder_konto(
        konto([ford(1, ref="B1"), ford(2, ref=" b1 ")], [bev(7, "B1", sag=70), bev(8, "B2")])
    )
    assert (b.resultat, b.bevilling_id, b.sag_id, b.aarsag) == (
        Resultat.SAGSTILKNYTTET,
        7,
        70,
        None,
    )
    assert [e.regel for e in b.evidens] == ["reference", "reference"]
    rejected = {k.bevillingsnummer: k.afvist for k in b.evidens[0].kandidater}
    assert rejected["B1"] == "" and "referencen passer ikke" in rejected["B2"]


def test_rule_reference_in_text():
    b = vurder_konto(
        konto([ford(1, tekst="Kontanthjælp jf. bevilling B2, marts")], [bev(7, "B1"), bev(8, "B2")])
    )
    assert b.bevilling_id == 8 and b.evidens[0].regel == "reference_i_tekst"


def test_rule_ydelse_og_periode_needs_exactly_one_covering_candidate():
    b = vurder_konto(
        konto([ford(1, kode="UDH")], [bev(7, "B1", kode="KTH"), bev(8, "B2", kode="UDH", yt=UDH)])
    )
    assert b.bevilling_id == 8 and b.evidens[0].regel == "ydelse_og_periode"
    assert b.resultat == Resultat.SAGSOPRETTET and b.ydelsestype_id == UDH


def test_open_ended_bevilling_covers_and_partial_cover_does_not():
    open_ended = vurder_konto(konto([ford(1)], [bev(7, "B1", til=None)]))
    assert open_ended.bevilling_id == 7
    partial = vurder_konto(konto([ford(1, fra=(2024, 12, 1), til=(2025, 1, 31))], [bev(7, "B1")]))
    assert (partial.resultat, partial.aarsag) == (Resultat.OPGAVE, Aarsag.MANGLER_REFERENCE)


def test_open_ended_claim_is_covered_only_by_open_ended_bevilling():
    claim = ford(1, til=None)
    assert vurder_konto(konto([claim], [bev(7, "B1")])).aarsag == Aarsag.MANGLER_REFERENCE
    assert vurder_konto(konto([claim], [bev(7, "B1", til=None)])).bevilling_id == 7


def test_borgers_one_open_sag_of_the_ydelsestype_is_used():
    sager = [
        SagData(50, "S50", KTH, True),
        SagData(51, "S51", UDH, True),
        SagData(52, "S52", KTH, False),
    ]
    b = vurder_konto(konto([ford(1, ref="B1")], [bev(7, "B1")], sager))
    assert (b.resultat, b.sag_id) == (Resultat.SAGSTILKNYTTET, 50)


def test_sag_created_by_an_earlier_sagsoprettelse_is_not_in_the_borgers_pool():
    sager = [SagData(50, "KY-K9", KTH, True, oprettet_ved_tilknytning=True)]
    b = vurder_konto(konto([ford(1, ref="B1")], [bev(7, "B1")], sager))
    assert (b.resultat, b.sag_id) == (Resultat.SAGSOPRETTET, None)


def test_two_open_sager_of_the_type_is_flere_bevillinger_with_the_sager_as_candidates():
    sager = [SagData(50, "S50", KTH, True), SagData(51, "S51", KTH, True)]
    b = vurder_konto(konto([ford(1, ref="B1")], [bev(7, "B1")], sager))
    assert (b.resultat, b.aarsag, b.kandidat_sager) == (
        Resultat.OPGAVE,
        Aarsag.FLERE_BEVILLINGER,
        (50, 51),
    )


def test_unknown_ydelseskode_links_and_flags_ydelsestype_ukendt():
    b = vurder_konto(konto([ford(1, ref="B1", kode="XYZ")], [bev(7, "B1", kode="XYZ", yt=None)]))
    assert (b.resultat, b.aarsag, b.ydelsestype_id) == (
        Resultat.SAGSOPRETTET,
        Aarsag.YDELSESTYPE_UKENDT,
        None,
    )
    assert b.tilknyttes


def test_reasons_for_single_unresolved_claims():
    several = konto([ford(1)], [bev(7, "B1"), bev(8, "B2")])
    assert vurder_konto(several).aarsag == Aarsag.FLERE_BEVILLINGER
    assert vurder_konto(konto([ford(1, ref="B9")], [])).aarsag == Aarsag.INGEN_BEVILLING
    assert (
        vurder_konto(konto([ford(1, kode="UDH")], [bev(7, "B1")])).aarsag
        == Aarsag.MANGLER_REFERENCE
    )


def test_datafejl_reference_to_another_borgers_bevilling():
    k = konto(
        [ford(1, ref="B99"), ford(2, ref="B1")], [bev(7, "B1")], ejere={"b99": ANDEN, "b1": BORGER}
    )
    b = vurder_konto(k)
    assert (b.resultat, b.aarsag) == (Resultat.OPGAVE, Aarsag.DATAFEJL)
    assert "anden borgers" in b.evidens[0].kandidater[0].afvist
    assert b.evidens[1].bevilling_id == 7  # the other claim is still decided


def test_datafejl_reversed_period_is_checked_before_any_rule():
    b = vurder_konto(konto([ford(1, ref="B1", fra=(2024, 2, 1), til=(2024, 1, 1))], [bev(7, "B1")]))
    assert b.aarsag == Aarsag.DATAFEJL and b.evidens[0].bevilling_id is None


def test_different_bevillinger_is_blandede():
    b = vurder_konto(konto([ford(1, ref="B1"), ford(2, ref="B2")], [bev(7, "B1"), bev(8, "B2")]))
    assert (b.resultat, b.aarsag) == (Resultat.OPGAVE, Aarsag.BLANDEDE_BEVILLINGER)


def test_precedence_datafejl_before_venter_before_blandede_before_flere_before_ingen():
    bevillinger = [bev(7, "B1"), bev(8, "B2"), bev(9, "B3")]
    datafejl = ford(1, fra=(2024, 2, 1), til=(2024, 1, 1))
    flere = ford(2)  # B1, B2 and B3 all cover it
    a, b = ford(3, ref="B1"), ford(4, ref="B2")
    assert (
        vurder_konto(konto([datafejl, flere], bevillinger, venter=True)).aarsag == Aarsag.DATAFEJL
    )
    assert (
        vurder_konto(konto([a, b, flere], bevillinger, venter=True)).aarsag
        == Aarsag.VENTER_PAA_DAEKNING
    )
    assert vurder_konto(konto([a, b, flere], bevillinger)).aarsag == Aarsag.BLANDEDE_BEVILLINGER
    assert vurder_konto(konto([a, flere], bevillinger)).aarsag == Aarsag.FLERE_BEVILLINGER
    mangler = ford(5, kode="UDH")
    assert vurder_konto(konto([a, mangler], bevillinger)).aarsag == Aarsag.MANGLER_REFERENCE


def test_venter_paa_daekning_does_not_stop_a_certain_link():
    b = vurder_konto(konto([ford(1, ref="B1")], [bev(7, "B1")], venter=True))
    assert b.resultat == Resultat.SAGSOPRETTET


def test_first_rule_with_exactly_one_candidate_wins():
    # The reference names B1; the text names B2: rule 1 decides.
    b = vurder_konto(konto([ford(1, ref="B1", tekst="se B2")], [bev(7, "B1"), bev(8, "B2")]))
    assert b.bevilling_id == 7 and b.evidens[0].regel == "reference"


def test_same_data_same_decision():
    k = konto([ford(1, ref="B1"), ford(2)], [bev(7, "B1"), bev(8, "B2")])
    assert vurder_konto(k) == vurder_konto(k)
