from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "civhub.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from civhub.core import registry
        from civhub.knowledge import demo_legal, demo_practices, demo_profiles, pages
        from civhub.knowledge.questionnaire import load_questionnaire

        pages.register()  # the home page's practices
        for step in (
            registry.DemoStep(
                "legal", "laws and knowledge transfers", demo_legal.load, 40, ("directory",)
            ),
            registry.DemoStep(
                "profiles",
                "country profiles",
                demo_profiles.load,
                50,
                ("directory", "accounts", "legal"),
            ),
            registry.DemoStep(
                "practices", "good practices", demo_practices.load, 60, ("directory",)
            ),
        ):
            registry.register_demo_step(step)

        # The starting questionnaire of country profiles is present in every database, test
        # databases included; it only adds what is missing (see questionnaire.py).
        post_migrate.connect(load_questionnaire, sender=self)
