"""One filter class per listable model, shared by the HTML lists and the API."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civhub.core.filters import AnyLanguageFilter, AnyYesNoWidget
from civhub.directory.choices import CountryStatus, OrganizationKind
from civhub.directory.models import Country, Organization, Person, Region, Topic


class CountryFilter(django_filters.FilterSet):
    q = AnyLanguageFilter(label=_("Name"), also=["code__iexact"])
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CountryStatus.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Country
        fields = ["q", "region", "status"]


class OrganizationFilter(django_filters.FilterSet):
    q = AnyLanguageFilter(label=_("Name"), also=["acronym__folded"])
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganizationKind.choices, empty_label=_("All kinds")
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.in_hub(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    is_partner = django_filters.BooleanFilter(
        label=_("Partners of the hub"),
        method="filter_partner",
        widget=AnyYesNoWidget(choices=[("", _("All organizations")), ("true", _("Partners only"))]),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "country", "is_partner"]

    def filter_partner(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(is_partner=True) if value else queryset


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="folded")
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.in_hub(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Expertise"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )

    class Meta:
        model = Person
        fields = ["q", "country", "topic"]
