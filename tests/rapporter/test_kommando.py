"""``manage.py rapport``: filters with Danish errors, and every extraction is audited."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from ky_debitor.models import AuditEvent

from .conftest import koer_rapport


def test_unknown_or_bad_filters_are_refused_in_danish(rapportdata, tmp_path):
    with pytest.raises(CommandError, match="Ukendt filter 'farve=roed'"):
        koer_rapport("detaljer_debitor", tmp_path, filtre=("farve=roed",))
    with pytest.raises(CommandError, match="Skriv måneden som mm-åååå"):
        koer_rapport("detaljer_debitor", tmp_path, filtre=("maaned=marts",))
    with pytest.raises(CommandError, match="Ukendt kommunekode 999"):
        koer_rapport("detaljer_debitor", tmp_path, kommune=999)


def test_the_command_audits_the_extraction(rapportdata, tmp_path):
    koer_rapport("fordringer_stoppede_sager", tmp_path, format="xlsx")

    haendelse = AuditEvent.objects.get(handling="rapport.udtraek")
    assert haendelse.aktoer == "manage.py rapport" and haendelse.bruger is None
    assert haendelse.data == {"rapport": "fordringer_stoppede_sager", "filtre": {}, "antal": 1}
    assert haendelse.kommune is not None and haendelse.kommune.kode == 101
