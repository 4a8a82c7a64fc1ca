"""The knowledge base, one module per aggregate."""

from civhub.knowledge.models.imports import ImportRun, ImportRunEntry, ImportRunState
from civhub.knowledge.models.legal import LegalAct
from civhub.knowledge.models.practices import Endorsement, Practice, PracticeContact
from civhub.knowledge.models.profiles import ProfileAnswer, ProfileQuestion, ProfileSection
from civhub.knowledge.models.transfers import KnowledgeTransfer

__all__ = [
    "Endorsement",
    "ImportRun",
    "ImportRunEntry",
    "ImportRunState",
    "KnowledgeTransfer",
    "LegalAct",
    "Practice",
    "PracticeContact",
    "ProfileAnswer",
    "ProfileQuestion",
    "ProfileSection",
]
