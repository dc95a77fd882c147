"""Half of each page of the assessment table is kept free (PostgreSQL): a rescoring rewrites every village's cached
score at once, and with room on its page each new row version stays there (a HOT update) and touches none of the
table's indexes. On a province (52,378 villages) this took the rescoring's write from about 1.1 s to 0.35 s
(bench/province_scoring.py); the table is one row per village and year, so the room costs a few megabytes."""

from django.db import migrations


def _run(schema_editor, statement):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(statement)


def keep_room(apps, schema_editor):
    _run(schema_editor, "ALTER TABLE assessments_assessment SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):
    _run(schema_editor, "ALTER TABLE assessments_assessment RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_published_notice")]

    operations = [migrations.RunPython(keep_room, fill_pages, elidable=False)]
