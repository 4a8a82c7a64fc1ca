"""What content records share: an original language, and translations of their text fields."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civhub.knowledge.choices import ContentLanguage

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _asked(language: str | None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE)[:2]


class VersionedTextMixin:
    """A record whose translated fields are read one language version at a time.

    modeltranslation's fallback reads each field on its own (`en` -> `ru` -> `kk`), so a page
    could show a Russian title over a Kazakh body. Here the record picks one language, its
    *version*, and every field is read in it. The rule, in one place for pages, the API and
    the search index: the asked language when the record has a version in it, else the
    original language (`original_language()`), else the first language with a version.

    A record has a version in a language when its title (`translation_key_field`) is written
    in it and, if the record has a body at all (`body_fields` in any language), so is some of
    its body.
    """

    translation_key_field = "title"
    body_fields: tuple[str, ...] = ()

    def original_language(self) -> str | None:
        return None

    def text_in(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}", "") or ""

    def has_version(self, language: str) -> bool:
        if not self.text_in(self.translation_key_field, language):
            return False
        has_body = any(self.text_in(f, code) for f in self.body_fields for code in LANGUAGE_CODES)
        return not has_body or any(self.text_in(f, language) for f in self.body_fields)

    def reading_language(self, language: str | None = None) -> str:
        """The language of the version the reader gets when asking for `language` (default:
        the active language)."""
        asked = _asked(language)
        original = self.original_language()
        for code in (asked, original, *LANGUAGE_CODES):
            if code and self.has_version(code):
                return code
        return original or asked

    def shown_text(self, field: str, language: str | None = None) -> str:
        """`field` in the version the reader gets: never a field of another version."""
        return self.text_in(field, self.reading_language(language))

    @property
    def shown(self) -> dict[str, str]:
        """The version for the active language, for templates: `{{ practice.shown.title }}`,
        `{{ practice.shown.language }}`."""
        from modeltranslation.translator import translator

        language = self.reading_language()
        fields = translator.get_options_for_model(type(self)).fields
        return {"language": language, **{f: self.text_in(f, language) for f in fields}}

    def is_translated_into(self, language: str | None = None) -> bool:
        language = _asked(language)
        return self.reading_language(language) == language

    @property
    def available_languages(self) -> list[str]:
        """The languages the record has a version in."""
        return [code for code in LANGUAGE_CODES if self.has_version(code)]


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
