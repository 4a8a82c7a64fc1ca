"""A call for innovative solutions: its themes, who may apply, its timeline, its criteria and
its prizes."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civhub.awards.choices import ApplicantKind, CallState, PrizeKind, TieBreak
from civhub.core.models import DemoMarkedModel, TimeStampedModel, VersionedModel
from civhub.core.types import Viewer


def validate_applicant_kinds(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Say who may apply."))
    unknown = [kind for kind in value if kind not in ApplicantKind.values]
    if unknown:
        raise ValidationError(
            _("Unknown kinds of applicant: %(kinds)s.") % {"kinds": ", ".join(map(str, unknown))}
        )


@dataclass(frozen=True)
class Stage:
    """One stage of a call's timeline, as its page lists them (`Call.stages`)."""

    key: str
    label: str
    about: str
    starts: datetime.datetime | datetime.date | None
    ends: datetime.datetime | datetime.date | None
    #: "done", "current" or "upcoming"
    status: str

    @property
    def is_current(self) -> bool:
        return self.status == "current"


class CallQuerySet(models.QuerySet["Call"]):
    def announced(self) -> Self:
        return self.filter(state=CallState.ANNOUNCED)

    def visible_to(self, user: Viewer) -> Self:
        if user.is_authenticated and user.is_editor:
            return self
        return self.announced()


class Call(VersionedModel, DemoMarkedModel, TimeStampedModel):
    """One round of the scheme, e.g. the 2018 call on digital government."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CallState.choices, default=CallState.DRAFT
    )
    eligible_kinds = models.JSONField(
        _("who may apply"),
        default=list,
        validators=[validate_applicant_kinds],
        help_text=_("The kinds of applicant the call accepts, from any country."),
    )
    min_months_in_operation = models.PositiveSmallIntegerField(
        _("minimum time in operation (months)"),
        default=12,
        help_text=_("How long a solution must have run, by the day the call closes."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(
        _("closes"), help_text=_("Nothing is accepted from this moment on (server time).")
    )
    screening_ends_at = models.DateTimeField(_("screening ends"))
    scoring_ends_at = models.DateTimeField(_("scoring ends"))
    decision_at = models.DateTimeField(_("decision"))
    results_published_on = models.DateField(
        _("results published on"),
        null=True,
        blank=True,
        help_text=_("From this day on applicants see their results and the winners are public."),
    )
    evaluators_per_submission = models.PositiveSmallIntegerField(
        _("evaluators per submission"), default=3, validators=[MinValueValidator(3)]
    )
    blind_identity = models.BooleanField(
        _("evaluators do not see who applied"),
        default=True,
        help_text=_("Hide the applicant and the organization from the evaluators."),
    )
    tie_break = models.CharField(
        _("tie-break rule"), max_length=20, choices=TieBreak.choices, default=TieBreak.EARLIER
    )
    tie_break_criterion = models.ForeignKey(
        "awards.Criterion",
        verbose_name=_("tie-break criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "When the evaluators' weighted totals of a submission lie further apart than this "
            "(in percentage points of the scale), the panel discusses it."
        ),
    )
    applications_reported = models.PositiveIntegerField(
        _("applications received (as reported)"), null=True, blank=True
    )
    countries_reported = models.PositiveSmallIntegerField(
        _("countries applying (as reported)"), null=True, blank=True
    )
    submissions_per_applicant = models.PositiveSmallIntegerField(
        _("submissions per applicant"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many submissions one applicant may have in this call at a time; withdrawn "
            "and ineligible ones do not count."
        ),
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-year", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at"))
                & Q(closes_at__lte=F("screening_ends_at"))
                & Q(screening_ends_at__lte=F("scoring_ends_at"))
                & Q(scoring_ends_at__lte=F("decision_at")),
                name="call_timeline_ordered",
                violation_error_message=_(
                    "The timeline must run in order: opens, closes, screening ends, scoring "
                    "ends, decision."
                ),
            ),
            models.CheckConstraint(
                condition=Q(evaluators_per_submission__gte=3),
                name="call_at_least_three_evaluators",
                violation_error_message=_("Each submission needs at least three evaluators."),
            ),
            models.CheckConstraint(
                condition=Q(submissions_per_applicant__gte=1),
                name="call_allows_a_submission_per_applicant",
                violation_error_message=_("A call accepts at least one submission per applicant."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_title

    @property
    def full_title(self) -> str:
        """The title with the year, which most titles already name ("… 2018: digital
        government"): then it is not said twice."""
        year = str(self.year)
        return self.title if year in self.title else f"{self.title} ({year})"

    def clean(self) -> None:
        super().clean()
        order = ["opens_at", "closes_at", "screening_ends_at", "scoring_ends_at", "decision_at"]
        for earlier, later in zip(order, order[1:], strict=False):
            a, b = getattr(self, earlier), getattr(self, later)
            if a and b and (b < a or (earlier == "opens_at" and b == a)):
                raise ValidationError(
                    {
                        later: _(
                            "The timeline must run in order: opens, closes, screening ends, "
                            "scoring ends, decision."
                        )
                    }
                )
        if self.tie_break == TieBreak.CRITERION and not self.tie_break_criterion_id:
            raise ValidationError({"tie_break_criterion": _("Name the tie-break criterion.")})
        # the criterion is set when its id is
        if self.tie_break_criterion_id and self.tie_break_criterion.call_id != self.pk:  # type: ignore[union-attr]
            raise ValidationError(
                {"tie_break_criterion": _("The criterion must belong to this call.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("awards:call", kwargs={"slug": self.slug})

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Open for submissions: announced, and from `opens_at` up to, not including,
        `closes_at`."""
        now = now or timezone.now()
        return self.state == CallState.ANNOUNCED and self.opens_at <= now < self.closes_at

    def stages(self, now: datetime.datetime | None = None) -> list[Stage]:
        """The call's stages in order, each with its dates and whether it is done, current or
        upcoming at `now` (server time). A draft call has none done or current; once the
        decision is due, the results are current until they are published, and stay so."""
        now = now or timezone.now()
        periods = [
            (
                "submissions",
                _("Submissions"),
                _("Members of the hub apply and submit their solutions."),
                self.opens_at,
                self.closes_at,
            ),
            (
                "screening",
                _("Eligibility screening"),
                _("The secretariat checks each submission against the call's rules."),
                self.closes_at,
                self.screening_ends_at,
            ),
            (
                "scoring",
                _("Expert scoring"),
                _("Independent evaluators score the eligible submissions."),
                self.screening_ends_at,
                self.scoring_ends_at,
            ),
            (
                "decision",
                _("Decision"),
                _("The steering committee chooses the winners."),
                self.scoring_ends_at,
                self.decision_at,
            ),
        ]
        announced = self.state == CallState.ANNOUNCED
        results_out = self.results_out(timezone.localdate(now))
        stages = []
        for key, label, about, starts, ends in periods:
            if not announced:
                status = "upcoming"
            elif results_out or now >= ends:
                status = "done"
            elif now >= starts:
                status = "current"
            else:
                status = "upcoming"
            stages.append(Stage(key, str(label), str(about), starts, ends, status))
        waiting = announced and now >= self.decision_at
        stages.append(
            Stage(
                "results",
                str(_("Results")),
                str(_("The winners and the call's figures are published.")),
                self.results_published_on,
                None,
                "current" if results_out or waiting else "upcoming",
            )
        )
        return stages

    def results_out(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.results_published_on is not None and self.results_published_on <= today

    def can_view(self, user: Viewer) -> bool:
        return Call.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_edit(self, user: Viewer) -> bool:
        return user.is_authenticated and user.is_editor


class Category(models.Model):
    """A theme of a call, e.g. "merit-based selection and promotion"."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="categories"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["call", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["call", "slug"], name="unique_category_per_call")
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """What the evaluators score, with its weight and its scale."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Relative weight; the weights need not add up to anything."),
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["call", "slug"], name="unique_criterion_per_call"),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("A criterion's weight must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")),
                name="criterion_scale_ordered",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        low, high = self.scale_min, self.scale_max
        if low is not None and high is not None and high <= low:
            raise ValidationError({"scale_max": _("The highest score must be above the lowest.")})


class Prize(models.Model):
    """What a call awards: prizes by rank, and honourable mentions."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="prizes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PrizeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    count = models.PositiveSmallIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="prize_count_positive",
                violation_error_message=_("A prize is given at least once."),
            )
        ]

    def __str__(self) -> str:
        return self.title
