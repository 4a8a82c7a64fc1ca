from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, TimeStampedModel, VersionedModel
from civhub.core.types import Viewer
from civhub.directory.models import unique_slug
from civhub.knowledge.choices import (
    PRACTICE_TRANSITIONS,
    Actor,
    PracticeState,
    ProjectStatus,
    Transition,
)
from civhub.knowledge.models.base import OriginalLanguageModel

if TYPE_CHECKING:
    from civhub.directory.models import Organization, SdgTarget, Topic

YEAR = [MinValueValidator(1900), MaxValueValidator(2100)]


class PracticeQuerySet(models.QuerySet["Practice"]):
    def published(self) -> Self:
        return self.filter(state=PracticeState.PUBLISHED)

    def visible_to(self, user: Viewer) -> Self:
        """Published records for everyone; the rest to its author, editors, and the focal
        points of the countries involved (who endorse)."""
        if not user.is_authenticated:
            return self.published()
        if user.is_editor:
            return self
        mine = Q(created_by=user)
        focal = Q(countries__in=user.focal_country_ids) & ~Q(state=PracticeState.DRAFT)
        return self.filter(Q(state=PracticeState.PUBLISHED) | mine | focal).distinct()

    def for_review(self) -> Self:
        return self.filter(state__in=[PracticeState.SUBMITTED, PracticeState.IN_REVIEW])


class Practice(OriginalLanguageModel, DemoMarkedModel, VersionedModel, TimeStampedModel):
    """A good-practice record, with the fields of the UN South-South good-practice format."""

    #: with the title, what a language version must have (see VersionedTextMixin)
    body_fields = ("summary", "challenge", "solution", "results", "lessons")

    slug = models.SlugField(_("slug"), unique=True, max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=300)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    challenge = models.TextField(_("challenge"), blank=True)
    solution = models.TextField(_("towards a solution"), blank=True)
    results = models.TextField(_("results and impact"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)

    countries = models.ManyToManyField(
        "directory.Country",
        verbose_name=_("countries involved"),
        blank=True,
        related_name="practices",
    )
    countries_text = models.JSONField(
        _("countries as written"),
        default=list,
        blank=True,
        help_text=_("The countries or territories involved as the source names them."),
    )
    supported_by: "models.ManyToManyField[Organization, Any]" = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("supported by"),
        blank=True,
        related_name="supported_practices",
    )
    supported_by_text = models.JSONField(_("supported by, as written"), default=list, blank=True)
    implementing_entities: "models.ManyToManyField[Organization, Any]" = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("implementing entities"),
        blank=True,
        related_name="implemented_practices",
    )
    implementing_text = models.JSONField(
        _("implementing entities, as written"), default=list, blank=True
    )
    sdg_targets: "models.ManyToManyField[SdgTarget, Any]" = models.ManyToManyField(
        "directory.SdgTarget", verbose_name=_("SDG targets"), blank=True, related_name="practices"
    )
    topics: "models.ManyToManyField[Topic, Any]" = models.ManyToManyField(
        "directory.Topic", verbose_name=_("topics"), blank=True, related_name="practices"
    )

    project_status = models.CharField(
        _("project status"), max_length=20, choices=ProjectStatus.choices, blank=True
    )
    period_start = models.PositiveSmallIntegerField(
        _("period start"), null=True, blank=True, validators=YEAR
    )
    period_end = models.PositiveSmallIntegerField(
        _("period end"), null=True, blank=True, validators=YEAR
    )
    url = models.URLField(_("URL of the practice"), max_length=500, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the record came from, e.g. a publication."),
    )
    source_file = models.CharField(_("imported from"), max_length=300, blank=True)

    state = models.CharField(
        _("state"), max_length=20, choices=PracticeState.choices, default=PracticeState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    changes_requested = models.TextField(
        _("changes asked for"), blank=True, help_text=_("The editors' message to the author.")
    )

    # modeltranslation swaps the manager class at run time; the explicit from_queryset call
    # (what as_manager() does) is one the django-stubs plugin can read.
    objects = models.Manager.from_queryset(PracticeQuerySet)()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-publication_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="practice_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["state", "-published_at"])]

    def __str__(self) -> str:
        return self.shown_text("title")

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Practice, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("knowledge:practice", kwargs={"slug": self.slug})

    # Permission questions, used by pages and the API alike.
    @property
    def is_published(self) -> bool:
        return self.state == PracticeState.PUBLISHED

    def can_view(self, user: Viewer) -> bool:
        return Practice.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_edit(self, user: Viewer) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_editor:
            return True
        return self.created_by_id == user.pk and self.state == PracticeState.DRAFT

    def allowed_transitions(self, user: Viewer) -> list[Transition]:
        return [t for t in PRACTICE_TRANSITIONS.values() if self.can_transition(user, t.name)]

    def can_transition(self, user: Viewer, name: str) -> bool:
        transition = PRACTICE_TRANSITIONS.get(name)
        if transition is None or not user.is_authenticated or self.state not in transition.sources:
            return False
        if transition.actor == Actor.EDITOR:
            return user.is_editor
        return self.created_by_id == user.pk or user.is_editor

    def can_endorse(self, user: Viewer) -> bool:
        """A focal point of a country involved may endorse, once the record is submitted."""
        if not user.is_authenticated or self.state == PracticeState.DRAFT:
            return False
        return bool(user.focal_country_ids & set(self.countries.values_list("pk", flat=True)))

    def contacts_visible_to(self, user: Viewer) -> bool:
        """Whether `user` may read the contacts' e-mail addresses (names are public): confirmed
        members only, as for experts' contacts."""
        return user is not None and user.is_authenticated and user.is_member

    def contacts_for(self, user: Viewer) -> list[dict]:
        """The contacts as `user` may read them: name and position for everyone, the e-mail
        address only for those `contacts_visible_to` allows. The page, the API and every
        export read this, so none of them shows more than another."""
        show_email = self.contacts_visible_to(user)
        return [
            {
                "name": contact.name,
                "position": contact.position,
                "email": contact.email if show_email else "",
            }
            for contact in self.contacts.all()
        ]


class PracticeContact(models.Model):
    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Endorsement(models.Model):
    """A country focal point vouches for a practice its country took part in."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="endorsements"
    )
    country = models.ForeignKey(
        "directory.Country", verbose_name=_("country"), on_delete=models.CASCADE
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endorsed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("endorsed"), auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "country"], name="one_endorsement_per_country"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country} endorses {self.practice}"
