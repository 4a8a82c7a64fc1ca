from django.db import migrations

from civhub.search import fulltext


def forwards(apps, schema_editor):
    fulltext.titles_to_their_table(schema_editor)


def backwards(apps, schema_editor):
    fulltext.titles_to_the_documents(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_title_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
