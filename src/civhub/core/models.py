"""What every app shares: timestamps, demo marking, versions (of edits and of translated
text), the audit log, attachments, and what every certificate has."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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
        # A mixin of translated models only; the options' `fields` are set at registration.
        options: Any = translator.get_options_for_model(type(self))  # type: ignore[arg-type]
        fields = options.fields
        return {"language": language, **{f: self.text_in(f, language) for f in fields}}

    def is_translated_into(self, language: str | None = None) -> bool:
        language = _asked(language)
        return self.reading_language(language) == language

    @property
    def available_languages(self) -> list[str]:
        """The languages the record has a version in."""
        return [code for code in LANGUAGE_CODES if self.has_version(code)]


class VersionedModel(models.Model):
    """A record edited by people who may be editing it at the same time. `version` grows by
    one with every saved change; an edit that started from an older version is refused
    (core.services.save_changes), so nobody's change is silently undone."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class DemoMarkedModel(models.Model):
    """Records invented for the demonstration say so in the data itself."""

    is_demo = models.BooleanField(
        _("demo record"),
        default=False,
        help_text=_("Invented for the demonstration data; not a real fact."),
    )

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change that matters, who made it and what it was. Never edited."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


class AttachmentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CASE_STUDY = "case_study", _("Case study")
    REPLICATION_GUIDE = "replication_guide", _("Replication guide")
    EVIDENCE = "evidence", _("Evidence")
    IMAGE = "image", _("Image")


class Attachment(models.Model):
    """A file attached to any record: PDF, Word, Excel or an image, recognized by its content."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/", max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=AttachmentKind.choices, default=AttachmentKind.DOCUMENT
    )
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title or self.filename

    def can_view(self, user: Any) -> bool:
        """Whoever may see the record it is attached to (a record without a `can_view` rule
        is public); a file whose record is gone, no one."""
        target = self.target
        can_view = getattr(target, "can_view", None)
        return target is not None and (can_view is None or can_view(user))


def new_verification_code() -> str:
    """An unguessable code: 128 bits from the operating system's random source."""
    return secrets.token_urlsafe(16)


class CertificateBase(models.Model):
    """What every certificate has, whatever it certifies (see core/certificates.py): a code
    anyone can verify it by, who issued it and when. An app's certificate adds the record it
    is for (an award's submission, an event's participant)."""

    code = models.CharField(
        _("verification code"),
        max_length=43,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-issued_at"]
