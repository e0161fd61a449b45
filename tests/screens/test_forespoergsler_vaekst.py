"""A main screen costs the same number of queries with 10 rows behind it as with 1,000: a screen
whose query count grows with the data is a bug (one query per row, found at a big kommune's
size as a slow page). Mine opgaver, the task list and the task screen are held to this in
``tests/opgavepakker/test_forespoergsler.py``; here the Forside, the konto page with its
kontoudtog, the borger page, the ompostering search, the Dataudtræk preview, the run list of
the linking runs and the eIndkomst batches.

The rows are written in bulk (factories would take minutes for 1,000)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fordringer.choices import Kilde, PosteringArt
from fordringer.models import Borger, Debitorkonto, EIndkomstForsendelse, Fordring, Postering
from sagstilknytning.models import KoerselStatus, Sagstilknytningskoersel
from tests import personas
from tests.opgavepakker.test_forespoergsler import flere_opgaver

pytestmark = pytest.mark.django_db

HUNDRED = Decimal("100.00")


def fordringer_med_daekninger(borger: Borger, fra: int, til: int, konti: int = 10) -> None:
    """``til - fra`` claims spread over the borger's first ``konti`` konti, each with its
    principal and one dækning: a kontoudtog line each, and a dækning to search for."""
    eksisterende = list(Debitorkonto.objects.filter(borger=borger).order_by("pk"))
    nye = Debitorkonto.objects.bulk_create(
        [
            Debitorkonto(
                kommune=borger.kommune,
                borger=borger,
                kontonummer=f"V{borger.pk}-{i}",
                kilde=Kilde.KY,
            )
            for i in range(len(eksisterende), konti)
        ]
    )
    alle = eksisterende + nye
    fordringer = Fordring.objects.bulk_create(
        [
            Fordring(
                kommune=borger.kommune,
                konto=alle[i % len(alle)],
                fordringsid=f"VF{borger.pk}-{i}",
                kilde=Kilde.KY,
                hovedstol=HUNDRED,
                restance=Decimal("60.00"),
                forfaldsdato=dt.date(2024, 1, 1) + dt.timedelta(days=i % 300),
            )
            for i in range(fra, til)
        ]
    )
    Postering.objects.bulk_create(
        [
            Postering(
                kommune=borger.kommune,
                fordring=f,
                art=art,
                beloeb=beloeb,
                valoerdato=f.forfaldsdato,
                tekst=art,
                aktoer="test",
            )
            for f in fordringer
            for art, beloeb in ((PosteringArt.HOVEDSTOL, HUNDRED), (PosteringArt.DAEKNING, -40))
        ]
    )


def koersler(kommune: Any, fra: int, til: int) -> None:
    Sagstilknytningskoersel.objects.bulk_create(
        [
            Sagstilknytningskoersel(
                kommune=kommune,
                status=KoerselStatus.DONE if i % 2 else KoerselStatus.FAILED,
                behandlet=i,
            )
            for i in range(fra, til)
        ]
    )


def forsendelser(kommune: Any, fra: int, til: int) -> None:
    nu = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    EIndkomstForsendelse.objects.bulk_create(
        [
            EIndkomstForsendelse(
                kommune=kommune,
                noegle=f"eindkomst-101-{i}-{i}",
                periode_fra=nu,
                periode_til=nu,
                antal=1,
                total=HUNDRED,
            )
            for i in range(fra, til)
        ]
    )


def forespoergsler(client: Any, metode: str, url: str, data: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as fanget:
        svar = getattr(client, metode)(url, data)
    assert svar.status_code == 200, (url, svar.status_code)
    return len(fanget)


def samme_antal(
    client: Any, bruger: Any, vokse: Callable[[int, int], None], sider: dict[str, Any]
) -> dict[str, tuple[int, int]]:
    """Queries per screen at 10 rows and again after growing to 1,000."""
    client.force_login(bruger)
    vokse(0, 10)
    foer = {navn: forespoergsler(client, *side) for navn, side in sider.items()}
    vokse(10, 1000)
    efter = {navn: forespoergsler(client, *side) for navn, side in sider.items()}
    maalt = {navn: (foer[navn], efter[navn]) for navn in sider}
    assert all(f == e for f, e in maalt.values()), maalt
    return maalt


def test_forside_konto_borger_and_ompostering_search_cost_the_same_at_10_and_1000(
    client, alice, bent, koebenhavn
):
    borger = Borger.objects.create(kommune=koebenhavn, cpr="0101801234", navn="Vækst Borger")

    def vokse(fra: int, til: int) -> None:
        fordringer_med_daekninger(borger, fra, til)
        flere_opgaver(koebenhavn, fra, til)

    konto = Debitorkonto.objects.filter(borger=borger)
    vokse(0, 0)  # the borger's konti exist before the first count
    foerste_konto = konto.order_by("pk").first()
    assert foerste_konto is not None
    sider: dict[str, tuple[str, str, dict[str, Any]]] = {
        "forside": ("get", reverse("start"), {}),
        "konto": ("get", reverse("debitorkonto", args=[foerste_konto.pk]), {}),
        "borger": ("get", reverse("borger", args=[borger.pk]), {}),
    }
    samme_antal(client, alice, vokse, sider)

    soeg = ("post", reverse("ompostering_soeg", args=[borger.pk]), {"handling": "soeg"})
    samme_antal(
        client,
        bent,
        lambda fra, til: fordringer_med_daekninger(borger, fra + 1000, til + 1000),
        {"ompostering": soeg},
    )


def test_dataudtraek_preview_runs_and_batches_cost_the_same_at_10_and_1000(
    client, pia, bent, koebenhavn
):
    dagmar = personas.dagmar()
    borger = Borger.objects.create(kommune=koebenhavn, cpr="0101801235", navn="Rapport Borger")
    samme_antal(
        client,
        pia,
        lambda fra, til: fordringer_med_daekninger(borger, fra, til),
        {
            "dataudtraek": (
                "get",
                reverse("dataudtraek"),
                {"rapport": "detaljer_debitor", "vis": "1"},
            )
        },
    )
    # The reconciliation recomputes the year from the ledger: over 2,000 konti (more than one
    # chunk of konti, as it was once read) it still costs what it costs over 10.
    afstemt = Borger.objects.create(kommune=koebenhavn, cpr="0101801236", navn="Afstemt Borger")
    samme_antal(
        client,
        pia,
        lambda fra, til: fordringer_med_daekninger(afstemt, 3 * fra, 3 * til, konti=3 * til),
        {
            "afstemning": (
                "get",
                reverse("dataudtraek"),
                {"rapport": "eindkomst_afstemning", "vis": "1"},
            )
        },
    )
    samme_antal(
        client,
        dagmar,
        lambda fra, til: koersler(koebenhavn, fra, til),
        {
            "koersler": (
                "get",
                reverse("admin:sagstilknytning_sagstilknytningskoersel_changelist"),
                {},
            )
        },
    )
    samme_antal(
        client,
        bent,
        lambda fra, til: forsendelser(koebenhavn, fra, til),
        {"forsendelser": ("get", reverse("eindkomst_forsendelser"), {})},
    )
