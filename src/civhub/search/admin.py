"""The index in the admin: read-only, for looking into what search holds. It is written only
by saving records (and `civhub reindex`), never by hand."""

from django.contrib import admin

from civhub.search.models import IndexState, LoggedQuery, SearchDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "object_id", "language", "is_original", "audience", "year"]
    list_filter = ["kind", "language", "audience", "is_original"]
    search_fields = ["title", "object_id"]
    exclude = ["vector"]
    show_full_result_count = False  # counting 100,000 rows on every page is wasted work


@admin.register(LoggedQuery)
class LoggedQueryAdmin(ReadOnlyAdmin):
    list_display = ["text", "interface_language", "results", "searched_on"]
    list_filter = ["interface_language", "searched_on"]
    search_fields = ["normalized"]
    date_hierarchy = "searched_on"


@admin.register(IndexState)
class IndexStateAdmin(ReadOnlyAdmin):
    list_display = ["pk", "generation"]
