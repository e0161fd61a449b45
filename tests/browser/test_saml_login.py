"""A caseworker logs on through the kommune's login and off again, in real Chromium (issue #21).

The IdP is the local pysaml2 test IdP (``tests/saml_idp.py``) served by a small HTTP server in
the test process on localhost (no network). Its pages post the signed assertion to the app as
Fælleskommunal Adgangsstyring's pages do: an auto-submitted form.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

import pytest
from saml2.metadata import entity_descriptor

from ky_debitor.models import Bruger, Rolleprivilegium
from ky_debitor.roles import Rolle
from ky_debitor.saml.konfiguration import sp_konfiguration

from ..factories import kommune
from ..saml_idp import Gruppe, LokalIdP, gruppe, privilegium, saml_opsaet
from .conftest import tjek_side

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class IdpServer(ThreadingHTTPServer):
    """The IdP's two pages: login (answers with the assertion) and logout."""

    idp: LokalIdP
    sp_entity_id: str
    grupper: list[Gruppe]


class _Side(BaseHTTPRequestHandler):
    server: IdpServer

    def do_GET(self) -> None:
        idp, adresse = self.server.idp, f"{self.server.idp.basis}{self.path}"
        if adresse.startswith(idp.sso):
            anmodning = idp.anmodning(adresse)
            felter = {
                "SAMLResponse": idp.svar(
                    anmodning,
                    bruger="CVR:29189846-RID:4242",
                    navn="Sofie Saml",
                    grupper=self.server.grupper,
                    sp_entity_id=self.server.sp_entity_id,
                ),
                "RelayState": anmodning.relay_state,
            }
            html = (
                '<!doctype html><html lang="da"><title>Kommunens login</title><body>'
                f'<form id="f" method="post" action="{escape(anmodning.acs)}">'
                + "".join(
                    f'<input type="hidden" name="{k}" value="{escape(v)}">'
                    for k, v in felter.items()
                )
                + "</form><script>document.getElementById('f').submit()</script></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)
        elif adresse.startswith(idp.slo):
            self.send_response(302)
            self.send_header("Location", idp.log_ud(adresse, self.server.sp_entity_id))
            self.end_headers()
        else:
            self.send_response(204)
            self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def idp_server(
    live_server: Any, settings: Any, tmp_path: Any, transactional_db: None
) -> Iterator[IdpServer]:
    """SAML on against the test IdP on localhost, with København's privilege for
    Sagsbehandler mapped."""
    server = IdpServer(("127.0.0.1", 0), _Side)
    idp = saml_opsaet(
        settings, tmp_path, live_server.url, idp_basis=f"http://localhost:{server.server_port}"
    )
    idp.kend_sp(str(entity_descriptor(sp_konfiguration())))
    server.idp, server.sp_entity_id, server.grupper = idp, settings.KY_SAML_SP_ENTITY_ID, []
    Rolleprivilegium.objects.create(
        kommune=kommune(101),
        privilegium=privilegium(Rolle.SAGSBEHANDLER, 101),
        rolle=Rolle.SAGSBEHANDLER.value,
    )
    traad = threading.Thread(target=server.serve_forever, daemon=True)
    traad.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_caseworker_logs_on_through_the_kommunes_login_and_off_again(idp_server, side):
    idp_server.grupper = [gruppe(privilegium(Rolle.SAGSBEHANDLER, 101), kommune=101)]
    side.goto("/log-paa/")
    assert side.get_by_label("Adgangskode").count() == 0  # no password without break-glass
    tjek_side(side, "saml-01-log-paa")

    side.get_by_role("link", name="Log på med kommunens login").click()
    side.wait_for_url(lambda url: urlparse(url).path == "/")
    assert side.get_by_role("heading", level=1).inner_text() == "København Kommune"
    tjek_side(side, "saml-02-forside")
    bruger = Bruger.objects.get(saml_name_id="CVR:29189846-RID:4242")
    assert list(bruger.groups.values_list("name", flat=True)) == ["Sagsbehandler"]

    side.get_by_role("button", name="Log af").first.click()
    side.wait_for_url("**/log-paa/")
    side.goto("/")
    side.wait_for_url("**/log-paa/?next=/")


def test_a_person_without_a_role_sees_why_in_danish(idp_server, side):
    idp_server.grupper = [gruppe("http://kommune101.dk/roles/jobrole/ukendt/1", kommune=101)]
    side.goto("/saml/log-paa/")
    side.get_by_role("heading", name="Du har ingen adgang til KY Debitor").wait_for()
    tjek_side(side, "saml-03-ingen-rolle")
    assert not Bruger.objects.filter(saml_name_id__isnull=False).exists()
