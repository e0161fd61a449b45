"""The statuses KY derives (seed 000), moved by the services a person or a run uses.

Bo's KMD Aktiv konto K-BO has one claim of 1.000,00 under collection ('Opkræv') under his
bevilling B1, whose sag is S1; the extract calls the konto AKTIV. Anna's KY konto K-ANNA has a
claim of 800,00 that a payment of 300,00 partly covered. Neither konto is released.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fordringer.choices import Frigivelsestype, KontoStatus, PosteringArt, SamlingBeslutningType
from fordringer.debitorsystem.services import (
    DaekningBesked,
    KontostatusBesked,
    debitorsystem_daekning_modtag,
    debitorsystem_kontostatus_modtag,
)
from fordringer.importer import import_kmd_aktiv
from fordringer.models import (
    Debitorkonto,
    Fordring,
    OmposteringAarsag,
    Postering,
    Sagsbehandlerfordeling,
)
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.kredit import kreditter_udlign, sagsbehandlerfordeling_til_kunden
from fordringer.ompostering.services import ompostering_opret
from fordringer.ompostering.tilbagefoersel import ompostering_tilbagefoer
from fordringer.samling.services import samlingsbeslutning_opret
from tests.fordringer.importer.test_import import felter, skriv_udtraek

pytestmark = pytest.mark.django_db

BO, ANNA = "0303801234", "0202801234"
IDAG = dt.date(2025, 3, 10)


def udtraek(*, bo_daekning: bool = False) -> dict[str, list[list[str]]]:
    daekninger = [["101", "D-ANNA", "F-ANNA", "DAEKNING", "300,00", "01-06-2024", "I-ANNA"]]
    if bo_daekning:
        daekninger.append(["101", "D-BO", "F-BO", "DAEKNING", "200,00", "01-06-2024", "I-BO"])
    return {
        "sager.csv": [["101", "S1", BO, "KTH", "AABEN", "Bo Berg"]],
        "bevillinger.csv": [
            ["101", "B1", BO, "KTH", "01-01-2024", "31-12-2024", "J", "N", "S1", "Bo Berg"],
        ],
        "debitorkonti.csv": [
            ["101", "K-BO", BO, "KMD_AKTIV", "AKTIV", "IKKE_FRIGIVET", "Bo Berg"],
            ["101", "K-ANNA", ANNA, "KY", "AKTIV", "IKKE_FRIGIVET", "Anna Andersen"],
        ],
        "fordringer.csv": [
            felter(
                "101;F-BO;K-BO;B1;KTH;Kontanthjælp marts;01-03-2024;31-03-2024;01-05-2024;"
                "1.000,00;OPKRAEV;0;N"
            ),
            felter(
                "101;F-ANNA;K-ANNA;;KTH;Kontanthjælp januar;01-01-2024;31-01-2024;01-03-2024;"
                "800,00;OPKRAEV;0;N"
            ),
        ],
        "daekninger.csv": daekninger,
    }


def importer(tmp_path: Path, **kw: bool) -> None:
    import_kmd_aktiv(skriv_udtraek(tmp_path / "udtraek", udtraek(**kw)))


def status(kontonummer: str) -> str:
    return Debitorkonto.objects.get(kontonummer=kontonummer).status


def sagstilknyt() -> None:
    call_command("sagstilknytning", "--kommune", "101", stdout=StringIO())


def detaljer_debitor_status(tmp_path: Path) -> dict[str, str]:
    """Per fordring the "Status" column of the report Detaljer_Debitor."""
    ud = tmp_path / "detaljer.csv"
    call_command(
        "rapport", "detaljer_debitor", "--kommune", "101", "--format", "csv", "--output", str(ud)
    )
    with open(ud, encoding="utf-8-sig", newline="") as fil:
        return {r["fordringsid"]: r["status"] for r in csv.DictReader(fil, delimiter=";")}


def test_an_imported_kmd_aktiv_konto_under_collection_without_payments_waits_for_one(tmp_path):
    """Seed 000: "fordringer med restance, som står med opkrævningstilstand 'Opkræv', hvor KY
    ikke har registeret indbetalinger" — whatever the extract calls the konto. The KY konto
    with restance that is not released waits for release; importing again changes nothing."""
    importer(tmp_path)
    assert status("K-BO") == KontoStatus.VENTER_PAA_DAEKNING
    assert status("K-ANNA") == KontoStatus.AFVENTER_FRIGIVELSE

    import_kmd_aktiv(tmp_path / "udtraek")
    assert (status("K-BO"), status("K-ANNA")) == (
        KontoStatus.VENTER_PAA_DAEKNING,
        KontoStatus.AFVENTER_FRIGIVELSE,
    )


def test_a_parked_daekning_is_not_yet_a_payment_and_the_linking_run_registers_it(tmp_path):
    """A dækning on an unlinked KMD Aktiv konto waits in parking; the linking run links the
    konto, releases the dækning and the konto now waits for release instead."""
    importer(tmp_path, bo_daekning=True)
    assert status("K-BO") == KontoStatus.VENTER_PAA_DAEKNING

    sagstilknyt()

    konto = Debitorkonto.objects.get(kontonummer="K-BO")
    assert konto.sag is not None and konto.sag.sagsnummer == "S1"
    assert konto.status == KontoStatus.AFVENTER_FRIGIVELSE


def test_a_linked_konto_leaves_venter_paa_daekning_with_an_ompostering_and_returns_on_rollback(
    tmp_path, bent
):
    """Anna's payment was placed on the wrong borger: moved to Bo's claim it is a payment KY
    has registered there; undoing the ompostering makes Bo's konto wait for a payment again."""
    importer(tmp_path)
    sagstilknyt()
    # Linking alone registers no payment.
    assert status("K-BO") == KontoStatus.VENTER_PAA_DAEKNING

    bo_fordring = Fordring.objects.get(fordringsid="F-BO")
    ompostering = ompostering_opret(
        user=bent,
        daekning_ids=[Postering.objects.get(ekstern_id="D-ANNA").pk],
        aarsag_id=OmposteringAarsag.objects.get(
            tekst="Indbetalingen er placeret på en forkert borger"
        ).pk,
        til_borger_id=bo_fordring.konto.borger_id,
        fordeling=[NyDaekning(bo_fordring.pk, Decimal("300.00"))],
        idag=IDAG,
    )
    assert status("K-BO") == KontoStatus.AFVENTER_FRIGIVELSE
    assert status("K-ANNA") == KontoStatus.AFVENTER_FRIGIVELSE

    ompostering_tilbagefoer(
        user=bent, ompostering_id=ompostering.pk, begrundelse="Fejl i omposteringen", idag=IDAG
    )
    assert status("K-BO") == KontoStatus.VENTER_PAA_DAEKNING


def test_daekninger_from_the_debitorsystem_move_the_status_and_a_konto_paid_in_full_is_aktiv(
    tmp_path, bent
):
    """A dækning message on the unlinked konto is parked and changes nothing; once linked, a
    part payment ends the wait for a payment, and the last payment leaves nothing to release:
    the konto is AKTIV (KY never closes a konto itself; LUKKET comes from the debitorsystem)."""
    importer(tmp_path)

    def daekning(besked_id: str, beloeb: str) -> None:
        debitorsystem_daekning_modtag(
            user=bent,
            besked=DaekningBesked(
                besked_id=besked_id,
                fordringsid="F-BO",
                art="DAEKNING",
                beloeb=Decimal(beloeb),
                valoerdato=dt.date(2024, 6, 1),
            ),
        )

    daekning("B-1", "100.00")
    assert status("K-BO") == KontoStatus.VENTER_PAA_DAEKNING

    sagstilknyt()
    assert status("K-BO") == KontoStatus.AFVENTER_FRIGIVELSE

    rest = Fordring.objects.get(fordringsid="F-BO").restance
    daekning("B-2", str(rest))
    assert status("K-BO") == KontoStatus.AKTIV


def test_a_kontostatus_message_sets_the_status_it_reports_or_derives_it_from_the_release(
    tmp_path, bent
):
    """Seed 003, 1e: the debitorsystem reports "debitorkonto statusskift". A reported status
    stands (a closed konto stays closed through KY's own changes); a reported release alone
    ends "Afventer frigivelse"."""
    importer(tmp_path)

    debitorsystem_kontostatus_modtag(
        user=bent,
        besked=KontostatusBesked(
            besked_id="S-1", kontonummer="K-ANNA", frigivelsestype=Frigivelsestype.FRIGIVET
        ),
    )
    assert status("K-ANNA") == KontoStatus.AKTIV

    debitorsystem_kontostatus_modtag(
        user=bent,
        besked=KontostatusBesked(besked_id="S-2", kontonummer="K-BO", status=KontoStatus.LUKKET),
    )
    assert status("K-BO") == KontoStatus.LUKKET
    sagstilknyt()
    assert status("K-BO") == KontoStatus.LUKKET


def test_release_ends_afventer_frigivelse_and_detaljer_debitor_follows(tmp_path, alice, bent):
    """Seed 000: Detaljer_Debitor's "Status" column shows "Afventer frigivelse" for the claims
    still to be released; the caseworker's FRIGIV decision releases the konto."""
    importer(tmp_path, bo_daekning=True)
    sagstilknyt()
    assert detaljer_debitor_status(tmp_path) == {
        "F-BO": "Afventer frigivelse",
        "F-ANNA": "Afventer frigivelse",
    }

    samlingsbeslutning_opret(
        user=alice,
        konto_id=Debitorkonto.objects.get(kontonummer="K-BO").pk,
        beslutning=SamlingBeslutningType.FRIGIV,
        begrundelse="Kravet opkræves i debitorsystemet",
        idag=IDAG,
    )

    assert status("K-BO") == KontoStatus.AKTIV
    assert detaljer_debitor_status(tmp_path)["F-BO"] == "Aktiv"


def test_merging_moves_the_wait_for_release_to_the_ky_konto(tmp_path, alice):
    """SAML moves the KMD Aktiv konto's restance to the borger's KY konto: the KMD Aktiv konto
    owes nothing and waits for nothing; the KY konto holds the claim and awaits release."""
    importer(tmp_path, bo_daekning=True)
    sagstilknyt()
    bo = Debitorkonto.objects.get(kontonummer="K-BO")
    ky = Debitorkonto.objects.create(
        kommune_id=bo.kommune_id,
        kontonummer="K-BO-KY",
        borger_id=bo.borger_id,
        kilde="KY",
        sag_id=bo.sag_id,
        tilknytning="IMPORT",
    )

    samlingsbeslutning_opret(
        user=alice,
        konto_id=bo.pk,
        beslutning=SamlingBeslutningType.SAML,
        begrundelse="Samme ydelse, samme borger",
        ky_konto_id=ky.pk,
        idag=IDAG,
    )

    assert status("K-BO") == KontoStatus.AKTIV
    assert status("K-BO-KY") == KontoStatus.AFVENTER_FRIGIVELSE
    assert Postering.objects.filter(fordring__konto=ky, art=PosteringArt.HOVEDSTOL).exists()


def test_a_credit_on_the_customer_settled_on_his_claim_ends_the_wait_for_a_payment(tmp_path, bent):
    """Seed 004 afklaring b: an amount placed on the customer "udlignes i den førstkommende
    udligningskørsel"; covering Bo's claim is a payment KY has registered on it."""
    importer(tmp_path)
    sagstilknyt()
    bo = Debitorkonto.objects.get(kontonummer="K-BO")
    ompostering_opret(
        user=bent,
        daekning_ids=[Postering.objects.get(ekstern_id="D-ANNA").pk],
        aarsag_id=OmposteringAarsag.objects.get(
            tekst="Indbetalingen er placeret på en forkert borger"
        ).pk,
        til_borger_id=bo.borger_id,
        idag=IDAG,
    )
    post = Sagsbehandlerfordeling.objects.get(borger_id=bo.borger_id)
    sagsbehandlerfordeling_til_kunden(user=bent, post_id=post.pk, behandling="Placeret på kunden")
    assert status("K-BO") == KontoStatus.VENTER_PAA_DAEKNING

    kreditter_udlign(kommune_id=bo.kommune_id, idag=IDAG)

    assert status("K-BO") == KontoStatus.AFVENTER_FRIGIVELSE
