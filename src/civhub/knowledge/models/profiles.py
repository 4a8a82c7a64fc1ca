"""Country civil-service profiles: a questionnaire the secretariat can extend, and each
country's answers over time, each with a source and an "as of" date."""

from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, VersionedModel
from civhub.core.types import Viewer
from civhub.knowledge.choices import AnswerType, ReviewStatus


class ProfileSection(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("profile section")
        verbose_name_plural = _("profile sections")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title


class ProfileQuestion(models.Model):
    section = models.ForeignKey(
        ProfileSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("guidance"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=20, choices=AnswerType.choices)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For choice questions: a list of {"value": ..., "en": ..., "ru": ..., "kk": ...}.'
        ),
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        verbose_name = _("profile question")
        verbose_name_plural = _("profile questions")
        ordering = ["section__order", "order", "slug"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        if self.answer_type == AnswerType.CHOICE and (
            not self.choices
            or not all(isinstance(c, dict) and c.get("value") for c in self.choices)
        ):
            raise ValidationError(
                {"choices": _("A choice question needs a list of choices with values.")}
            )

    def choice_label(self, value: str, language: str = "en") -> str:
        for choice in self.choices:
            if choice.get("value") == value:
                return choice.get(language) or choice.get("en") or value
        return value


class ProfileAnswerQuerySet(models.QuerySet["ProfileAnswer"]):
    def approved(self) -> Self:
        return self.filter(status=ReviewStatus.APPROVED)

    def current(self) -> Self:
        """The latest approved answer of each country to each question (newest "as of" first)."""
        return self.approved().order_by("country_id", "question_id", "-as_of", "-pk")


class ProfileAnswer(DemoMarkedModel, VersionedModel):
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        related_name="profile_answers",
    )
    question = models.ForeignKey(
        ProfileQuestion,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    as_of = models.DateField(_("as of"))
    value_bool = models.BooleanField(_("yes or no"), null=True, blank=True)
    value_number = models.DecimalField(
        _("number"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    value_choice = models.CharField(_("choice"), max_length=80, blank=True)
    value_text = models.TextField(_("text"), blank=True)
    value_date = models.DateField(_("date"), null=True, blank=True)
    legal_act = models.ForeignKey(
        "knowledge.LegalAct",
        verbose_name=_("law or by-law"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=500, help_text=_("Where the answer comes from.")
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProfileAnswerQuerySet.as_manager()

    # Set by knowledge.services.profiles on the answers it reads, for the pages: the value as
    # the reader sees it, and (awaiting review) the approved answer it would replace.
    text: str
    current: "ProfileAnswer | None"

    class Meta:
        verbose_name = _("profile answer")
        verbose_name_plural = _("profile answers")
        ordering = ["country", "question", "-as_of"]
        constraints = [
            # One live answer per country, question and date; rejected ones stay as history.
            models.UniqueConstraint(
                fields=["country", "question", "as_of"],
                condition=~Q(status="rejected"),
                name="one_live_answer_per_date",
                violation_error_message=_(
                    "This country already has an answer to this question as of this date."
                ),
            ),
        ]
        indexes = [models.Index(fields=["country", "question", "status", "-as_of"])]

    def __str__(self) -> str:
        return f"{self.country} · {self.question} · {self.as_of}"

    VALUE_FIELD: dict[str, str] = {
        AnswerType.YES_NO: "value_bool",
        AnswerType.NUMBER: "value_number",
        AnswerType.CHOICE: "value_choice",
        AnswerType.TEXT: "value_text",
        AnswerType.DATE: "value_date",
        AnswerType.LEGAL_ACT: "legal_act",
        AnswerType.ORGANIZATION: "organization",
    }

    @property
    def value(self) -> Any:
        return getattr(self, self.VALUE_FIELD[self.question.answer_type])

    def clean(self) -> None:
        super().clean()
        if not self.question_id:
            return
        field = self.VALUE_FIELD[self.question.answer_type]
        value = getattr(self, field)
        if value is None or value == "":
            raise ValidationError({field: _("An answer is required.")})
        if self.question.answer_type == AnswerType.CHOICE:
            allowed = {c["value"] for c in self.question.choices}
            if value not in allowed:
                raise ValidationError({"value_choice": _("Pick one of the question's choices.")})
        if (
            self.question.answer_type == AnswerType.LEGAL_ACT
            and value.country_id != self.country_id
        ):
            raise ValidationError({"legal_act": _("The law must be one of this country's.")})
        if self.question.answer_type == AnswerType.LEGAL_ACT and value.state != "published":
            # Profiles are public: a draft law's title must not show through them.
            raise ValidationError({"legal_act": _("Link a published law.")})

    def display(self, language: str = "en") -> str:
        """The answer as text, for the comparison table and the CSV export."""
        kind, value = self.question.answer_type, self.value
        if kind == AnswerType.YES_NO:
            return str(_("Yes") if value else _("No"))
        if kind == AnswerType.NUMBER:
            number = value.normalize() if isinstance(value, Decimal) else value
            text = formats.number_format(number, use_l10n=True, force_grouping=True)
            return f"{text} {self.question.unit}".strip()
        if kind == AnswerType.CHOICE:
            return self.question.choice_label(value, language)
        if kind == AnswerType.DATE:
            return formats.date_format(value, "j E Y" if language in ("ru", "kk") else "j F Y")
        return str(value)

    def can_edit(self, user: Viewer) -> bool:
        return self.country.can_edit(user)
