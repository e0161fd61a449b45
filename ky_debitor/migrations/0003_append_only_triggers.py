from django.db import migrations

from ky_debitor.append_only import append_only_sql


def _trigger(table):
    forward, reverse = append_only_sql(table)

    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward, params=None)

    def unapply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse, params=None)

    return migrations.RunPython(apply, unapply)


class Migration(migrations.Migration):
    dependencies = [("ky_debitor", "0002_kommuner_og_roller")]
    operations = [_trigger("ky_debitor_auditevent"), _trigger("ky_debitor_opslag")]
