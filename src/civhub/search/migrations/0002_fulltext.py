from django.db import migrations

from civhub.search import fulltext


def create(apps, schema_editor):
    fulltext.create(schema_editor)


def drop(apps, schema_editor):
    fulltext.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
