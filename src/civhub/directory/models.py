"""The hub's members and structure: countries and their membership, organizations, people,
governance bodies, topics and the Sustainable Development Goals.

Names and descriptions are translated with django-modeltranslation (see translation.py). A
record's page, its API answer and its search entry read one language version of it as a whole
(core's VersionedTextMixin): an organization's or a governance body's name and description, a
country's summary, a person's position and biography come from the same language, never one
field from Russian and the next from Kazakh. A country's name (the hub's reference name for it
in every language) and a person's name (one in every language) are no part of a version.

Countries, organizations and people are edited by several people at once (the secretariat, a
country's focal points, the person themself): they carry a `version` (core's VersionedModel),
and directory/services.py saves only what an edit changes, on the locked row.
"""

import datetime
import gettext as gettext_module
from functools import cache
from typing import Any, Self

import pycountry
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from civhub.core.models import (
    DemoMarkedModel,
    TimeStampedModel,
    VersionedModel,
    VersionedTextMixin,
)
from civhub.core.types import Viewer
from civhub.directory.choices import (
    BodyKind,
    CountryStatus,
    MembershipStatus,
    OrganizationKind,
    SeatRole,
)


def validate_country_code(value: str) -> None:
    if not value or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code."),
            code="unknown_country",
            params={"code": value},
        )


def validate_language_codes(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Languages must be a list of ISO 639-1 codes."))
    unknown = [code for code in value if pycountry.languages.get(alpha_2=str(code)) is None]
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s."), params={"codes": ", ".join(map(str, unknown))}
        )


def _user_can_edit_country_records(user: Viewer, country_id: int | None) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_editor or (country_id is not None and country_id in user.focal_country_ids)


class Region(models.Model):
    """The hub's own grouping of its members (Central Asia, South Caucasus, ASEAN, ...)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


# ISO 3166-1 entries with no permanent population (at most a research station's staff): Antarctica, Bouvet
# Island, Heard and McDonald Islands, South Georgia and the South Sandwich Islands, the French
# Southern Territories and the US Minor Outlying Islands. Inhabited territories (Greenland,
# Puerto Rico, Hong Kong, ...) have public administrations of their own and stay choosable.
NO_CIVIL_SERVICE = frozenset({"AQ", "BV", "HM", "GS", "TF", "UM"})


class CountryQuerySet(models.QuerySet["Country"]):
    def with_status(self, on: datetime.date | None = None) -> Self:
        """Annotate `status` (participating, observer, former, or "") on the date `on`."""
        on = on or timezone.localdate()
        current = (
            Membership.objects.active_on(on).filter(country=OuterRef("pk")).order_by("-joined_on")
        )
        ever = Membership.objects.filter(country=OuterRef("pk"), joined_on__lte=on)
        return self.annotate(
            current_status=Subquery(current.values("status")[:1]),
            was_member=Exists(ever),
        ).annotate(
            status=Case(
                When(current_status__isnull=False, then=F("current_status")),
                When(was_member=True, then=Value(CountryStatus.FORMER)),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

    def in_hub(self) -> Self:
        """Countries that have ever had a membership period."""
        return self.filter(Exists(Membership.objects.filter(country=OuterRef("pk"))))

    def hub_first(self) -> Self:
        """Countries that have ever been in the hub first (annotated `in_hub`), then the rest;
        by name within each."""
        return self.annotate(
            in_hub=Exists(Membership.objects.filter(country=OuterRef("pk")))
        ).order_by("-in_hub", "name")

    def with_civil_service(self) -> Self:
        """Without the ISO 3166-1 entries that have no permanent population, hence no civil
        service to report on (Antarctica and the like)."""
        return self.exclude(code__in=NO_CIVIL_SERVICE)

    def members_on(self, on: datetime.date) -> Self:
        return self.filter(
            Exists(
                Membership.objects.active_on(on).filter(
                    country=OuterRef("pk"), status=MembershipStatus.PARTICIPATING
                )
            )
        )


class DirectoryText(VersionedTextMixin):
    """How a directory record's translated text is read: one version, English first (the
    directory is kept in English first: an organization's English name is required)."""

    translation_key_field = "name"

    def original_language(self) -> str | None:
        return "en"


class LanguageNeutralName(VersionedTextMixin):
    """A name that is the same record in every language (a person's name; a country's name,
    given in the reader's language wherever the hub names the country): always there, so a
    version is the record's body (`body_fields`) in one language."""

    name: str  # the model's field

    def text_in(self, field: str, language: str) -> str:
        if field == "name":
            return self.name or ""
        return super().text_in(field, language)


class Country(LanguageNeutralName, DirectoryText, VersionedModel, TimeStampedModel):
    body_fields = ("summary",)

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, e.g. KZ."),
    )
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="countries",
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("A short introduction to the country's civil service."),
    )

    # modeltranslation swaps the manager class at run time; the explicit from_queryset call
    # (what as_manager() does) is one the django-stubs plugin can read.
    objects = models.Manager.from_queryset(CountryQuerySet)()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.code = (self.code or "").upper()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.upper()
        if not self.alpha3:
            known = pycountry.countries.get(alpha_2=self.code)
            self.alpha3 = known.alpha_3 if known else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:country", kwargs={"code": self.code.lower()})

    @property
    def flag(self) -> str:
        known = pycountry.countries.get(alpha_2=self.code)
        return getattr(known, "flag", "") if known else ""

    def status_on(self, on: datetime.date | None = None) -> str:
        status: str = Country.objects.with_status(on).get(pk=self.pk).status  # type: ignore[attr-defined]
        return status

    def can_edit(self, user: Viewer) -> bool:
        """Editors edit every country; a focal point only its own."""
        return _user_can_edit_country_records(user, self.pk)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, on: datetime.date) -> Self:
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class Membership(DemoMarkedModel, TimeStampedModel):
    """One period of a country's membership in the hub."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PARTICIPATING,
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["country__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "joined_on"], name="unique_membership_start"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        end = self.left_on.isoformat() if self.left_on else "…"
        return f"{self.country} {self.get_status_display()} {self.joined_on.isoformat()}–{end}"

    def clean(self) -> None:
        super().clean()
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A membership cannot end before it starts.")})
        if self.country_id and self.joined_on:
            overlapping = Membership.objects.filter(country_id=self.country_id).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(left_on__isnull=True) | Q(left_on__gt=self.joined_on)
            )
            if self.left_on:
                overlapping = overlapping.filter(joined_on__lt=self.left_on)
            if overlapping.exists():
                raise ValidationError(
                    {"joined_on": _("This period overlaps another membership of the same country.")}
                )

    def can_edit(self, user: Viewer) -> bool:
        return user.is_authenticated and user.is_editor


def member_count_on(on: datetime.date) -> int:
    """How many countries were participating members on the date `on`."""
    return Country.objects.members_on(on).count()


class Topic(models.Model):
    """An area of civil-service reform that records are tagged with."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class SdgGoal(models.Model):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    short_name = models.CharField(_("short name"), max_length=100)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class SdgTarget(models.Model):
    goal = models.ForeignKey(
        SdgGoal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="targets"
    )
    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("e.g. 16.a"))
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal__number", "order"]

    def __str__(self) -> str:
        return self.code


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def partners(self) -> Self:
        return self.filter(is_partner=True)


class Organization(DirectoryText, VersionedModel, DemoMarkedModel, TimeStampedModel):
    body_fields = ("description",)

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=120,
        blank=True,
        help_text=_("Made from the name when left empty."),
    )
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("Empty for international organizations."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_partner = models.BooleanField(
        _("partner of the hub"), default=False, help_text=_("A partner organization of the hub.")
    )

    # modeltranslation swaps the manager class at run time; the explicit from_queryset call
    # (what as_manager() does) is one the django-stubs plugin can read.
    objects = models.Manager.from_queryset(OrganizationQuerySet)()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="organization_not_own_parent")
        ]

    def __str__(self) -> str:
        # The name of the version the organization's page shows, wherever it is named.
        name = self.shown_text("name")
        return f"{name} ({self.acronym})" if self.acronym else name

    def clean(self) -> None:
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("An organization cannot be its own ancestor.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Organization, self.acronym or self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", kwargs={"slug": self.slug})

    def can_edit(self, user: Viewer) -> bool:
        return _user_can_edit_country_records(user, self.country_id)


def unique_slug(model: type[models.Model], text: str, max_length: int = 100) -> str:
    base = slugify(text, allow_unicode=False)[:max_length] or str(model._meta.model_name)
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


class PersonQuerySet(models.QuerySet["Person"]):
    def experts(self) -> Self:
        return self.filter(on_roster=True)


def language_name(code: str) -> str:
    """A language's name in the active language: Django's names (with our catalogue's
    Kazakh for those Django leaves untranslated), else pycountry's ISO 639 names, which
    have a Russian catalogue, else the English name."""
    active = get_language() or settings.LANGUAGE_CODE
    if code in LANG_INFO and "name" in LANG_INFO[code]:
        return gettext(LANG_INFO[code]["name"])
    language = pycountry.languages.get(alpha_2=code)
    if language is None:
        return code
    return _iso639_catalog(active.split("-")[0]).gettext(language.name)


@cache
def _iso639_catalog(language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


class Person(LanguageNeutralName, DirectoryText, VersionedModel, DemoMarkedModel, TimeStampedModel):
    body_fields = ("position", "bio")

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=120,
        blank=True,
        help_text=_("Made from the name when left empty."),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("ISO 639-1 codes of the languages the person works in."),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("expertise"), blank=True, related_name="people"
    )
    on_roster = models.BooleanField(_("on the expert roster"), default=False)
    bio = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_consent = models.BooleanField(
        _("consents to show contact details"),
        default=False,
        help_text=_("Without consent, no e-mail or phone number is shown to anyone."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    # modeltranslation swaps the manager class at run time; the explicit from_queryset call
    # (what as_manager() does) is one the django-stubs plugin can read.
    objects = models.Manager.from_queryset(PersonQuerySet)()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(Person, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:person", kwargs={"slug": self.slug})

    @property
    def language_names(self) -> list[str]:
        """The languages the person speaks, named in the reader's language."""
        return [language_name(code) for code in self.languages or []]

    def contact_visible_to(self, user: Viewer) -> bool:
        """Contact details are shown only with the person's consent, and only to confirmed
        members (a registered account is not one until its membership is approved)."""
        return self.contact_consent and user.is_authenticated and user.is_member

    def can_edit(self, user: Viewer) -> bool:
        if user.is_authenticated and self.user_id == user.pk:
            return True
        return _user_can_edit_country_records(user, self.country_id)


class GoverningBody(DirectoryText, models.Model):
    body_fields = ("description",)

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.shown_text("name")


class SeatQuerySet(models.QuerySet["Seat"]):
    def current(self, on: datetime.date | None = None) -> Self:
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class Seat(DemoMarkedModel, TimeStampedModel):
    """A person's seat on a governance body, with its role and term."""

    body = models.ForeignKey(
        GoverningBody, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="seats"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("representing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seats",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body__order", "role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="seat_ends_after_it_starts",
                violation_error_message=_("A seat cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["body", "person", "started_on"], name="unique_seat_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.body}"

    def clean(self) -> None:
        super().clean()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("A seat cannot end before it starts.")})
