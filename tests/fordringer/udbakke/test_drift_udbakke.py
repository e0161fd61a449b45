"""Drift's debitorsystem screen: failed and stuck outbox messages, "Prøv igen", and whether
the kommune's debitorsystem is ready (seed 003, SA 05)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from fordringer.choices import BeskedStatus, BeskedType
from fordringer.models import DebitorsystemOpsaetning, IndgaaendeBesked, UdgaaendeBesked
from fordringer.udbakke.services import udgaaende_besked_lever, udgaaende_besked_proev_igen
from fordringer.udbakke.transport import ServiceplatformenTransport, sf1590_kuvert
from ky_debitor.errors import ApplicationError
from ky_debitor.models import AuditEvent
from ky_debitor.roles import Rolle
from tests.factories import BrugerFactory, UdgaaendeBeskedFactory, kommune
from tests.ky_debitor.test_csp_sikkerhed import inline_fund

SIDE = reverse("drift_udbakke")


@pytest.fixture
def som_dina(dina) -> Client:
    client = Client()
    client.force_login(dina)
    return client


@pytest.fixture
def udbakke(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.KY_UDGAAENDE_TRANSPORT = "fordringer.udbakke.transport.FilTransport"
    return tmp_path / "udgaaende"


def _besked(type=BeskedType.SF1590_B_01, kode=101, **felter) -> UdgaaendeBesked:
    return UdgaaendeBeskedFactory.create(kommune=kommune(kode), type=type, **felter)


def _fejlet(**felter) -> UdgaaendeBesked:
    return _besked(fejlet=True, **felter)


def _side(client: Client):
    svar = client.get(SIDE)
    assert svar.status_code == 200
    assert inline_fund(svar.content.decode()) == []
    return lxml_html.fromstring(svar.content.decode())


def test_the_screen_lists_failed_and_stuck_messages_of_the_own_kommune_only(som_dina):
    fejlet = _fejlet()
    fast = _besked(forsoeg=4, naeste_forsoeg=timezone.now() + dt.timedelta(minutes=8))
    frisk = _besked()
    sendt = _besked(status=BeskedStatus.SENDT, sendt=timezone.now())
    odense = _fejlet(kode=461)

    dok = _side(som_dina)

    raekker = {r.get("id") for r in dok.xpath("//table[@id='udbakke']/tbody/tr")}
    assert raekker == {f"besked-{fejlet.pk}", f"besked-{fast.pk}"}
    assert f"besked-{frisk.pk}" not in raekker and f"besked-{sendt.pk}" not in raekker
    assert f"besked-{odense.pk}" not in raekker
    raekke = dok.get_element_by_id(f"besked-{fejlet.pk}").text_content()
    assert "DebitorRegistrering (SF1590_B_01)" in raekke
    assert "Fejlet (opgivet)" in raekke and "debitorsystemet svarede ikke" in raekke
    assert dok.xpath(f"//button[@id='proev-igen-{fejlet.pk}']")


def test_a_message_waiting_too_long_is_stuck(som_dina, settings):
    settings.KY_UDGAAENDE_FAST_MINUTTER = 30
    gammel = _besked()
    UdgaaendeBesked.objects.filter(pk=gammel.pk).update(
        oprettet=timezone.now() - dt.timedelta(minutes=31)
    )
    dok = _side(som_dina)
    assert dok.xpath(f"//tr[@id='besked-{gammel.pk}']")


def test_retry_resets_a_failed_message_and_the_file_transport_delivers_it(
    som_dina, dina, udbakke, django_capture_on_commit_callbacks
):
    besked = _fejlet()

    with django_capture_on_commit_callbacks(execute=True):
        svar = som_dina.post(reverse("drift_udbakke_proev_igen", args=[besked.pk]))

    assert svar.status_code == 302 and svar["Location"] == SIDE
    besked.refresh_from_db()
    assert besked.status == BeskedStatus.SENDT and besked.forsoeg == 1
    assert besked.sendt is not None and besked.sidste_fejl == ""
    fil = udbakke / "sf1590_b_01" / f"{besked.noegle.replace(':', '_')}.json"
    assert json.loads(fil.read_text("utf-8"))["noegle"] == besked.noegle
    event = AuditEvent.objects.get(handling="udgaaende.proev_igen")
    assert event.bruger == dina and "efter 8 forsøg" in event.beskrivelse
    assert "debitorsystemet svarede ikke" in event.beskrivelse
    assert "er sat til afsendelse igen" in som_dina.get(SIDE).content.decode()


def test_retry_of_a_sent_message_is_refused(dina):
    besked = _besked(status=BeskedStatus.SENDT, sendt=timezone.now())
    with pytest.raises(ApplicationError, match="allerede sendt"):
        udgaaende_besked_proev_igen(user=dina, besked_id=besked.pk)
    assert not AuditEvent.objects.filter(handling="udgaaende.proev_igen").exists()


def test_another_kommunes_message_cannot_be_retried(som_dina):
    odense = _fejlet(kode=461)
    svar = som_dina.post(reverse("drift_udbakke_proev_igen", args=[odense.pk]))
    assert svar.status_code == 404
    odense.refresh_from_db()
    assert odense.status == BeskedStatus.FEJLET


@pytest.mark.parametrize("rolle", [Rolle.SAGSBEHANDLER, Rolle.BOGHOLDER, Rolle.PROJEKTLEDER])
def test_only_drift_may_use_the_screen(db, rolle):
    client = Client()
    client.force_login(BrugerFactory.create(kommune=kommune(101), roller=[rolle]))
    assert client.get(SIDE).status_code == 403
    besked = _fejlet()
    assert client.post(reverse("drift_udbakke_proev_igen", args=[besked.pk])).status_code == 403


def test_readiness_lists_what_is_missing(som_dina):
    dok = _side(som_dina)
    mangler = [li.text_content() for li in dok.xpath("//section[@id='parathed-101']//li")]
    assert mangler[0].startswith("Debitorsystemets opsætning er ikke registreret")
    assert any("SF1590_B_02" in m for m in mangler)
    assert any("Beskedfordeler" in m for m in mangler)


def test_readiness_shows_configured_integrations_and_when_they_last_worked(som_dina, udbakke):
    DebitorsystemOpsaetning.objects.create(
        kommune=kommune(101), b01_registrering=True, beskedfordeler=True, b03_indbetaling=True
    )
    sendt = _besked()
    udgaaende_besked_lever(besked_id=sendt.pk, nu=timezone.now())
    _fejlet(type=BeskedType.SF1590_B_03)
    IndgaaendeBesked.objects.create(
        kommune=kommune(101),
        besked_id="b1",
        type="DAEKNING",
        indhold={},
        indhold_hash="x",
        resultat="PARKERET",
        modtaget_af="api",
    )

    dok = _side(som_dina)

    mangler = [li.text_content() for li in dok.xpath("//section[@id='parathed-101']//li")]
    assert mangler == [
        "Debitorsystemet kan ikke modtage forespørgsler fra KY (SF1590_B_02).",
        "1 besked til SF1590_B_03 DebitorIndbetaling er fejlet og venter på at blive sendt igen.",
    ]
    b01 = dok.get_element_by_id("integration-101-sf1590_b_01").text_content()
    assert "Ja" in b01 and "Leveret" in b01
    b02 = dok.get_element_by_id("integration-101-sf1590_b_02").text_content()
    assert "Nej" in b02 and "Ingen endnu" in b02
    beskedfordeler = dok.get_element_by_id("integration-101-beskedfordeler").text_content()
    assert "Modtaget" in beskedfordeler


def test_a_working_integration_not_marked_as_set_up_says_so(som_dina, udbakke):
    """Issue #16: B_01 said "Sat op: Nej" beside a time it "last succeeded"; now the screen
    says that messages were delivered although Drift has not marked it, and what to do."""
    sendt = _besked()
    udgaaende_besked_lever(besked_id=sendt.pk, nu=timezone.now())

    dok = _side(som_dina)

    celler = [
        " ".join(td.text_content().split())
        for td in dok.get_element_by_id("integration-101-sf1590_b_01").xpath("./td")
    ]
    assert celler[1] == "Nej, men der er udvekslet beskeder"
    assert celler[2].startswith("Leveret ") and re.fullmatch(
        r"Leveret \d{2}-\d{2}-\d{4} \d{2}:\d{2}", celler[2]
    )
    mangler = [li.text_content() for li in dok.xpath("//section[@id='parathed-101']//li")]
    assert any(
        m.startswith(
            "SF1590_B_01 DebitorRegistrering er ikke markeret som sat op, men der er "
            "senest leveret en besked"
        )
        for m in mangler
    )


def test_readiness_is_green_when_everything_is_in_place(som_dina):
    DebitorsystemOpsaetning.objects.create(
        kommune=kommune(101),
        b01_registrering=True,
        b02_forespoergsel=True,
        b03_indbetaling=True,
        beskedfordeler=True,
    )
    dok = _side(som_dina)
    assert "Debitorsystemet er klar" in dok.get_element_by_id("parathed-101").text_content()


def test_serviceplatformen_refuses_to_run_without_configuration(settings):
    settings.KY_SERVICEPLATFORMEN_URL = ""
    settings.KY_SERVICEPLATFORMEN_CERTIFIKAT = ""
    with pytest.raises(Exception, match="KY_SERVICEPLATFORMEN_URL, KY_SERVICEPLATFORMEN_CERT"):
        ServiceplatformenTransport()


def test_a_delivery_through_an_unconfigured_serviceplatformen_is_a_recorded_failure(db, settings):
    settings.KY_UDGAAENDE_TRANSPORT = "fordringer.udbakke.transport.ServiceplatformenTransport"
    settings.KY_SERVICEPLATFORMEN_URL = ""
    besked = udgaaende_besked_lever(besked_id=_besked().pk, nu=timezone.now())
    assert besked.status == BeskedStatus.AFVENTER and besked.forsoeg == 1
    assert besked.sidste_forsoeg is not None
    assert besked.sidste_fejl.startswith("ImproperlyConfigured: ServiceplatformenTransport")


def test_the_sf1590_envelope_carries_the_idempotency_key_as_message_id(db):
    besked = _besked(type=BeskedType.SF1590_B_04)
    kuvert = sf1590_kuvert(besked)
    assert kuvert["beskedId"] == besked.noegle
    assert kuvert["operation"] == "SF1590_B_04_DebitorkontoAnmodning"
    assert kuvert["kommunekode"] == 101 and kuvert["indhold"] == besked.payload
    with pytest.raises(ValueError, match="sendes ikke via Serviceplatformen"):
        sf1590_kuvert(_besked(type=BeskedType.UDBETALING))


def test_drift_sets_up_the_debitorsystem_in_the_admin_and_it_is_audited(db):
    drift = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT], is_staff=True)
    client = Client()
    client.force_login(drift)

    svar = client.post(
        reverse("admin:fordringer_debitorsystemopsaetning_add"),
        {
            "kommune": kommune(101).pk,
            "b01_registrering": "on",
            "beskedfordeler": "on",
            "bemaerkning": "KMD har bekræftet B_01.",
        },
    )

    assert svar.status_code == 302, svar.content.decode()[:2000]
    opsaetning = DebitorsystemOpsaetning.objects.get(kommune=kommune(101))
    assert opsaetning.b01_registrering and not opsaetning.b02_forespoergsel
    event = AuditEvent.objects.get(handling="admin.opret")
    assert event.bruger == drift and event.objekt_id == str(opsaetning.pk)
    mangler = _side(client).xpath("//section[@id='parathed-101']//li")
    assert len(mangler) == 2  # B_02 and B_03


def test_drift_cannot_set_up_another_kommunes_debitorsystem(db):
    drift = BrugerFactory.create(kommune=kommune(101), roller=[Rolle.DRIFT], is_staff=True)
    client = Client()
    client.force_login(drift)
    svar = client.post(
        reverse("admin:fordringer_debitorsystemopsaetning_add"),
        {"kommune": kommune(461).pk, "b01_registrering": "on"},
    )
    assert svar.status_code == 200  # the form refuses the choice
    assert not DebitorsystemOpsaetning.objects.exists()
