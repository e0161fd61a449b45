"""Benchmark: a working day's load on the screens, through gunicorn, measured by Locust.

Run by hand, never by the tests:

    .venv/bin/python bench/last.py [--konti 200000] [--brugere 20] [--sekunder 120]
                                   [--pause 2-5 | --ingen-pause] [--behold]

Prepares a PostgreSQL database (``ky_bench_last``) the way ``make demo`` prepares its SQLite
one — ``migrate``, ``opret_demobrugere``, ``generer_demodata --kommune 101 --konti N --seed 1``,
a linking run (``sagstilknytning``, so the "Opret fordringssag" tasks exist in their
opgavepakker) and ``saml_demodata`` — and one user per simulated person (``last_<rolle>_<n>``).
``--behold`` keeps a database an earlier run prepared for the same ``--konti`` (the tasks that
run completed stay completed). Then it serves the app as production does: gunicorn with
production's ``gunicorn.conf.py`` and 2 workers of ``--traade`` threads (4; 1 is the old sync
way) on 127.0.0.1, debug off, a secret key, plain http (``DJANGO_HTTPS=0``), collected static
files through WhiteNoise, and no ``REDIS_URL``, so Celery tasks run in the web process and no
worker is needed.

Locust (``bench/last_locustfile.py``, in its own process, so gevent's monkeypatching never
meets Django here) then runs ``--brugere`` people for ``--sekunder`` seconds, spread over the
four roles (about a sixth each as Bogholder, Projektleder and Drift, at least one of each from
four people on, the rest Sagsbehandler). Each logs in through the login form and does a day's
mix, pausing 2-5 s between screens (``--pause``; ``--ingen-pause`` hammers): Forside, Mine
opgaver, a pakke's task list, "Tag næste opgave", the "Opret fordringssag" screen and its
completion with the screen's own suggestion (the bevilling the rules found, else »Ingen
bevilling« with a reference and ydelsestype for the empty fields, a reference marked
»Datafejl« corrected), the receipt, borger search by name and by CPR, the borger and konto
pages (kontoudtog and audit trail), an ompostering search, a Dataudtræk preview of a report,
the payouts (Bogholder), and for Drift the linking runs in the admin, one run's page and the
outbox.

Printed per screen: requests, p50/p95/p99 in ms (Locust's), errors (any 4xx/5xx, a form
refused, a redirect to the wrong place) and the queries one request makes — counted after the
load, in a separate process with Django's test client against the same database, each screen
once to warm up and once counted and timed (``alene``: the screen's own cost, no HTTP, no
queue). Then total requests/s. The measurement starts when the last person has logged in
and lasts ``--sekunder``: logging in (a password hash, slow by design) is shown apart, with
no goal, and does not crowd the screens measured.

Goals, with pauses: p95 ≤ 150 ms on every read screen, ≤ 400 ms to take and to complete a task,
and 0 errors. Locust, gunicorn and PostgreSQL share the machine: on a 2-core box the load
generator's own CPU is part of what is measured.

Locust's output and figures, gunicorn's logs and the work data are left in ``var/bench_last/``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = "ky_bench_last"
KOMMUNE = 101
UD = ROOT / "var" / "bench_last"
DATAFIL = UD / "arbejdsdata.json"
ADGANGSKODE = "last-bench-Adgangskode-2025"
ROLLER = ("Sagsbehandler", "Projektleder", "Bogholder", "Drift")


def fordeling(brugere: int) -> dict[str, int]:
    """People per role: about a sixth in each of the other roles (at least one each from 4
    people on), the rest caseworkers."""
    if brugere < len(ROLLER):
        return {rolle: int(nr < brugere) for nr, rolle in enumerate(ROLLER)}
    andre = max(1, brugere // 6)
    return {rolle: andre for rolle in ROLLER} | {"Sagsbehandler": brugere - 3 * andre}


# The screens, by the names Locust reports them under (shared with bench/last_locustfile.py).
LOG_PAA_SIDE = "Log på (side)"
LOG_PAA = "Log på"
FORSIDE = "Forside"
MINE_OPGAVER = "Mine opgaver"
OPGAVELISTE = "Opgaveliste (pakke)"
TAG_NAESTE = "Tag næste opgave"
OPGAVE = "Opret fordringssag"
AFSLUT = "Afslut opgave"
KVITTERING = "Kvittering"
SOEG_NAVN = "Borgersøgning (navn)"
SOEG_CPR = "Borgersøgning (CPR)"
BORGER = "Borger"
KONTO = "Debitorkonto (kontoudtog)"
OMPOSTERING_SIDE = "Ompostering (side)"
OMPOSTERING = "Ompostering: søg"
UDBETALINGER = "Udbetalinger"
KOERSLER = "Admin: sagstilknytningskørsler"
KOERSEL = "Admin: kørsel"
UDBAKKE = "Drift: udbakke"


def dataudtraek(rapport: str) -> str:
    return f"Dataudtræk: {rapport}"


SKRIVNINGER = {TAG_NAESTE, AFSLUT}
MAAL_LAES_MS = 150
MAAL_SKRIV_MS = 400


# --- HTML forms (also used by the locustfile) -----------------------------------------------


class _FormLaeser(HTMLParser):
    """The fields of one ``<form>`` (by id) as a browser would submit them, plus the choices
    of every radio group and select, so a caller can choose where nothing is chosen."""

    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inde = False
        self.felter: dict[str, str] = {}
        self.valg: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inde = self.form_id is None or a.get("id") == self.form_id
            return
        if not self.inde:
            return
        navn = a.get("name", "")
        if tag == "input" and navn:
            art = a.get("type", "text").lower()
            if art in ("submit", "button", "image", "reset", "file"):
                return
            if art in ("radio", "checkbox"):
                self.valg.setdefault(navn, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.felter[navn] = a.get("value", "on")
                return
            self.felter[navn] = a.get("value", "")
        elif tag == "select" and navn:
            self._select = navn
            self.felter.setdefault(navn, "")
            self.valg[navn] = []
        elif tag == "option" and self._select:
            vaerdi = a.get("value", "")
            self.valg[self._select].append(vaerdi)
            if "selected" in a or len(self.valg[self._select]) == 1:
                self.felter[self._select] = vaerdi
        elif tag == "textarea" and navn:
            self._textarea = navn
            self.felter[navn] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inde = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.felter[self._textarea] += data


def form_felter(html: str, form_id: str | None = None) -> tuple[dict[str, str], dict[str, list]]:
    """The submitted fields of a form and the choices of its radio groups and selects."""
    laeser = _FormLaeser(form_id)
    laeser.feed(html)
    return laeser.felter, laeser.valg


def csrf_token(html: str) -> str:
    fund = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return fund.group(1) if fund else ""


def opgave_afslutning(html: str, opgave_pk: int) -> dict[str, str]:
    """What a caseworker submits to complete an "Opret fordringssag" task who takes the
    screen's suggestion: the bevilling and sag it chose, else »Ingen bevilling« and a new sag,
    with a reference and the first ydelsestype for the claims' empty fields; a claim whose
    reference the screen marks »Datafejl« (another borger's bevilling) gets the chosen
    bevilling's number instead."""
    felter, valg = form_felter(html, "opgave-form")
    if "bevilling" in valg and not felter.get("bevilling"):
        felter["bevilling"] = "ingen"
    if "sag" in valg and not felter.get("sag"):
        felter["sag"] = "ny"
    if felter.get("bevilling") in (None, "ingen") and not felter.get("reference"):
        felter["reference"] = f"LAST-{opgave_pk}"
    if not felter.get("ydelsestype"):
        typer = [v for v in valg.get("ydelsestype", []) if v]
        felter["ydelsestype"] = typer[0] if typer else ""
    datafejl = re.findall(r'id="kilde-(\d+)"><span class="badge badge-error">Datafejl', html)
    if datafejl:
        valgt = re.escape(felter.get("bevilling", ""))
        fund = re.search(
            rf'name="bevilling"[^>]*value="{valgt}"[^>]*data-reference="([^"]+)"', html
        )
        for fordring in datafejl:
            felter[f"reference_{fordring}"] = fund.group(1) if fund else f"LAST-{opgave_pk}"
    felter["note"] = "Afsluttet i belastningstesten."
    return felter


def pakker_med_ledige(html: str) -> list[int]:
    """The opgavepakker on "Mine opgaver" with open tasks to take (no waiting steps)."""
    pakker = []
    for raekke in re.findall(r"<tr data-pakke=.*?</tr>", html, flags=re.S):
        fund = re.search(r"\?pakke=(\d+)", raekke)
        tal = re.findall(r'<td class="ky-tal-kolonne">([\d.]+)', raekke)
        if fund and "Venter på sagstilknytning" not in raekke and tal and tal[0] != "0":
            pakker.append(int(fund.group(1)))
    return pakker


# --- The database ---------------------------------------------------------------------------


def miljoe() -> dict[str, str]:
    """The environment of every manage.py call, the server and the query count: production
    settings on plain http, tasks in-process (no REDIS_URL)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"{PG}/{DB}",
        DJANGO_SECRET_KEY="ky-bench-last-ikke-hemmelig-" + "k" * 40,
        DJANGO_HTTPS="0",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_STATIC_ROOT=str(UD / "static"),
        KY_VAR_DIR=str(UD / "ky_var"),
        KY_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _admin(sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def _maerke(konti: int) -> str:
    return f"bench/last.py konti={konti} færdig"


def database_klar(konti: int) -> bool:
    """Whether an earlier run prepared the database for this many konti to the end."""
    raekker = _admin(
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{DB}'"
    )
    return bool(raekker) and raekker[0][0] == _maerke(konti)


def manage(*args: str) -> float:
    start = time.perf_counter()
    print(f"$ manage.py {' '.join(args)}", flush=True)
    subprocess.run(
        [str(BIN / "python"), str(ROOT / "manage.py"), *args], env=miljoe(), cwd=ROOT, check=True
    )
    return time.perf_counter() - start


def intern(trin: str, **env: str) -> None:
    """One of this file's Django steps (``--intern``), in its own process."""
    subprocess.run(
        [str(BIN / "python"), __file__, "--intern", trin],
        env={**miljoe(), **env},
        cwd=ROOT,
        check=True,
    )


def forbered(konti: int, behold: bool) -> dict[str, float]:
    """The database, ready; returns the seconds of each step."""
    tider: dict[str, float] = {}
    beholdt = behold and database_klar(konti)
    if beholdt:
        print(f"Beholder {DB} ({konti} konti).", flush=True)
    else:
        _admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        _admin(f"CREATE DATABASE {DB}")
        kommune = str(KOMMUNE)
        tider["migrate"] = manage("migrate", "--no-input", "-v0")
        tider["opret_demobrugere"] = manage("opret_demobrugere", "--kommune", kommune)
        tider["generer_demodata"] = manage(
            "generer_demodata", "--kommune", kommune, "--konti", str(konti), "--seed", "1"
        )
        tider["sagstilknytning"] = manage("sagstilknytning", "--kommune", kommune)
        tider["saml_demodata"] = manage("saml_demodata", "--kommune", kommune)
        start = time.perf_counter()
        with _forbindelse() as conn:
            conn.execute("VACUUM ANALYZE")
        tider["vacuum analyze"] = time.perf_counter() - start
        _admin(f"COMMENT ON DATABASE {DB} IS '{_maerke(konti)}'")
    if not (beholdt and (UD / "static").is_dir()):
        tider["collectstatic"] = manage("collectstatic", "--no-input", "-v0")
    return tider


def _forbindelse() -> Any:
    import psycopg

    return psycopg.connect(f"{PG}/{DB}", autocommit=True)


# --- Steps run with Django (``--intern``) ---------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky_debitor.settings")
    import django

    django.setup()


def brugernavn(rolle: str, nr: int) -> str:
    return f"last_{rolle.lower()}_{nr}"


def intern_brugere() -> None:
    """``last_<rolle>_<n>`` for n up to LAST_BRUGERE in every role, all with one password
    (hashed once: hashing is slow on purpose)."""
    from django.contrib.auth.models import Group

    from ky_debitor.models import Bruger, Kommune

    kommune = Kommune.objects.get(kode=KOMMUNE)
    antal = int(os.environ["LAST_BRUGERE"])
    skabelon = Bruger()
    skabelon.set_password(ADGANGSKODE)
    for rolle in ROLLER:
        gruppe = Group.objects.get(name=rolle)
        for nr in range(1, antal + 1):
            bruger, _ = Bruger.objects.update_or_create(
                username=brugernavn(rolle, nr),
                defaults={
                    "first_name": rolle,
                    "last_name": f"Last {nr}",
                    "kommune": kommune,
                    "is_staff": rolle == "Drift",
                    "is_active": True,
                    "password": skabelon.password,
                },
            )
            bruger.groups.set([gruppe])


def intern_arbejdsdata() -> None:
    """What the simulated people look up, drawn at random from the kommune: borgere (by
    name and CPR), konti, borgere with dækninger to re-post, the reports and the runs."""
    from fordringer.choices import PosteringArt
    from fordringer.models import Borger, Debitorkonto, Postering
    from rapporter.definitioner import RAPPORTER
    from sagstilknytning.models import Sagstilknytningskoersel

    kommune = {"kommune__kode": KOMMUNE}
    borgere = list(Borger.objects.filter(**kommune).order_by("?").values("pk", "cpr", "navn")[:500])
    konti = list(
        Debitorkonto.objects.filter(**kommune).order_by("?").values_list("pk", flat=True)[:500]
    )
    med_daekninger = list(
        Postering.objects.filter(art=PosteringArt.DAEKNING, fordring__kommune__kode=KOMMUNE)
        .values_list("fordring__konto__borger_id", flat=True)
        .distinct()[:5000]
    )
    random.Random(1).shuffle(med_daekninger)
    data = {
        "borgere": [b["pk"] for b in borgere],
        "navne": sorted({b["navn"].split()[-1] for b in borgere if b["navn"]}),
        "cpr": [b["cpr"] for b in borgere],
        "konti": konti,
        "ompostering_borgere": med_daekninger[:500],
        "rapporter": list(RAPPORTER),
        "koersler": list(
            Sagstilknytningskoersel.objects.filter(**kommune).values_list("pk", flat=True)
        ),
        "adgangskode": ADGANGSKODE,
    }
    DATAFIL.write_text(json.dumps(data, ensure_ascii=False))


def intern_forespoergsler() -> None:
    """The queries one request of each screen makes, as the load ran it: logged in through
    the form, each screen once to warm up and once counted. Written to LAST_UD as JSON."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data = json.loads(DATAFIL.read_text())
    antal: dict[str, int] = {}
    alene: dict[str, float] = {}  # ms of the counted request, the server otherwise idle
    fejl: list[str] = []

    def klient(rolle: str) -> Client:
        c = Client()
        # the highest numbers: the load's people are numbered from 1
        navn = brugernavn(rolle, int(os.environ["LAST_BRUGERE"]))
        svar = c.post("/log-paa/", {"username": navn, "password": ADGANGSKODE})
        if svar.status_code != 302:
            raise SystemExit(f"Login som {navn} gav {svar.status_code}")
        return c

    def tael(c: Client, navn: str, metode: str, url: str, data: Any = None, gange: int = 2) -> Any:
        svar = None
        for _ in range(gange):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                svar = getattr(c, metode)(url, data or {})
            alene[navn] = 1000 * (time.perf_counter() - start)
            antal[navn] = len(ctx.captured_queries)
        assert svar is not None
        if svar.status_code >= 400:
            fejl.append(f"{navn}: {url} gav {svar.status_code}")
        return svar

    # logging in, counted on a fresh client
    c = Client()
    with CaptureQueriesContext(connection) as ctx:
        c.get("/log-paa/")
    antal[LOG_PAA_SIDE] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        c.post(
            "/log-paa/",
            {"username": brugernavn("Bogholder", 1), "password": ADGANGSKODE},
        )
    antal[LOG_PAA] = len(ctx.captured_queries)

    borger, konto, cpr = data["borgere"][0], data["konti"][0], data["cpr"][0]
    sb = klient("Sagsbehandler")
    tael(sb, FORSIDE, "get", "/")
    svar = tael(sb, MINE_OPGAVER, "get", "/mine-opgaver/")
    pakker = pakker_med_ledige(svar.content.decode())
    tael(sb, SOEG_NAVN, "post", "/borgere/soeg/", {"q": data["navne"][0]})
    tael(sb, SOEG_CPR, "post", "/borgere/soeg/", {"q": cpr})
    tael(sb, BORGER, "get", f"/borgere/{borger}/")
    tael(sb, KONTO, "get", f"/konti/{konto}/")
    if data["ompostering_borgere"]:
        tael(sb, OMPOSTERING_SIDE, "get", f"/borgere/{data['ompostering_borgere'][0]}/ompostering/")
        tael(
            sb,
            OMPOSTERING,
            "post",
            f"/borgere/{data['ompostering_borgere'][0]}/ompostering/",
            {"handling": "soeg", "type": "ALLE"},
        )
    if pakker:
        tael(sb, OPGAVELISTE, "get", f"/opgaver/?pakke={pakker[0]}")
        for _ in range(2):  # the second task is the one counted
            svar = tael(sb, TAG_NAESTE, "post", f"/opgavepakker/{pakker[0]}/naeste/", gange=1)
            fund = re.fullmatch(r"/opgaver/(\d+)/", svar.get("Location", ""))
            if not fund:
                fejl.append(f"{TAG_NAESTE}: ingen opgave ({svar.get('Location')})")
                break
            pk = int(fund.group(1))
            svar = tael(sb, OPGAVE, "get", f"/opgaver/{pk}/")
            felter = opgave_afslutning(svar.content.decode(), pk)
            svar = tael(sb, AFSLUT, "post", f"/opgaver/{pk}/", felter, gange=1)
            if svar.status_code != 302:
                fejl.append(f"{AFSLUT}: opgave {pk} gav {svar.status_code}")
                break
            tael(sb, KVITTERING, "get", f"/opgaver/{pk}/kvittering/")
    pl = klient("Projektleder")
    for rapport in data["rapporter"]:
        tael(pl, dataudtraek(rapport), "get", f"/dataudtraek/?rapport={rapport}&vis=1")
    tael(pl, MINE_OPGAVER + " (Projektleder)", "get", "/mine-opgaver/")
    bh = klient("Bogholder")
    tael(bh, UDBETALINGER, "get", "/udbetalinger/")
    dr = klient("Drift")
    tael(dr, KOERSLER, "get", "/admin/sagstilknytning/sagstilknytningskoersel/")
    if data["koersler"]:
        tael(
            dr,
            KOERSEL,
            "get",
            f"/admin/sagstilknytning/sagstilknytningskoersel/{data['koersler'][0]}/change/",
        )
    tael(dr, UDBAKKE, "get", "/drift/udbakke/")
    Path(os.environ["LAST_UD"]).write_text(
        json.dumps({"antal": antal, "alene": alene, "fejl": fejl})
    )


# --- The server and the load ----------------------------------------------------------------


def ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_start(port: int, traade: int) -> subprocess.Popen[bytes]:
    """Production's ``gunicorn.conf.py`` with 2 workers of ``traade`` threads each."""
    log = (UD / "gunicorn.log").open("wb")
    proces = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ky_debitor.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            str(traade),
            "--access-logfile",
            str(UD / "gunicorn_adgang.log"),
            "--timeout",
            "60",
            "--no-control-socket",
        ],
        env=miljoe(),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    frist = time.monotonic() + 60
    while time.monotonic() < frist:
        if proces.poll() is not None:
            raise SystemExit(f"gunicorn stoppede; se {UD / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as svar:
                if svar.status == 200:
                    return proces
        except OSError:
            pass
        time.sleep(0.5)
    proces.terminate()
    raise SystemExit("gunicorn svarede ikke på /healthz inden for 60 s")


def gunicorn_stop(proces: subprocess.Popen[bytes]) -> None:
    """SIGTERM: gunicorn lets its workers finish their requests, then exits."""
    if proces.poll() is None:
        proces.send_signal(signal.SIGTERM)
        try:
            proces.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proces.kill()
            proces.wait()


SPAWN_RATE = 2  # people starting per second


def locust_koer(port: int, brugere: int, sekunder: int, pause: str) -> dict[str, Any]:
    """Locust headless in its own process. The measurement starts once everybody has logged
    in (``last_locustfile._Maaling``), so Locust runs for the logins' time on top of
    ``sekunder``; its figures come back as JSON, its output is in var/bench_last/locust.log."""
    resultat = UD / "locust.json"
    resultat.unlink(missing_ok=True)
    # at most; the locustfile stops ``sekunder`` after the last login
    graense = sekunder + brugere / SPAWN_RATE + 120
    with (UD / "locust.log").open("wb") as log:
        kode = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "last_locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(brugere),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                f"{graense:.0f}s",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={
                **os.environ,
                "LAST_DATA": str(DATAFIL),
                "LAST_PAUSE": pause,
                "LAST_BRUGERE": str(brugere),
                "LAST_SEKUNDER": str(sekunder),
                "LAST_RESULTAT": str(resultat),
            },
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,  # Locust exits 1 when a request failed; the table says which
        ).returncode
    if not resultat.exists():
        raise SystemExit(f"Locust gav ingen resultater (kode {kode}); se {UD / 'locust.log'}")
    return dict(json.loads(resultat.read_text()))


def _maal(navn: str) -> int | None:
    if navn in (LOG_PAA, LOG_PAA_SIDE):
        return None  # the password hash, by design
    return MAAL_SKRIV_MS if navn in SKRIVNINGER else MAAL_LAES_MS


def rapport(last: dict[str, Any], optaelling: dict[str, Any]) -> bool:
    """The table; True when every goal is met. ``forsp.``: queries of one request; ``alene``:
    its ms in the counting process, nothing else running (no HTTP, no queue)."""
    antal_forespoergsler: dict[str, int] = optaelling["antal"]
    alene: dict[str, float] = optaelling.get("alene", {})
    fejl: list[str] = optaelling["fejl"]
    skaerme = sorted(last["skaerme"], key=lambda r: (r["navn"], r["metode"]))
    alle = [*last["logins"], *skaerme]
    print(
        f"\n{'Skærm':<36} {'antal':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'fejl':>5} "
        f"{'forsp.':>6} {'alene':>6}  mål (p95, ms)"
    )
    alt_ok = True
    for r in alle:
        navn, graense = r["navn"], _maal(r["navn"])
        ok = r["fejl"] == 0 and (graense is None or r["p95"] <= graense)
        alt_ok &= ok
        maal = "ingen (før målingen)" if graense is None else f"≤ {graense}"
        if graense is not None or not ok:
            maal += " ok" if ok else " IKKE NÅET"
        forsp = antal_forespoergsler.get(navn)
        ms = f"{alene[navn]:.0f}" if navn in alene else "-"
        print(
            f"{navn:<36} {r['antal']:>6} {r['p50'] or 0:>6.0f} {r['p95'] or 0:>6.0f} "
            f"{r['p99'] or 0:>6.0f} {r['fejl']:>5} {forsp if forsp is not None else '-':>6} "
            f"{ms:>6}  {maal}"
        )
    i_alt = last["i_alt"]
    print(
        f"{'I alt (uden login)':<36} {i_alt['antal']:>6} {i_alt['p50'] or 0:>6.0f} "
        f"{i_alt['p95'] or 0:>6.0f} {i_alt['p99'] or 0:>6.0f} {i_alt['fejl']:>5}"
    )
    print(
        f"Forespørgsler pr. sekund i alt: {i_alt['rps']:.1f} "
        f"(målt over {i_alt['sekunder']:.0f} s efter det sidste login)"
    )
    uden_last = sorted(set(antal_forespoergsler) - {r["navn"] for r in alle})
    if uden_last:
        print(
            "Talt, men ikke ramt under målingen: "
            + ", ".join(
                f"{n} ({antal_forespoergsler[n]} forsp., {alene.get(n, 0):.0f} ms)"
                for n in uden_last
            )
        )
    if last["fejl"]:
        print("\nFejl:")
        for r in sorted(last["fejl"], key=lambda r: -r["antal"]):
            print(f"  {r['antal']:>5} x {r['metode']} {r['navn']}: {r['fejl']}")
        alt_ok = False
    for tekst in fejl:
        print(f"Optælling af forespørgsler: {tekst}")
    return alt_ok and not fejl


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--konti", type=int, default=200_000)
    parser.add_argument("--brugere", type=int, default=20)
    parser.add_argument("--sekunder", type=int, default=120)
    pauser = parser.add_mutually_exclusive_group()
    pauser.add_argument("--pause", default="2-5", help="sekunder mellem skærme, fx 2-5")
    pauser.add_argument("--ingen-pause", action="store_true")
    parser.add_argument("--behold", action="store_true", help="genbrug en færdig database")
    parser.add_argument(
        "--traade", type=int, default=4, help="tråde pr. gunicorn-worker (1: som sync-workers)"
    )
    parser.add_argument("--intern", choices=["brugere", "arbejdsdata", "forespoergsler"])
    args = parser.parse_args()
    if args.intern:
        _django()
        {
            "brugere": intern_brugere,
            "arbejdsdata": intern_arbejdsdata,
            "forespoergsler": intern_forespoergsler,
        }[args.intern]()
        return

    if not re.fullmatch(r"\d+(\.\d+)?-\d+(\.\d+)?", args.pause):
        parser.error("--pause skrives som fra-til, fx 2-5")
    pause = "0" if args.ingen_pause else args.pause
    UD.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    tider = forbered(args.konti, args.behold)
    t = time.perf_counter()
    intern("brugere", LAST_BRUGERE=str(args.brugere))
    intern("arbejdsdata")
    tider["brugere og arbejdsdata"] = time.perf_counter() - t
    forberedelse = time.perf_counter() - start

    port = ledig_port()
    server = gunicorn_start(port, args.traade)
    try:
        print(
            f"\nLast: {args.brugere} brugere i {args.sekunder} s, pause {pause} s, "
            f"{args.konti} konti, gunicorn (2 workers x {args.traade} tråde) på port {port}.",
            flush=True,
        )
        last = locust_koer(port, args.brugere, args.sekunder, pause)
    finally:
        gunicorn_stop(server)
    resultat_fil = UD / "forespoergsler.json"
    intern("forespoergsler", LAST_BRUGERE=str(args.brugere), LAST_UD=str(resultat_fil))
    optaelling = json.loads(resultat_fil.read_text())

    print("\nForberedelse: " + ", ".join(f"{k} {v:.1f} s" for k, v in tider.items()))
    print(f"Forberedelse i alt: {forberedelse:.1f} s")
    ok = rapport(last, optaelling)
    print("\nAlle mål nået." if ok else "\nMålene er ikke nået (se ovenfor).")
    print(f"Locusts og gunicorns logs ligger i {UD}.")


if __name__ == "__main__":
    main()
