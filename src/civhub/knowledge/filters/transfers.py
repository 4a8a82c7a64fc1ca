"""The filter of knowledge transfers (the network page), shared by the HTML page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Country
from civhub.knowledge.choices import TransferKind, TransferStage, TransferSubject
from civhub.knowledge.models import KnowledgeTransfer


class TransferFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(
        label=_("Country (sharing or learning)"),
        queryset=Country.objects.all(),
        to_field_name="code",
        empty_label=_("All countries"),
        method="filter_country",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=TransferKind.choices, empty_label=_("All kinds")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=TransferStage.choices, empty_label=_("Any stage")
    )
    subject_kind = django_filters.ChoiceFilter(
        label=_("What was transferred"),
        choices=TransferSubject.choices,
        empty_label=_("Anything"),
    )

    class Meta:
        model = KnowledgeTransfer
        fields = ["country", "kind", "stage", "subject_kind"]

    def filter_country(self, queryset, name, value):
        """The country as the source (directly, or through a source organization of that
        country) or as the target."""
        return queryset.filter(
            Q(source_country=value)
            | Q(source_country__isnull=True, source_organization__country=value)
            | Q(target_country=value)
        )
