"""The filter of the events list, shared by the HTML list, the month view, the calendar feed
and the API."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Country, Topic
from civhub.events.choices import EventFormat, EventKind
from civhub.events.models import Event


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=EventKind.choices, empty_label=_("All kinds")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=EventFormat.choices, empty_label=_("Any format")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        empty_label=_("Upcoming and past"),
        method="filter_when",
    )

    class Meta:
        model = Event
        fields = ["kind", "format", "topic", "country", "when"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.upcoming(now).order_by("starts_at", "slug")
        if value == "past":
            return queryset.past(now).order_by("-starts_at", "slug")
        return queryset
