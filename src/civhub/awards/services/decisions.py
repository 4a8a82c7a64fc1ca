"""Decisions, the publication of results, certificates, and what follows: the winner as a
good practice of the knowledge base, and its replications as knowledge transfers."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.awards.choices import (
    IN_PROGRESS_STATES,
    OUTCOME_TRANSITIONS,
    PUBLIC_STATES,
    SubmissionState,
)
from civhub.awards.models import Call, Certificate, Prize, Submission
from civhub.awards.services import submissions as submission_services
from civhub.core import certificates
from civhub.core.models import AttachmentKind
from civhub.core.services import audit
from civhub.core.types import Viewer

if TYPE_CHECKING:
    from civhub.directory.models import Country, Organization
    from civhub.knowledge.models import KnowledgeTransfer, Practice

S = SubmissionState
#: attachments of a submission that go with it into the knowledge base
PRACTICE_FILES = (AttachmentKind.CASE_STUDY, AttachmentKind.REPLICATION_GUIDE)


def record_decision(
    actor: Viewer, submission: Submission, outcome: str, minutes: str, *, prize: Prize | None = None
) -> Submission:
    """The steering committee (or an editor for the panel) records the outcome, with the
    minutes. The applicant learns it when the call's results are published."""
    name = OUTCOME_TRANSITIONS.get(outcome)
    if name is None:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    return submission_services.transition(actor, submission, name, minutes, prize=prize)


@transaction.atomic
def publish_results(actor: Viewer, call: Call, on: datetime.date | None = None) -> Call:
    """Set the day the call's results are out (today by default) and publish the winners.
    Refused while any submission still awaits screening, scoring or its decision."""
    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat publishes results."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    submissions = list(Submission.objects.select_for_update().filter(call=call).order_by("pk"))
    waiting = [s.title for s in submissions if s.state in IN_PROGRESS_STATES]
    if waiting:
        raise ValidationError(
            {
                "results_published_on": _("Still undecided: %(titles)s.")
                % {"titles": "; ".join(waiting)}
            }
        )
    call.results_published_on = on or timezone.localdate()
    call.version += 1  # an edit of the call opened before this is refused, not saved over it
    call.save(update_fields=["results_published_on", "version", "updated_at"])
    audit(
        actor,
        "call.results_published",
        call,
        summary=str(call),
        on=call.results_published_on.isoformat(),
    )
    for submission in submissions:
        if submission.state in (S.AWARDED, S.HONOURABLE_MENTION):
            submission_services.transition(actor, submission, "publish")
    if call.results_published_on <= timezone.localdate():
        from civhub.awards.services.reminders import send_results

        call_id = call.pk
        transaction.on_commit(lambda: send_results(Call.objects.get(pk=call_id)))
    return call


def _winner(submission: Submission) -> bool:
    decision = getattr(submission, "decision", None)
    return (
        decision is not None
        and decision.outcome in (S.AWARDED, S.HONOURABLE_MENTION)
        and submission.state in PUBLIC_STATES
    )


@transaction.atomic
def issue_certificate(actor: Viewer, submission: Submission) -> Certificate:
    """A certificate with an unguessable verification code, for a published winner."""
    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat issues certificates."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not _winner(submission):
        raise ValidationError({"state": _("Only published winners get a certificate.")})
    if Certificate.objects.filter(submission=submission).exists():
        raise ValidationError({"certificate": _("A certificate was already issued.")})
    certificate = certificates.issue(Certificate, actor, submission=submission)
    audit(actor, "submission.certificate_issued", submission, summary=submission.title)
    return certificate


def verify_certificate(code: str) -> Certificate | None:
    """The certificate with this code, for anyone to check; None when there is none."""
    return certificates.verify(
        Certificate.objects.select_related("submission__call", "submission__country"), code
    )


@transaction.atomic
def publish_as_practice(actor: Viewer, submission: Submission) -> Practice:
    """Make a published winner a good practice of the knowledge base (published at once),
    linked both ways (`submission.practice`, `practice.award_submission`), with its case
    study and replication guide attached."""
    from civhub.core.attachments import attachments_of
    from civhub.knowledge.choices import ProjectStatus
    from civhub.knowledge.services import practices as practice_services

    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat publishes good practices."))
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=submission.pk)
    )
    if not _winner(submission):
        raise ValidationError({"state": _("Only published winners become good practices.")})
    if submission.practice_id:
        raise ValidationError({"practice": _("It is already a good practice.")})
    lang = submission.language
    results = "\n\n".join(t for t in (submission.results, submission.evidence) if t.strip())
    lessons = "\n\n".join(t for t in (submission.novelty, submission.replication) if t.strip())
    texts = {
        f"title_{lang}": submission.title,
        f"summary_{lang}": submission.summary,
        f"challenge_{lang}": submission.problem,
        f"solution_{lang}": submission.solution,
        f"results_{lang}": results,
        f"lessons_{lang}": lessons,
    }
    practice = practice_services.create_published_practice(
        actor,
        {
            "language": lang,
            "publication_date": submission.call.results_published_on,
            "project_status": ProjectStatus.ONGOING,
            "period_start": submission.running_since.year if submission.running_since else None,
            "source": _("Innovative Solutions Scheme, %(year)s") % {"year": submission.call.year},
            "created_by": submission.applicant,
            "is_demo": submission.is_demo,
            "implementing_text": []
            if submission.organization_id or not submission.organization_name
            else [submission.organization_name],
            **texts,
        },
        countries=[submission.country_id] if submission.country_id else [],
        implementing_entities=[submission.organization_id] if submission.organization_id else [],
        topics=submission.topics.all(),
        sdg_targets=submission.sdg_targets.all(),
        attachments=attachments_of(submission).filter(kind__in=PRACTICE_FILES),
    )
    submission.practice = practice
    submission.version += 1
    submission.save(update_fields=["practice", "version", "updated_at"])
    audit(
        actor,
        "submission.published_as_practice",
        submission,
        summary=submission.title,
        practice=practice.pk,
    )
    return practice


@transaction.atomic
def record_replication(
    actor: Viewer,
    submission: Submission,
    country: Country,
    *,
    organization: Organization | None = None,
    kind: str = "replication",
    stage: str = "implemented",
    started_on: datetime.date | None = None,
    outcome: str = "",
    evidence_urls: list[str] | None = None,
) -> KnowledgeTransfer:
    """A country replicated a winner: recorded as a knowledge transfer of its good practice
    (through knowledge's own service, with its permissions: editors, or focal points of
    either country), and the submission enters follow-up."""
    from civhub.knowledge.choices import TransferSubject
    from civhub.knowledge.models import KnowledgeTransfer
    from civhub.knowledge.services.transfers import save_transfer

    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.practice_id:
        raise ValidationError({"practice": _("Publish it as a good practice first.")})
    transfer = KnowledgeTransfer(
        source_country=submission.country,
        source_organization=submission.organization,
        target_country=country,
        target_organization=organization,
        subject_kind=TransferSubject.PRACTICE,
        practice=submission.practice,
        kind=kind,
        stage=stage,
        started_on=started_on,
        outcome=outcome,
        evidence_urls=evidence_urls or [],
        source_note=_("Innovative Solutions Scheme"),
        is_demo=submission.is_demo,
        **{f"subject_{submission.language}": submission.title[:300]},
    )
    if not transfer.subject:
        transfer.subject = submission.title[:300]
    save_transfer(actor, transfer)
    audit(
        actor,
        "submission.replicated",
        submission,
        summary=submission.title,
        transfer=transfer.pk,
        country=country.code,
    )
    if submission.state == S.PUBLISHED:
        submission_services.transition(actor, submission, "follow_up", system=True)
    return transfer
