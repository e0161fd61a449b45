"""The overview figures (start page, Mine opgaver) are kept by the writes and stay exact.

Each test changes data the way the system does — a generated kommune imported, a linking run,
a samling, a task taken and completed, parked dækninger released, tasks moved between pakker,
konti changing source, rows deleted — and holds the kept figures to the same figures counted
from the tables (``*_optalt``, the scans the screens used to run on every view). On
PostgreSQL also with the import in bulk mode (``COPY``), and with two transactions touching
one konto at the same time.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from fordringer.choices import Kilde, PosteringArt, Tilknytning
from fordringer.konto.selectors import kommune_noegletal
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Bevilling, Debitorkonto, Fordring, Parkering
from ky_debitor.errors import ApplicationError
from ky_debitor.models import Bruger, Taellingsdelta
from ky_debitor.taellinger import komprimer
from opgavepakker.afslutning import OpgaveValg, opgave_afslut
from opgavepakker.models import Opgave, Opgavepakke, OpgaveType
from opgavepakker.opgave_services import opgave_tag
from opgavepakker.selectors import pakke_taellinger
from opgavepakker.taellingskontrol import TAELLERE, afvigelser
from opgavepakker.workflow import AABNE, OpgaveStatus

from ..factories import FordringFactory
from .conftest import opgave_for

KOMMUNE = 101


def som_optalt(user: Bruger) -> None:
    """The kept figures equal the counted ones, and compaction changes none of them."""
    assert user.kommune is not None
    for _ in range(2):
        assert afvigelser(user.kommune) == []
        komprimer()


def _demo(konti: int) -> Bruger:
    ud = StringIO()
    call_command("opret_demobrugere", "--kommune", str(KOMMUNE), stdout=ud)
    call_command(
        "generer_demodata",
        *("--kommune", str(KOMMUNE), "--konti", str(konti), "--seed", "5"),
        stdout=ud,
    )
    return Bruger.objects.get(username=f"sagsbehandler{KOMMUNE}")


def _afslut_en(user: Bruger, aarsag: str) -> Opgave:
    """Take and complete the first task of ``aarsag`` the service accepts with the bevilling
    its evidence names first."""
    for opgave in Opgave.objects.filter(
        type=OpgaveType.OPRET_FORDRINGSSAG, status=OpgaveStatus.AABEN, aarsag=aarsag
    ).order_by("pk")[:20]:
        nummer = opgave.evidens["fordringer"][0]["kandidater"][0]["bevillingsnummer"]
        bevilling = Bevilling.objects.get(kommune=opgave.kommune, bevillingsnummer=nummer)
        try:
            with transaction.atomic():
                opgave_tag(user=user, opgave_id=opgave.pk)
                opgave_afslut(
                    user=user,
                    opgave_id=opgave.pk,
                    valg=OpgaveValg(bevilling_id=bevilling.pk, sag_id=None, note="Kontrolleret"),
                )
        except ApplicationError:
            continue
        return opgave
    raise AssertionError(f"ingen opgave med årsag {aarsag} kunne afsluttes")


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("masse", [False, True], ids=["enkeltvis", "massevis"])
def test_a_kommunes_day_keeps_every_figure_exact(masse, settings):
    if masse and connection.vendor != "postgresql":
        pytest.skip("bulk mode is PostgreSQL's")
    settings.KY_IMPORT_MASSE_GRAENSE = 1 if masse else 10**9
    sagsbehandler = _demo(300)
    som_optalt(sagsbehandler)
    assert kommune_noegletal(user=sagsbehandler).konti_i_alt > 250

    call_command("sagstilknytning", "--kommune", str(KOMMUNE), stdout=StringIO())
    som_optalt(sagsbehandler)
    foer = kommune_noegletal(user=sagsbehandler)
    assert foer.konti_tilknyttet > 0 and foer.parkeret_antal > 0

    call_command("saml_demodata", "--kommune", str(KOMMUNE), stdout=StringIO())
    som_optalt(sagsbehandler)

    # Tasks with a candidate bevilling, completed with it: the konto is linked, its parked
    # dækninger released, its tasks closed — three figures move in one transaction.
    _afslut_en(sagsbehandler, "FLERE_BEVILLINGER")
    efter = kommune_noegletal(user=sagsbehandler)
    assert efter.konti_tilknyttet == foer.konti_tilknyttet + 1
    som_optalt(sagsbehandler)


@pytest.mark.django_db
def test_completing_a_task_moves_the_pakke_figures_at_once(alice, opgaver):
    konto = opgaver["flere"]
    opgave = opgave_for(konto)
    foer = pakke_taellinger(user=alice)[opgave.pakke_id]
    assert foer.aabne >= 1 and foer.parkeret == Decimal("50.00")
    opgave_tag(user=alice, opgave_id=opgave.pk)
    taget = pakke_taellinger(user=alice)[opgave.pakke_id]
    assert (taget.aabne, taget.i_gang) == (foer.aabne - 1, foer.i_gang + 1)
    assert taget.parkeret == foer.parkeret

    opgave_afslut(
        user=alice,
        opgave_id=opgave.pk,
        valg=OpgaveValg(bevilling_id=opgaver["b4"].pk, sag_id=None, note="Periode passer B4"),
    )
    efter = pakke_taellinger(user=alice)[opgave.pakke_id]
    assert (efter.i_gang, efter.afsluttet) == (taget.i_gang - 1, taget.afsluttet + 1)
    assert efter.parkeret == Decimal("0.00")
    assert kommune_noegletal(user=alice).parkeret_beloeb == Decimal("75.00")
    som_optalt(alice)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_any_mix_of_writes_keeps_the_figures_exact(seed, alice, opgaver):
    """Writes the screens do not offer but the data allows (a task moved to another pakke, a
    konto changing source, a released parkering taken back, rows deleted): a random mix."""
    tilfaeldig = random.Random(seed)
    pakker = list(Opgavepakke.objects.for_user(alice).values_list("pk", flat=True))
    for nr in range(25):
        konti = list(Debitorkonto.objects.for_user(alice))
        konto = tilfaeldig.choice(konti)
        valg = tilfaeldig.randrange(9)
        if valg == 0:
            f = FordringFactory.create(konto=konto, hovedstol=Decimal("120.35"))
            postering_bogfoer(
                fordring=f,
                art=PosteringArt.DAEKNING,
                beloeb=Decimal(tilfaeldig.randint(1, 9999)) / 100,
                valoerdato=dt.date(tilfaeldig.choice([2025, 2026]), 3, 1),
                user=alice,
            )
        elif valg == 1 and not Opgave.objects.filter(konto=konto).exists():
            Opgave.objects.create(
                kommune=konto.kommune,
                pakke_id=tilfaeldig.choice(pakker),
                konto=konto,
                type=OpgaveType.OPRET_FORDRINGSSAG,
                aarsag="INGEN_BEVILLING",
                status=tilfaeldig.choice(list(OpgaveStatus)),
            )
        elif valg == 2:
            Opgave.objects.filter(konto=konto).update(status=tilfaeldig.choice(list(OpgaveStatus)))
        elif valg == 3:
            Opgave.objects.filter(konto=konto).update(pakke_id=tilfaeldig.choice(pakker))
        elif valg == 4:
            Parkering.objects.filter(konto=konto).update(frigivet=timezone.now())
        elif valg == 5:
            Parkering.objects.filter(konto=konto).update(frigivet=None)
        elif valg == 6:
            ny = tilfaeldig.choice([Kilde.KY, Kilde.KMD_AKTIV])
            # a konto without a sag cannot be linked (a database constraint)
            tilknytninger = list(Tilknytning) if konto.sag_id else [Tilknytning.INGEN]
            Debitorkonto.objects.filter(pk=konto.pk).update(
                kilde=ny, tilknytning=tilfaeldig.choice(tilknytninger)
            )
        elif valg == 7:
            Fordring.objects.filter(konto=konto).update(restance=Decimal("17.05") * nr)
        else:
            Opgave.objects.filter(konto=konto, status__in=AABNE).delete()
        if nr % 5 == 4:
            som_optalt(alice)
    som_optalt(alice)


@pytest.mark.django_db
def test_the_migration_counts_what_is_already_there(alice, opgaver):
    """A new install counts the rows as they are: with the kept rows removed and the
    migrations' filling run again, the figures are the same."""
    Taellingsdelta.objects.all().delete()
    with connection.cursor() as cursor:
        for taeller in TAELLERE:
            for sql in taeller.fyld_sql(connection.vendor):
                cursor.execute(sql)
    som_optalt(alice)


@pytest.mark.django_db
def test_operations_find_a_wrong_figure_and_count_the_kommune_anew(alice, opgaver):
    Taellingsdelta.objects.create(kommune=alice.kommune, noegle="parkeret_oere", vaerdi=1)
    with pytest.raises(CommandError, match="1 tal afviger"):
        call_command("taellinger", "--kommune", "101", stdout=StringIO(), stderr=StringIO())

    ud = StringIO()
    call_command("taellinger", "--kommune", "101", "--genopbyg", stdout=ud)
    assert "talt forfra" in ud.getvalue() and "Alle tal stemmer" in ud.getvalue()
    som_optalt(alice)


# --- Two transactions on one konto at the same time (PostgreSQL) ------------------------------


def _i_traad(arbejde, faerdig: threading.Event, start: threading.Event | None = None):
    def koer() -> None:
        try:
            if start is not None:
                start.wait(10)
            with transaction.atomic():
                arbejde()
        finally:
            connections.close_all()
            faerdig.set()

    traad = threading.Thread(target=koer)
    traad.start()
    return traad


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("foerst", ["frigivelse", "lukning"])
def test_releasing_and_closing_at_once_counts_the_parked_sum_once(foerst, alice, opgaver):
    """One transaction releases a konto's parked dækning while another closes its task. The
    first to write holds the konto until it commits; the second then sees what it did. Either
    order ends with the pakke's parked sum exact."""
    konto = opgaver["ingen"]
    opgave = opgave_for(konto)
    assert pakke_taellinger(user=alice)[opgave.pakke_id].parkeret == Decimal("75.00")

    def frigiv() -> None:
        Parkering.objects.filter(konto=konto).update(frigivet=timezone.now())

    def luk() -> None:
        Opgave.objects.filter(pk=opgave.pk).update(status=OpgaveStatus.AFSLUTTET)

    foerste, anden = (frigiv, luk) if foerst == "frigivelse" else (luk, frigiv)
    skrevet, slut1, slut2 = threading.Event(), threading.Event(), threading.Event()

    def foerste_og_vent() -> None:
        foerste()
        skrevet.set()
        time.sleep(1)  # hold the transaction open while the other writes

    t1 = _i_traad(foerste_og_vent, slut1)
    t2 = _i_traad(anden, slut2, start=skrevet)
    t1.join(20)
    t2.join(20)
    assert slut1.is_set() and slut2.is_set()
    assert pakke_taellinger(user=alice).get(opgave.pakke_id) is None or (
        pakke_taellinger(user=alice)[opgave.pakke_id].parkeret == Decimal("0.00")
    )
    som_optalt(alice)
