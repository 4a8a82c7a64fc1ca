from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "civhub.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from civhub.knowledge.questionnaire import load_questionnaire

        # The starting questionnaire of country profiles is present in every database, test
        # databases included; it only adds what is missing (see questionnaire.py).
        post_migrate.connect(load_questionnaire, sender=self)
