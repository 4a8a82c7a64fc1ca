from django.db import migrations

from civhub.search import fulltext


def add_titles(apps, schema_editor):
    fulltext.add_titles(schema_editor)


def drop_titles(apps, schema_editor):
    fulltext.drop_titles(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_vector_in_row")]

    operations = [migrations.RunPython(add_titles, drop_titles)]
