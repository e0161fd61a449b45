"""The daily eIndkomst batch (DESIGN §7): a kommune's unreported lines summed per borger, year,
art and ydelsestype, by-hand amounts netted out, sent through the outbox with an idempotency
key; the lines count as reported only once the delivery is acknowledged.

Anna's KTH claim was paid out in 2024 and repaid with 300,00 on 10-03-2025: a § 8 O deduction
in 2025. A second dækning of 40,00 was reversed (a line and its reversal). Bo's claim was paid
out in 2025 and 75,25 repaid the same year: a correction of 2025 of -75,25.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal as D

import pytest
import time_machine
from django.db import connection

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.indberetning.forsendelse import (
    eindkomst_forsendelse_opret,
    eindkomst_forsendelse_send_igen,
    forsendelse_status,
)
from fordringer.ledger.services import postering_tilbagefoer
from fordringer.models import (
    EIndkomstForsendelse,
    EIndkomstForsendelseLinje,
    EIndkomstLinje,
    EIndkomstManuel,
    UdgaaendeBesked,
)
from fordringer.tasks import eindkomst_forsendelser_opret
from fordringer.udbakke.services import udgaaende_besked_lever
from ky_debitor.errors import ApplicationError
from ky_debitor.models import AuditEvent
from ky_debitor.roles import Rolle
from tests import personas
from tests.factories import BorgerFactory, kommune
from tests.fordringer.eindkomst.test_stier import daek, ky_fordring

ANNA = "0101801111"
BO = "0202802222"


class FejlendeTransport:
    """The receiver is down: every delivery fails."""

    def send(self, besked: UdgaaendeBesked) -> None:
        raise ConnectionError("eIndkomst svarer ikke")


FIL = "fordringer.udbakke.transport.FilTransport"
FEJLENDE = "tests.fordringer.eindkomst.test_forsendelse.FejlendeTransport"


@pytest.fixture(autouse=True)
def idag():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def udbakke(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.KY_UDGAAENDE_TRANSPORT = FIL
    settings.KY_UDGAAENDE_MAKS_FORSOEG = 1
    return tmp_path / "udgaaende"


def linjer_i_kommune(bent) -> None:
    anna = BorgerFactory.create(cpr=ANNA)
    bo = BorgerFactory.create(cpr=BO)
    fa = ky_fordring(anna)
    daek(fa, "300.00", dt.date(2025, 3, 10), bent)
    fejl = daek(fa, "40.00", dt.date(2025, 4, 1), bent)
    postering_tilbagefoer(postering=fejl, user=bent, begrundelse="Fejlindbetaling")
    fb = ky_fordring(bo, periode=dt.date(2025, 1, 1))
    daek(fb, "75.25", dt.date(2025, 5, 1), bent)


@pytest.fixture(params=[5000, 1], ids=["en-skrivning", "en-raekke-pr-skrivning"])
def skrivning(request, monkeypatch):
    """A big batch is read and written in chunks: with one row per chunk, every row lies on a
    chunk boundary, and the batch must come out the same."""
    monkeypatch.setattr("fordringer.indberetning.forsendelse.RAEKKER_PR_SKRIVNING", request.param)


def raekker(forsendelse: EIndkomstForsendelse) -> list[tuple[str, int, str, D, D, D]]:
    return [
        (r.cpr, r.indkomstaar, r.art, r.linjer, r.modregnet, r.beloeb)
        for r in forsendelse.raekker.order_by("cpr", "art")
    ]


def rapporteret() -> int:
    """Lines that count as reported: in a batch whose message was acknowledged."""
    return EIndkomstLinje.objects.filter(
        sendt_i__forsendelse__besked__status=BeskedStatus.SENDT
    ).count()


def test_the_batch_sums_the_lines_per_borger_to_the_oere(bent, skrivning):
    linjer_i_kommune(bent)
    assert EIndkomstLinje.objects.count() == 4

    f = eindkomst_forsendelse_opret(kommune_id=kommune(101).pk)

    assert f is not None and f.besked is not None

    assert f is not None
    assert raekker(f) == [
        (ANNA, 2025, "LL8O", D("300.00"), D("0.00"), D("300.00")),
        (BO, 2025, "KORREKTION", D("-75.25"), D("0.00"), D("-75.25")),
    ]
    assert (f.antal, f.antal_raekker, f.total, f.modregnet) == (4, 2, D("224.75"), D("0.00"))
    foerste, sidste = EIndkomstLinje.objects.order_by("pk").values_list("pk", flat=True)[::3]
    assert f.noegle == f"eindkomst-101-{foerste}-{sidste}"
    assert f.besked.type == BeskedType.EINDKOMST
    assert f.besked.noegle == f.noegle
    assert f.besked.payload["total"] == "224.75"
    assert f.besked.payload["raekker"] == [
        {
            "cpr": ANNA,
            "indkomstaar": 2025,
            "art": "LL8O",
            "beloeb": "300.00",
            "ydelsestype": "KONTANTHJAELP",
        },
        {
            "cpr": BO,
            "indkomstaar": 2025,
            "art": "KORREKTION",
            "beloeb": "-75.25",
            "ydelsestype": "KONTANTHJAELP",
        },
    ]
    assert forsendelse_status(f) == "Afventer kvittering"
    assert AuditEvent.objects.filter(handling="eindkomst.forsendelse_opret").count() == 1
    # Nothing new: no batch.
    assert eindkomst_forsendelse_opret(kommune_id=kommune(101).pk) is None
    assert EIndkomstForsendelse.objects.count() == 1


def test_a_by_hand_amount_is_netted_once(bent, udbakke, skrivning):
    linjer_i_kommune(bent)
    EIndkomstManuel.objects.create(
        kommune=kommune(101),
        cpr=ANNA,
        indkomstaar=2025,
        beloeb=D("200.00"),
        kilde="ADMIN",
        aktoer="test",
    )

    f = eindkomst_forsendelse_opret(kommune_id=kommune(101).pk)

    assert f is not None and f.besked is not None

    assert raekker(f) == [
        (ANNA, 2025, "LL8O", D("300.00"), D("200.00"), D("100.00")),
        (BO, 2025, "KORREKTION", D("-75.25"), D("0.00"), D("-75.25")),
    ]
    assert (f.total, f.modregnet) == (D("24.75"), D("200.00"))
    assert [r["beloeb"] for r in f.besked.payload["raekker"]] == ["100.00", "-75.25"]

    # A new 50,00 for Anna in 2025: the by-hand amount is used up, all of it is sent.
    anna_fordring = EIndkomstLinje.objects.filter(cpr=ANNA).first().postering.fordring
    daek(anna_fordring, "50.00", dt.date(2025, 6, 1), bent)

    anden = eindkomst_forsendelse_opret(kommune_id=kommune(101).pk)

    assert anden is not None and anden.besked is not None

    assert raekker(anden) == [(ANNA, 2025, "LL8O", D("50.00"), D("0.00"), D("50.00"))]
    assert (anden.antal, anden.total, anden.modregnet) == (1, D("50.00"), D("0.00"))
    assert anden.noegle != f.noegle
    assert eindkomst_forsendelse_opret(kommune_id=kommune(101).pk) is None


def test_lines_are_reported_only_when_the_delivery_is_acknowledged(bent, udbakke, settings):
    linjer_i_kommune(bent)
    f = eindkomst_forsendelse_opret(kommune_id=kommune(101).pk)
    assert f is not None and f.besked is not None

    settings.KY_UDGAAENDE_TRANSPORT = FEJLENDE
    udgaaende_besked_lever(besked_id=f.besked.pk)
    f.refresh_from_db()
    assert forsendelse_status(f) == "Fejlet"
    assert "eIndkomst svarer ikke" in f.besked.sidste_fejl
    assert rapporteret() == 0
    # A failed batch keeps its lines: the next daily run does not send them twice.
    assert eindkomst_forsendelse_opret(kommune_id=kommune(101).pk) is None

    settings.KY_UDGAAENDE_TRANSPORT = FIL
    eindkomst_forsendelse_send_igen(user=bent, forsendelse_id=f.pk)
    f.refresh_from_db()
    assert forsendelse_status(f) == "Afventer kvittering"
    assert rapporteret() == 0
    udgaaende_besked_lever(besked_id=f.besked.pk)
    f.refresh_from_db()

    assert forsendelse_status(f) == "Kvitteret"
    assert rapporteret() == 4
    dokument = json.loads((udbakke / "eindkomst" / f"{f.noegle}.json").read_text("utf-8"))
    assert dokument["noegle"] == f.noegle
    assert dokument["payload"]["antal"] == 4
    assert dokument["payload"]["total"] == "224.75"
    assert AuditEvent.objects.filter(
        handling="eindkomst.forsendelse_send_igen", bruger=bent
    ).exists()
    with pytest.raises(ApplicationError, match="allerede kvitteret"):
        eindkomst_forsendelse_send_igen(user=bent, forsendelse_id=f.pk)


def test_another_kommunes_batch_cannot_be_sent_again(bent, udbakke, settings):
    linjer_i_kommune(bent)
    f = eindkomst_forsendelse_opret(kommune_id=kommune(101).pk)
    assert f is not None and f.besked is not None
    settings.KY_UDGAAENDE_TRANSPORT = FEJLENDE
    udgaaende_besked_lever(besked_id=f.besked.pk)
    odense = personas.person("orla", [Rolle.BOGHOLDER], personas.ODENSE)

    with pytest.raises(EIndkomstForsendelse.DoesNotExist):
        eindkomst_forsendelse_send_igen(user=odense, forsendelse_id=f.pk)


def test_the_daily_task_makes_one_batch_per_kommune_with_lines(bent):
    linjer_i_kommune(bent)
    assert eindkomst_forsendelser_opret() == 1
    assert eindkomst_forsendelser_opret() == 0
    assert EIndkomstForsendelse.objects.get().kommune == kommune(101)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_sending_the_same_kommune_report_each_line_once():
    bent = personas.bent()
    linjer_i_kommune(bent)
    start = threading.Barrier(2)
    udfald: list[EIndkomstForsendelse | None] = []

    def arbejder():
        try:
            start.wait()
            udfald.append(eindkomst_forsendelse_opret(kommune_id=kommune(101).pk))
        finally:
            connection.close()

    traade = [threading.Thread(target=arbejder) for _ in range(2)]
    for t in traade:
        t.start()
    for t in traade:
        t.join()

    assert sorted(f is None for f in udfald) == [False, True]
    assert EIndkomstForsendelse.objects.count() == 1
    assert EIndkomstForsendelseLinje.objects.count() == EIndkomstLinje.objects.count() == 4
    assert UdgaaendeBesked.objects.filter(type=BeskedType.EINDKOMST).count() == 1
