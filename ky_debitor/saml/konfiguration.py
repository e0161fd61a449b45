"""The service provider's pysaml2 configuration, built from the settings (the environment).

The IdP's metadata is not read once per process: a file is read again as soon as it changes
(its size and modification time are checked on every use), and metadata fetched by URL is
fetched again every ``KY_SAML_METADATA_INTERVAL`` seconds; when a new fetch fails, the last
good configuration is kept and the failure logged.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import saml2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from saml2.config import SPConfig
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

logger = logging.getLogger(__name__)

_laas = threading.Lock()
_gemt: dict[tuple[Any, ...], SPConfig] = {}


def saml_aktiv() -> bool:
    """Is single sign-on configured (the IdP's metadata named)?"""
    return bool(settings.KY_SAML_IDP_METADATA)


def _er_url(kilde: str) -> bool:
    return kilde.startswith(("https://", "http://"))


def _basis_url(request: HttpRequest | None) -> str:
    if settings.KY_SAML_BASE_URL:
        return str(settings.KY_SAML_BASE_URL)
    if request is None:
        raise ImproperlyConfigured("KY_SAML_BASE_URL skal være sat, når SAML er slået til.")
    return request.build_absolute_uri("/").rstrip("/")


def sp_entity_id(request: HttpRequest | None = None) -> str:
    """Our entity id: ``KY_SAML_SP_ENTITY_ID``, else the address of our metadata."""
    return str(settings.KY_SAML_SP_ENTITY_ID) or _basis_url(request) + reverse("saml2_metadata")


def _metadata(kilde: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The metadata part of the configuration and the key that says when to read it again."""
    if _er_url(kilde):
        interval = max(int(settings.KY_SAML_METADATA_INTERVAL), 1)
        fjern: dict[str, Any] = {"url": kilde}
        if settings.KY_SAML_IDP_METADATA_CERT:
            fjern["cert"] = settings.KY_SAML_IDP_METADATA_CERT
        return (kilde, int(time.time() // interval)), {"remote": [fjern]}
    sti = Path(kilde)
    try:
        tilstand = sti.stat()
        indhold = sti.read_text(encoding="utf-8")
    except OSError as fejl:
        raise ImproperlyConfigured(f"IdP-metadata kan ikke læses fra {kilde}: {fejl}") from fejl
    return (kilde, tilstand.st_mtime_ns, tilstand.st_size), {"inline": [indhold]}


def _fil(navn: str, reserve: str = "") -> str:
    sti = str(getattr(settings, navn, "") or reserve)
    if not sti:
        raise ImproperlyConfigured(f"{navn} skal være sat, når SAML er slået til.")
    return sti


def konfiguration_dict(request: HttpRequest | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """pysaml2's configuration: signed AuthnRequests and logout messages, signed assertions
    required, encrypted assertions accepted, no answer without a request of ours."""
    basis = _basis_url(request)
    cert, noegle = _fil("KY_SAML_SP_CERT"), _fil("KY_SAML_SP_KEY")
    return {
        "entityid": sp_entity_id(request),
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "allow_unknown_attributes": True,
        "accepted_time_diff": int(settings.KY_SAML_TIDSAFVIGELSE),
        "service": {
            "sp": {
                "name": "KY Debitor",
                "endpoints": {
                    "assertion_consumer_service": [
                        (basis + reverse("saml2_acs"), saml2.BINDING_HTTP_POST)
                    ],
                    "single_logout_service": [
                        (basis + reverse("saml2_ls"), saml2.BINDING_HTTP_REDIRECT),
                        (basis + reverse("saml2_ls_post"), saml2.BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
        "key_file": noegle,
        "cert_file": cert,
        "encryption_keypairs": [
            {
                "key_file": _fil("KY_SAML_SP_KRYPTERING_KEY", noegle),
                "cert_file": _fil("KY_SAML_SP_KRYPTERING_CERT", cert),
            }
        ],
        "metadata": metadata,
    }


def sp_konfiguration(request: HttpRequest | None = None) -> SPConfig:
    """djangosaml2's configuration loader (``SAML_CONFIG_LOADER``)."""
    if not saml_aktiv():
        raise ImproperlyConfigured("SAML er ikke sat op (KY_SAML_IDP_METADATA).")
    kilde = str(settings.KY_SAML_IDP_METADATA)
    noegle, metadata = _metadata(kilde)
    basis = _basis_url(request)
    fuld_noegle = (
        *noegle,
        basis,
        sp_entity_id(request),
        settings.KY_SAML_SP_CERT,
        settings.KY_SAML_SP_KEY,
        settings.KY_SAML_TIDSAFVIGELSE,
    )
    with _laas:
        if fuld_noegle in _gemt:
            return _gemt[fuld_noegle]
        forrige = next((c for k, c in _gemt.items() if k[0] == kilde), None)
        try:
            konf = SPConfig()
            konf.load(konfiguration_dict(request, metadata))
        except Exception:
            if forrige is None or not _er_url(kilde):
                raise
            logger.exception("IdP-metadata kunne ikke hentes; den forrige bruges fortsat.")
            return forrige
        _gemt.clear()
        _gemt[fuld_noegle] = konf
        return konf
