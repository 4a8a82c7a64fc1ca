"""Which fields of events carry a translation for every interface language (a bilingual event
shows both)."""

from modeltranslation.translator import TranslationOptions, register

from civhub.events.models import Event, Session


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "venue", "city")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description", "room")
