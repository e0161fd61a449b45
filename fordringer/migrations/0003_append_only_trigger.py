from django.db import migrations

from ky_debitor.append_only import append_only_sql

FORWARD, REVERSE = append_only_sql("fordringer_postering")


def apply(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def unapply(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("fordringer", "0002_ydelsestyper"),
        ("ky_debitor", "0003_append_only_triggers"),
    ]
    operations = [migrations.RunPython(apply, unapply)]
