"""Pieces shared by the filter classes of every app."""

from django.utils.translation import gettext_lazy as _
from django_filters import NumberFilter
from django_filters.widgets import BooleanWidget


class AnyYesNoWidget(BooleanWidget):
    """django-filter's yes/no select with our own (translated) labels; empty means "any"."""

    def __init__(self, attrs=None, choices=None):
        super().__init__(attrs)
        self.choices = choices or [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class YearFilter(NumberFilter):
    """A year, 1 to 9999: the database's dates hold no other, and a year past them made the
    year lookup fail with a server error instead of the form's message naming the field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)
