"""What the knowledge base holds about one country, for the country's page in the directory:
counts that match the filtered lists they link to (the same base querysets)."""

from dataclasses import dataclass

from civhub.core.types import Viewer
from civhub.directory.models import Country
from civhub.knowledge.choices import ReviewStatus
from civhub.knowledge.models import LegalAct, Practice, ProfileAnswer, ProfileQuestion


@dataclass(frozen=True)
class CountryKnowledge:
    practices: int
    laws: int
    answered: int
    questions: int


def country_knowledge(country: Country, user: Viewer) -> CountryKnowledge:
    """Published practices naming the country, laws `user` may see, and answered questions of
    its profile: four counting queries."""
    return CountryKnowledge(
        practices=Practice.objects.published().filter(countries=country).distinct().count(),
        laws=LegalAct.objects.visible_to(user).filter(country=country).count(),
        answered=ProfileAnswer.objects.filter(
            country=country, status=ReviewStatus.APPROVED, question__is_active=True
        )
        .values("question")
        .distinct()
        .count(),
        questions=ProfileQuestion.objects.filter(is_active=True).count(),
    )
