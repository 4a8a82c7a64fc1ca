"""The filter of the laws-and-by-laws list, shared by the HTML list and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from civhub.core.filters import AnyLanguageFilter, YearFilter
from civhub.directory.models import Country, Topic
from civhub.knowledge.choices import LegalActKind, LegalActStatus
from civhub.knowledge.models import LegalAct


class LegalActFilter(django_filters.FilterSet):
    q = AnyLanguageFilter(label=_("Words in the title"), fields=["title"])
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=LegalActKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=LegalActStatus.choices, empty_label=_("Any status")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    year = YearFilter(label=_("Year adopted"), field_name="adopted_on", lookup_expr="year")

    class Meta:
        model = LegalAct
        fields = ["q", "country", "kind", "status", "topic", "year"]
