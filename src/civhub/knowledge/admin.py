from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from modeltranslation.admin import TranslationAdmin

from civhub.core.models import Attachment
from civhub.knowledge.models import (
    Endorsement,
    ImportRun,
    ImportRunEntry,
    KnowledgeTransfer,
    LegalAct,
    Practice,
    PracticeContact,
    ProfileAnswer,
    ProfileQuestion,
    ProfileSection,
)


class AttachmentInline(GenericTabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "kind", "filename", "mime_type", "size", "uploaded_by", "created_at"]
    readonly_fields = ["filename", "mime_type", "size", "uploaded_by", "created_at"]


class ContactInline(admin.TabularInline):
    model = PracticeContact
    extra = 0


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    readonly_fields = ["endorsed_by", "created_at"]
    autocomplete_fields = ["country"]


@admin.register(Practice)
class PracticeAdmin(TranslationAdmin):
    list_display = ["title", "state", "language", "project_status", "publication_date", "is_demo"]
    list_filter = ["state", "language", "project_status", "is_demo", "topics", "countries__region"]
    search_fields = ["title", "summary", "source", "source_file"]
    autocomplete_fields = [
        "countries",
        "supported_by",
        "implementing_entities",
        "sdg_targets",
        "topics",
        "created_by",
    ]
    date_hierarchy = "publication_date"
    inlines = [ContactInline, EndorsementInline, AttachmentInline]
    # The workflow's state changes only through its services (audited, with notifications).
    readonly_fields = ["state", "submitted_at", "published_at", "changes_requested"]


@admin.register(LegalAct)
class LegalActAdmin(TranslationAdmin):
    list_display = ["title", "country", "kind", "number", "adopted_on", "status", "state"]
    list_filter = ["kind", "status", "state", "country__region", "topics"]
    search_fields = ["title", "number", "country__name"]
    autocomplete_fields = ["country", "amends", "repeals", "drew_on", "topics"]
    date_hierarchy = "adopted_on"


class QuestionInline(admin.TabularInline):
    model = ProfileQuestion
    extra = 0
    fields = ["slug", "text_en", "answer_type", "unit", "order", "is_active"]


@admin.register(ProfileSection)
class ProfileSectionAdmin(TranslationAdmin):
    list_display = ["title", "slug", "order"]
    search_fields = ["title", "slug"]
    inlines = [QuestionInline]


@admin.register(ProfileQuestion)
class ProfileQuestionAdmin(TranslationAdmin):
    list_display = ["text", "section", "answer_type", "order", "is_active"]
    list_filter = ["section", "answer_type", "is_active"]
    search_fields = ["text", "slug"]


@admin.register(ProfileAnswer)
class ProfileAnswerAdmin(admin.ModelAdmin):
    list_display = ["country", "question", "as_of", "status", "is_demo"]
    list_filter = ["status", "is_demo", "question__section", "country__region"]
    search_fields = ["country__name", "question__text", "source", "value_text"]
    autocomplete_fields = ["country", "question", "legal_act", "organization"]
    date_hierarchy = "as_of"


@admin.register(KnowledgeTransfer)
class KnowledgeTransferAdmin(TranslationAdmin):
    list_display = [
        "subject",
        "source_country",
        "source_organization",
        "target_country",
        "kind",
        "stage",
        "state",
    ]
    list_filter = ["kind", "stage", "subject_kind", "state", "is_demo"]
    search_fields = ["subject", "outcome", "source_country__name", "target_country__name"]
    autocomplete_fields = [
        "source_country",
        "source_organization",
        "target_country",
        "target_organization",
        "practice",
        "legal_act",
        "institution",
    ]


class ImportRunEntryInline(admin.TabularInline):
    model = ImportRunEntry
    extra = 0
    can_delete = False
    readonly_fields = ("practice_id", "created", "before", "version")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read only: a run is written by the importer and undone by its recovery, never by hand."""

    list_display = ("file_name", "state", "started_at", "heartbeat_at", "host", "pid")
    list_filter = ("state",)
    inlines = [ImportRunEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
