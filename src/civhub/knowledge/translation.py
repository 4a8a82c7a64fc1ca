"""Which fields of knowledge records carry a translation for every interface language."""

from modeltranslation.translator import TranslationOptions, register

from civhub.knowledge.models import (
    KnowledgeTransfer,
    LegalAct,
    Practice,
    ProfileQuestion,
    ProfileSection,
)


@register(Practice)
class PracticeTranslation(TranslationOptions):
    fields = ("title", "summary", "challenge", "solution", "results", "lessons")


@register(LegalAct)
class LegalActTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(ProfileSection)
class ProfileSectionTranslation(TranslationOptions):
    fields = ("title",)


@register(ProfileQuestion)
class ProfileQuestionTranslation(TranslationOptions):
    fields = ("text", "help_text")


@register(KnowledgeTransfer)
class KnowledgeTransferTranslation(TranslationOptions):
    fields = ("subject", "outcome")
