"""The Innovative Solutions Scheme's models, one module per aggregate."""

from civhub.awards.models.calls import Call, Category, Criterion, Prize
from civhub.awards.models.evaluation import (
    Assignment,
    Certificate,
    ConflictDeclaration,
    Decision,
    ReminderSent,
    Score,
)
from civhub.awards.models.submissions import StageNote, Submission

__all__ = [
    "Assignment",
    "Call",
    "Category",
    "Certificate",
    "ConflictDeclaration",
    "Criterion",
    "Decision",
    "Prize",
    "ReminderSent",
    "Score",
    "StageNote",
    "Submission",
]
