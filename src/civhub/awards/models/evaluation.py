"""Who evaluates what, conflicts of interest, scores, decisions and certificates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civhub.awards.choices import (
    OUTCOME_STATES,
    AssignmentStatus,
    ReminderKind,
    SubmissionState,
)
from civhub.core.models import (
    CertificateBase,
    DemoMarkedModel,
    VersionedModel,
    new_verification_code,  # noqa: F401 (migration 0001 names the code's default here)
)


class Assignment(VersionedModel, DemoMarkedModel):
    """One evaluator asked to score one submission."""

    submission = models.ForeignKey(
        "awards.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="award_assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the automatic assignment chose the evaluator."),
    )
    override_reason = models.TextField(
        _("reason for the override"),
        blank=True,
        help_text=_("Why the secretariat chose or removed this evaluator by hand."),
    )
    status_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the evaluator declined or was removed.")
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    completed_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "evaluator"], name="one_assignment_per_evaluator"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="completed_assignment_has_time",
                violation_error_message=_("A completed assignment has a completion time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} — {self.submission}"


class ConflictDeclaration(models.Model):
    """An evaluator's declared conflict with one submission or with an organization."""

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.CASCADE,
        related_name="award_conflicts",
    )
    submission = models.ForeignKey(
        "awards.Submission",
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_conflicts",
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False) | Q(organization__isnull=False),
                name="conflict_names_what",
                violation_error_message=_("Name the submission or the organization."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator}: {self.submission or self.organization}"


class Score(models.Model):
    """One evaluator's score of one criterion, with its comment."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "awards.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion__order", "criterion__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"

    def clean(self) -> None:
        super().clean()
        criterion = self.criterion
        if self.value is not None and not (
            criterion.scale_min <= self.value <= criterion.scale_max
        ):
            raise ValidationError(
                {
                    "value": _("%(criterion)s: give a score from %(min)s to %(max)s.")
                    % {
                        "criterion": criterion.title,
                        "min": criterion.scale_min,
                        "max": criterion.scale_max,
                    }
                }
            )


class Decision(models.Model):
    """What the steering committee (or the panel) decided about a submission, with minutes."""

    submission = models.OneToOneField(
        "awards.Submission",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[(s.value, s.label) for s in OUTCOME_STATES],
    )
    prize = models.ForeignKey(
        "awards.Prize",
        verbose_name=_("prize"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    minutes = models.TextField(_("minutes"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[s.value for s in OUTCOME_STATES]),
                name="decision_outcome_known",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=SubmissionState.NOT_SELECTED) | Q(prize__isnull=True),
                name="no_prize_when_not_selected",
                violation_error_message=_("A submission that is not selected gets no prize."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_outcome_display()}"


class Certificate(CertificateBase):
    """The certificate of an awarded submission; anyone can verify it by its code."""

    submission = models.OneToOneField(
        "awards.Submission",
        verbose_name=_("submission"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )

    class Meta(CertificateBase.Meta):
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.submission} ({self.code[:6]}…)"


class ReminderSent(models.Model):
    """A deadline reminder already sent, so that the daily task sends each one once."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    call = models.ForeignKey(
        "awards.Call", verbose_name=_("call"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "call", "user", "days_before"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user} ({self.days_before})"
