"""``make demo`` shows no technical pages: it runs with debug off (a missing page is the Danish
404, a failure the Danish 500), still serves its static files over plain http, and even a page
with debug on masks every password a setting or the environment holds."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from django.test import Client, override_settings

from .test_drift_sikkerhed import ROD, django_i_ny_proces

DB_KODE = "db-kodeord-9f3"
REDIS_KODE = "redis-kodeord-7c1"
DATABASE_URL = f"postgresql://ky:{DB_KODE}@db.example.dk:5432/ky"
REDIS_URL = f"redis://:{REDIS_KODE}@redis.example.dk:6379/0"


def demo_miljoe() -> dict[str, str]:
    """The environment the Makefile's ``demo`` target serves with (``DEMO_MILJOE``)."""
    makefile = (ROD / "Makefile").read_text()
    linjer = re.findall(r"(?m)^DEMO_MILJOE\s*:?=\s*(.*)$", makefile)
    return dict(par.split("=", 1) for linje in linjer for par in shlex.split(linje))


def svar_i_demo(kode: str) -> list[dict[str, object]]:
    """Requests made by ``kode`` (which appends to ``svar``) in a fresh process with the
    demo's settings; the failing view of ``fejl_urls`` is there as ``/fejler/``."""
    forspil = (
        "import json\n"
        "from django.core.management import call_command\n"
        "from django.test import Client, override_settings\n"
        "call_command('migrate', verbosity=0)\n"
        "svar = []\n"
        "def hent(sti, **kw):\n"
        "    r = Client(raise_request_exception=False).get(sti, **kw)\n"
        "    krop = b''.join(r.streaming_content) if r.streaming else r.content\n"
        "    svar.append({'status': r.status_code, 'headers': dict(r.headers),\n"
        "                 'krop': krop.decode(errors='replace')})\n"
    )
    resultat = django_i_ny_proces(forspil + kode + "\nprint(json.dumps(svar))", **demo_miljoe())
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo() -> list[dict[str, object]]:
    return svar_i_demo(
        "hent('/findes-ikke/')\n"
        "hent('/static/ky/ky.css')\n"
        "hent('/log-paa/')\n"
        "from django.conf import settings as s\n"
        "svar.append({'debug': s.DEBUG, 'ssl': s.SECURE_SSL_REDIRECT,\n"
        "             'hsts': s.SECURE_HSTS_SECONDS, 'cookie': s.SESSION_COOKIE_SECURE})\n"
        "with override_settings(ROOT_URLCONF='tests.ky_debitor.fejl_urls'):\n"
        "    hent('/fejler/')\n"
    )


def test_the_demo_runs_with_debug_off_over_plain_http(demo):
    assert demo[3] == {"debug": False, "ssl": False, "hsts": 0, "cookie": False}


def test_a_missing_page_in_the_demo_is_the_danish_404(demo):
    svar = demo[0]
    assert svar["status"] == 404
    assert "Siden findes ikke" in svar["krop"] and '<html lang="da">' in svar["krop"]
    assert "Page not found" not in svar["krop"] and "URLconf" not in svar["krop"]


def test_the_demo_serves_its_static_files_and_the_login_page_over_http(demo):
    assert demo[1]["status"] == 200
    assert demo[2]["status"] == 200 and "Adgangskode" in demo[2]["krop"]


def test_a_failure_in_the_demo_is_the_danish_500_without_settings(demo):
    svar = demo[4]
    assert svar["status"] == 500
    assert "Der opstod en fejl" in svar["krop"]
    assert "Traceback" not in svar["krop"] and "SECRET_KEY" not in svar["krop"]
    assert "ky-debitor-udvikling" not in svar["krop"]


@pytest.mark.urls("tests.ky_debitor.fejl_urls")
@override_settings(
    DEBUG=True,
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=REDIS_URL,
    CELERY_BROKER_URL=REDIS_URL,
    KY_SERVICEPLATFORMEN_URL=f"https://ky:{DB_KODE}@sf.example.dk/",
)
def test_a_debug_page_masks_every_password_in_settings_and_environment(alice):
    client = Client(raise_request_exception=False, DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL)
    client.force_login(alice)
    svar = client.post("/fejler/", {"cpr": "1"})
    assert svar.status_code == 500
    html = svar.content.decode()
    assert "Traceback" in html  # the technical page, as a developer with debug on sees it
    assert "DATABASE_URL" in html and "db.example.dk" not in html
    assert DB_KODE not in html and REDIS_KODE not in html
    assert "ky-debitor-udvikling" not in html


def test_the_masking_filter_hides_a_password_in_any_url_valued_setting():
    from django.views.debug import get_default_exception_reporter_filter

    filter_ = get_default_exception_reporter_filter()
    renset = filter_.cleanse_setting("KY_ANDEN_ADRESSE", f"amqp://bruger:{DB_KODE}@mq/")
    assert DB_KODE not in str(renset)
