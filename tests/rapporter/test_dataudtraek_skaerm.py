"""The "Dataudtræk" screen: roles, preview, direct download, background export, "Mine udtræk",
tenancy on every URL, audit, and deletion of expired exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from ky_debitor.models import AuditEvent
from ky_debitor.visning import filstoerrelse
from rapporter.models import Eksport, EksportStatus
from rapporter.services import eksport_ryd_op

from ..factories import FordringFactory
from .conftest import csv_fra_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _hent(client, rapport="detaljer_debitor", format="csv", **filtre):
    data = {"rapport": rapport, "format": format, **{f"f_{k}": v for k, v in filtre.items()}}
    return client.post(reverse("udtraek_hent"), data)


def _bestil(client, settings, django_capture_on_commit_callbacks, format="xlsx"):
    settings.KY_EKSPORT_GRAENSE = 1
    with django_capture_on_commit_callbacks(execute=True):
        svar = _hent(client, format=format)
    assert svar.status_code == 302
    return Eksport.objects.get()


def test_other_roles_get_403_and_anonymous_is_sent_to_login(client, bent):
    urls = [reverse("dataudtraek"), reverse("mine_udtraek")]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(bent)
    for url in urls:
        assert client.get(url).status_code == 403
    assert _hent(client).status_code == 403


def test_preview_shows_count_and_first_50_rows_of_own_kommune(client, pia, rapportdata):
    FordringFactory.create_batch(50)
    client.force_login(pia)
    svar = client.get(reverse("dataudtraek"), {"rapport": "detaljer_debitor", "vis": "1"})

    html = svar.content.decode()
    assert svar.status_code == 200
    assert "<strong>54 rækker</strong> i alt. Her vises de første 50" in html
    assert html.count("<tr>") == 51  # header + 50 rows
    assert "0101709999" not in html and "F-ODENSE" not in html
    assert "1.234,56" in html and "15-03-2024" in html
    assert AuditEvent.objects.filter(handling="rapport.vist", bruger=pia).exists()


def test_preview_with_a_bad_month_says_so_in_danish(client, pia, rapportdata):
    client.force_login(pia)
    svar = client.get(
        reverse("dataudtraek"), {"rapport": "detaljer_debitor", "vis": "1", "f_maaned": "marts"}
    )
    assert "Skriv måneden som mm-åååå, fx 03-2024." in svar.content.decode()


def test_small_csv_streams_straight_in_the_response_and_is_audited(client, pia, rapportdata):
    client.force_login(pia)
    svar = _hent(client, format="csv", status="AFVENTER_FRIGIVELSE")

    assert svar.streaming and svar["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in svar["Content-Disposition"]
    rows = csv_fra_bytes(b"".join(svar.streaming_content))
    assert [(r["fordringsid"], r["status"], r["hovedstol"]) for r in rows] == [
        ("F-KY", "Afventer frigivelse", "1.234,56")
    ]
    haendelse = AuditEvent.objects.get(handling="rapport.udtraek", bruger=pia)
    assert haendelse.data["filtre"] == {"status": "AFVENTER_FRIGIVELSE"}
    assert Eksport.objects.count() == 0


def test_small_xlsx_is_downloaded_directly(client, pia, rapportdata):
    client.force_login(pia)
    svar = _hent(client, format="xlsx", rapport="fordringer_stoppede_sager")

    wb = load_workbook(io.BytesIO(b"".join(svar.streaming_content)))
    assert wb.sheetnames == ["Om udtrækket", "Stoppede sager"]
    assert [r[4] for r in wb["Stoppede sager"].iter_rows(min_row=2, values_only=True)] == ["F-STOP"]


def test_large_export_runs_in_the_background_and_lands_in_mine_udtraek(
    client, pia, rapportdata, settings, django_capture_on_commit_callbacks
):
    client.force_login(pia)
    eksport = _bestil(client, settings, django_capture_on_commit_callbacks)

    assert eksport.status == EksportStatus.FAERDIG and eksport.antal == 4
    assert abs(eksport.udloeber - eksport.oprettet - dt.timedelta(days=7)) < dt.timedelta(seconds=5)
    side = client.get(reverse("eksport", args=[eksport.pk])).content.decode()
    assert 'value="100"' in side and "Udtrækket er klar" in side
    assert "hx-trigger" not in side  # done: the page stops polling
    delvis = client.get(reverse("eksport", args=[eksport.pk]), HTTP_HX_REQUEST="true")
    assert delvis.content.decode().lstrip().startswith('<div id="eksport-status"')
    assert "Detaljer_Debitor" in client.get(reverse("mine_udtraek")).content.decode()

    fil = client.get(reverse("eksport_fil", args=[eksport.pk]))
    indhold = b"".join(fil.streaming_content)
    # The finished file's size is shown, as the file is.
    assert eksport.stoerrelse == len(indhold)
    assert f'<span id="eksport-stoerrelse">{filstoerrelse(len(indhold))}</span>' in side
    ark = load_workbook(io.BytesIO(indhold))["Detaljer_Debitor"]
    assert sorted(r[4] for r in ark.iter_rows(min_row=2, values_only=True)) == [
        "F-FRIGIVET",
        "F-KY",
        "F-STOP",
        "F-UDEN",
    ]
    assert AuditEvent.objects.filter(handling="rapport.eksport_bestilt").count() == 1
    assert AuditEvent.objects.filter(handling="rapport.eksport_hentet", bruger=pia).count() == 1


def test_a_running_export_shows_its_progress_and_keeps_polling(client, pia, rapportdata):
    eksport = Eksport.objects.create(
        kommune=pia.kommune,
        bruger=pia,
        rapport="detaljer_debitor",
        titel="Detaljer_Debitor",
        format="csv",
        status=EksportStatus.KOERER,
        antal=200,
        skrevet=50,
        udloeber=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    client.force_login(pia)
    side = client.get(reverse("eksport", args=[eksport.pk])).content.decode()
    assert 'value="25"' in side and 'hx-trigger="every 1s"' in side
    assert client.get(reverse("eksport_fil", args=[eksport.pk])).status_code == 404


def test_a_running_export_says_how_long_is_left_at_its_pace(client, pia, rapportdata):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, 30, tzinfo=dt.UTC), tick=False):
        eksport = Eksport.objects.create(
            kommune=pia.kommune,
            bruger=pia,
            rapport="detaljer_debitor",
            titel="Detaljer_Debitor",
            format="xlsx",
            status=EksportStatus.KOERER,
            antal=400_000,
            skrevet=100_000,  # a quarter in 30 seconds: 90 seconds left
            startet=dt.datetime(2026, 3, 2, 10, 0, 0, tzinfo=dt.UTC),
            udloeber=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        )
        client.force_login(pia)
        side = client.get(reverse("eksport", args=[eksport.pk])).content.decode()
        api = client.get(reverse("api:eksport", args=[eksport.pk])).json()

    assert '<span id="eksport-resterende">ca. 2 minutter tilbage</span>' in side
    assert api["resterende_sekunder"] == 90


def test_the_preview_estimates_the_files_time_from_the_kommunes_last_exports(
    client, pia, rapportdata
):
    client.force_login(pia)

    def anslag() -> str:
        side = client.get(reverse("dataudtraek"), {"rapport": "detaljer_debitor", "vis": "1"})
        html = side.content.decode()
        start = html.index('<p id="anslaaet-tid">')
        return html[start : html.index("</p>", start)]

    # No export to go by: the standard pace, 4 rows in well under 10 seconds.
    assert "under 10 sekunder som Excel, under 10 sekunder som CSV" in anslag()

    # The kommune's last Excel export wrote 1,000 rows in 250 seconds: 4 rows/s, so 4 rows
    # take 1 s plus a second to start.
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    Eksport.objects.create(
        kommune=pia.kommune,
        bruger=pia,
        rapport="detaljer_debitor",
        titel="Detaljer_Debitor",
        format="xlsx",
        status=EksportStatus.FAERDIG,
        antal=1000,
        skrevet=1000,
        startet=start,
        faerdig=start + dt.timedelta(seconds=250),
        udloeber=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
    )
    FordringFactory.create_batch(120, konto__borger=rapportdata["ky"].konto.borger)
    # 124 rows at 4 rows/s: 32 seconds as Excel; CSV still at the standard pace.
    assert "ca. 30 sekunder som Excel, under 10 sekunder som CSV" in anslag()


def test_another_kommune_or_person_cannot_reach_a_stored_export(
    client, pia, oskar, alice, rapportdata, settings, django_capture_on_commit_callbacks
):
    client.force_login(pia)
    eksport = _bestil(client, settings, django_capture_on_commit_callbacks)
    for fremmed in (oskar, alice):
        client.force_login(fremmed)
        assert client.get(reverse("eksport", args=[eksport.pk])).status_code == 404
        assert client.get(reverse("eksport_fil", args=[eksport.pk])).status_code == 404
        assert "Detaljer_Debitor" not in client.get(reverse("mine_udtraek")).content.decode()


def test_odense_screen_and_download_hold_none_of_koebenhavns_rows(client, oskar, rapportdata):
    client.force_login(oskar)
    for navn in ("detaljer_debitor", "kmd_aktiv_sagstilknytning", "fordringer_stoppede_sager"):
        side = client.get(reverse("dataudtraek"), {"rapport": navn, "vis": "1"}).content.decode()
        assert "O-1" in side and "1505824321" not in side and "K-1" not in side
        indhold = b"".join(_hent(client, rapport=navn).streaming_content).decode()
        assert "O-1" in indhold and "1505824321" not in indhold


def test_expired_exports_and_their_files_are_deleted(
    client, pia, rapportdata, settings, django_capture_on_commit_callbacks
):
    client.force_login(pia)
    eksport = _bestil(client, settings, django_capture_on_commit_callbacks, format="csv")
    sti = eksport.fil.path

    assert eksport_ryd_op(nu=eksport.udloeber - dt.timedelta(seconds=1)) == 0
    assert eksport_ryd_op(nu=eksport.udloeber + dt.timedelta(seconds=1)) == 1
    assert not Eksport.objects.exists()
    with pytest.raises(FileNotFoundError):
        open(sti)  # noqa: SIM115
