"""A submission to a call, and the notes that go with its stages (reasons, questions, answers)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civhub.awards.choices import (
    ACTIVE_ASSIGNMENT,
    CLOSED_STATES,
    OUTCOME_STATES,
    PUBLIC_STATES,
    SUBMISSION_TRANSITIONS,
    Actor,
    ApplicantKind,
    AssignmentStatus,
    NoteKind,
    SubmissionState,
    Transition,
)
from civhub.core.models import DemoMarkedModel, TimeStampedModel, VersionedModel
from civhub.core.types import Viewer
from civhub.knowledge.choices import ContentLanguage

if TYPE_CHECKING:
    from civhub.awards.models.calls import Call

S = SubmissionState


def oversees_scheme(user: Viewer) -> bool:
    """The secretariat's editors and the steering committee: they read every submitted
    submission with its notes and its true state, and the consolidated scores."""
    return user.is_authenticated and (user.is_editor or user.is_steering)


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def public(self, today: datetime.date | None = None) -> Self:
        """Published winners of calls whose results are out."""
        today = today or timezone.localdate()
        return self.filter(
            state__in=PUBLIC_STATES,
            call__results_published_on__isnull=False,
            call__results_published_on__lte=today,
        )

    def visible_to(self, user: Viewer) -> Self:
        """Who sees a submission: everyone its public page; the applicant its own; an
        evaluator the ones assigned to it (not those it declined or declared a conflict on);
        steering committee members every submitted one; editors all."""
        public = Q(pk__in=self.public().values("pk"))
        if not user.is_authenticated:
            return self.filter(public)
        if user.is_editor:
            return self
        mine = Q(applicant=user)
        assigned = Q(assignments__evaluator=user, assignments__status__in=ACTIVE_ASSIGNMENT) & ~Q(
            state__in=[S.DRAFT, S.WITHDRAWN]
        )
        rules = public | mine | assigned
        if user.is_steering:
            rules |= ~Q(state__in=[S.DRAFT, S.WITHDRAWN])
        return self.filter(rules).distinct()

    def shown_in_state(self, user: Viewer, state: str, today: datetime.date | None = None) -> Self:
        """The submissions `user` is told are in `state`: Submission.state_shown_to, asked
        in the database (an outcome held back from the user is "awaiting the decision")."""
        if oversees_scheme(user):
            return self.filter(state=state)
        today = today or timezone.localdate()
        results_out = Q(
            call__results_published_on__isnull=False, call__results_published_on__lte=today
        )
        held_back = Q(state__in=[*OUTCOME_STATES, *PUBLIC_STATES]) & ~results_out
        if state == S.DECISION:
            return self.filter(Q(state=S.DECISION) | held_back)
        return self.filter(Q(state=state) & ~held_back)

    def in_call(self, call: Call) -> Self:
        return self.filter(call=call)


class Submission(VersionedModel, DemoMarkedModel, TimeStampedModel):
    """An innovative solution put forward for a call, by its applicant."""

    call = models.ForeignKey(
        "awards.Call", verbose_name=_("call"), on_delete=models.PROTECT, related_name="submissions"
    )
    category = models.ForeignKey(
        "awards.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="award_submissions",
    )
    applicant_kind = models.CharField(
        _("kind of applicant"), max_length=20, choices=ApplicantKind.choices, blank=True
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_submissions",
    )
    organization_name = models.CharField(
        _("organization, as written"),
        max_length=300,
        blank=True,
        help_text=_("The applying organization's name, when it is not in the directory."),
    )
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_submissions",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("the problem"), blank=True)
    solution = models.TextField(_("the solution"), blank=True)
    running_since = models.DateField(_("in operation since"), null=True, blank=True)
    results = models.TextField(_("results"), blank=True)
    evidence = models.TextField(
        _("evidence of the results"),
        blank=True,
        help_text=_("Figures, evaluations, sources; files can be attached as evidence."),
    )
    novelty = models.TextField(_("what is new"), blank=True)
    replication = models.TextField(_("how another country could replicate it"), blank=True)
    costs = models.TextField(_("costs and resources"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    sdg_targets = models.ManyToManyField(
        "directory.SdgTarget",
        verbose_name=_("SDG targets"),
        blank=True,
        related_name="award_submissions",
    )
    topics = models.ManyToManyField(
        "directory.Topic", verbose_name=_("topics"), blank=True, related_name="award_submissions"
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ContentLanguage.choices, default=ContentLanguage.EN
    )
    declares_accurate = models.BooleanField(
        _("I declare that the information given is accurate"), default=False
    )
    agrees_to_publication = models.BooleanField(
        _("I agree that a winning submission is published, with a case study"), default=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SubmissionState.choices, default=S.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    slot = models.PositiveSmallIntegerField(
        _("place among the applicant's submissions to the call"),
        default=1,
        help_text=_(
            "From 1 up to the call's submissions per applicant; a withdrawn or ineligible "
            "submission gives its place back."
        ),
    )
    practice = models.OneToOneField(
        "knowledge.Practice",
        verbose_name=_("good practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_submission",
        help_text=_("The knowledge-base record the winning submission became."),
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["call", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[S.DRAFT, S.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="submission_submitted_has_time",
                violation_error_message=_("A submitted submission has a submission time."),
            ),
            # One applicant's open submissions to a call each hold a place of their own, so
            # with the usual one place per applicant the database itself refuses a second
            # open submission; the service hands out places up to the call's limit.
            models.UniqueConstraint(
                fields=["call", "applicant", "slot"],
                condition=~Q(state__in=CLOSED_STATES),
                name="submission_one_open_per_applicant_place",
                violation_error_message=_(
                    "You already have an open submission to this call in this place."
                ),
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1),
                name="submission_place_positive",
                violation_error_message=_("A submission's place starts at 1."),
            ),
        ]
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The public page of a published winner (the only page everyone may open)."""
        return reverse("awards:winner", kwargs={"slug": self.call.slug, "pk": self.pk})

    # Permission questions, used by pages and the API alike.
    def can_view(self, user: Viewer) -> bool:
        return Submission.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_edit(self, user: Viewer) -> bool:
        """The applicant edits its draft (and adds files while answering a question); editors
        add the case study and replication guide."""
        if not user.is_authenticated:
            return False
        if user.is_editor:
            return True
        return self.applicant_id == user.pk and self.state in (S.DRAFT, S.INFO_REQUESTED)

    def can_transition(self, user: Viewer, name: str) -> bool:
        step = SUBMISSION_TRANSITIONS.get(name)
        if step is None or not user.is_authenticated or self.state not in step.sources:
            return False
        if step.actor == Actor.APPLICANT:
            return self.applicant_id == user.pk
        if step.actor == Actor.STEERING:
            return oversees_scheme(user)
        return user.is_editor

    def allowed_transitions(self, user: Viewer) -> list[Transition]:
        return [t for t in SUBMISSION_TRANSITIONS.values() if self.can_transition(user, t.name)]

    def can_score(self, user: Viewer) -> bool:
        return (
            user.is_authenticated
            and self.state == S.SCORING
            and self.assignments.filter(evaluator=user, status=AssignmentStatus.ASSIGNED).exists()
        )

    def identity_visible_to(self, user: Viewer) -> bool:
        """Evaluators of a blind call do not see who applied; everyone else who may see the
        submission does."""
        if not user.is_authenticated:
            return self.state in PUBLIC_STATES
        if self.applicant_id == user.pk or oversees_scheme(user):
            return True
        if self.call.blind_identity and self.assignments.filter(evaluator=user).exists():
            return False
        return self.can_view(user)

    def state_shown_to(self, user: Viewer) -> str:
        """The state the user is told: the applicant learns an outcome only when the call's
        results are published, until then the submission is "awaiting the decision".
        The same rule for a list: SubmissionQuerySet.shown_in_state."""
        if (
            self.state in (*OUTCOME_STATES, *PUBLIC_STATES)
            and not self.call.results_out()
            and not oversees_scheme(user)
        ):
            return S.DECISION
        return self.state

    def notes_for(self, user: Viewer) -> models.QuerySet[StageNote]:
        """The notes the user may read: the applicant those addressed to it."""
        if oversees_scheme(user):
            return self.notes.all()
        if user.is_authenticated and self.applicant_id == user.pk:
            return self.notes.filter(visible_to_applicant=True)
        return self.notes.none()


class StageNote(models.Model):
    """A reason, a question to the applicant, its answer, or the minutes of a decision."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    transition = models.CharField(_("step"), max_length=40, blank=True)
    text = models.TextField(_("text"))
    visible_to_applicant = models.BooleanField(_("shown to the applicant"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage note")
        verbose_name_plural = _("stage notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
