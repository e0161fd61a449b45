"""Logging on through the kommune's login (SAML 2.0, Fælleskommunal Adgangsstyring), issue #21.

Every test runs the real exchange against a local IdP (``tests/saml_idp.py``: pysaml2 with a
key pair made for the test): the app's signed AuthnRequest, the IdP's signed assertion with the
privileges, the app's checks, the person created or updated, their roles replaced.
"""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from ky_debitor.models import AuditEvent, Bruger, BrugtAssertion, Rolleprivilegium
from ky_debitor.roles import Rolle
from ky_debitor.saml.konfiguration import sp_konfiguration
from ky_debitor.saml.services import SamlAfvist, saml_login

from .. import personas
from ..factories import kommune
from ..saml_idp import (
    KLE_AFGRAENSNING,
    LokalIdP,
    bpp,
    gruppe,
    privilegium,
    saml_opsaet,
)

BASIS = "http://testserver"
SP_ENTITY_ID = f"{BASIS}/saml/metadata/"
KBH, ODENSE = 101, 461
KOMMUNE_ROLLER = [Rolle.SAGSBEHANDLER, Rolle.BOGHOLDER, Rolle.PROJEKTLEDER, Rolle.DRIFT]


def rolletabel() -> None:
    """København's and Odense's privileges for every role, and the national one."""
    for kode in (KBH, ODENSE):
        for rolle in KOMMUNE_ROLLER:
            Rolleprivilegium.objects.create(
                kommune=kommune(kode), privilegium=privilegium(rolle, kode), rolle=rolle.value
            )
    Rolleprivilegium.objects.create(
        kommune=None, privilegium=privilegium(Rolle.NATIONAL, None), rolle=Rolle.NATIONAL.value
    )


def idp_for(settings: Any, mappe: Any, client: Client) -> LokalIdP:
    idp = saml_opsaet(settings, mappe, BASIS)
    idp.kend_sp(client.get(reverse("saml2_metadata")).content.decode())
    return idp


@pytest.fixture
def client() -> Client:
    """A browser whose posts need a CSRF token, as a real one's do: the IdP's post has none."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def idp(settings, tmp_path, client, db) -> LokalIdP:
    rolletabel()
    return idp_for(settings, tmp_path, client)


def log_paa(client: Client, idp: LokalIdP, **svar: Any) -> Any:
    """Start at the app, pass the IdP, post its answer back: the app's last response."""
    start = client.get(reverse("saml2_login"), {"next": "/"})
    assert start.status_code == 302, start.content
    anmodning = idp.anmodning(start["Location"])
    saml_svar = idp.svar(anmodning, sp_entity_id=SP_ENTITY_ID, **svar)
    client.ky_sidste_svar = saml_svar  # type: ignore[attr-defined]
    return client.post(
        reverse("saml2_acs"), {"SAMLResponse": saml_svar, "RelayState": anmodning.relay_state}
    )


def post_med_csrf(client: Client, url: str, data: dict[str, str] | None = None) -> Any:
    """Post a form of the app's as the browser does, with the CSRF token the page gave it."""
    client.get(reverse("login"))
    return client.post(
        url, {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


def logget_paa(client: Client) -> bool:
    return "_auth_user_id" in client.session


def rolle_gruppe(rolle: Rolle, kode: int | None = KBH, **kw: Any) -> Any:
    return gruppe(privilegium(rolle, kode), kommune=kode, **kw)


# --- The metadata a kommune registers ------------------------------------------------------


def test_the_metadata_asks_for_signed_assertions_and_offers_keys_for_signing_and_encryption(
    idp, client
):
    svar = client.get("/saml/metadata/")
    xml = svar.content.decode()
    assert svar.status_code == 200
    assert f'entityID="{SP_ENTITY_ID}"' in xml
    assert 'AuthnRequestsSigned="true"' in xml
    assert 'WantAssertionsSigned="true"' in xml
    assert 'use="signing"' in xml and 'use="encryption"' in xml
    assert f"{BASIS}/saml/acs/" in xml and f"{BASIS}/saml/ls/" in xml


def test_without_saml_configured_the_saml_addresses_are_not_there(client, db):
    assert client.get("/saml/metadata/").status_code == 404
    assert client.get("/saml/log-paa/").status_code == 404


# --- A good login per role -----------------------------------------------------------------


@pytest.mark.parametrize("rolle", KOMMUNE_ROLLER, ids=lambda r: r.value)
def test_a_good_login_creates_the_person_in_the_kommune_with_exactly_the_role(idp, client, rolle):
    svar = log_paa(
        client,
        idp,
        bruger="CVR:29189846-RID:1001",
        navn="Sofie Saml",
        grupper=[rolle_gruppe(rolle)],
    )

    assert svar.status_code == 302 and svar["Location"] == "/"
    bruger = Bruger.objects.get(saml_name_id="CVR:29189846-RID:1001")
    assert bruger.kommune is not None and bruger.kommune.kode == KBH
    assert set(bruger.groups.values_list("name", flat=True)) == {rolle.value}
    assert (bruger.first_name, bruger.last_name) == ("Sofie", "Saml")
    assert not bruger.has_usable_password()
    assert logget_paa(client)
    assert client.get(reverse("start")).status_code == 200
    haendelse = AuditEvent.objects.get(handling="login.saml", objekt_id=str(bruger.pk))
    assert haendelse.bruger == bruger and haendelse.kommune_id == bruger.kommune_id
    assert haendelse.data["roller"] == [rolle.value] and haendelse.data["oprettet"] is True
    assert AuditEvent.objects.filter(handling="rolle.tildel", objekt_id=str(bruger.pk)).exists()


def test_a_good_login_of_the_national_administrator_has_no_kommune(idp, client):
    svar = log_paa(client, idp, bruger="national-1", grupper=[rolle_gruppe(Rolle.NATIONAL, None)])

    assert svar.status_code == 302
    bruger = Bruger.objects.get(saml_name_id="national-1")
    assert bruger.kommune is None and bruger.is_staff
    assert list(bruger.groups.values_list("name", flat=True)) == [Rolle.NATIONAL.value]


def test_an_encrypted_assertion_is_accepted(idp, client):
    svar = log_paa(
        client, idp, bruger="krypteret", grupper=[rolle_gruppe(Rolle.BOGHOLDER)], kryptereret=True
    )

    assert svar.status_code == 302
    assert Bruger.objects.get(saml_name_id="krypteret").groups.get().name == "Bogholder"


# --- Refused assertions: nothing created, no session ----------------------------------------


def _intet_oprettet(client: Client) -> None:
    assert not Bruger.objects.filter(saml_name_id__isnull=False).exists()
    assert not AuditEvent.objects.filter(handling__startswith="login").exists()
    assert not BrugtAssertion.objects.exists()
    assert not logget_paa(client)


@pytest.mark.parametrize(
    ("fejl", "tekst"),
    [
        ({"udloebet": True}, "udløbet"),
        ({"underskrevet": False}, "underskrevet"),
        ({"forkert_noegle": True}, "underskrevet"),
        ({"forskydning": dt.timedelta(hours=2)}, "endnu ikke gyldigt"),
        ({"publikum": "https://en-anden-tjeneste.example/"}, "kunne ikke godtages"),
        ({"modtager": "https://en-anden-tjeneste.example/saml/acs/"}, "kunne ikke godtages"),
    ],
    ids=[
        "udloebet",
        "uden-underskrift",
        "forkert-underskrift",
        "fra-fremtiden",
        "forkert-publikum",
        "forkert-modtager",
    ],
)
def test_a_bad_assertion_is_refused_with_a_danish_page_and_nothing_created(
    idp, client, fejl, tekst
):
    svar = log_paa(client, idp, bruger="angriber", grupper=[rolle_gruppe(Rolle.DRIFT)], **fejl)

    assert svar.status_code == 403
    side = svar.content.decode()
    assert "Du blev ikke logget på" in side and tekst in side
    _intet_oprettet(client)


def test_the_accepted_clock_skew_is_configurable(idp, client, settings):
    """An IdP whose clock runs three minutes ahead: refused at the default skew (60 s), let in
    when ``KY_SAML_TIDSAFVIGELSE`` allows five minutes."""
    foran = dt.timedelta(minutes=3)
    grupper = [rolle_gruppe(Rolle.SAGSBEHANDLER)]
    svar = log_paa(client, idp, bruger="ur", grupper=grupper, forskydning=foran)
    assert svar.status_code == 403
    _intet_oprettet(client)

    settings.KY_SAML_TIDSAFVIGELSE = 300
    svar = log_paa(client, idp, bruger="ur", grupper=grupper, forskydning=foran)
    assert svar.status_code == 302 and logget_paa(client)


def test_a_replayed_assertion_is_refused_and_logs_no_one_on(idp, client):
    assert log_paa(client, idp, bruger="sofie", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER)])
    gammelt_svar = client.ky_sidste_svar  # type: ignore[attr-defined]
    brugere, logins = Bruger.objects.count(), AuditEvent.objects.filter(handling="login.saml")

    # Another browser, with a login of its own under way, gets the same answer posted.
    angriber = Client()
    angriber.get(reverse("saml2_login"))
    svar = angriber.post(reverse("saml2_acs"), {"SAMLResponse": gammelt_svar})
    assert svar.status_code == 403 and "brugt før" in svar.content.decode()
    assert not logget_paa(angriber)
    # And the same browser again.
    svar = client.post(reverse("saml2_acs"), {"SAMLResponse": gammelt_svar})
    assert svar.status_code == 403
    assert Bruger.objects.count() == brugere and logins.count() == 1


def test_an_assertion_used_once_is_refused_by_the_replay_table_too(idp, client):
    """Even an answer pysaml2 let through (an outstanding request of this browser) is refused
    when its assertion has logged someone on before."""
    info = {"assertion_id": "_a1", "not_on_or_after": "2099-01-01T00:00:00Z"}
    session_info = {
        "name_id": "gentaget",
        "ava": {
            "dk:gov:saml:attribute:Privileges_intermediate": [
                bpp([rolle_gruppe(Rolle.SAGSBEHANDLER)])
            ]
        },
    }
    saml_login(session_info=session_info, assertion_info=info)
    with pytest.raises(SamlAfvist, match="allerede brugt"):
        saml_login(session_info=session_info, assertion_info=info)
    assert AuditEvent.objects.filter(handling="login.saml").count() == 1


# --- Roles follow the IdP ------------------------------------------------------------------


def test_roles_removed_at_the_idp_are_gone_at_the_next_login(idp, client):
    log_paa(
        client,
        idp,
        bruger="skifter",
        grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER), rolle_gruppe(Rolle.BOGHOLDER)],
    )
    bruger = Bruger.objects.get(saml_name_id="skifter")
    assert set(bruger.groups.values_list("name", flat=True)) == {"Sagsbehandler", "Bogholder"}

    client.logout()
    log_paa(client, idp, bruger="skifter", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER)])

    assert list(bruger.groups.values_list("name", flat=True)) == ["Sagsbehandler"]
    fjernet = AuditEvent.objects.get(handling="rolle.fjern", objekt_id=str(bruger.pk))
    assert fjernet.data["rolle"] == "Bogholder"
    anden = AuditEvent.objects.filter(handling="login.saml").order_by("id").last()
    assert anden is not None and anden.data["roller_foer"] == ["Bogholder", "Sagsbehandler"]


def test_a_role_given_by_hand_is_replaced_by_what_the_idp_grants(idp, client):
    log_paa(client, idp, bruger="haand", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER)])
    bruger = Bruger.objects.get(saml_name_id="haand")
    bruger.groups.add(Group.objects.get(name="Drift"))

    client.logout()
    log_paa(client, idp, bruger="haand", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER)])

    assert list(bruger.groups.values_list("name", flat=True)) == ["Sagsbehandler"]


def test_no_mapped_privilege_gives_a_danish_page_and_no_session(idp, client):
    svar = log_paa(
        client, idp, bruger="ukendt", grupper=[gruppe("http://andet.dk/roles/x/1", kommune=KBH)]
    )

    assert svar.status_code == 403
    side = svar.content.decode()
    assert "Du har ingen adgang til KY Debitor" in side and "jobfunktionsrolle" in side
    _intet_oprettet(client)


def test_a_privilege_of_one_kommune_gives_nothing_in_another(idp, client):
    """København's privilege identifier with Odense as the data constraint: no role."""
    svar = log_paa(
        client,
        idp,
        bruger="blandet",
        grupper=[gruppe(privilegium(Rolle.DRIFT, KBH), kommune=ODENSE)],
    )
    assert svar.status_code == 403
    _intet_oprettet(client)


def test_roles_in_two_kommuner_are_refused(idp, client):
    svar = log_paa(
        client,
        idp,
        bruger="to-kommuner",
        grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER, KBH), rolle_gruppe(Rolle.SAGSBEHANDLER, ODENSE)],
    )
    assert svar.status_code == 403 and "flere kommuner" in svar.content.decode()
    _intet_oprettet(client)


def test_a_move_to_another_kommune_at_the_idp_moves_the_person(idp, client):
    log_paa(client, idp, bruger="flytter", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER, KBH)])
    client.logout()
    log_paa(client, idp, bruger="flytter", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER, ODENSE)])
    assert Bruger.objects.get(saml_name_id="flytter").kommune == kommune(ODENSE)


def test_kle_constraints_are_stored_with_the_person(idp, client):
    log_paa(client, idp, bruger="kle", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER, kle="32.18.*")])
    (afgraensning,) = Bruger.objects.get(saml_name_id="kle").dataafgraensninger
    assert afgraensning["navn"] == KLE_AFGRAENSNING and afgraensning["vaerdier"] == ["32.18.*"]


# --- Local passwords with SAML on -----------------------------------------------------------


ADGANGSKODE = "Hemmeligt-kodeord-1"  # BrugerFactory's password


def test_with_saml_on_a_local_password_logs_no_one_on(idp, client):
    personas.alice()
    side = client.get(reverse("login")).content.decode()
    assert "Log på med kommunens login" in side and 'name="password"' not in side

    # A password posted anyway (a client without CSRF checks, to reach the check itself).
    uden_csrf = Client()
    svar = uden_csrf.post(reverse("login"), {"username": "alice", "password": ADGANGSKODE})
    assert svar.status_code == 200 and not logget_paa(uden_csrf)
    assert not AuditEvent.objects.filter(handling__startswith="login").exists()


def test_the_break_glass_drift_account_logs_on_and_is_audited(idp, client, settings):
    dagny = personas.dagny()
    settings.KY_SAML_NOEDADGANG = "dagny"
    svar = post_med_csrf(client, reverse("login"), {"username": "dagny", "password": ADGANGSKODE})
    assert svar.status_code == 302 and logget_paa(client)
    haendelse = AuditEvent.objects.get(handling="login.noedadgang")
    assert haendelse.bruger == dagny and "Nødadgang" in haendelse.beskrivelse


def test_the_break_glass_name_without_the_drift_role_is_refused(idp, client, settings):
    personas.alice()
    settings.KY_SAML_NOEDADGANG = "alice"
    post_med_csrf(client, reverse("login"), {"username": "alice", "password": ADGANGSKODE})
    assert not logget_paa(client)
    assert not AuditEvent.objects.filter(handling="login.noedadgang").exists()


# --- Single logout --------------------------------------------------------------------------


def test_logging_off_ends_the_session_and_sends_a_signed_logout_request_to_the_idp(idp, client):
    log_paa(client, idp, bruger="sofie", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER)])
    svar = post_med_csrf(client, reverse("logout"))
    assert svar.status_code == 302 and svar["Location"].startswith(idp.slo)
    assert "Signature=" in svar["Location"]
    assert not logget_paa(client)

    # The IdP answers; back at the app the person lands on the login page.
    tilbage = client.get(idp.log_ud(svar["Location"], SP_ENTITY_ID))
    assert tilbage.status_code == 302 and tilbage["Location"] == reverse("login")


# --- The IdP's metadata is read again --------------------------------------------------------


def test_changed_idp_metadata_is_used_without_a_restart(idp, tmp_path, settings):
    foer = sp_konfiguration()
    assert sp_konfiguration() is foer  # unchanged: not parsed again
    ny = LokalIdP(tmp_path / "ny")
    xml = ny.metadata_fil.read_text().replace(
        "https://idp.adgangsstyring.test/", "https://ny-idp.adgangsstyring.test/"
    )
    idp.metadata_fil.write_text(xml)
    efter = sp_konfiguration()
    assert efter is not foer
    assert list(efter.metadata.identity_providers()) == ["https://ny-idp.adgangsstyring.test/"]


def test_idp_metadata_by_url_is_fetched_again_after_the_interval_and_kept_when_it_fails(
    idp, settings
):
    hentninger: list[str] = []

    class Metadata(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hentninger.append(self.path)
            indhold = idp.metadata_fil.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.send_header("Content-Length", str(len(indhold)))
            self.end_headers()
            self.wfile.write(indhold)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.KY_SAML_IDP_METADATA = f"http://127.0.0.1:{server.server_port}/metadata.xml"
    settings.KY_SAML_METADATA_INTERVAL = 600
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    try:
        with time_machine.travel(start, tick=False):
            foerste = sp_konfiguration()
            assert sp_konfiguration() is foerste and len(hentninger) == 1
        with time_machine.travel(start + dt.timedelta(seconds=601), tick=False):
            anden = sp_konfiguration()
            assert anden is not foerste and len(hentninger) == 2
    finally:
        server.shutdown()
        server.server_close()
    # The IdP's address does not answer: the last good metadata is used meanwhile.
    with time_machine.travel(start + dt.timedelta(seconds=1202), tick=False):
        assert sp_konfiguration() is anden
    assert list(anden.metadata.identity_providers()) == ["https://idp.adgangsstyring.test/"]


def test_the_admins_login_page_offers_the_kommunes_login(idp, client):
    side = client.get(reverse("admin:login")).content.decode()
    assert "Log på med kommunens login" in side and reverse("saml2_login") in side


def test_logging_off_without_the_idps_session_still_logs_off_here(idp, client):
    log_paa(client, idp, bruger="sofie", grupper=[rolle_gruppe(Rolle.SAGSBEHANDLER)])
    # The SAML session (what the IdP knows of us) is gone, e.g. its cookie expired.
    del client.cookies["ky_saml_session"]

    svar = post_med_csrf(client, reverse("logout"))

    assert svar.status_code == 302 and svar["Location"] == reverse("login")
    assert not logget_paa(client)


def test_a_logout_request_from_the_idp_without_our_session_gives_a_danish_page(idp, client):
    svar = client.get(reverse("saml2_ls"), {"SAMLRequest": "x"})
    assert svar.status_code == 403 and "Du er logget af KY Debitor" in svar.content.decode()
