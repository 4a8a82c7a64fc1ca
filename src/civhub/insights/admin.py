from django.contrib import admin

from civhub.insights.models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["donor", "amount", "currency", "period_start", "period_end", "is_demo"]
    list_filter = ["currency", "is_demo"]
    search_fields = ["donor__name", "purpose", "source_note"]
    autocomplete_fields = ["donor", "managed_by"]
    date_hierarchy = "period_start"
