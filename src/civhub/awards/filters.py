"""The scheme's filter classes, one per listed model with filters, shared by its pages and its
API (`core.api.filtered`): the submissions and the assignments, by call (and a submission by
the state its reader is told). The calls' list has no filter, on the page or in the API.

Both filter with the caller in mind, so the filter set needs the request: `call` accepts the
calls the caller may see (an editor's drafts too), `state` the state shown to the caller."""

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Assignment, Call, Submission


def _unknown_value(field_class):
    """The form field of `field_class` refusing a value it does not know with the scheme's
    own words, "Unknown: <value>.", as its API has always answered."""

    class Field(field_class):
        def clean(self, value):
            try:
                return super().clean(value)
            except ValidationError as exc:
                if exc.code != "invalid_choice":
                    raise
                message = _("Unknown: %(values)s.") % {"values": value}
                raise ValidationError(message, code="invalid_choice") from None

    Field.__name__ = field_class.__name__
    return Field


class CallFilter(django_filters.ModelChoiceFilter):
    """A call, by its slug: among the calls the request's user may see (the filter set
    narrows it, `_CallerFilterSet`); the announced ones where no request is known."""

    field_class = _unknown_value(django_filters.ModelChoiceFilter.field_class)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Call"))
        kwargs.setdefault("queryset", Call.objects.announced())
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class StateFilter(django_filters.ChoiceFilter):
    field_class = _unknown_value(django_filters.ChoiceFilter.field_class)


class _CallerFilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["call"].queryset = Call.objects.visible_to(self.request.user)


class SubmissionFilter(_CallerFilterSet):
    call = CallFilter()
    state = StateFilter(
        label=gettext_lazy("State"),
        choices=SubmissionState.choices,
        method="filter_state",
    )

    class Meta:
        model = Submission
        fields = ["call", "state"]

    def filter_state(self, queryset, name, value):
        """The submissions the caller is told are in `value` (Submission.state_shown_to): an
        outcome held back from it is "awaiting the decision"."""
        user = self.request.user if self.request is not None else AnonymousUser()
        return queryset.shown_in_state(user, value)


class AssignmentFilter(_CallerFilterSet):
    call = CallFilter(field_name="submission__call")

    class Meta:
        model = Assignment
        fields = ["call"]
