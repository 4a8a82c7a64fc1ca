"""Pieces shared by the filter classes of every app."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, NumberFilter
from django_filters.constants import EMPTY_VALUES
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


def in_any_language(value: str, fields=(), also=()) -> Q:
    """`value` found (the `folded` lookup: case folded in every script) in any interface
    language's version of the translated `fields` (`name` is `name_en`, `name_ru`, ...), or by
    one of the lookups of `also` on untranslated fields (`"acronym__folded"`, `"code__iexact"`)."""
    condition = Q()
    for field in fields:
        for code, _name in settings.LANGUAGES:
            condition |= Q(**{f"{field}_{code}__folded": value})
    for lookup in also:
        condition |= Q(**{lookup: value})
    return condition


class AnyLanguageFilter(CharFilter):
    """A "name contains" filter that finds the words in whichever language a record's name
    (or title, summary ...) was written or translated into: see `in_any_language`."""

    def __init__(self, *args, fields=("name",), also=(), **kwargs):
        # Taken before CharFilter's own, which hands what it does not know to the form field.
        self.fields, self.also = tuple(fields), tuple(also)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(in_any_language(value, self.fields, self.also))
