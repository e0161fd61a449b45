"""``DemoForventning`` leaves ``fordringer`` for the ``demo`` app; its table stays as it is.

State only: ``demo.0001_initial`` has taken the model over with the same table
(``fordringer_demoforventning``) and the same foreign keys, so nothing in the database changes
but the app its content type and permissions belong to.
"""

from django.db import migrations

from ky_debitor.modelflytning import indholdstype_flyt


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("demo", "0001_initial"),
        ("fordringer", "0012_nationale_referencetabeller"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DemoForventning")],
            database_operations=[],
        ),
        indholdstype_flyt("demoforventning", fra="fordringer", til="demo"),
    ]
