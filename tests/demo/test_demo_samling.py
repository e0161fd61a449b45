"""The demo shows the samling work (issue #16): løbende forsørgelsesydelser med
tilbagebetalingspligt beside a KY konto, some merged by ``saml_demodata`` so "Månedlig samling"
has a task, the rest waiting on the worklist "Vurder, saml og frigiv"."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.models import DemoForventning
from demo.samling import naeste_samlingsdag
from demo.services import demodata_skriv_csv
from fordringer.choices import Kilde, SamlingBeslutningType
from fordringer.cpr import cpr_normaliser
from fordringer.models import Debitorkonto, MaanedligSamling, Samlingsbeslutning
from ky_debitor.models import AuditEvent, Bruger

from .test_demodata import Udtraek

KOMMUNE = 101
SCENARIE = "loebende_kmd_med_ky_konto"


def test_the_extract_has_running_benefits_with_a_duty_to_repay_beside_a_ky_konto(tmp_path: Path):
    generering = demodata_skriv_csv(kommunekode=KOMMUNE, konti=300, seed=11, mappe=tmp_path)
    udtraek = Udtraek.laes(tmp_path)
    bevillinger = {b["bevillingsnummer"]: b for b in udtraek.bevillinger}
    konti = {k["kontonummer"]: k for k in udtraek.konti}
    kilder: dict[str, set[str]] = defaultdict(set)
    for k in udtraek.konti:
        kilder[cpr_normaliser(k["cpr"])].add(k["kilde"])
    loebende = [f for f in generering.forventninger if f.scenarie == SCENARIE]
    assert len(loebende) >= 3
    for f in loebende:
        bevilling = bevillinger[f.bevillingsnummer]
        assert (bevilling["loebende"], bevilling["tilbagebetalingspligt"]) == ("J", "J")
        assert bevilling["periode_til"] == "" and bevilling["ydelseskode"] != "ENK"
        konto = konti[f.kontonummer]
        assert konto["kilde"] == "KMD_AKTIV"
        assert kilder[cpr_normaliser(konto["cpr"])] == {"KMD_AKTIV", "KY"}


@pytest.mark.django_db
def test_make_demo_merges_some_so_the_monthly_samling_and_the_worklist_both_show(capsys):
    call_command("opret_demobrugere", "--kommune", str(KOMMUNE))
    call_command("generer_demodata", "--kommune", str(KOMMUNE), "--konti", "300", "--seed", "11")
    call_command("sagstilknytning", "--kommune", str(KOMMUNE))
    capsys.readouterr()

    # The run linked the scenario's konti as the stored intended outcome says.
    forventninger = DemoForventning.objects.filter(scenarie=SCENARIE).select_related(
        "konto__bevilling", "konto__sag"
    )
    assert forventninger
    for f in forventninger:
        assert f.resultat == "SAGSTILKNYTTET"
        assert f.konto.bevilling.bevillingsnummer == f.bevillingsnummer
        assert f.konto.sag.sagsnummer == f.sagsnummer

    call_command("saml_demodata", "--kommune", str(KOMMUNE))
    ud = capsys.readouterr().out
    samlinger = Samlingsbeslutning.objects.filter(beslutning=SamlingBeslutningType.SAML)
    assert samlinger.count() >= 1
    assert f"{samlinger.count()} KMD Aktiv-debitorkont" in ud and "Månedlig samling" in ud
    assert set(samlinger.values_list("bruger__username", flat=True)) == {"sagsbehandler101"}
    assert AuditEvent.objects.filter(handling="debitorkonto.saml").count() == 2 * samlinger.count()

    # One "Månedlig samling" per merged konto, for the coming payment run.
    idag = timezone.localdate()
    opgaver = MaanedligSamling.objects.all()
    assert {o.konto_id for o in opgaver} == set(samlinger.values_list("konto_id", flat=True))
    assert {o.forfald for o in opgaver} == {naeste_samlingsdag(idag, None)}
    assert all(o.udbetalingskoersel >= idag and o.forfald > idag for o in opgaver)
    sara = Bruger.objects.get(username="sagsbehandler101")
    client = Client()
    client.force_login(sara)
    side = client.get(reverse("maanedlige_samlinger")).content.decode()
    assert 'id="samlinger-kommende"' in side
    assert all(o.konto.kontonummer in side for o in opgaver)

    # The worklist still has løbende konti waiting, and none of the merged ones.
    side = client.get(reverse("samling_liste")).content.decode()
    raekker = re.findall(r'<tr data-kontonummer="([^"]+)">(.*?)</tr>', side, re.S)
    assert raekker and "Løbende med tilbagebetalingspligt" in raekker[0][1]
    ventende = {nr for nr, _ in raekker}
    assert not ventende & {o.konto.kontonummer for o in opgaver}
    assert ventende <= set(
        Debitorkonto.objects.filter(kilde=Kilde.KMD_AKTIV).values_list("kontonummer", flat=True)
    )

    # A second run changes nothing.
    call_command("saml_demodata", "--kommune", str(KOMMUNE))
    assert "Ingen debitorkonti samlet" in capsys.readouterr().out
    assert Samlingsbeslutning.objects.count() == samlinger.count()
    assert MaanedligSamling.objects.count() == opgaver.count()


@pytest.mark.parametrize(
    ("idag", "forventet"),
    [
        # December 2026's run is 30-12 (31-12 is a day off); its samling is Monday 4-1-2027.
        (dt.date(2026, 12, 5), dt.date(2027, 1, 4)),
        # On the run's own day a samling made today is still before the claim is moved.
        (dt.date(2026, 12, 30), dt.date(2027, 1, 4)),
        # After the run the next one is January's.
        (dt.date(2026, 12, 31), dt.date(2027, 2, 1)),
    ],
)
def test_the_demo_task_is_for_the_first_payment_run_not_yet_made(idag, forventet):
    assert naeste_samlingsdag(idag, None) == forventet
