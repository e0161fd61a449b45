"""``MaanedligSamling`` leaves ``opgavepakker`` for ``fordringer``; its table stays as it is.

State only: ``fordringer.0014_maanedlig_samling`` has taken the model over with the same table,
index and constraint, so the service that makes the monthly samling lives beside the rest of
samling and ``fordringer`` never imports ``opgavepakker``. The content type and its permissions
move along.
"""

from django.db import migrations

from ky_debitor.modelflytning import indholdstype_flyt


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("fordringer", "0014_maanedlig_samling"),
        ("opgavepakker", "0003_maanedlig_samling"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MaanedligSamling")],
            database_operations=[],
        ),
        indholdstype_flyt("maanedligsamling", fra="opgavepakker", til="fordringer"),
    ]
