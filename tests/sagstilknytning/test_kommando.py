"""``manage.py sagstilknytning [--kommune KODE] [--dry-run]`` (DESIGN §6)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fordringer.models import Debitorkonto
from sagstilknytning.models import KoerselStatus, Sagstilknytningskoersel


def test_command_runs_to_the_end_and_prints_counts(data):
    out = StringIO()
    call_command("sagstilknytning", "--kommune", "101", stdout=out)
    koersel = Sagstilknytningskoersel.objects.get()
    assert koersel.status == KoerselStatus.DONE and not koersel.proeve
    linjer = {
        " ".join(linje.split()[:-1]): linje.split()[-1] for linje in out.getvalue().splitlines()[1:]
    }
    # Danish labels, not the stored codes (issue #16).
    assert linjer["Sagstilknyttet"] == "1" and linjer["Opgave oprettet"] == "2"
    assert linjer["Flere bevillinger eller sager passer"] == "1"
    assert "FLERE_BEVILLINGER" not in out.getvalue()
    assert Debitorkonto.objects.filter(tilknytning="AUTOMATISK").count() == 2


def test_dry_run_command_links_nothing(data):
    call_command("sagstilknytning", "--kommune", "101", "--dry-run", stdout=StringIO())
    assert Sagstilknytningskoersel.objects.get().proeve
    assert not Debitorkonto.objects.filter(tilknytning="AUTOMATISK").exists()


def test_unknown_kommune_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Ukendt kommunekode 999"):
        call_command("sagstilknytning", "--kommune", "999", stdout=StringIO())
