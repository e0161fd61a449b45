"""API keys get a holder: the person a request with the key acts as.

A key made before this acted through its own user. Its holder becomes the person who made it;
the key's own user keeps its history but no role and no login, so it is no longer anyone.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from ky_debitor.roles import Rolle


def indehaver_fra_opretter(apps, schema_editor):
    ApiNoegle = apps.get_model("ky_debitor", "ApiNoegle")
    Bruger = apps.get_model("ky_debitor", "Bruger")
    ApiNoegle.objects.filter(indehaver__isnull=True).update(indehaver=models.F("oprettet_af"))
    noegle_brugere = Bruger.objects.filter(api_noegle__isnull=False)
    for bruger in noegle_brugere:
        bruger.groups.clear()
    noegle_brugere.update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("ky_debitor", "0005_kommune_udbetalingsdag"),
    ]

    operations = [
        migrations.AddField(
            model_name="apinoegle",
            name="indehaver",
            field=models.ForeignKey(
                help_text="Personen, som nøglen handler på vegne af.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_noegler",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="apinoegle",
            name="bruger",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_noegle",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # Room for every role's name (the choices follow the roles, which only ever grow).
        migrations.AlterField(
            model_name="apinoegle",
            name="rolle",
            field=models.CharField(choices=[(r.value, r.value) for r in Rolle], max_length=30),
        ),
        migrations.RunPython(indehaver_fra_opretter, migrations.RunPython.noop),
    ]
