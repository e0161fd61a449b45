"""The project lead's burn-down on "Mine opgaver" and in the API: open tasks per working day
against the line that meets the deadline, and the pace per package."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from opgavepakker.burndown.diagram import BUND, HOEJRE, TOP, VENSTRE, Punkt, diagram
from opgavepakker.burndown.selectors import burndown
from opgavepakker.models import Opgave
from opgavepakker.workflow import OpgaveStatus

from ..api.conftest import api_som
from ..factories import OpgaveFactory, kommune
from .test_forespoergsler import flere_opgaver

CPH = ZoneInfo("Europe/Copenhagen")
D = dt.date
MED = "Manglende KMD Aktiv reference - med dækninger"
UDEN = "Flere bevillinger eller sager passer - uden dækninger"
I_DAG = dt.datetime(2026, 12, 28, 12, 0, tzinfo=CPH)  # a Monday after Christmas


def kl(dag: dt.date, time: int = 10, minut: int = 0) -> dt.datetime:
    return dt.datetime(dag.year, dag.month, dag.day, time, minut, tzinfo=CPH)


def opgave(
    oprettet: dt.datetime,
    afsluttet: dt.datetime | None = None,
    *,
    med: bool,
    kode: int = 101,
    **felter: Any,
) -> Opgave:
    """A task created (and closed) at the given moments (``oprettet`` is stamped on save)."""
    if not felter.get("daekninger"):
        felter.setdefault("aarsag", "MANGLER_REFERENCE" if med else "FLERE_BEVILLINGER")
    o = OpgaveFactory.create(
        konto__borger__kommune=kommune(kode),
        med_daekninger=med,
        **felter,
        **({"lukket": True} if afsluttet else {}),
    )
    Opgave.objects.filter(pk=o.pk).update(oprettet=oprettet, afsluttet=afsluttet)
    return o


@pytest.fixture
def forloeb(db):
    """Tasks created and closed on known days around Christmas 2026 (Thu 24 and Fri 25
    December are days off, as is the weekend).

    Friday 18 December, the first run: 3 med dækninger, 2 uden. Saturday 19: 1 med more.
    Monday 21: 1 med closed. Wednesday 23 at 00:30 (22 December in UTC): 1 uden closed.
    Monday 28 (today): 1 med closed. Also: a task of the waiting step and Odense's tasks,
    which do not count."""
    fredag = D(2026, 12, 18)
    lukket_21, lukket_28 = kl(D(2026, 12, 21), 14), kl(D(2026, 12, 28), 9)
    opgave(kl(fredag), lukket_21, med=True)
    opgave(kl(fredag), lukket_28, med=True)
    opgave(kl(fredag), med=True, i_gang=True)
    opgave(kl(D(2026, 12, 19)), med=True)
    opgave(kl(fredag), kl(D(2026, 12, 23), 0, 30), med=False)
    opgave(kl(fredag), med=False)
    opgave(kl(D(2026, 12, 17)), med=True, daekninger=True)  # the waiting step
    opgave(kl(D(2026, 12, 1)), med=True, kode=461)
    opgave(kl(D(2026, 12, 1)), med=False, kode=461)


def tal(bd: Any) -> list[tuple[str, int, int]]:
    return [(d.dato.strftime("%d-%m"), d.med_daekninger, d.uden_daekninger) for d in bd.dage]


@time_machine.travel(I_DAG, tick=False)
def test_open_tasks_per_working_day_since_the_first_day(forloeb, pia):
    bd = burndown(user=pia)

    assert bd.foerste_dag == D(2026, 12, 18)
    # Working days only: no weekend, no 24 and 25 December; Saturday's task counts from Monday.
    assert tal(bd) == [
        ("18-12", 3, 2),
        ("21-12", 3, 2),
        ("22-12", 3, 2),
        ("23-12", 3, 1),
        ("28-12", 2, 1),
    ]
    # The pace over the 5 working days since the first day: 2 closed med dækninger.
    assert (bd.tempo_dage, str(bd.tempo)) == (5, "0.4")
    # 2 open at 0,4 a day take 5 working days after today (31-12 and 01-01 are days off).
    assert bd.prognose == D(2027, 1, 6) and bd.naar_fristen


@time_machine.travel(I_DAG, tick=False)
def test_the_ideal_line_meets_zero_on_the_deadline(forloeb, pia):
    bd = burndown(user=pia)
    # 31-01-2027 is a Sunday: the line meets 0 on Friday 29-01, the last working day.
    assert (bd.frist, bd.slutdag) == (D(2027, 1, 31), D(2027, 1, 29))
    # 7 working days left in December (not 24, 25 or 31) and 20 in January (not 1 January).
    assert bd.arbejdsdage_i_alt == 27
    assert [d.ideel for d in bd.dage] == [3, 3, 3, 3, 3]  # 3 * 22/26 = 2,54 on 28-12

    sidst = burndown(user=pia, i_dag=D(2027, 1, 29))
    assert (sidst.dage[0].ideel, sidst.dage[-1].dato, sidst.dage[-1].ideel) == (
        3,
        D(2027, 1, 29),
        0,
    )
    assert [d.ideel for d in sidst.dage[-3:]] == [0, 0, 0]  # 3 * 2/26, 3 * 1/26, 0
    ideel = {d.dato: d.ideel for d in sidst.dage}
    # Halfway, working day 13 of 26: 3 * 13/26 = 1,5 rounds to 2; the next day 1,38 to 1.
    assert (ideel[D(2027, 1, 12)], ideel[D(2027, 1, 13)]) == (2, 1)
    paa_fristen = burndown(user=pia, i_dag=D(2027, 1, 31))
    assert paa_fristen.dage[-1].dato == D(2027, 1, 29) and paa_fristen.dage[-1].ideel == 0


@time_machine.travel(I_DAG, tick=False)
def test_per_package_open_closed_and_pace_needed(forloeb, pia):
    pakker = {p.pakke.navn: p for p in burndown(user=pia).pakker}

    assert len(pakker) == 14  # the waiting step is not work of its own
    med, uden = pakker[MED], pakker[UDEN]
    # 23 working days from today to 31-01-2027: ceil(2 / 23) = 1 a day.
    assert (med.aabne, med.afsluttet, str(med.tempo), med.pr_arbejdsdag) == (2, 2, "0.4", 1)
    assert not med.i_tide
    assert (uden.aabne, uden.afsluttet, str(uden.tempo), uden.pr_arbejdsdag) == (1, 1, "0.2", 1)
    assert pakker["Datafejl - med dækninger"].aabne == 0


@time_machine.travel(I_DAG, tick=False)
def test_another_kommune_sees_only_its_own(forloeb, oskar):
    bd = burndown(user=oskar)
    assert bd.foerste_dag == D(2026, 12, 1)
    assert (bd.dage[-1].med_daekninger, bd.dage[-1].uden_daekninger) == (1, 1)


@time_machine.travel(I_DAG, tick=False)
def test_no_tasks_yet_shows_no_chart(pia, client):
    assert burndown(user=pia).dage == []
    client.force_login(pia)
    tekst = client.get(reverse("mine_opgaver")).content.decode()
    assert 'id="burndown-tom"' in tekst and "<svg" not in tekst.split('id="burndown"')[1]


def _spred(kommune_: Any, antal: int) -> None:
    """``antal`` tasks created over 30 days, every third closed two days later."""
    flere_opgaver(kommune_, 0, antal)
    opgaver = list(Opgave.objects.order_by("pk"))
    start = kl(D(2026, 11, 2))
    for i, o in enumerate(opgaver):
        o.oprettet = start + dt.timedelta(days=i % 30)
        if i % 3 == 0:
            o.status = OpgaveStatus.AFSLUTTET
            o.afsluttet = o.oprettet + dt.timedelta(days=2)
    Opgave.objects.bulk_update(opgaver, ["oprettet", "status", "afsluttet"])


@time_machine.travel(I_DAG, tick=False)
@pytest.mark.parametrize("antal", [10, 200])
def test_a_fixed_number_of_queries_for_10_or_200_tasks(
    antal, koebenhavn, pia, django_assert_num_queries
):
    _spred(koebenhavn, antal)
    assert pia.kommune is not None  # loaded with the person, as a request's user is
    with django_assert_num_queries(2):
        bd = burndown(user=pia)
    assert bd.dage[-1].i_alt == antal - len(range(0, antal, 3))


@time_machine.travel(I_DAG, tick=False)
def test_the_api_gives_the_same_numbers_to_the_project_lead_only(forloeb, pia, alice):
    svar = api_som(pia).get(reverse("api:burndown"))
    assert svar.status_code == 200
    data = svar.json()
    assert [
        (d["dato"], d["med_daekninger"], d["uden_daekninger"], d["ideel"]) for d in data["dage"]
    ] == [
        ("2026-12-18", 3, 2, 3),
        ("2026-12-21", 3, 2, 3),
        ("2026-12-22", 3, 2, 3),
        ("2026-12-23", 3, 1, 3),
        ("2026-12-28", 2, 1, 3),
    ]
    assert (data["frist"], data["slutdag"], data["prognose"]) == (
        "2027-01-31",
        "2027-01-29",
        "2027-01-06",
    )
    assert (data["foerste_dag"], data["tempo"], data["pr_arbejdsdag"]) == ("2026-12-18", "0.4", 1)
    pakke = next(p for p in data["pakker"] if p["pakke"]["navn"] == MED)
    assert (pakke["aabne"], pakke["afsluttet"], pakke["tempo"], pakke["pr_arbejdsdag"]) == (
        2,
        2,
        "0.4",
        1,
    )

    assert api_som(alice).get(reverse("api:burndown")).status_code == 403


@time_machine.travel(I_DAG, tick=False)
def test_mine_opgaver_shows_chart_table_and_packages_to_the_project_lead(
    forloeb, pia, alice, client
):
    client.force_login(pia)
    tekst = client.get(reverse("mine_opgaver")).content.decode()
    assert 'role="img"' in tekst and '<title id="burndown-titel">' in tekst
    tabel = tekst.split('id="burndown-tabel"')[1].split("</table>")[0]
    raekker = re.findall(
        r"<tr>\s*<th[^>]*>([\d-]+)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>", tabel
    )
    assert raekker[0] == ("28-12-2026", "2", "1") and raekker[-1] == ("18-12-2026", "3", "2")
    assert "Frist 31-01-2027" in tekst and "Åbne opgaver" in tekst
    # SVG coordinates keep a decimal point, whatever the Danish number format.
    assert not re.search(r'points="[^"]*\d,\d+,', tekst)
    pakker = tekst.split('id="burndown-pakker"')[1].split("</table>")[0]
    assert MED in pakker and "Bagud" in pakker

    client.force_login(alice)
    assert 'id="burndown"' not in client.get(reverse("mine_opgaver")).content.decode()


@time_machine.travel(dt.datetime(2026, 12, 28, 12, 0, tzinfo=CPH), tick=False)
def test_thousands_are_written_the_danish_way(koebenhavn, pia, client):
    flere_opgaver(koebenhavn, 0, 1234)
    Opgave.objects.update(oprettet=timezone.now() - dt.timedelta(days=3))
    client.force_login(pia)
    tekst = client.get(reverse("mine_opgaver")).content.decode()
    tabel = tekst.split('id="burndown-tabel"')[1].split("</table>")[0]
    assert ">1.234</td>" in tabel


@time_machine.travel(I_DAG, tick=False)
def test_the_chart_puts_the_ideal_line_to_zero_at_the_deadline_and_today_on_the_line(forloeb, pia):
    tegning = diagram(burndown(user=pia))
    assert tegning is not None
    # 0 to 3 open tasks: one tick per task; the ideal line from 3 on the first day to 0 in
    # the bottom right corner, the last working day before the deadline.
    assert [m.vaerdi for m in tegning.y_maerker] == [0, 1, 2, 3]
    assert tegning.ideel.fra == Punkt(VENSTRE, TOP) and tegning.ideel.til == Punkt(HOEJRE, BUND)
    assert tegning.x_maerker[0].vaerdi == D(2026, 12, 18)
    assert tegning.x_maerker[-1].vaerdi == D(2027, 1, 29)
    # Five working days of 27 drawn; today (the fifth, index 4) is 4/26 of the way across.
    assert len(tegning.med) == 5
    assert tegning.i_dag.pos == round(VENSTRE + (HOEJRE - VENSTRE) * 4 / 26, 1)
    # 2 open at 0,4 a day: done 5 working days later, at index 9, before the deadline.
    assert tegning.prognose is not None
    assert tegning.prognose.til == Punkt(round(VENSTRE + (HOEJRE - VENSTRE) * 9 / 26, 1), BUND)
