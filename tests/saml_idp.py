"""A local test identity provider: pysaml2's own IdP with a throwaway key pair, no network.

It plays Fælleskommunal Adgangsstyring's Context Handler towards the app: it reads the app's
metadata (``/saml/metadata/``), checks the signed AuthnRequest the app sends it, and answers
with a signed (optionally encrypted) assertion carrying the privileges as an OIOSAML Basic
Privilege Profile document, as the real IdP does. Each answer can be spoiled on purpose
(expired, unsigned, signed with another key, for another audience) to see the app refuse it.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape, quoteattr

import saml2
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2.authn_context import PASSWORDPROTECTEDTRANSPORT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

IDP_BASIS = "https://idp.adgangsstyring.test"
IDP_ENTITY_ID = f"{IDP_BASIS}/"
PRIVILEGIER = "dk:gov:saml:attribute:Privileges_intermediate"
KOMMUNE_AFGRAENSNING = "http://sts.kombit.dk/constraints/kommune/1"
KLE_AFGRAENSNING = "http://sts.kombit.dk/constraints/KLE/1"
BPP_NS = "http://itst.dk/oiosaml/basic_privilege_profile"


def noeglepar(mappe: Path, navn: str) -> tuple[Path, Path]:
    """A fresh RSA key and a self-signed certificate for it: (key file, certificate file)."""
    noegle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    navn_x509 = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, navn)])
    nu = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(navn_x509)
        .issuer_name(navn_x509)
        .public_key(noegle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(nu - dt.timedelta(days=1))
        .not_valid_after(nu + dt.timedelta(days=30))
        .sign(noegle, hashes.SHA256())
    )
    mappe.mkdir(parents=True, exist_ok=True)
    noeglefil, certfil = mappe / f"{navn}.key", mappe / f"{navn}.crt"
    noeglefil.write_bytes(
        noegle.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    certfil.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return noeglefil, certfil


@dataclass(frozen=True)
class Gruppe:
    """A privilege group: jobfunktionsroller and their data constraints (name → values)."""

    privilegier: tuple[str, ...]
    afgraensninger: dict[str, tuple[str, ...]] = field(default_factory=dict)


def gruppe(*privilegier: str, kommune: int | None = None, kle: str | None = None) -> Gruppe:
    afgraensninger: dict[str, tuple[str, ...]] = {}
    if kommune is not None:
        afgraensninger[KOMMUNE_AFGRAENSNING] = (str(kommune),)
    if kle is not None:
        afgraensninger[KLE_AFGRAENSNING] = (kle,)
    return Gruppe(tuple(privilegier), afgraensninger)


def bpp(grupper: list[Gruppe]) -> str:
    """The privilege attribute's value: a base64 Basic Privilege Profile document."""
    dele = []
    for g in grupper:
        indhold = "".join(f"<Privilege>{escape(p)}</Privilege>" for p in g.privilegier) + "".join(
            f"<Constraint Name={quoteattr(navn)}>{escape(v)}</Constraint>"
            for navn, vaerdier in g.afgraensninger.items()
            for v in vaerdier
        )
        dele.append(
            f'<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189846">'
            f"{indhold}</PrivilegeGroup>"
        )
    xml = f'<bpp:PrivilegeList xmlns:bpp="{BPP_NS}">{"".join(dele)}</bpp:PrivilegeList>'
    return base64.b64encode(xml.encode()).decode()


def _idp_konfiguration(
    noegle: Path, cert: Path, sp_metadata: str | None, basis: str
) -> dict[str, Any]:
    return {
        "entityid": IDP_ENTITY_ID,
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "allow_unknown_attributes": True,
        "service": {
            "idp": {
                "endpoints": {
                    "single_sign_on_service": [(f"{basis}/sso", saml2.BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(f"{basis}/slo", saml2.BINDING_HTTP_REDIRECT)],
                },
                "want_authn_requests_signed": True,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "key_file": str(noegle),
        "cert_file": str(cert),
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
    }


@dataclass
class Anmodning:
    """The AuthnRequest the app sent the IdP (checked: signed with the app's key)."""

    id: str
    relay_state: str
    acs: str


class LokalIdP:
    """The IdP. ``metadata_fil`` is what the app is configured with (``KY_SAML_IDP_METADATA``);
    ``basis`` is where its login (``/sso``) and logout (``/slo``) addresses start."""

    def __init__(self, mappe: Path, basis: str = IDP_BASIS) -> None:
        self.mappe = mappe
        self.basis = basis
        self.sso, self.slo = f"{basis}/sso", f"{basis}/slo"
        self.noegle, self.cert = noeglepar(mappe, "idp")
        konf = IdPConfig()
        konf.load(_idp_konfiguration(self.noegle, self.cert, None, basis))
        self.metadata_fil = mappe / "idp-metadata.xml"
        self.metadata_fil.write_text(str(entity_descriptor(konf)), encoding="utf-8")
        self.sp_metadata = ""
        self._server: Server | None = None
        self._falsk: Server | None = None

    def kend_sp(self, sp_metadata: str) -> None:
        """Load the app's metadata (what a kommune registers at the IdP)."""
        self.sp_metadata = sp_metadata
        konf = IdPConfig()
        konf.load(_idp_konfiguration(self.noegle, self.cert, sp_metadata, self.basis))
        self._server = Server(config=konf)
        # The same IdP name, another key: an attacker's answer.
        falsk_noegle, falsk_cert = noeglepar(self.mappe, "falsk")
        falsk = IdPConfig()
        falsk.load(_idp_konfiguration(falsk_noegle, falsk_cert, sp_metadata, self.basis))
        self._falsk = Server(config=falsk)

    @property
    def server(self) -> Server:
        assert self._server is not None, "kend_sp først"
        return self._server

    def anmodning(self, adresse: str) -> Anmodning:
        """Read the app's redirect to the IdP; the IdP refuses an unsigned AuthnRequest."""
        url = urlparse(adresse)
        assert f"{url.scheme}://{url.netloc}{url.path}" == self.sso, adresse
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert "Signature" in q and "SigAlg" in q, "AuthnRequest er ikke underskrevet"
        req = self.server.parse_authn_request(
            q["SAMLRequest"],
            saml2.BINDING_HTTP_REDIRECT,
            relay_state=q.get("RelayState"),
            sigalg=q["SigAlg"],
            signature=q["Signature"],
        )
        return Anmodning(
            id=req.message.id,
            relay_state=q.get("RelayState", ""),
            acs=req.message.assertion_consumer_service_url,
        )

    def log_ud(self, adresse: str, sp_entity_id: str) -> str:
        """Answer the app's signed LogoutRequest (HTTP-Redirect): the address of the app's
        logout endpoint with the IdP's signed LogoutResponse, where the browser goes next."""
        url = urlparse(adresse)
        assert f"{url.scheme}://{url.netloc}{url.path}" == self.slo, adresse
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert "Signature" in q, "LogoutRequest er ikke underskrevet"
        req = self.server.parse_logout_request(
            q["SAMLRequest"],
            saml2.BINDING_HTTP_REDIRECT,
            relay_state=q.get("RelayState"),
            sigalg=q["SigAlg"],
            signature=q["Signature"],
        )
        svar = self.server.create_logout_response(req.message, [saml2.BINDING_HTTP_REDIRECT])
        (sp_slo,) = self.server.metadata.single_logout_service(
            sp_entity_id, saml2.BINDING_HTTP_REDIRECT, "spsso"
        )
        http = self.server.apply_binding(
            saml2.BINDING_HTTP_REDIRECT,
            str(svar),
            destination=sp_slo["location"],
            relay_state=q.get("RelayState", ""),
            response=True,
            sign=True,
        )
        return str(dict(http["headers"])["Location"])

    def svar(
        self,
        anmodning: Anmodning,
        *,
        bruger: str,
        grupper: list[Gruppe],
        navn: str = "",
        underskrevet: bool = True,
        forkert_noegle: bool = False,
        kryptereret: bool = False,
        publikum: str | None = None,
        modtager: str | None = None,
        udloebet: bool = False,
        forskydning: dt.timedelta | None = None,
        sp_entity_id: str,
    ) -> str:
        """The base64 SAMLResponse for ``anmodning``: ``bruger`` (the NameID) with ``grupper``.

        ``publikum`` names another audience than the app, ``modtager`` another recipient and
        destination; ``udloebet`` makes an assertion issued two hours ago (valid for five
        minutes), ``forskydning`` one issued by an IdP whose clock is that far off."""
        server = self._falsk if forkert_noegle else self.server
        assert server is not None
        identitet: dict[str, list[str]] = {PRIVILEGIER: [bpp(grupper)]}
        if navn:
            identitet["urn:oid:2.5.4.3"] = [navn]
        kwargs: dict[str, Any] = {}
        if kryptereret:
            kwargs |= {
                "encrypt_assertion": True,
                "encrypt_cert_assertion": None,
            }
        if udloebet:
            forskydning = -dt.timedelta(hours=2)
        tid = dt.datetime.now(dt.UTC) + forskydning if forskydning else None
        with time_machine.travel(tid, tick=True) if tid else _intet():
            svar = server.create_authn_response(
                identity=identitet,
                in_response_to=anmodning.id,
                destination=modtager or anmodning.acs,
                sp_entity_id=publikum or sp_entity_id,
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=bruger),
                authn={
                    "class_ref": PASSWORDPROTECTEDTRANSPORT,
                    "authn_auth": IDP_ENTITY_ID,
                },
                sign_assertion=underskrevet,
                sign_response=False,
                **kwargs,
            )
        return base64.b64encode(str(svar).encode()).decode()


class _intet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def saml_opsaet(settings: Any, mappe: Path, basis_url: str, idp_basis: str = IDP_BASIS) -> LokalIdP:
    """Turn SAML on for the app (pytest-django's ``settings``) against a new test IdP; the
    app's own key pair is made here too. Call ``LokalIdP.kend_sp`` with the app's metadata."""
    idp = LokalIdP(mappe, idp_basis)
    sp_noegle, sp_cert = noeglepar(mappe, "sp")
    settings.KY_SAML_IDP_METADATA = str(idp.metadata_fil)
    settings.KY_SAML_BASE_URL = basis_url
    settings.KY_SAML_SP_ENTITY_ID = f"{basis_url}/saml/metadata/"
    settings.KY_SAML_SP_CERT = str(sp_cert)
    settings.KY_SAML_SP_KEY = str(sp_noegle)
    settings.KY_SAML_KOMMUNE_AFGRAENSNING = KOMMUNE_AFGRAENSNING
    settings.KY_SAML_PRIVILEGIE_ATTRIBUT = PRIVILEGIER
    return idp


def privilegium(rolle: Any, kode: int | None) -> str:
    """The privilege identifier the tests' kommune ``kode`` uses for ``rolle``."""
    vaert = f"kommune{kode}.dk" if kode is not None else "adgangsstyring.test"
    return f"http://{vaert}/roles/jobrole/{str(rolle.value).lower()}/1"
