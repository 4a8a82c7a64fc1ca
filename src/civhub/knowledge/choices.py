"""States, kinds and roles of the knowledge base, and the practice workflow's transitions."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civhub.core.types import StrOrPromise


class ContentLanguage(models.TextChoices):
    """Content is written in one of the interface languages and may carry the other two."""

    EN = "en", _("English")
    RU = "ru", _("Russian")
    KK = "kk", _("Kazakh")


class PracticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Actor(models.TextChoices):
    """Who may take a transition."""

    AUTHOR = "author", _("Author")
    EDITOR = "editor", _("Secretariat editor")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    actor: str
    label: StrOrPromise
    needs_message: bool = False


# The practice workflow, written once: draft -> submitted -> in review -> published -> archived.
PRACTICE_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            (PracticeState.DRAFT,),
            PracticeState.SUBMITTED,
            Actor.AUTHOR,
            _("Submit for review"),
        ),
        Transition(
            "withdraw", (PracticeState.SUBMITTED,), PracticeState.DRAFT, Actor.AUTHOR, _("Withdraw")
        ),
        Transition(
            "start_review",
            (PracticeState.SUBMITTED,),
            PracticeState.IN_REVIEW,
            Actor.EDITOR,
            _("Start review"),
        ),
        Transition(
            "request_changes",
            (PracticeState.SUBMITTED, PracticeState.IN_REVIEW),
            PracticeState.DRAFT,
            Actor.EDITOR,
            _("Ask for changes"),
            needs_message=True,
        ),
        Transition(
            "publish",
            (PracticeState.SUBMITTED, PracticeState.IN_REVIEW),
            PracticeState.PUBLISHED,
            Actor.EDITOR,
            _("Publish"),
        ),
        Transition(
            "archive",
            (PracticeState.PUBLISHED,),
            PracticeState.ARCHIVED,
            Actor.EDITOR,
            _("Archive"),
        ),
        Transition(
            "restore",
            (PracticeState.ARCHIVED,),
            PracticeState.PUBLISHED,
            Actor.EDITOR,
            _("Publish again"),
        ),
    ]
}


class PublicationState(models.TextChoices):
    """For records kept by focal points and editors without a review cycle (laws, transfers)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LegalActKind(models.TextChoices):
    CONSTITUTION = "constitution", _("Constitution")
    LAW = "law", _("Law")
    CODE = "code", pgettext_lazy("legal act", "Code")
    DECREE = "decree", _("Decree")
    GOVERNMENT_RESOLUTION = "resolution", _("Government resolution")
    REGULATION = "regulation", _("Regulation")
    ORDER = "order", pgettext_lazy("legal act", "Order")


class LegalActStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    LEGAL_ACT = "legal_act", _("Law or by-law")
    ORGANIZATION = "organization", _("Organization")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TransferKind(models.TextChoices):
    STUDY = "study", _("Study")
    ADAPTATION = "adaptation", _("Adaptation")
    REPLICATION = "replication", _("Replication")
    LEGISLATIVE_REFERENCE = "legislative_reference", _("Legislative reference")


class TransferStage(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    ADAPTING = "adapting", _("Adapting")
    IMPLEMENTED = "implemented", _("Implemented")
    EVALUATED = "evaluated", _("Evaluated")


class TransferSubject(models.TextChoices):
    PRACTICE = "practice", _("A good practice")
    LEGAL_ACT = "legal_act", _("A law or by-law")
    INSTITUTION = "institution", _("An institution's model")
    OTHER = "other", pgettext_lazy("transfer subject", "Other")
