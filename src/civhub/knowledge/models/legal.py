from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, TimeStampedModel, VersionedModel
from civhub.core.types import Viewer
from civhub.directory.models import unique_slug
from civhub.knowledge.choices import LegalActKind, LegalActStatus, PublicationState
from civhub.knowledge.models.base import OriginalLanguageModel

if TYPE_CHECKING:
    from civhub.directory.models import Topic


class LegalActQuerySet(models.QuerySet["LegalAct"]):
    def published(self) -> Self:
        return self.filter(state=PublicationState.PUBLISHED)

    def visible_to(self, user: Viewer) -> Self:
        if user.is_authenticated and user.is_editor:
            return self
        if user.is_authenticated and user.focal_country_ids:
            return self.filter(
                Q(state=PublicationState.PUBLISHED) | Q(country__in=user.focal_country_ids)
            )
        return self.published()


class LegalAct(OriginalLanguageModel, DemoMarkedModel, VersionedModel, TimeStampedModel):
    """A law or by-law of a country's civil service, and the acts it amends, repeals or drew on."""

    #: with the title, what a language version must have (see VersionedTextMixin)
    body_fields = ("summary",)

    slug = models.SlugField(_("slug"), unique=True, max_length=120, blank=True)
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="legal_acts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LegalActKind.choices)
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number"), max_length=100, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LegalActStatus.choices, default=LegalActStatus.IN_FORCE
    )
    amends = models.ManyToManyField(
        "self", verbose_name=_("amends"), symmetrical=False, blank=True, related_name="amended_by"
    )
    repeals: "models.ManyToManyField[LegalAct, Any]" = models.ManyToManyField(
        "self", verbose_name=_("repeals"), symmetrical=False, blank=True, related_name="repealed_by"
    )
    drew_on: "models.ManyToManyField[LegalAct, Any]" = models.ManyToManyField(
        "self",
        verbose_name=_("drew on"),
        symmetrical=False,
        blank=True,
        related_name="inspired",
        help_text=_("Other countries' acts this one learned from."),
    )
    topics: "models.ManyToManyField[Topic, Any]" = models.ManyToManyField(
        "directory.Topic", verbose_name=_("topics"), blank=True, related_name="legal_acts"
    )
    official_url = models.URLField(_("official text"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    state = models.CharField(
        _("publication"),
        max_length=20,
        choices=PublicationState.choices,
        default=PublicationState.PUBLISHED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # modeltranslation swaps the manager class at run time; the explicit from_queryset call
    # (what as_manager() does) is one the django-stubs plugin can read.
    objects = models.Manager.from_queryset(LegalActQuerySet)()

    class Meta:
        verbose_name = _("law or by-law")
        verbose_name_plural = _("laws and by-laws")
        ordering = ["country__name", "-adopted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | Q(adopted_on__isnull=True)
                | Q(effective_on__gte=F("adopted_on")),
                name="legal_act_effective_after_adoption",
                violation_error_message=_("An act cannot take effect before it is adopted."),
            ),
        ]

    def __str__(self) -> str:
        title = self.shown_text("title")
        return f"{title} ({self.number})" if self.number else title

    def clean(self) -> None:
        super().clean()
        if self.adopted_on and self.effective_on and self.effective_on < self.adopted_on:
            raise ValidationError(
                {"effective_on": _("An act cannot take effect before it is adopted.")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(LegalAct, f"{self.country.code}-{self.title}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("knowledge:legal_act", kwargs={"slug": self.slug})

    def can_view(self, user: Viewer) -> bool:
        """Drafts (and their attached files) only for who may see them on the page."""
        return LegalAct.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_edit(self, user: Viewer) -> bool:
        return self.country.can_edit(user)
