from django.db import migrations

from civhub.search import fulltext


def add(apps, schema_editor):
    fulltext.add_ranking_aids(schema_editor)


def remove(apps, schema_editor):
    fulltext.remove_ranking_aids(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(add, remove)]
