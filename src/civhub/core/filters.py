"""Pieces shared by the filter classes of every app."""

from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget


class AnyYesNoWidget(BooleanWidget):
    """django-filter's yes/no select with our own (translated) labels; empty means "any"."""

    def __init__(self, attrs=None, choices=None):
        super().__init__(attrs)
        self.choices = choices or [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
