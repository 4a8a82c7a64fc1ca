"""The scheme in the Django admin. Workflow fields are read-only: states change through the
services (awards/services/), which check permissions, audit and notify."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from civhub.awards.models import (
    Assignment,
    Call,
    Category,
    Certificate,
    ConflictDeclaration,
    Criterion,
    Decision,
    Prize,
    ReminderSent,
    Score,
    StageNote,
    Submission,
)


class CategoryInline(TranslationTabularInline):
    model = Category
    extra = 0


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0


class PrizeInline(TranslationTabularInline):
    model = Prize
    extra = 0


@admin.register(Call)
class CallAdmin(TranslationAdmin):
    list_display = ["title", "year", "state", "opens_at", "closes_at", "is_demo"]
    list_filter = ["state", "year", "is_demo"]
    search_fields = ["title", "slug"]
    date_hierarchy = "closes_at"
    inlines = [CategoryInline, CriterionInline, PrizeInline]


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["title", "call", "order"]
    list_filter = ["call"]
    search_fields = ["title", "slug"]


@admin.register(Criterion)
class CriterionAdmin(TranslationAdmin):
    list_display = ["title", "call", "weight", "scale_min", "scale_max", "order"]
    list_filter = ["call"]
    search_fields = ["title", "slug"]


@admin.register(Prize)
class PrizeAdmin(TranslationAdmin):
    list_display = ["title", "call", "kind", "count"]
    list_filter = ["call", "kind"]
    search_fields = ["title"]


class StageNoteInline(admin.TabularInline):
    model = StageNote
    extra = 0
    readonly_fields = ["kind", "transition", "text", "visible_to_applicant", "author", "created_at"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "country", "state", "submitted_at", "is_demo"]
    list_filter = ["call", "state", "language", "is_demo"]
    search_fields = ["title", "organization_name", "applicant__email"]
    readonly_fields = ["state", "submitted_at", "practice"]
    autocomplete_fields = ["applicant", "organization", "country", "topics", "sdg_targets"]
    date_hierarchy = "submitted_at"
    inlines = [StageNoteInline]


@admin.register(StageNote)
class StageNoteAdmin(admin.ModelAdmin):
    list_display = ["submission", "kind", "visible_to_applicant", "created_at"]
    list_filter = ["kind", "visible_to_applicant"]
    search_fields = ["text", "submission__title"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "evaluator", "status", "assigned_by", "created_at", "is_demo"]
    list_filter = ["status", "submission__call", "is_demo"]
    search_fields = ["submission__title", "evaluator__email"]
    readonly_fields = ["status", "assigned_by", "override_reason", "completed_at"]
    autocomplete_fields = ["submission", "evaluator"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["evaluator", "submission", "organization", "created_at"]
    search_fields = ["evaluator__email", "submission__title", "reason"]
    autocomplete_fields = ["evaluator", "submission", "organization"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["assignment", "criterion", "value", "updated_at"]
    list_filter = ["criterion__call"]
    search_fields = ["assignment__submission__title", "comment"]
    readonly_fields = ["assignment", "criterion", "value", "comment"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["submission", "outcome", "prize", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    search_fields = ["submission__title", "minutes"]
    readonly_fields = ["submission", "outcome", "decided_by", "decided_at"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["submission", "issued_by", "issued_at"]
    search_fields = ["submission__title", "code"]
    readonly_fields = ["submission", "code", "issued_by", "issued_at"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["kind", "call", "user", "days_before", "sent_at"]
    list_filter = ["kind", "call"]
    search_fields = ["user__email"]
