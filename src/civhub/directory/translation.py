"""Which fields of directory records carry a translation for every interface language."""

from modeltranslation.translator import TranslationOptions, register

from civhub.directory.models import (
    Country,
    GoverningBody,
    Organization,
    Person,
    Region,
    SdgGoal,
    SdgTarget,
    Topic,
)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "summary")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "description")


@register(SdgGoal)
class SdgGoalTranslation(TranslationOptions):
    fields = ("short_name", "title")


@register(SdgTarget)
class SdgTargetTranslation(TranslationOptions):
    fields = ("text",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("position", "bio")


@register(GoverningBody)
class GoverningBodyTranslation(TranslationOptions):
    fields = ("name", "description")
