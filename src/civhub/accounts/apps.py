from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civhub.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from civhub.accounts import signals

        # New models bring new permissions: give them to the editors' group after each migrate
        # (after every app's signal, since each app's permissions are made by its own).
        post_migrate.connect(signals.refresh_editors_group, dispatch_uid="civhub.editors_group")
