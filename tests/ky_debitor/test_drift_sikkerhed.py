"""Operations: ``/healthz`` answers without login and tells only whether the database and the
broker answer; production settings pass Django's deploy check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings

ROD = Path(__file__).resolve().parents[2]
PRODUKTION = {
    "DJANGO_SECRET_KEY": "produktion-" + "k9" * 30,
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "ky.example.dk",
}
LUKKET_PORT = "127.0.0.1:9"  # nothing listens on the discard port


def django_i_ny_proces(kode: str, **miljoe: str) -> subprocess.CompletedProcess[str]:
    """Run ``kode`` in a fresh Python with Django set up from ``miljoe`` (settings are read
    from the environment once, at start)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KY_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env |= {"DJANGO_SETTINGS_MODULE": "ky_debitor.settings", "KY_LOG_LEVEL": "CRITICAL"}
    env |= miljoe
    forspil = "import django; django.setup()\n"
    with tempfile.TemporaryDirectory() as var:  # its own SQLite file, not the demo's
        return subprocess.run(
            [sys.executable, "-c", forspil + kode],
            cwd=ROD,
            env={"KY_VAR_DIR": var, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def get_i_ny_proces(
    sti: str, miljoe: dict[str, str], *, host: str = "testserver", secure: bool = False
) -> tuple[int, dict[str, str], str]:
    """GET ``sti`` through the whole middleware stack of a fresh process: status, headers, body."""
    resultat = django_i_ny_proces(
        "import json; from django.test import Client\n"
        f"r = Client().get({sti!r}, HTTP_HOST={host!r}, secure={secure})\n"
        "print(json.dumps([r.status_code, dict(r.headers), r.content.decode()]))",
        **miljoe,
    )
    assert resultat.returncode == 0, resultat.stderr
    status, headers, krop = json.loads(resultat.stdout)
    return status, headers, krop


def test_healthz_answers_200_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_healthz_answers_a_probe_by_ip_over_plain_http_in_production(db):
    """Behind TLS, with ALLOWED_HOSTS set, a container probe still gets an answer."""
    status, _, krop = get_i_ny_proces("/healthz", PRODUKTION, host="10.0.0.7:8000")
    assert status == 200
    assert json.loads(krop)["database"] == "ok"


@pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="REDIS_TEST_URL er ikke sat")
def test_healthz_pings_redis_when_it_is_the_broker(client, db):
    with override_settings(REDIS_URL=os.environ["REDIS_TEST_URL"]):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_answers_503_when_the_broker_does_not_answer(client, db):
    with override_settings(REDIS_URL=f"redis://:hemmelig@{LUKKET_PORT}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fejl", "database": "ok", "broker": "utilgængelig"}
    assert "hemmelig" not in response.content.decode()


def test_healthz_answers_503_when_the_database_does_not_answer():
    status, _, krop = get_i_ny_proces(
        "/healthz", {"DATABASE_URL": f"postgresql://ky:hemmelig@{LUKKET_PORT}/ky_debitor"}
    )
    assert status == 503
    assert json.loads(krop) == {
        "status": "fejl",
        "database": "utilgængelig",
        "broker": "in-process",
    }
    assert "hemmelig" not in krop and "127.0.0.1" not in krop


def test_production_settings_pass_the_deploy_check():
    resultat = django_i_ny_proces(
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUKTION,
    )
    assert resultat.returncode == 0, resultat.stderr


def test_production_settings_are_strict():
    resultat = django_i_ny_proces(
        "import json; from django.conf import settings as s\n"
        "print(json.dumps({n: getattr(s, n) for n in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'X_FRAME_OPTIONS',"
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', 'SESSION_COOKIE_HTTPONLY']}))",
        **PRODUKTION,
    )
    assert resultat.returncode == 0, resultat.stderr
    assert json.loads(resultat.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SESSION_COOKIE_HTTPONLY": True,
    }


def test_a_production_response_carries_the_security_headers(db):
    status, headers, _ = get_i_ny_proces("/log-paa/", PRODUKTION, host="ky.example.dk", secure=True)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
