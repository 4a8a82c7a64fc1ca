import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civhub.core.filters import AnyLanguageFilter, YearFilter
from civhub.directory.models import Country, Region, SdgTarget, Topic
from civhub.knowledge.choices import ContentLanguage, ProjectStatus
from civhub.knowledge.models import Practice

SORTS = {
    "newest": ("-publication_date", "-published_at", "-created_at"),
    "oldest": ("publication_date", "published_at", "created_at"),
    "title": ("title",),
    "period": ("-period_start", "title"),
}


class PracticeFilter(django_filters.FilterSet):
    q = AnyLanguageFilter(label=_("Words in the title or summary"), fields=["title", "summary"])
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        field_name="countries",
        queryset=Country.objects.all(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="countries__region",
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    sdg = django_filters.ModelChoiceFilter(
        label=_("SDG target"),
        field_name="sdg_targets",
        queryset=SdgTarget.objects.all(),
        to_field_name="code",
        empty_label=_("All SDG targets"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Project status"),
        field_name="project_status",
        choices=ProjectStatus.choices,
        empty_label=_("Any status"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Original language"), choices=ContentLanguage.choices, empty_label=_("Any language")
    )
    year_from = YearFilter(label=_("Running in or after (year)"), method="filter_year_from")
    year_to = YearFilter(label=_("Running in or before (year)"), method="filter_year_to")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="sort_by",
        empty_label=None,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("Title")),
            ("period", _("Period")),
        ],
    )

    class Meta:
        model = Practice
        fields = [
            "q",
            "country",
            "region",
            "topic",
            "sdg",
            "status",
            "language",
            "year_from",
            "year_to",
            "sort",
        ]

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(
            Q(period_end__gte=value) | Q(period_end__isnull=True, period_start__gte=value)
        )

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(period_start__lte=value)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def qs(self):
        # Joins through countries or topics may repeat a row.
        return super().qs.distinct()
