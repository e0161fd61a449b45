"""The 15 opgavepakker for every kommune (DESIGN §5)."""

from django.db import migrations

from opgavepakker.pakker import definitioner


def opret(apps, schema_editor):
    Kommune = apps.get_model("ky_debitor", "Kommune")
    Opgavepakke = apps.get_model("opgavepakker", "Opgavepakke")
    pakker = []
    for kommune in Kommune.objects.all():
        for d in definitioner():
            pakker.append(
                Opgavepakke(
                    kommune=kommune,
                    kode=d.kode,
                    navn=d.navn,
                    aarsag=d.aarsag,
                    med_daekninger=d.med_daekninger,
                    venteskridt=d.venteskridt,
                    raekkefoelge=d.raekkefoelge,
                )
            )
    Opgavepakke.objects.bulk_create(pakker, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("opgavepakker", "0001_initial"), ("ky_debitor", "0002_kommuner_og_roller")]
    operations = [migrations.RunPython(opret, migrations.RunPython.noop)]
