from django.db import migrations

from civhub.search import fulltext


def keep_in_row(apps, schema_editor):
    fulltext.keep_in_row(schema_editor)


def allow_toast(apps, schema_editor):
    fulltext.allow_toast(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(keep_in_row, allow_toast)]
