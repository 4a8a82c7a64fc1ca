from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "civhub.awards"
    label = "awards"
    verbose_name = _("Innovative Solutions Scheme")

    def ready(self) -> None:
        from civhub.awards import demo
        from civhub.core import registry

        registry.register_demo_step(
            registry.DemoStep(
                "awards", "innovative solutions scheme", demo.load, 70, ("directory", "accounts")
            )
        )
