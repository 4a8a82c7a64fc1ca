from django.contrib import admin

from civhub.core.models import Attachment, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_id", "summary"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "summary", "actor__email", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "title",
        "kind",
        "mime_type",
        "size",
        "content_type",
        "object_id",
        "created_at",
    ]
    list_filter = ["kind", "mime_type", "content_type"]
    search_fields = ["filename", "title"]
    readonly_fields = [
        "content_type",
        "object_id",
        "file",
        "filename",
        "mime_type",
        "size",
        "uploaded_by",
        "created_at",
    ]
