"""Which fields of the scheme's records carry a translation for every interface language.
Submissions are written in one language (`Submission.language`) and are not translated."""

from modeltranslation.translator import TranslationOptions, register

from civhub.awards.models import Call, Category, Criterion, Prize


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Prize)
class PrizeTranslation(TranslationOptions):
    fields = ("title", "description")
