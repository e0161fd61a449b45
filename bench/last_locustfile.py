"""Locust's people for ``bench/last.py``: a working day in the four roles.

Started by ``bench/last.py`` (``locust -f bench/last_locustfile.py --headless …``) with
``LAST_DATA`` (the work data it wrote: borgere, konti, reports, runs, the password) and
``LAST_PAUSE`` (``2-5``: seconds between screens; ``0``: none), ``LAST_BRUGERE`` (the
people, spread over the roles by ``last.fordeling``), ``LAST_SEKUNDER`` (how long to measure
after the last login) and ``LAST_RESULTAT`` (where the figures go). Each person logs in through the
login form as their own user (``last_<rolle>_<n>``) and names every request by its screen, so
Locust's table is one row per screen. A request fails on any 4xx/5xx, and where a form is sent,
when the answer is not the redirect a person would see.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, constant, events, task
from locust.env import Environment
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parent))

from last import (
    AFSLUT,
    BORGER,
    FORSIDE,
    KOERSEL,
    KOERSLER,
    KONTO,
    KVITTERING,
    LOG_PAA,
    LOG_PAA_SIDE,
    MINE_OPGAVER,
    OMPOSTERING,
    OMPOSTERING_SIDE,
    OPGAVE,
    OPGAVELISTE,
    ROLLER,
    SOEG_CPR,
    SOEG_NAVN,
    TAG_NAESTE,
    UDBAKKE,
    UDBETALINGER,
    brugernavn,
    csrf_token,
    dataudtraek,
    fordeling,
    opgave_afslutning,
    pakker_med_ledige,
)

DATA: dict[str, Any] = json.loads(Path(os.environ["LAST_DATA"]).read_text())
_fra, _, _til = os.environ.get("LAST_PAUSE", "2-5").partition("-")
VENT = constant(0) if float(_fra) == 0 and not _til else between(float(_fra), float(_til or _fra))
FORDELING = fordeling(int(os.environ["LAST_BRUGERE"]))
_NUMRE = {rolle: itertools.count(1) for rolle in ROLLER}


class _Maaling:
    """The measurement starts when the last person has logged in and lasts LAST_SEKUNDER: the
    logins (a password hash each, slow on purpose) are kept aside, and the screens are measured
    without them."""

    miljoe: Environment | None = None
    logget_ind = 0
    logins: list[dict[str, Any]] = []
    resultat: dict[str, Any] | None = None


def _linje(e: StatsEntry) -> dict[str, Any]:
    return {
        "metode": e.method,
        "navn": e.name,
        "antal": e.num_requests,
        "fejl": e.num_failures,
        "p50": e.get_response_time_percentile(0.5),
        "p95": e.get_response_time_percentile(0.95),
        "p99": e.get_response_time_percentile(0.99),
        "rps": e.total_rps,
        "sekunder": e.last_request_timestamp - e.start_time if e.last_request_timestamp else 0,
    }


def _logget_ind() -> None:
    _Maaling.logget_ind += 1
    miljoe = _Maaling.miljoe
    if miljoe is None or _Maaling.logget_ind != sum(FORDELING.values()):
        return
    _Maaling.logins = [
        _linje(e) for e in miljoe.stats.entries.values() if e.name in (LOG_PAA, LOG_PAA_SIDE)
    ]
    miljoe.stats.reset_all()
    if miljoe.runner is not None:
        gevent.spawn_later(float(os.environ["LAST_SEKUNDER"]), _slut)


def _slut() -> None:
    """The measurement's end: the figures are taken now, then everybody stops. Stopping cuts
    the requests still under way; they are no part of the measurement, and counted they showed
    as errors with no status (the server never got or finished them)."""
    _Maaling.resultat = _resultat(0)
    miljoe = _Maaling.miljoe
    if miljoe is not None and miljoe.runner is not None:
        miljoe.runner.quit()


@events.init.add_listener
def _init(environment: Environment, **_kw: Any) -> None:
    _Maaling.miljoe = environment


def _resultat(exit_code: int) -> dict[str, Any] | None:
    stats = _Maaling.miljoe.stats if _Maaling.miljoe else None
    if stats is None:
        return None
    return {
        "skaerme": [_linje(e) for e in stats.entries.values() if e.num_requests],
        "logins": _Maaling.logins,
        "i_alt": _linje(stats.total),
        "fejl": [
            {"metode": e.method, "navn": e.name, "fejl": str(e.error), "antal": e.occurrences}
            for e in stats.errors.values()
        ],
        "exit_code": exit_code,
    }


@events.quit.add_listener
def _gem(exit_code: int, **_kw: Any) -> None:
    """The figures taken at the measurement's end (Locust's own at its quit if it ended
    first; its CSV files are written every second and may miss the end) to LAST_RESULTAT for
    bench/last.py."""
    resultat = _Maaling.resultat or _resultat(exit_code)
    if resultat is not None:
        Path(os.environ["LAST_RESULTAT"]).write_text(json.dumps(resultat, ensure_ascii=False))


class Person(HttpUser):
    abstract = True
    rolle = ""
    wait_time = VENT

    def on_start(self) -> None:
        try:
            self.log_paa()
        finally:
            _logget_ind()

    def log_paa(self) -> None:
        self.brugernavn = brugernavn(self.rolle, next(_NUMRE[self.rolle]))
        side = self.hent("/log-paa/", LOG_PAA_SIDE)
        with self.client.post(
            "/log-paa/",
            {
                "csrfmiddlewaretoken": csrf_token(side.text),
                "username": self.brugernavn,
                "password": DATA["adgangskode"],
                "next": "",
            },
            name=LOG_PAA,
            allow_redirects=False,
            catch_response=True,
        ) as svar:
            if svar.status_code != 302:
                svar.failure(f"login som {self.brugernavn}: {svar.status_code}")
                raise RuntimeError(f"login som {self.brugernavn} mislykkedes")

    # --- shared screens --------------------------------------------------------------------

    def hent(self, url: str, navn: str) -> Any:
        """A GET that must answer 200 (a redirect to the login page is an error too)."""
        with self.client.get(url, name=navn, allow_redirects=False, catch_response=True) as svar:
            if svar.status_code != 200:
                svar.failure(f"{svar.status_code} {svar.headers.get('Location', '')}")
            return svar

    def send(self, url: str, navn: str, data: dict[str, str], kilde: str) -> Any:
        """A POST with the CSRF token from the page it was sent from."""
        return self.client.post(
            url,
            {"csrfmiddlewaretoken": csrf_token(kilde), **data},
            name=navn,
            allow_redirects=False,
            catch_response=True,
        )

    def forside(self) -> str:
        return str(self.hent("/", FORSIDE).text)

    def borger_og_konto(self) -> None:
        """Search a borger by name or CPR, open the borger, then a konto and its kontoudtog."""
        side = self.forside()
        self.wait()
        if random.random() < 0.5:
            data, navn = {"q": random.choice(DATA["navne"])}, SOEG_NAVN
        else:
            data, navn = {"q": random.choice(DATA["cpr"])}, SOEG_CPR
        with self.send("/borgere/soeg/", navn, data, side) as svar:
            if svar.status_code != 200:
                svar.failure(str(svar.status_code))
        self.wait()
        self.hent(f"/borgere/{random.choice(DATA['borgere'])}/", BORGER)
        self.wait()
        self.hent(f"/konti/{random.choice(DATA['konti'])}/", KONTO)

    def ompostering(self) -> None:
        if not DATA["ompostering_borgere"]:
            return
        borger = random.choice(DATA["ompostering_borgere"])
        url = f"/borgere/{borger}/ompostering/"
        side = self.hent(url, OMPOSTERING_SIDE).text
        self.wait()
        with self.send(url, OMPOSTERING, {"handling": "soeg", "type": "ALLE"}, side) as svar:
            if svar.status_code != 200 or 'id="traef-overskrift"' not in svar.text:
                svar.failure(f"{svar.status_code}: ingen søgning")

    def dataudtraek(self) -> None:
        rapport = random.choice(DATA["rapporter"])
        self.hent(f"/dataudtraek/?rapport={rapport}&vis=1", dataudtraek(rapport))

    def opgave_arbejd(self, mine_navn: str = MINE_OPGAVER) -> None:
        """Mine opgaver → a pakke's list → "Tag næste opgave" → the screen → complete it with
        the screen's suggestion → the receipt."""
        pakker = pakker_med_ledige(self.hent("/mine-opgaver/", mine_navn).text)
        if not pakker:
            return
        pakke = random.choice(pakker)
        liste = self.hent(f"/opgaver/?pakke={pakke}", OPGAVELISTE).text
        self.wait()
        with self.send(f"/opgavepakker/{pakke}/naeste/", TAG_NAESTE, {}, liste) as svar:
            fund = re.fullmatch(r"/opgaver/(\d+)/", svar.headers.get("Location", ""))
            if svar.status_code != 302:
                svar.failure(str(svar.status_code))
                return
            if not fund:  # the pakke ran out meanwhile: back to "Mine opgaver"
                return
        pk = int(fund.group(1))
        skaerm = self.hent(f"/opgaver/{pk}/", OPGAVE).text
        self.wait()
        with self.send(f"/opgaver/{pk}/", AFSLUT, opgave_afslutning(skaerm, pk), skaerm) as svar:
            if svar.status_code != 302 or not svar.headers.get("Location", "").endswith(
                f"/opgaver/{pk}/kvittering/"
            ):
                fejl = re.findall(r"Fejl: </span>(.*?)</span>", svar.text) + re.findall(
                    r'<p class="alert-text">(.*?)</p>', svar.text
                )
                svar.failure(f"{svar.status_code}: {fejl[0] if fejl else 'ikke afsluttet'}")
                return
        self.hent(f"/opgaver/{pk}/kvittering/", KVITTERING)


class Sagsbehandler(Person):
    rolle = "Sagsbehandler"
    fixed_count = FORDELING[rolle]
    abstract = fixed_count == 0

    @task(2)
    def mine_opgaver(self) -> None:
        self.hent("/mine-opgaver/", MINE_OPGAVER)

    @task(5)
    def opgave(self) -> None:
        self.opgave_arbejd()

    @task(4)
    def borger(self) -> None:
        self.borger_og_konto()

    @task(1)
    def omposter(self) -> None:
        self.ompostering()

    @task(1)
    def rapport(self) -> None:
        self.dataudtraek()


class Projektleder(Person):
    rolle = "Projektleder"
    fixed_count = FORDELING[rolle]
    abstract = fixed_count == 0

    @task(3)
    def mine_opgaver(self) -> None:
        self.hent("/mine-opgaver/", f"{MINE_OPGAVER} (Projektleder)")

    @task(2)
    def opgaveliste(self) -> None:
        pakker = pakker_med_ledige(
            self.hent("/mine-opgaver/", f"{MINE_OPGAVER} (Projektleder)").text
        )
        if pakker:
            self.wait()
            self.hent(f"/opgaver/?pakke={random.choice(pakker)}", OPGAVELISTE)

    @task(3)
    def rapport(self) -> None:
        self.dataudtraek()

    @task(1)
    def opgave(self) -> None:
        self.opgave_arbejd(f"{MINE_OPGAVER} (Projektleder)")

    @task(1)
    def borger(self) -> None:
        self.borger_og_konto()


class Bogholder(Person):
    rolle = "Bogholder"
    fixed_count = FORDELING[rolle]
    abstract = fixed_count == 0

    @task(3)
    def borger(self) -> None:
        self.borger_og_konto()

    @task(3)
    def omposter(self) -> None:
        self.ompostering()

    @task(1)
    def udbetalinger(self) -> None:
        self.hent("/udbetalinger/", UDBETALINGER)


class Drift(Person):
    rolle = "Drift"
    fixed_count = FORDELING[rolle]
    abstract = fixed_count == 0

    @task(3)
    def koersler(self) -> None:
        self.hent("/admin/sagstilknytning/sagstilknytningskoersel/", KOERSLER)
        if DATA["koersler"]:
            self.wait()
            koersel = random.choice(DATA["koersler"])
            self.hent(f"/admin/sagstilknytning/sagstilknytningskoersel/{koersel}/change/", KOERSEL)

    @task(1)
    def udbakke(self) -> None:
        self.hent("/drift/udbakke/", UDBAKKE)

    @task(2)
    def borger(self) -> None:
        self.borger_og_konto()
