from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "civhub.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from civhub.core import lookups

        lookups.install()

        from django.db.models.signals import post_delete

        from civhub.core.models import Attachment
        from civhub.core.signals import delete_attachment_file

        post_delete.connect(
            delete_attachment_file, sender=Attachment, dispatch_uid="civhub.attachment_file"
        )
