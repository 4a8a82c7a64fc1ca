from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "civhub.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from civhub.directory.reference import load_reference_data

        # Reference data (countries, regions, topics, SDGs) ships with the code and is
        # present in every database, test databases included.
        post_migrate.connect(load_reference_data, sender=self)
