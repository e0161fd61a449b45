"""Mine opgaver's figures per opgavepakke kept by triggers (``opgavepakker.taellinger``),
counted once from the rows already there."""

from django.db import migrations

from ky_debitor.taellinger import installer
from opgavepakker.taellinger import TAELLERE


def frem(apps, schema_editor):
    installer(schema_editor, TAELLERE)


def tilbage(apps, schema_editor):
    installer(schema_editor, TAELLERE, fjern=True)


class Migration(migrations.Migration):
    dependencies = [
        ("opgavepakker", "0005_opgave_aendringer"),
        ("fordringer", "0016_taellinger"),
    ]

    operations = [migrations.RunPython(frem, tilbage)]
