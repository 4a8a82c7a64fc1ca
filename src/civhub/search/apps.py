from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "civhub.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        # Each app describes its searchable records in its own search.py.
        from django.utils.module_loading import autodiscover_modules

        from civhub.search import signals

        autodiscover_modules("search")
        signals.connect()

        from civhub.search import backup

        backup.register()  # the index's part in `civhub backup` and `civhub restore`

        from civhub.core import registry
        from civhub.search import services

        # The demo's records are indexed once each, at the end of the load.
        registry.register_demo_wrapper(services.batched)
        registry.register_health_check(registry.HealthCheck("search", services.health))
