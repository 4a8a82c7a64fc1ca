"""What content records share: an original language, and translations of their text fields."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civhub.knowledge.choices import ContentLanguage


class OriginalLanguageModel(models.Model):
    """Content written in one language, possibly translated into the others.

    Translated fields (see translation.py) have one column per language. `reading_language`
    tells which language the reader actually gets for the record's title.
    """

    language = models.CharField(
        _("original language"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.EN,
    )

    class Meta:
        abstract = True

    #: the field whose presence decides whether a translation exists
    translation_key_field = "title"

    def reading_language(self, language: str | None = None) -> str:
        """The language the reader gets: theirs when translated, else the first language in
        the fields' fallback chain (settings.MODELTRANSLATION_FALLBACK_LANGUAGES) that has text."""
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        for code in (language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES):
            if getattr(self, f"{self.translation_key_field}_{code}", ""):
                return code
        return self.language

    def is_translated_into(self, language: str | None = None) -> bool:
        language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        return self.reading_language(language) == language

    @property
    def available_languages(self) -> list[str]:
        return [
            code
            for code, _label in ContentLanguage.choices
            if getattr(self, f"{self.translation_key_field}_{code}", "")
        ]
