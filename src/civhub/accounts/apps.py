from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civhub.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from civhub.accounts import signals  # noqa: F401
