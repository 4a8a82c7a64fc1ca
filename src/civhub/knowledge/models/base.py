"""What content records share: an original language, and translations of their text fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civhub.core.models import LANGUAGE_CODES, VersionedTextMixin
from civhub.knowledge.choices import ContentLanguage

__all__ = ["LANGUAGE_CODES", "OriginalLanguageModel", "VersionedTextMixin"]


class OriginalLanguageModel(VersionedTextMixin, models.Model):
    """Content written in one language, possibly translated into the others.

    Translated fields (see translation.py) have one column per language; which of them the
    reader gets is `VersionedTextMixin`'s rule, falling back to the original language.
    """

    language = models.CharField(
        _("original language"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.EN,
    )

    class Meta:
        abstract = True

    def original_language(self) -> str | None:
        return self.language
