from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "civhub.insights"
    label = "insights"
    verbose_name = _("Insights and contributions")

    def ready(self) -> None:
        from civhub.core import registry
        from civhub.insights import demo, pages

        pages.register()  # the about page's funding
        registry.register_demo_step(
            registry.DemoStep("contributions", "contributions", demo.load, 20, ("directory",))
        )
