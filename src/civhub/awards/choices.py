"""States, kinds and roles of the Innovative Solutions Scheme, and the transitions of the
submission workflow and of a call, written once (SUBMISSION_TRANSITIONS, CALL_TRANSITIONS)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civhub.core.types import StrOrPromise


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")


class ApplicantKind(models.TextChoices):
    """Who may apply: a call lists the kinds it accepts."""

    PUBLIC_BODY = "public_body", _("Public body")
    ACADEMY = "academy", _("Academy or school of public administration")
    THINK_TANK = "think_tank", _("Think tank or research centre")
    NGO = "ngo", _("Non-governmental organization")
    INDIVIDUAL = "individual", _("Individual")


class PrizeKind(models.TextChoices):
    PRIZE = "prize", _("Prize")
    HONOURABLE_MENTION = "honourable_mention", _("Honourable mention")


class TieBreak(models.TextChoices):
    """How two submissions with the same score are ordered; the call states its rule."""

    CRITERION = "criterion", _("Higher mean score on the call's tie-break criterion")
    EARLIER = "earlier", _("Earlier submission")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("In screening")
    INFO_REQUESTED = "info_requested", _("More information asked for")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    SCORING = "scoring", _("Being scored")
    CONSOLIDATION = "consolidation", _("Scores being consolidated")
    DECISION = "decision", _("Awaiting the decision")
    AWARDED = "awarded", _("Awarded")
    HONOURABLE_MENTION = "honourable_mention", _("Honourable mention")
    NOT_SELECTED = "not_selected", _("Not selected")
    PUBLISHED = "published", _("Published")
    FOLLOW_UP = "follow_up", _("In follow-up")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = SubmissionState
#: outcomes the applicant may learn only once the call's results are published
OUTCOME_STATES = (S.AWARDED, S.HONOURABLE_MENTION, S.NOT_SELECTED)
#: states whose submission (and its public page) everyone may see once results are out
PUBLIC_STATES = (S.PUBLISHED, S.FOLLOW_UP)
#: states a submission is in once every evaluator's scores are in (consolidation onwards)
SCORED_STATES = (
    S.CONSOLIDATION,
    S.DECISION,
    S.AWARDED,
    S.HONOURABLE_MENTION,
    S.NOT_SELECTED,
    S.PUBLISHED,
    S.FOLLOW_UP,
)
#: states in which a submission no longer counts towards the applicant's limit in its call
#: (Call.submissions_per_applicant); no step leads out of them again
CLOSED_STATES = (S.WITHDRAWN, S.INELIGIBLE)
#: states in which the submission is still in the competition, before any decision
IN_PROGRESS_STATES = (
    S.SUBMITTED,
    S.SCREENING,
    S.INFO_REQUESTED,
    S.ELIGIBLE,
    S.SCORING,
    S.CONSOLIDATION,
    S.DECISION,
)


class Actor(models.TextChoices):
    """Who may take a transition."""

    APPLICANT = "applicant", _("Applicant")
    EDITOR = "editor", _("Secretariat editor")
    STEERING = "steering", _("Steering committee member (or an editor for the panel)")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    actor: str
    label: StrOrPromise
    needs_message: bool = False
    #: whether the applicant is e-mailed (outcomes wait for the results' publication)
    notifies_applicant: bool = True
    #: whether the message is shown to the applicant (a reason, a question, an answer)
    message_for_applicant: bool = True


# The submission workflow, written once:
# draft -> submitted -> screening (-> info requested -> screening | ineligible) -> eligible
# -> scoring -> consolidation -> decision -> awarded | honourable mention | not selected
# -> published -> follow-up.
SUBMISSION_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("submit", (S.DRAFT,), S.SUBMITTED, Actor.APPLICANT, _("Submit")),
        Transition(
            "withdraw",
            (S.DRAFT, S.SUBMITTED, S.SCREENING, S.INFO_REQUESTED, S.ELIGIBLE),
            S.WITHDRAWN,
            Actor.APPLICANT,
            _("Withdraw"),
        ),
        Transition("start_screening", (S.SUBMITTED,), S.SCREENING, Actor.EDITOR, _("Screen")),
        Transition(
            "request_information",
            (S.SCREENING,),
            S.INFO_REQUESTED,
            Actor.EDITOR,
            _("Ask for more information"),
            needs_message=True,
        ),
        Transition(
            "answer",
            (S.INFO_REQUESTED,),
            S.SCREENING,
            Actor.APPLICANT,
            _("Answer"),
            needs_message=True,
        ),
        Transition("mark_eligible", (S.SCREENING,), S.ELIGIBLE, Actor.EDITOR, _("Eligible")),
        Transition(
            "mark_ineligible",
            (S.SCREENING,),
            S.INELIGIBLE,
            Actor.EDITOR,
            _("Not eligible"),
            needs_message=True,
        ),
        Transition(
            "start_scoring", (S.ELIGIBLE,), S.SCORING, Actor.EDITOR, _("Send to the evaluators")
        ),
        Transition(
            "close_scoring", (S.SCORING,), S.CONSOLIDATION, Actor.EDITOR, _("Close the scoring")
        ),
        Transition(
            "forward",
            (S.CONSOLIDATION,),
            S.DECISION,
            Actor.EDITOR,
            _("Send to the committee"),
            notifies_applicant=False,
        ),
        Transition(
            "award",
            (S.DECISION,),
            S.AWARDED,
            Actor.STEERING,
            pgettext_lazy("decision", "Award"),
            needs_message=True,
            notifies_applicant=False,
            message_for_applicant=False,
        ),
        Transition(
            "honourable_mention",
            (S.DECISION,),
            S.HONOURABLE_MENTION,
            Actor.STEERING,
            _("Give an honourable mention"),
            needs_message=True,
            notifies_applicant=False,
            message_for_applicant=False,
        ),
        Transition(
            "not_select",
            (S.DECISION,),
            S.NOT_SELECTED,
            Actor.STEERING,
            _("Do not select"),
            needs_message=True,
            notifies_applicant=False,
            message_for_applicant=False,
        ),
        Transition(
            "publish",
            (S.AWARDED, S.HONOURABLE_MENTION),
            S.PUBLISHED,
            Actor.EDITOR,
            _("Publish"),
            notifies_applicant=False,  # publish_results writes to every applicant at once
        ),
        Transition("follow_up", (S.PUBLISHED,), S.FOLLOW_UP, Actor.EDITOR, _("Start follow-up")),
    ]
}
#: the transition that records each decision outcome
OUTCOME_TRANSITIONS: dict[str, str] = {
    S.AWARDED: "award",
    S.HONOURABLE_MENTION: "honourable_mention",
    S.NOT_SELECTED: "not_select",
}

# A call's states: a draft is seen by the secretariat's editors only, an announced call by
# everyone. Only services.calls.change_state takes these steps (the admin's actions call it).
CALL_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "announce", (CallState.DRAFT,), CallState.ANNOUNCED, Actor.EDITOR, _("Announce")
        ),
        Transition(
            "back_to_draft",
            (CallState.ANNOUNCED,),
            CallState.DRAFT,
            Actor.EDITOR,
            _("Back to draft"),
        ),
    ]
}


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    COMPLETED = "completed", _("Scores submitted")
    DECLINED = "declined", _("Declined")
    CONFLICT = "conflict", _("Conflict of interest declared")
    REMOVED = "removed", _("Removed by the secretariat")


#: assignments that count towards a submission's evaluators and an evaluator's load
ACTIVE_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.COMPLETED)


class NoteKind(models.TextChoices):
    REASON = "reason", _("Reason")
    REQUEST = "request", _("Question to the applicant")
    ANSWER = "answer", _("Applicant's answer")
    MINUTES = "minutes", _("Minutes")
    NOTE = "note", pgettext_lazy("stage note", "Note")


class ReminderKind(models.TextChoices):
    DRAFT = "draft", _("Unsubmitted draft before the call closes")
    SCORING = "scoring", _("Unfinished scoring before the scoring ends")
    RESULTS = "results", _("The call's results, on the day they are published")
