"""By-hand reported § 8 O amounts (seed 000's workaround): recorded once per way in, refused
with a Danish message when the input is bad (nothing stored), cancelled by a row that points
at the one it cancels, audited, and kept to the kommune (DESIGN §4.3, §4.4, §4.9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fordringer.choices import ManuelKilde
from fordringer.eindkomst.manuel import eindkomst_manuel_annuller, eindkomst_manuel_opret
from fordringer.eindkomst.selectors import indkomstaar_interval
from fordringer.models import EIndkomstManuel
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from tests.factories import BorgerFactory, FordringFactory, kommune

IDAG = dt.date(2026, 12, 5)


@pytest.fixture
def erik(db):
    """Erik in København, with a claim whose period starts in January 2024."""
    borger = BorgerFactory.create(cpr="0502824567", navn="Erik Eriksen")
    FordringFactory.create(konto__borger=borger)
    return borger


def opret(user, **felter):
    standard: dict[str, Any] = {
        "cpr": "050282-4567",
        "indkomstaar": 2026,
        "beloeb": Decimal("200.00"),
        "tekst": "Indberettet i eIndkomst 12-03-2026",
        "kilde": ManuelKilde.SKAERM,
        "idag": IDAG,
    }
    return eindkomst_manuel_opret(user=user, **(standard | felter))


def test_a_by_hand_amount_is_stored_with_who_and_how_and_audited(erik, bent):
    row = opret(bent)
    assert (row.cpr, row.indkomstaar, row.beloeb) == ("0502824567", 2026, Decimal("200.00"))
    assert (row.kilde, row.aktoer, row.kommune_id) == ("SKAERM", "bent", erik.kommune_id)
    event = AuditEvent.objects.get(handling="eindkomst.manuel.opret")
    assert event.bruger == bent and event.objekt_id == str(row.pk)
    assert event.beskrivelse == (
        "Manuelt indberettet § 8 O-beløb 200,00 kr. for 050282-**** i indkomståret 2026 "
        "registreret (skærmbillede)."
    )
    assert "0502824567" not in event.beskrivelse


def test_a_danish_amount_text_is_read_to_the_oere(erik, bent):
    assert opret(bent, beloeb="1.234,56").beloeb == Decimal("1234.56")


def test_the_income_years_run_from_the_kommunes_first_data_to_this_year(erik, bent, odense):
    assert indkomstaar_interval(kommune_id=erik.kommune_id, idag=IDAG) == (2024, 2026)
    # A kommune without any data: from 2015.
    assert indkomstaar_interval(kommune_id=odense.pk, idag=IDAG) == (2015, 2026)


@pytest.mark.parametrize(
    ("felter", "felt", "besked"),
    [
        ({"cpr": "9999999999"}, "cpr", "de første seks cifre er ikke en dato"),
        ({"cpr": "05028245"}, "cpr", "skal være 10 cifre"),
        ({"cpr": "0101901234"}, "cpr", "Ingen borger med CPR-nummer 010190-1234 i kommunen."),
        (
            {"indkomstaar": 2023},
            "indkomstaar",
            "Indkomståret 2023 ligger uden for kommunens data: vælg et år fra 2024 til 2026.",
        ),
        (
            {"indkomstaar": 2027},
            "indkomstaar",
            "Indkomståret 2027 ligger uden for kommunens data: vælg et år fra 2024 til 2026.",
        ),
        ({"indkomstaar": "tyve"}, "indkomstaar", "årstal med fire cifre"),
        ({"beloeb": Decimal("-200.00")}, "beloeb", "Beløbet skal være større end 0,00 kr."),
        ({"beloeb": Decimal("0.00")}, "beloeb", "Beløbet skal være større end 0,00 kr."),
        ({"beloeb": "-50,00"}, "beloeb", "annullér det i stedet"),
        ({"beloeb": "12,345"}, "beloeb", "højst to decimaler"),
        ({"beloeb": Decimal("12.345")}, "beloeb", "Beløbet må højst have to decimaler."),
        ({"beloeb": "tohundrede"}, "beloeb", "brug formatet 1.234,56"),
        ({"beloeb": 200.0}, "beloeb", "kroner og øre"),
        ({"tekst": "x" * 256}, "tekst", "Teksten må højst være 255 tegn."),
        ({"kilde": "FAX"}, None, "Ukendt kilde"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_stored(erik, bent, felter, felt, besked):
    with pytest.raises(ApplicationError) as fejl:
        opret(bent, **felter)
    assert besked in fejl.value.message
    assert fejl.value.felt == felt
    assert not EIndkomstManuel.objects.exists()
    assert not AuditEvent.objects.filter(handling__startswith="eindkomst.").exists()


def test_another_kommunes_borger_is_unknown_here(erik, bent):
    BorgerFactory.create(kommune=kommune(461), cpr="0101701111")
    with pytest.raises(ApplicationError, match="Ingen borger med CPR-nummer 010170-1111"):
        opret(bent, cpr="0101701111")
    assert not EIndkomstManuel.objects.exists()


def test_cancelling_writes_the_opposite_amount_pointing_at_it_once(erik, bent, birgit):
    row = opret(bent)
    annullering = eindkomst_manuel_annuller(
        user=birgit, manuel_id=row.pk, begrundelse="Indberettet på forkert borger"
    )
    assert annullering.tilbagefoerer == row and annullering.beloeb == Decimal("-200.00")
    assert (annullering.cpr, annullering.indkomstaar) == (row.cpr, 2026)
    assert annullering.tekst == "Indberettet på forkert borger"
    assert annullering.aktoer == "birgit"
    event = AuditEvent.objects.get(handling="eindkomst.manuel.annuller")
    assert event.objekt_id == str(row.pk) and event.begrundelse == "Indberettet på forkert borger"
    assert event.bruger == birgit

    with pytest.raises(ConflictError, match="allerede annulleret"):
        eindkomst_manuel_annuller(user=bent, manuel_id=row.pk, begrundelse="Igen")
    with pytest.raises(ApplicationError, match="selv en annullering"):
        eindkomst_manuel_annuller(user=bent, manuel_id=annullering.pk, begrundelse="Fortrudt")
    assert EIndkomstManuel.objects.count() == 2
    assert sum(m.beloeb for m in EIndkomstManuel.objects.all()) == Decimal("0.00")


def test_cancelling_needs_a_reason(erik, bent):
    row = opret(bent)
    with pytest.raises(ApplicationError, match="Skriv en begrundelse") as fejl:
        eindkomst_manuel_annuller(user=bent, manuel_id=row.pk, begrundelse="  ")
    assert fejl.value.felt == "begrundelse"
    assert EIndkomstManuel.objects.count() == 1


def test_another_kommune_cannot_cancel_it(erik, bent, olga):
    row = opret(bent)
    with pytest.raises(ApplicationError, match="findes ikke i kommunen"):
        eindkomst_manuel_annuller(user=olga, manuel_id=row.pk, begrundelse="Forkert")
    assert EIndkomstManuel.objects.count() == 1
    assert not AuditEvent.objects.filter(handling="eindkomst.manuel.annuller").exists()
