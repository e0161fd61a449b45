"""The interest run books every open interest-bearing claim of one kommune up to a date.

Each expected figure is worked out by hand in the test from the shipped rate table:
gebyrloven 1 % per month; opkrævningsloven basisrente + 0,7 pp per month, 0,9 % in 2025.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from fordringer.choices import PosteringArt, Renteregime
from fordringer.konto.selectors import restance_fra_ledger
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Postering, Rentekoersel, RentekoerselStatus, Rentesats
from fordringer.rente import koersel as koersel_modul
from fordringer.rente.koersel import (
    rentekoersel_del_koer,
    rentekoersel_genoptag,
    rentekoersel_koer,
    rentekoersel_opret,
)
from fordringer.tasks import renter_koer_alle
from ky_debitor.errors import ApplicationError
from tests.factories import BorgerFactory, DebitorkontoFactory, FordringFactory, kommune

D = Decimal
TIL = dt.date(2025, 4, 20)


def fordring(hovedstol: str, forfald: dt.date, regime: Renteregime, kode: int = 101):
    konto = DebitorkontoFactory.create(borger=BorgerFactory.create(kommune=kommune(kode)))
    return FordringFactory.create(
        konto=konto, hovedstol=D(hovedstol), forfaldsdato=forfald, renteregime=regime
    )


def renter(f) -> list[tuple[dt.date, Decimal]]:
    return sorted(f.posteringer.filter(art=PosteringArt.RENTE).values_list("valoerdato", "beloeb"))


def koer(til: dt.date = TIL, kode: int = 101, **kw) -> Rentekoersel:
    koersel = rentekoersel_opret(kommune=kommune(kode), til_dato=til, user=None)
    return rentekoersel_koer(koersel_id=koersel.pk, **kw)


@pytest.mark.django_db
def test_gebyrloven_claim_with_a_payment_on_an_interest_day():
    """Hovedstol 1.234,56 due 10-01-2025, 212,35 paid 10-02-2025, run to 20-04-2025.

    10-01: 1 % of 1.234,56 = 12,3456 -> 12,35.
    10-02: the payment is applied first: 12,35 of interest, then 200,00 of principal, leaving
    1.034,56; 1 % = 10,3456 -> 10,35. 10-03: 10,35. 10-04: 10,35.
    Interest 12,35 + 3 x 10,35 = 43,40; restance 1.234,56 - 212,35 + 43,40 = 1.065,61.
    """
    f = fordring("1234.56", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    postering_bogfoer(
        fordring=f,
        art=PosteringArt.DAEKNING,
        beloeb=D("212.35"),
        valoerdato=dt.date(2025, 2, 10),
        user=None,
    )
    koersel = koer()
    assert renter(f) == [
        (dt.date(2025, 1, 10), D("12.35")),
        (dt.date(2025, 2, 10), D("10.35")),
        (dt.date(2025, 3, 10), D("10.35")),
        (dt.date(2025, 4, 10), D("10.35")),
    ]
    f.refresh_from_db()
    assert f.restance == D("1065.61") == restance_fra_ledger(f)
    assert koersel.status == RentekoerselStatus.DONE
    assert (koersel.antal_behandlet, koersel.antal_aendret) == (1, 1)
    assert koersel.beloeb_bogfoert == D("43.40")


@pytest.mark.django_db
def test_opkraevningsloven_claim_accrues_daily_and_books_at_month_end():
    """Hovedstol 5.000,00 due 20-02-2025, 0,9 % a month in 2025, run to 20-04-2025.

    Per day 5.000 x 0,9 % x 12 / 365 = 540 / 365.
    21-28 February, 8 days: 4.320 / 365 = 11,8356... -> 11,84 on 28-02.
    March, 31 days: 16.740 / 365 = 45,8630... -> 45,86 on 31-03.
    1-20 April accrues, but its booking day (30-04) has not come: nothing booked for April.
    Interest 57,70; restance 5.057,70.
    """
    f = fordring("5000.00", dt.date(2025, 2, 20), Renteregime.OPKRAEVNINGSLOVEN_7)
    koersel = koer()
    assert renter(f) == [(dt.date(2025, 2, 28), D("11.84")), (dt.date(2025, 3, 31), D("45.86"))]
    f.refresh_from_db()
    assert f.restance == D("5057.70") == restance_fra_ledger(f)
    assert koersel.beloeb_bogfoert == D("57.70")


@pytest.mark.django_db
def test_a_new_rate_from_1_january_applies_from_that_day():
    """A new gebyrlov rate of 1,5 % from 01-01-2026 (a row of data, not code).
    Hovedstol 3.333,33 due 15-11-2025, run to 20-02-2026:
    15-11-2025 and 15-12-2025: 1 % of 3.333,33 = 33,3333 -> 33,33 each.
    15-01-2026 and 15-02-2026: 1,5 % of 3.333,33 = 49,99995 -> 50,00 each (half-up).
    Interest 2 x 33,33 + 2 x 50,00 = 166,66; restance 3.499,99.
    """
    Rentesats.objects.create(
        renteregime=Renteregime.GEBYRLOVEN_3,
        gyldig_fra=dt.date(2026, 1, 1),
        basisrente=D("0.000"),
        tillaeg=D("1.500"),
        kilde="Test: ændret sats fra 1. januar",
    )
    f = fordring("3333.33", dt.date(2025, 11, 15), Renteregime.GEBYRLOVEN_3)
    koer(dt.date(2026, 2, 20))
    assert renter(f) == [
        (dt.date(2025, 11, 15), D("33.33")),
        (dt.date(2025, 12, 15), D("33.33")),
        (dt.date(2026, 1, 15), D("50.00")),
        (dt.date(2026, 2, 15), D("50.00")),
    ]
    f.refresh_from_db()
    assert f.restance == D("3499.99") == restance_fra_ledger(f)


@pytest.mark.django_db
def test_a_re_run_with_nothing_new_books_nothing_and_a_later_one_books_only_the_new_month():
    """Gebyrloven, 1.000,00 due 10-01-2025: to 20-04-2025 four days of 10,00 = 40,00.
    Again to 20-04-2025: nothing. To 10-05-2025: one more 10,00."""
    f = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    assert koer().beloeb_bogfoert == D("40.00")
    foer = Postering.objects.count()
    igen = koer()
    # Nothing changed since the first run: the re-run does not even read the claim's ledger.
    assert (igen.antal_behandlet, igen.antal_aendret, igen.beloeb_bogfoert) == (0, 0, D("0.00"))
    assert Postering.objects.count() == foer
    senere = koer(dt.date(2025, 5, 10))
    assert (senere.antal_aendret, senere.beloeb_bogfoert) == (1, D("10.00"))
    f.refresh_from_db()
    assert f.restance == D("1050.00") == restance_fra_ledger(f)


@pytest.mark.django_db
def test_a_re_run_to_the_same_day_recomputes_the_claim_that_got_a_payment_since():
    """Two gebyrlov claims of 1.000,00 due 10-01-2025, run to 20-04-2025: 40,00 each.
    Then 500,00 is paid on the first with valør 15-02-2025. Again to 20-04-2025:
    10-01 and 10-02: 10,00 each; 15-02 the payment covers those 20,00 and 480,00 of principal,
    leaving 520,00; 10-03 and 10-04: 5,20 each. Interest 30,40, so 9,60 is taken back;
    restance 1.000,00 - 500,00 + 30,40 = 530,40. The other claim is passed over."""
    betalt = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    andet = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    assert koer().beloeb_bogfoert == D("80.00")
    postering_bogfoer(
        fordring=betalt,
        art=PosteringArt.DAEKNING,
        beloeb=D("500.00"),
        valoerdato=dt.date(2025, 2, 15),
        user=None,
    )
    igen = koer()
    assert (igen.antal_behandlet, igen.antal_aendret, igen.beloeb_bogfoert) == (1, 1, D("-9.60"))
    betalt.refresh_from_db()
    andet.refresh_from_db()
    assert betalt.restance == D("530.40") == restance_fra_ledger(betalt)
    assert andet.restance == D("1040.00") == restance_fra_ledger(andet)


@pytest.mark.django_db
def test_a_re_run_to_the_same_day_after_a_new_rate_recomputes_every_claim():
    """Gebyrlov 1.000,00 due 10-01-2025, run to 20-04-2025: 40,00. A rate of 2 % from
    01-03-2025 is added afterwards; again to 20-04-2025: 10-03 and 10-04 are now 20,00 each,
    so 20,00 more; restance 1.060,00."""
    f = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    assert koer().beloeb_bogfoert == D("40.00")
    Rentesats.objects.create(
        renteregime=Renteregime.GEBYRLOVEN_3,
        gyldig_fra=dt.date(2025, 3, 1),
        basisrente=D("0.000"),
        tillaeg=D("2.000"),
        kilde="Test: sats tilføjet efter kørslen",
    )
    igen = koer()
    assert (igen.antal_behandlet, igen.beloeb_bogfoert) == (1, D("20.00"))
    f.refresh_from_db()
    assert f.restance == D("1060.00") == restance_fra_ledger(f)


@pytest.mark.django_db
def test_a_run_stopped_half_way_resumes_after_its_last_finished_chunk(settings):
    """Three gebyrlov claims of 1.000,00 due 10-01-2025 (40,00 each to 20-04-2025), one lane,
    chunks of one claim. The run stopped (killed) after its first chunk stays RUNNING;
    resuming it books the other two, and the first claim's interest is not booked twice."""
    settings.KY_RENTE_SPOR = 1
    fs = [fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3) for _ in range(3)]
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=TIL, user=None)
    Rentekoersel.objects.filter(pk=koersel.pk).update(status=RentekoerselStatus.RUNNING)
    assert rentekoersel_del_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    koersel.refresh_from_db()
    spor = koersel.spor_raekker.get()
    assert (koersel.dele_faerdige, spor.sidste_pk) == (1, fs[0].pk)
    assert [len(renter(f)) for f in fs] == [4, 0, 0]

    koersel = rentekoersel_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    assert koersel.status == RentekoerselStatus.DONE
    assert (koersel.dele_faerdige, koersel.antal_behandlet, koersel.antal_aendret) == (3, 3, 3)
    assert koersel.beloeb_bogfoert == D("120.00")  # 3 x 40,00
    for f in fs:
        f.refresh_from_db()
        assert f.restance == D("1040.00") == restance_fra_ledger(f)


@pytest.mark.django_db
def test_the_command_prints_what_it_booked_and_resumes_a_stopped_run(koebenhavn):
    """Gebyrloven, 1.000,00 due 10-01-2025 to 20-04-2025: 4 x 10,00 = 40,00."""
    fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    ud = StringIO()
    call_command("rentekoersel", "--kommune", "101", "--til-dato", "20-04-2025", stdout=ud)
    assert ud.getvalue() == (
        f"{koebenhavn.navn}: renter til 20-04-2025; 1 fordringer gennemgået, 1 med ny rente, "
        "netto 40,00 kr. bogført (færdig).\n"
    )
    stoppet = rentekoersel_opret(kommune=koebenhavn, til_dato=TIL, user=None)
    Rentekoersel.objects.filter(pk=stoppet.pk).update(status=RentekoerselStatus.RUNNING)
    ud = StringIO()
    call_command("rentekoersel", "--kommune", "101", stdout=ud)
    assert ud.getvalue().startswith(
        f"{koebenhavn.navn}: genoptager rentekørsel {stoppet.pk} efter 0 fordringer.\n"
    )
    assert "netto 0,00 kr. bogført (færdig)." in ud.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argumenter", "fejl"),
    [
        (["--til-dato", "31-02-2025"], "Skriv datoen som dd-mm-åååå, ikke '31-02-2025'."),
        (["--til-dato", "01-01-2999"], "datoen er ikke kommet endnu"),
        (["--kommune", "999"], "Kommune 999 findes ikke."),
    ],
)
def test_the_command_refuses_bad_input_in_danish_and_changes_nothing(argumenter, fejl):
    f = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    with pytest.raises(CommandError, match=fejl):
        call_command("rentekoersel", "--kommune", "101", *argumenter, stdout=StringIO())
    assert not Rentekoersel.objects.exists()
    assert renter(f) == []


@pytest.mark.django_db
def test_a_run_back_to_a_date_before_the_last_finished_run_is_refused():
    """Recomputing to an earlier day would reverse interest rightly booked since."""
    koer()
    with pytest.raises(ApplicationError, match="allerede kørt til 20-04-2025"):
        rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 3, 1), user=None)


@pytest.mark.django_db
def test_two_lanes_split_the_claims_by_konto_and_each_resumes_from_its_own_checkpoint(settings):
    """Four gebyrlov claims of 1.000,00 due 10-01-2025 (40,00 each to 20-04-2025), on four
    konti, in two lanes by konto id. Each lane books one chunk of one claim and the run is
    killed; resumed, each lane carries on after its own checkpoint: every claim has its
    40,00 once, and the run's figures are the sum of both lanes'."""
    settings.KY_RENTE_SPOR = 2
    fs = [fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3) for _ in range(4)]
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=TIL, user=None)
    assert koersel.spor == 2
    Rentekoersel.objects.filter(pk=koersel.pk).update(status=RentekoerselStatus.RUNNING)
    for nummer in (0, 1):
        assert rentekoersel_del_koer(koersel_id=koersel.pk, nummer=nummer, chunk_stoerrelse=1)
    foerste = {n: next(f for f in fs if f.konto_id % 2 == n) for n in (0, 1)}
    assert dict(koersel.spor_raekker.values_list("nummer", "sidste_pk")) == {
        n: f.pk for n, f in foerste.items()
    }
    assert sorted(len(renter(f)) for f in fs) == [0, 0, 4, 4]

    koersel = rentekoersel_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    assert koersel.status == RentekoerselStatus.DONE
    assert (koersel.dele_faerdige, koersel.antal_behandlet, koersel.antal_aendret) == (4, 4, 4)
    assert koersel.beloeb_bogfoert == D("160.00")  # 4 x 40,00
    for f in fs:
        f.refresh_from_db()
        assert f.restance == D("1040.00") == restance_fra_ledger(f)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_run_the_two_lanes_at_the_same_time(settings):
    """Two threads, each with its own PostgreSQL connection, run one lane each at once, as two
    Celery workers do: neither waits for or deadlocks with the other, the last to finish
    marks the run done, and every claim has its interest once (12 x 40,00)."""
    import threading

    from django.db import connection

    from fordringer.rente.koersel import rentekoersel_afslut, rentekoersel_spor_koer

    settings.KY_RENTE_SPOR = 2
    fs = [fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3) for _ in range(12)]
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=TIL, user=None)
    assert koersel_modul.rentekoersel_markeer_koerer(koersel_id=koersel.pk) == [0, 1]
    start = threading.Barrier(2)
    fejl: list[BaseException] = []

    def spor(nummer: int) -> None:
        try:
            start.wait()
            rentekoersel_spor_koer(koersel_id=koersel.pk, nummer=nummer, chunk_stoerrelse=2)
            rentekoersel_afslut(koersel_id=koersel.pk)
        except BaseException as exc:
            fejl.append(exc)
        finally:
            connection.close()

    traade = [threading.Thread(target=spor, args=(n,)) for n in (0, 1)]
    for t in traade:
        t.start()
    for t in traade:
        t.join()

    assert fejl == []
    koersel.refresh_from_db()
    assert koersel.status == RentekoerselStatus.DONE
    assert (koersel.antal_i_alt, koersel.antal_behandlet) == (12, 12)
    assert koersel.beloeb_bogfoert == D("480.00")
    assert all(len(renter(f)) == 4 for f in fs)
    assert all(spor.faerdig for spor in koersel.spor_raekker.all())


@pytest.mark.django_db
def test_a_run_that_failed_after_booking_a_chunk_also_sets_the_earliest_date(settings):
    settings.KY_RENTE_SPOR = 1
    fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=TIL, user=None)
    Rentekoersel.objects.filter(pk=koersel.pk).update(status=RentekoerselStatus.RUNNING)
    rentekoersel_del_koer(koersel_id=koersel.pk)
    Rentekoersel.objects.filter(pk=koersel.pk).update(status=RentekoerselStatus.FAILED)
    with pytest.raises(ApplicationError, match="allerede kørt til 20-04-2025"):
        rentekoersel_opret(kommune=kommune(101), til_dato=dt.date(2025, 3, 1), user=None)


@pytest.mark.django_db
def test_a_run_touches_only_its_own_kommunes_claims():
    """Both claims would get 40,00; the run for København books only København's."""
    egen = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3, kode=101)
    anden = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3, kode=461)
    koersel = koer()
    assert (koersel.antal_behandlet, koersel.beloeb_bogfoert) == (1, D("40.00"))
    assert len(renter(egen)) == 4
    assert renter(anden) == []
    anden.refresh_from_db()
    assert anden.restance == D("1000.00")


@pytest.mark.django_db
def test_claims_without_interest_paid_or_not_yet_due_are_left_alone():
    ingen = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.INGEN)
    senere = fordring("1000.00", dt.date(2025, 5, 1), Renteregime.GEBYRLOVEN_3)
    betalt = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    postering_bogfoer(
        fordring=betalt,
        art=PosteringArt.DAEKNING,
        beloeb=D("1000.00"),
        valoerdato=dt.date(2025, 1, 10),
        user=None,
    )
    koersel = koer()
    assert (koersel.antal_behandlet, koersel.antal_aendret) == (0, 0)
    assert renter(ingen) == renter(senere) == renter(betalt) == []


@pytest.mark.django_db
def test_the_monthly_task_runs_each_kommune_with_interest_bearing_claims_to_today(
    django_capture_on_commit_callbacks,
):
    """One run per kommune, up to today; the second month's task starts new runs that book
    only what has come due since (here: nothing, the same day)."""
    egen = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3, kode=101)
    anden = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3, kode=461)
    with django_capture_on_commit_callbacks(execute=True):
        assert renter_koer_alle() == 2
    koersler = Rentekoersel.objects.order_by("kommune__kode")
    assert [(k.kommune.kode, k.status, k.til_dato) for k in koersler] == [
        (101, RentekoerselStatus.DONE, timezone.localdate()),
        (461, RentekoerselStatus.DONE, timezone.localdate()),
    ]
    for f in (egen, anden):
        f.refresh_from_db()
        assert f.restance > D("1000.00")
        assert f.restance == restance_fra_ledger(f)
    with django_capture_on_commit_callbacks(execute=True):
        renter_koer_alle()
    assert Rentekoersel.objects.filter(beloeb_bogfoert=0, antal_aendret=0).count() == 2


@pytest.mark.django_db
def test_a_fee_bears_no_interest_and_a_payment_covers_it_before_the_principal():
    """Gebyrloven, 1.000,00 due 10-01-2025; a fee of 100,00 on 15-01; 110,00 paid 10-02.
    10-01: 1 % of 1.000,00 = 10,00. 10-02: the payment covers the 10,00 of interest and the
    100,00 fee, so the principal stays 1.000,00: 10,00; 10-03: 10,00; 10-04: 10,00.
    Interest 40,00; restance 1.000,00 + 100,00 - 110,00 + 40,00 = 1.030,00."""
    f = fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3)
    for art, beloeb, dag in (
        (PosteringArt.GEBYR, "100.00", dt.date(2025, 1, 15)),
        (PosteringArt.DAEKNING, "110.00", dt.date(2025, 2, 10)),
    ):
        postering_bogfoer(fordring=f, art=art, beloeb=D(beloeb), valoerdato=dag, user=None)
    assert koer().beloeb_bogfoert == D("40.00")
    assert [b for _, b in renter(f)] == [D("10.00")] * 4
    f.refresh_from_db()
    assert f.restance == D("1030.00") == restance_fra_ledger(f)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fejl", "status"),
    [
        (RuntimeError("disken er fuld"), RentekoerselStatus.FAILED),
        (OperationalError("forbindelsen røg"), RentekoerselStatus.RUNNING),
    ],
)
def test_a_run_that_breaks_in_its_second_chunk_keeps_the_first_and_resumes_after_it(
    monkeypatch, django_capture_on_commit_callbacks, settings, fejl, status
):
    """Three gebyrlov claims (40,00 each to 20-04-2025), one lane, chunks of one. The second
    chunk breaks: the first claim's interest stays booked, the run is FAILED (RUNNING when the
    database went away, for the task's retry); resumed, it books the other two, 120,00 in all."""
    settings.KY_RENTE_SPOR = 1
    fs = [fordring("1000.00", dt.date(2025, 1, 10), Renteregime.GEBYRLOVEN_3) for _ in range(3)]
    rigtig = koersel_modul._chunk_bogfoer
    kald = []

    def bryder_anden_gang(koersel, ider):
        kald.append(ider)
        if len(kald) == 2:
            raise fejl
        return rigtig(koersel, ider)

    monkeypatch.setattr(koersel_modul, "_chunk_bogfoer", bryder_anden_gang)
    koersel = rentekoersel_opret(kommune=kommune(101), til_dato=TIL, user=None)
    with pytest.raises(type(fejl)):
        rentekoersel_koer(koersel_id=koersel.pk, chunk_stoerrelse=1)
    koersel.refresh_from_db()
    assert (koersel.status, koersel.dele_faerdige) == (status, 1)
    assert [len(renter(f)) for f in fs] == [4, 0, 0]

    with django_capture_on_commit_callbacks(execute=True):
        rentekoersel_genoptag(koersel=koersel, user=None)
    koersel.refresh_from_db()
    # The resumed task takes chunks of the default size: the two claims left are one chunk.
    assert (koersel.status, koersel.dele_faerdige) == (RentekoerselStatus.DONE, 2)
    assert koersel.beloeb_bogfoert == D("120.00")
    assert [len(renter(f)) for f in fs] == [4, 4, 4]
