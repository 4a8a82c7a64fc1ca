"""Events in the Django admin. The state and the registrations' statuses are read-only here:
they change through the services (events/services/), which lock, audit and notify."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from civhub.events.models import Event, Registration, Session


class SessionInline(TranslationTabularInline):
    model = Session
    extra = 0
    fields = ("title", "starts_at", "ends_at", "room", "chair")
    autocomplete_fields = ("chair",)


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ("title", "kind", "format", "starts_at", "state", "is_demo")
    list_filter = ("kind", "format", "state", "is_demo")
    search_fields = ("title", "slug", "city")
    date_hierarchy = "starts_at"
    readonly_fields = ("state", "cancel_reason", "sequence", "uid")
    autocomplete_fields = ("country", "contact", "organizers", "partners", "managers")
    filter_horizontal = ("topics", "sdg_targets")
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(TranslationAdmin):
    list_display = ("title", "event", "starts_at", "ends_at")
    search_fields = ("title", "event__title")
    autocomplete_fields = ("event", "chair", "speakers")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "status", "waiting_position", "country", "is_demo")
    list_filter = ("status", "is_demo")
    search_fields = ("user__email", "event__title")
    readonly_fields = ("status", "waiting_position", "offer_expires_at", "confirmed_at")
    autocomplete_fields = ("event", "user", "person", "country")
