from django.db import migrations

from ky_debitor.kommuner import KOMMUNER

ROLLER = ["Sagsbehandler", "Bogholder", "Projektleder", "Drift"]


def indlaes(apps, schema_editor):
    Kommune = apps.get_model("ky_debitor", "Kommune")
    Group = apps.get_model("auth", "Group")
    for kode, navn in KOMMUNER.items():
        Kommune.objects.update_or_create(kode=kode, defaults={"navn": navn})
    for rolle in ROLLER:
        Group.objects.get_or_create(name=rolle)


class Migration(migrations.Migration):
    dependencies = [
        ("ky_debitor", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(indlaes, migrations.RunPython.noop)]
