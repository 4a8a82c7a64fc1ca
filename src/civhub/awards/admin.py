"""The scheme in the Django admin. Workflow fields are read-only: states change through the
services (awards/services/), which check permissions, audit and notify; a call's state
through the list's actions, which call services.calls."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from civhub.awards.choices import CALL_TRANSITIONS, CallState
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
from civhub.awards.services import calls
from civhub.awards.services.records import save_record
from civhub.core.services import Conflict, stale_edit_message


class VersionedAdminForm(forms.ModelForm):
    """The change form remembers the version of the record it was opened on (a hidden
    input): a record changed since (by a step of the workflow or another editor) is refused
    with the "someone changed this" message, and what was typed stays in the form."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_version")
        if self.instance.pk and opened is not None and opened != self.instance.version:
            raise ValidationError(stale_edit_message())
        return cleaned


class VersionedAdmin(admin.ModelAdmin):
    """Saves a change through the scheme's service (services/records.py): only the fields
    the form changed, on the locked row, refused when the record moved on."""

    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        save_record(
            request.user,
            obj,
            [name for name in form.changed_data if name != "opened_version"],
            version=form.cleaned_data.get("opened_version"),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Conflict as exc:
            # Changed between the form's check and the save (a few milliseconds): nothing
            # of the edit was written.
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class CategoryInline(TranslationTabularInline):
    model = Category
    extra = 0


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0


class PrizeInline(TranslationTabularInline):
    model = Prize
    extra = 0


def _call_step(step: str):
    """An admin action that takes the call step `step` through services.calls.change_state
    (permission, lock, audit) for each selected call, saying what became of each."""

    def action(modeladmin, request, queryset):
        for call in queryset.order_by("pk"):
            try:
                call = calls.change_state(request.user, call, step)
            except (ValidationError, PermissionDenied) as exc:
                for message in exc.messages if isinstance(exc, ValidationError) else [exc]:
                    modeladmin.message_user(request, str(message), messages.ERROR)
            else:
                modeladmin.message_user(
                    request,
                    _("“%(call)s” is now “%(state)s”.")
                    % {"call": call, "state": CallState(call.state).label},
                    messages.SUCCESS,
                )

    action.__name__ = step
    return admin.action(description=CALL_TRANSITIONS[step].label, permissions=["change"])(action)


@admin.register(Call)
class CallAdmin(VersionedAdmin, TranslationAdmin):
    list_display = ["title", "year", "state", "opens_at", "closes_at", "is_demo"]
    list_filter = ["state", "year", "is_demo"]
    search_fields = ["title", "slug"]
    date_hierarchy = "closes_at"
    inlines = [CategoryInline, CriterionInline, PrizeInline]
    # The state changes through its service only (audited): the list's actions call it.
    readonly_fields = ["state"]
    actions = [_call_step(step) for step in CALL_TRANSITIONS]


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
class SubmissionAdmin(VersionedAdmin):
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
class AssignmentAdmin(VersionedAdmin):
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
