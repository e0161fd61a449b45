"""The national reference tables: append-only in the database, and the ompostering keeps the
reason text it was booked with.

* ``LL8ODaekning.omfattet``: coverage ends with a new row, since no row is edited any more.
* ``Ompostering.aarsag_tekst``: the reason's text at booking, backfilled from the reason row.
* PostgreSQL triggers refuse UPDATE and DELETE of ydelsestyper, ydelseskoder, § 8 O rows,
  interest rates and regime rules (like the ledger), and refuse a DELETE of a reason or an
  UPDATE of its text (a reason may still be retired: ``aktiv``, ``raekkefoelge``).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

APPEND_ONLY = (
    "fordringer_ydelsestype",
    "fordringer_ydelseskode",
    "fordringer_ll8odaekning",
    "fordringer_rentesats",
    "fordringer_renteregimeregel",
)

AARSAG_FORWARD = """
    CREATE OR REPLACE FUNCTION ky_aarsag_tekst_fast() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR NEW.id <> OLD.id OR NEW.tekst IS DISTINCT FROM OLD.tekst THEN
            RAISE EXCEPTION 'Tabellen % er kun til tilføjelse: en årsags tekst ændres ikke (%)',
                TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER fordringer_omposteringaarsag_tekst_fast
        BEFORE UPDATE OR DELETE ON fordringer_omposteringaarsag
        FOR EACH ROW EXECUTE FUNCTION ky_aarsag_tekst_fast();
"""
AARSAG_REVERSE = """
    DROP TRIGGER IF EXISTS fordringer_omposteringaarsag_tekst_fast
        ON fordringer_omposteringaarsag;
    DROP FUNCTION IF EXISTS ky_aarsag_tekst_fast();
"""


def aarsag_tekst_udfyld(apps, schema_editor):
    Ompostering = apps.get_model("fordringer", "Ompostering")
    OmposteringAarsag = apps.get_model("fordringer", "OmposteringAarsag")
    Ompostering.objects.update(
        aarsag_tekst=Subquery(
            OmposteringAarsag.objects.filter(pk=OuterRef("aarsag_id")).values("tekst")[:1]
        )
    )


# Like the ledger's ``ky_refuse_change``, but an UPDATE that writes the row back unchanged is
# no edit and passes: Django's test database restore (``serialized_rollback``) saves every row
# of the migrations' data again, and loading a fixture does the same.
REFERENCE_FORWARD = """
    CREATE OR REPLACE FUNCTION ky_reference_fast() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'Tabellen % er kun til tilføjelse (%)', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
"""


def _trigger_sql(table: str) -> tuple[str, str]:
    forward = f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION ky_reference_fast();
    """
    return forward, f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"


def triggere(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REFERENCE_FORWARD, params=None)
    for table in APPEND_ONLY:
        forward, _reverse = _trigger_sql(table)
        schema_editor.execute(forward, params=None)
    schema_editor.execute(AARSAG_FORWARD, params=None)


def triggere_fjern(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY:
        _forward, reverse = _trigger_sql(table)
        schema_editor.execute(reverse, params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS ky_reference_fast();", params=None)
    schema_editor.execute(AARSAG_REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("fordringer", "0011_flet_samling")]

    operations = [
        migrations.AddField(
            model_name="ll8odaekning",
            name="omfattet",
            field=models.BooleanField(
                default=True,
                help_text="Uden markering ophører § 8 O-dækningen fra indkomståret.",
            ),
        ),
        migrations.AddConstraint(
            model_name="ll8odaekning",
            constraint=models.UniqueConstraint(
                fields=("ydelsestype", "fra_indkomstaar"), name="ll8o_en_pr_aar"
            ),
        ),
        migrations.AddField(
            model_name="ompostering",
            name="aarsag_tekst",
            field=models.CharField(default="", max_length=200, verbose_name="årsag"),
            preserve_default=False,
        ),
        migrations.RunPython(aarsag_tekst_udfyld, migrations.RunPython.noop),
        migrations.RunPython(triggere, triggere_fjern),
    ]
