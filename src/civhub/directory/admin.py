from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from civhub.directory.models import (
    Country,
    GoverningBody,
    Membership,
    Organization,
    Person,
    Region,
    SdgGoal,
    SdgTarget,
    Seat,
    Topic,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    list_display = ["name", "code", "alpha3", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code", "alpha3"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["country", "status", "joined_on", "left_on", "is_demo"]
    list_filter = ["status", "is_demo", "country__region"]
    search_fields = ["country__name", "country__code", "note"]
    date_hierarchy = "joined_on"
    autocomplete_fields = ["country"]


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]


class SdgTargetInline(admin.TabularInline):
    model = SdgTarget
    extra = 0
    fields = ["code", "text_en", "order"]


@admin.register(SdgGoal)
class SdgGoalAdmin(TranslationAdmin):
    list_display = ["number", "short_name"]
    search_fields = ["short_name", "title"]
    inlines = [SdgTargetInline]


@admin.register(SdgTarget)
class SdgTargetAdmin(TranslationAdmin):
    list_display = ["code", "goal"]
    list_filter = ["goal"]
    search_fields = ["code", "text"]


@admin.register(Organization)
class OrganizationAdmin(TranslationAdmin):
    list_display = ["name", "acronym", "kind", "country", "is_partner", "is_demo"]
    list_filter = ["kind", "is_partner", "is_demo", "country__region"]
    search_fields = ["name", "acronym", "country__name"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(Person)
class PersonAdmin(TranslationAdmin):
    list_display = ["name", "organization", "country", "on_roster", "contact_consent", "is_demo"]
    list_filter = ["on_roster", "contact_consent", "is_demo", "topics", "country__region"]
    search_fields = ["name", "position", "email", "organization__name"]
    autocomplete_fields = ["organization", "country", "user"]
    filter_horizontal = ["topics"]
    prepopulated_fields = {"slug": ["name"]}


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["person", "country"]


@admin.register(GoverningBody)
class GoverningBodyAdmin(TranslationAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["person", "body", "role", "country", "started_on", "ended_on", "is_demo"]
    list_filter = ["body", "role", "is_demo"]
    search_fields = ["person__name", "body__name", "country__name"]
    autocomplete_fields = ["person", "country"]
    date_hierarchy = "started_on"
