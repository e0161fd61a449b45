"""The deadline of the packages med dækninger and the pace needed to meet it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from opgavepakker.frister import frist, fristberegning

D = dt.date


@pytest.mark.parametrize(
    ("i_dag", "forventet"),
    [
        (D(2026, 11, 22), D(2027, 1, 31)),
        (D(2026, 12, 31), D(2027, 1, 31)),
        (D(2027, 1, 15), D(2027, 1, 31)),
        (D(2027, 1, 31), D(2027, 1, 31)),
        (D(2027, 2, 1), D(2028, 1, 31)),
    ],
)
def test_deadline_is_the_end_of_january_after_the_tax_year(i_dag, forventet):
    assert frist("31-01", i_dag) == forventet


def test_tasks_per_working_day_are_rounded_up():
    beregning = fristberegning(
        frist_maaned_dag="31-01", i_dag=D(2026, 12, 21), aabne_med_daekninger=53
    )
    assert (beregning.arbejdsdage, beregning.pr_arbejdsdag, beregning.kalenderdage) == (26, 3, 41)


@time_machine.travel(dt.datetime(2026, 12, 21, 9, 0, tzinfo=dt.UTC), tick=False)
def test_start_page_counts_down_on_a_frozen_date(client, alice, opgaver):
    client.force_login(alice)
    svar = client.get(reverse("mine_opgaver"))
    tekst = svar.content.decode()
    frist_ = svar.context["oversigt"].frist
    assert frist_.frist == D(2027, 1, 31) and frist_.arbejdsdage == 26
    # Two open tasks med dækninger (FLERE and INGEN): 1 per working day.
    assert frist_.aabne_med_daekninger == 2 and frist_.pr_arbejdsdag == 1
    assert "31-01-2027" in tekst and "26 arbejdsdage" in tekst
