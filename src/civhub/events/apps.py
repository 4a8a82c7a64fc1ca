from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "civhub.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from civhub.core import registry
        from civhub.events import demo

        registry.register_demo_step(
            registry.DemoStep("events", "events", demo.load, 80, ("directory", "accounts"))
        )
