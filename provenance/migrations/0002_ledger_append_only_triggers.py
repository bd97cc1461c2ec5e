from django.db import migrations

from provenance import append_only


def install(apps, schema_editor):
    append_only.install(schema_editor.connection)


def remove(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("provenance", "0001_ledger_tables")]

    operations = [migrations.RunPython(install, remove)]
