""" "Vurder, saml og frigiv debitorkonto": the rules of seed 000's questions and answers.

Each test's docstring quotes the question of seed 000 it checks.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from fordringer.choices import (
    BeskedStatus,
    BeskedType,
    Frigivelsestype,
    KontoStatus,
    PosteringArt,
    SamlingBeslutningType,
)
from fordringer.konto.selectors import kontoudtog, restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import (
    Fordring,
    Postering,
    SamletFordring,
    Samlingsbeslutning,
    UdgaaendeBesked,
)
from fordringer.samling.selectors import samlingsvurdering
from fordringer.samling.services import b04_noegle, samlingsbeslutning_opret
from fordringer.udbakke.services import udgaaende_besked_lever
from ky_debitor.append_only import AppendOnlyError
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.models import AuditEvent
from tests.fordringer.samling.samling_data import opret

IDAG = dt.date(2026, 2, 2)
SAML, FRIGIV, INGEN = (
    SamlingBeslutningType.SAML,
    SamlingBeslutningType.FRIGIV,
    SamlingBeslutningType.INGEN_SAMLING,
)


def beslut(user, konto, beslutning, *, ky=None, begrundelse="Samme ydelse, samme borger", **kw):
    return samlingsbeslutning_opret(
        user=user,
        konto_id=konto.pk,
        beslutning=beslutning,
        begrundelse=begrundelse,
        ky_konto_id=ky.pk if ky else None,
        idag=kw.pop("idag", IDAG),
        **kw,
    )


def tilstand():
    """Everything a decision may change: konti, claims, ledger, decisions, outbox, audit."""
    from fordringer.models import Debitorkonto

    return (
        list(Debitorkonto.objects.order_by("pk").values_list("frigivelsestype", "samlet_i")),
        list(Fordring.objects.order_by("pk").values_list("pk", "restance")),
        Postering.objects.count(),
        Samlingsbeslutning.objects.count(),
        UdgaaendeBesked.objects.count(),
        AuditEvent.objects.count(),
    )


def test_saml_moves_every_claim_with_restance_through_the_ledger(alice):
    """Demo "Vurder, saml og frigiv debitorkonto": samling moves the KMD Aktiv claims to the
    KY konto, append-only, and the old konto shows where it went."""
    d = opret()
    beslutning = beslut(alice, d.kmd, SAML, ky=d.ky)

    d.kmd.refresh_from_db()
    assert d.kmd.samlet_i == d.ky
    assert (beslutning.antal_fordringer, beslutning.beloeb) == (2, Decimal("1500.00"))
    for gammel in (d.f1, d.f2):
        gammel.refresh_from_db()
        assert gammel.restance == Decimal("0.00") == restance_fra_ledger(gammel)
        link = SamletFordring.objects.get(fra_fordring=gammel)
        ny = link.til_fordring
        assert ny.konto == d.ky
        assert ny.restance == gammel.hovedstol == restance_fra_ledger(ny)
        assert ny.kmd_aktiv_reference == gammel.kmd_aktiv_reference
        assert link.ud_postering.art == PosteringArt.SAMLING
        assert (
            link.ind_postering.tekst == f"Samlet fra konto KA-101 (fordring {gammel.fordringsid})"
        )
    linjer = [linje.tekst for linje in kontoudtog(d.ky)]
    assert sum("Samlet fra konto KA-101" in t for t in linjer) == 2
    assert AuditEvent.objects.filter(handling="debitorkonto.saml").count() == 2
    with pytest.raises(AppendOnlyError):
        beslutning.save()


def test_saml_writes_one_b04_keyed_by_the_decision(alice):
    """Seed 000/DESIGN §6: merging sends a debitorkonto-anmodning (SF1590_B_04)."""
    d = opret()
    beslutning = beslut(alice, d.kmd, SAML, ky=d.ky)
    besked = UdgaaendeBesked.objects.get(type=BeskedType.SF1590_B_04)
    assert besked.noegle == b04_noegle(beslutning)
    assert besked.payload["fra_kontonummer"] == "KA-101"
    assert besked.payload["til_kontonummer"] == "KY-101"
    assert besked.payload["beloeb"] == "1500.00"


class FejlendeTransport:
    def send(self, besked):
        raise ConnectionError("debitorsystemet svarer ikke")


@pytest.mark.parametrize("beslutning", [SAML, FRIGIV])
def test_b04_and_b01_are_written_once_per_decision_even_when_delivery_fails_and_is_retried(
    alice, settings, tmp_path, django_capture_on_commit_callbacks, beslutning
):
    """DESIGN §6: outgoing messages go through the outbox with retries and idempotency keys;
    a failing debitorsystem never makes a decision send twice."""
    settings.KY_UDGAAENDE_TRANSPORT = "tests.fordringer.samling.test_samling.FejlendeTransport"
    settings.VAR_DIR = tmp_path
    d = opret()
    with django_capture_on_commit_callbacks(execute=True):
        b = beslut(alice, d.kmd, beslutning, ky=d.ky if beslutning == SAML else None)
    besked = UdgaaendeBesked.objects.get()
    assert besked.type == (BeskedType.SF1590_B_04 if beslutning == SAML else BeskedType.SF1590_B_01)
    assert (besked.status, besked.forsoeg) == (BeskedStatus.AFVENTER, 1)
    for _ in range(2):
        besked = udgaaende_besked_lever(besked_id=besked.pk)
    assert (besked.status, besked.forsoeg) == (BeskedStatus.AFVENTER, 3)

    settings.KY_UDGAAENDE_TRANSPORT = "fordringer.udbakke.transport.FilTransport"
    besked = udgaaende_besked_lever(besked_id=besked.pk)
    besked = udgaaende_besked_lever(besked_id=besked.pk)  # a late retry changes nothing
    assert (besked.status, besked.forsoeg) == (BeskedStatus.SENDT, 4)
    filer = list((tmp_path / "udgaaende").rglob("*.json"))
    assert len(filer) == 1
    assert json.loads(filer[0].read_text("utf-8"))["payload"]["beslutning"] == b.pk
    assert UdgaaendeBesked.objects.count() == 1


def test_a_released_kmd_aktiv_konto_is_never_merged(alice):
    """Q: "Hvis vi har en sag, hvor kmd-aktiv er frigivet, men kravet fortsætter i KY, hvad
    gør vi der?" — "der må ikke samles, hvis debitorkonto er blevet frigivet"."""
    d = opret(frigivelsestype=Frigivelsestype.FRIGIVET)
    foer = tilstand()
    with pytest.raises(ConflictError, match="frigivet og sendt til debitorsystemet"):
        beslut(alice, d.kmd, SAML, ky=d.ky)
    assert tilstand() == foer


def test_a_released_ky_konto_is_never_merged_into(alice):
    """Q: "Hvis vi har en sag, hvor kmd-aktiv er frigivet …?" — a released konto may not be
    merged on either side ("sendt til debitorsystemet")."""
    d = opret()
    d.ky.frigivelsestype = Frigivelsestype.FRIGIVET
    d.ky.save()
    foer = tilstand()
    with pytest.raises(ConflictError, match="KY-debitorkonto KY-101 er frigivet"):
        beslut(alice, d.kmd, SAML, ky=d.ky)
    assert tilstand() == foer


def test_kmd_aktiv_released_but_claim_continues_in_ky_releases_the_ky_konto(alice):
    """Q: "Hvis vi har en sag, hvor kmd-aktiv er frigivet, men kravet fortsætter i KY, hvad
    gør vi der?" — "I de tilfælde vil I blot skulle frigive KY debitorkonto"."""
    d = opret(frigivelsestype=Frigivelsestype.FRIGIVET)
    with pytest.raises(ApplicationError, match="KY-debitorkontoen frigives i stedet") as fejl:
        beslut(alice, d.kmd, FRIGIV)
    assert fejl.value.felt == "ky_konto"
    vurdering = samlingsvurdering(konto=d.kmd, idag=IDAG)
    assert any("KY-debitorkontoen frigives i stedet" in f for f in vurdering.forklaringer)

    beslutning = beslut(alice, d.kmd, FRIGIV, ky=d.ky)
    d.ky.refresh_from_db()
    assert d.ky.frigivelsestype == Frigivelsestype.FRIGIVET
    assert beslutning.frigivet_konto == d.ky
    besked = UdgaaendeBesked.objects.get(type=BeskedType.SF1590_B_01)
    assert besked.payload["kontonummer"] == "KY-101"


def test_frigiv_releases_the_konto_and_writes_b01(alice):
    """Q: "Er det rigtig forstået at vi manuelt skal overføre …?" — "Det er frigivelsestypen
    på debitorkontoen der afgør om fordringerne er blevet frigivet … og dermed sendt til
    debitor"."""
    d = opret(status=KontoStatus.AFVENTER_FRIGIVELSE)
    # Payments registered in KY, so the konto is not also waiting for one (seed 000).
    for fordring in (d.f1, d.f2):
        postering_bogfoer(
            fordring=fordring,
            art=PosteringArt.DAEKNING,
            beloeb=Decimal("100.00"),
            valoerdato=dt.date(2024, 5, 1),
            user=alice,
        )
    beslut(alice, d.kmd, FRIGIV, begrundelse="Sagen er stoppet; kravet opkræves i debitorsystemet")
    d.kmd.refresh_from_db()
    assert (d.kmd.frigivelsestype, d.kmd.status) == (Frigivelsestype.FRIGIVET, KontoStatus.AKTIV)
    besked = UdgaaendeBesked.objects.get(type=BeskedType.SF1590_B_01)
    assert besked.payload["kontonummer"] == "KA-101"
    assert [f["fordringsid"] for f in besked.payload["fordringer"]] == ["FA-101-1", "FA-101-2"]
    assert AuditEvent.objects.filter(handling="debitorkonto.frigiv").count() == 1


def test_a_merged_loebende_ydelse_with_repayment_duty_is_not_released_while_merged_monthly(
    alice,
):
    """Q: "… skal vi manuelt hver måned samle kravet, hvis det er en løbende
    forsørgelsesydelse med tilbagebetalingspligt?" — "Kommunen må derfor ikke frigive KMD
    Aktiv debitorkonto der samles med"."""
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=None)
    beslut(alice, d.kmd, SAML, ky=d.ky)
    assert samlingsvurdering(konto=d.kmd, idag=IDAG).samles_maanedligt
    foer = tilstand()
    with pytest.raises(ConflictError, match="må ikke frigives"):
        beslut(alice, d.kmd, FRIGIV)
    assert tilstand() == foer


def test_once_the_borger_stops_on_the_benefit_the_merged_konto_may_be_released(alice):
    """Q: "Løbende forsørgelsesydelser … skal hver måned samles indtil borgeren stopper på sin
    ydelse" — after the stop, releasing is allowed again."""
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=dt.date(2026, 3, 31))
    beslut(alice, d.kmd, SAML, ky=d.ky)
    beslut(alice, d.kmd, FRIGIV, idag=dt.date(2026, 4, 1))
    d.kmd.refresh_from_db()
    assert d.kmd.frigivelsestype == Frigivelsestype.FRIGIVET


def test_an_enkeltydelse_is_no_forsoergelsesydelse_and_may_be_released_after_merging(alice):
    """Q: "… løbende forsørgelsesydelse med tilbagebetalingspligt?" — the monthly rule is for
    forsørgelsesydelser only (enkeltydelser are not, DESIGN §7)."""
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=None, ydelseskode="ENK")
    beslut(alice, d.kmd, SAML, ky=d.ky)
    assert not samlingsvurdering(konto=d.kmd, idag=IDAG).loebende_med_tilbagebetalingspligt
    beslut(alice, d.kmd, FRIGIV)


def test_monthly_samling_moves_only_the_new_claim_into_the_same_ky_konto(alice):
    """Q: "Bare lige så jeg har forstået det, så skal vi manuelt hver måned samle kravet …?"
    — the next month's samling moves the new claim; nothing twice."""
    d = opret(loebende=True, tilbagebetalingspligt=True, periode_til=None)
    beslut(alice, d.kmd, SAML, ky=d.ky)
    with pytest.raises(ApplicationError, match="ingen nye fordringer"):
        beslut(alice, d.kmd, SAML, ky=d.ky)
    from tests.factories import FordringFactory

    FordringFactory.create(
        konto=d.kmd,
        fordringsid="FA-101-3",
        hovedstol=Decimal("750.00"),
        ydelsestype=d.f1.ydelsestype,
    )
    anden = beslut(alice, d.kmd, SAML, ky=d.ky, begrundelse="Månedlig samling marts")
    assert (anden.antal_fordringer, anden.beloeb) == (1, Decimal("750.00"))
    assert UdgaaendeBesked.objects.filter(type=BeskedType.SF1590_B_04).count() == 2


def test_no_samling_is_recorded_with_its_reason_and_release_may_follow(alice):
    """Q: "Hvad gør man med en debitorkonto, hvis vurderingen viser, at debitorkonti ikke kan
    samles?" — "så skal der ikke samles. Så skal I vurdere, hvorvidt debitorkonto skal
    frigives eller ej." """
    d = opret()
    foer = tilstand()
    ingen = beslut(alice, d.kmd, INGEN, begrundelse="Kravene hører til forskellige forløb")
    efter = tilstand()
    assert efter[:3] == foer[:3]  # no consequence for konti, claims or ledger
    assert efter[4] == foer[4]  # and nothing sent
    assert ingen.begrundelse == "Kravene hører til forskellige forløb"
    frigiv = beslut(alice, d.kmd, FRIGIV, begrundelse="Vurderet: frigives")
    assert list(Samlingsbeslutning.objects.filter(konto=d.kmd)) == [frigiv, ingen]


@pytest.mark.parametrize(
    ("beslutning", "ky", "begrundelse", "felt", "besked"),
    [
        (SAML, True, "  ", "begrundelse", "Skriv en begrundelse for beslutningen."),
        ("SLET", True, "x", "beslutning", "Vælg en beslutning."),
        (SAML, False, "x", "ky_konto", "Vælg den KY-debitorkonto, der skal samles i."),
    ],
)
def test_bad_input_gets_a_danish_message_and_changes_nothing(
    alice, beslutning, ky, begrundelse, felt, besked
):
    """DESIGN §4.9 for the decision form: every decision has a mandatory reason."""
    d = opret()
    foer = tilstand()
    with pytest.raises(ApplicationError) as fejl:
        beslut(alice, d.kmd, beslutning, ky=d.ky if ky else None, begrundelse=begrundelse)
    assert (fejl.value.felt, fejl.value.message) == (felt, besked)
    assert tilstand() == foer


def test_a_ky_konto_of_another_ydelsestype_or_borger_is_refused(alice):
    """Q: "Er det rigtig forstået …?" — a KMD Aktiv konto is merged with the borger's KY konto
    for the same ydelse only."""
    from fordringer.models import Debitorkonto, Ydelsestype
    from tests.factories import SagFactory

    d = opret()
    uddannelse = SagFactory.create(
        borger=d.borger, ydelsestype=Ydelsestype.objects.get(kode="UDDANNELSESHJAELP")
    )
    Debitorkonto.objects.filter(pk=d.ky.pk).update(sag=uddannelse)
    foer = tilstand()
    with pytest.raises(ApplicationError, match="ikke for samme ydelsestype"):
        beslut(alice, d.kmd, SAML, ky=d.ky)
    fremmed = opret(kode=101, cpr="0505501234")
    with pytest.raises(ApplicationError, match="tilhører samme borger"):
        beslut(alice, d.kmd, SAML, ky=fremmed.ky)
    assert tilstand()[3:] == foer[3:]


def test_a_decision_made_meanwhile_by_someone_else_is_a_conflict(alice):
    """DESIGN §4.8: two people deciding on the same konto cannot both succeed."""
    d = opret()
    beslut(alice, d.kmd, INGEN, forventet_seneste_id=0)
    foer = tilstand()
    with pytest.raises(ConflictError, match="mens du vurderede den"):
        beslut(alice, d.kmd, SAML, ky=d.ky, forventet_seneste_id=0)
    assert tilstand() == foer


def test_another_kommunes_konto_cannot_be_decided_on(olga):
    """DESIGN §4.3: only the own kommune's konti."""
    d = opret()
    foer = tilstand()
    with pytest.raises(ApplicationError, match="findes ikke i kommunen"):
        beslut(olga, d.kmd, SAML, ky=d.ky)
    assert tilstand() == foer


@pytest.mark.postgres
def test_postgresql_refuses_to_rewrite_a_decision_or_a_moved_claim(alice):
    """A decision is changed only by a new decision: not even SQL can edit the history."""
    from django.db import IntegrityError, connection, transaction

    d = opret()
    beslutning = beslut(alice, d.kmd, SAML, ky=d.ky)
    for sql in (
        "UPDATE fordringer_samlingsbeslutning SET begrundelse = 'ændret' WHERE id = %s",
        "DELETE FROM fordringer_samletfordring WHERE beslutning_id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [beslutning.pk])
