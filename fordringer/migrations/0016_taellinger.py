"""The start page's figures kept by triggers (``fordringer.konto.taellinger``), counted once
from the rows already there."""

from django.db import migrations

from fordringer.eindkomst.taellinger import TAELLERE as AAR
from fordringer.konto.taellinger import TAELLERE as KONTO
from ky_debitor.taellinger import installer


def frem(apps, schema_editor):
    installer(schema_editor, KONTO + AAR)


def tilbage(apps, schema_editor):
    installer(schema_editor, KONTO + AAR, fjern=True)


class Migration(migrations.Migration):
    dependencies = [
        ("fordringer", "0015_eindkomst"),
        ("ky_debitor", "0007_taellingsdelta"),
    ]

    operations = [migrations.RunPython(frem, tilbage)]
