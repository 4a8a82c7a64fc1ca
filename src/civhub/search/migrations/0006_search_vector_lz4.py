from django.db import migrations

from civhub.search import fulltext


def forwards(apps, schema_editor):
    fulltext.compress_with_lz4(schema_editor)


def backwards(apps, schema_editor):
    fulltext.compress_with_pglz(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_title_table")]

    operations = [migrations.RunPython(forwards, backwards)]
