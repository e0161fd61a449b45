"""One definition of a stopped sag: the samling screen's "Sagen er stoppet" and the report
"Fordringer på stoppede sager, ikke frigivet" agree on every KMD Aktiv konto (issue #16)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fordringer.choices import Frigivelsestype, SagStatus

from ..fordringer.samling.samling_data import Samlingsdata, opret
from .conftest import koer_rapport, laes_csv

pytestmark = pytest.mark.django_db


def _skaerm_siger_stoppet(client: Client, d: Samlingsdata) -> bool:
    side = client.get(reverse("samling_vurder", args=[d.kmd.pk])).content.decode()
    svar = re.search(r'id="fakta-stoppet">(Ja|Nej)<', side)
    assert svar is not None
    return svar.group(1) == "Ja"


def test_a_konto_the_screen_calls_stopped_is_in_the_report_and_only_such_konti(alice, tmp_path):
    # Bevilling ended 31-12-2024, sag open: stopped by the period.
    udloebet = opret(cpr="0101801111")
    # Running bevilling, closed sag: stopped by the sag.
    lukket = opret(cpr="0202802222", periode_til=None, loebende=True, tilbagebetalingspligt=True)
    lukket.sag.status = SagStatus.LUKKET
    lukket.sag.save()
    # Running bevilling, open sag: not stopped.
    loebende = opret(cpr="0303803333", periode_til=None, loebende=True, tilbagebetalingspligt=True)
    # Bevilling ends in the future: not stopped yet.
    fremtid = opret(cpr="0404804444", periode_til=timezone.localdate() + dt.timedelta(days=60))
    alle = (udloebet, lukket, loebende, fremtid)

    client = Client()
    client.force_login(alice)
    paa_skaermen = {d.kmd.kontonummer for d in alle if _skaerm_siger_stoppet(client, d)}
    i_rapporten = {
        r["kontonummer"] for r in laes_csv(koer_rapport("fordringer_stoppede_sager", tmp_path))
    }

    assert paa_skaermen == {udloebet.kmd.kontonummer, lukket.kmd.kontonummer}
    kmd_i_rapporten = i_rapporten & {d.kmd.kontonummer for d in alle}
    assert kmd_i_rapporten == paa_skaermen


def test_a_released_konto_is_stopped_on_the_screen_but_left_out_of_the_not_released_report(
    alice, tmp_path
):
    frigivet = opret(cpr="0505805555", frigivelsestype=Frigivelsestype.FRIGIVET)
    client = Client()
    client.force_login(alice)
    assert _skaerm_siger_stoppet(client, frigivet)
    rows = laes_csv(koer_rapport("fordringer_stoppede_sager", tmp_path))
    assert frigivet.kmd.kontonummer not in {r["kontonummer"] for r in rows}
