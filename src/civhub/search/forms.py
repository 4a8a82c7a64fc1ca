"""The search page's parameters, read and checked in one place.

The names are the API's (see api.py): q, type, country, region, topic, sdg, lang, year_from,
year_to, mode, and page here where the API has limit and offset. A repeated parameter means
"any of" (`?country=KZ&country=GE`). The form checks the shape of the values and hands them to
params.parse, as the API and the command line do; whether a named country or topic exists is
the service's question (services.InvalidFilter).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from civhub.search.params import YEARS, Params, parse, values_of

MODE_CHOICES = [
    ("hybrid", _("Words and meaning")),
    ("lexical", _("Exact words only")),
    ("semantic", _("Meaning only")),
]

#: the query-string parameter of each facet of services.Results
FACET_PARAMS = {
    "type": "type",
    "country": "country",
    "region": "region",
    "topic": "topic",
    "sdg_target": "sdg",
    "language": "lang",
}
#: the parameters a facet or the "clear filters" link adds or removes
FILTER_PARAMS = (*FACET_PARAMS.values(), "year_from", "year_to")


class MultipleValues(forms.Field):
    """Every value of a repeated query-string parameter, blanks dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        return values_of(value)


class QueryField(forms.CharField):
    """The words to search for. A NUL character is a blank here, not an error: the query is
    still searched (and PostgreSQL could not store it in the query log)."""

    def to_python(self, value):
        return super().to_python(value.replace("\x00", " ") if isinstance(value, str) else value)


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Search for"),
        required=False,
        widget=forms.SearchInput(attrs={"id": "search-q", "autocomplete": "off"}),
    )
    type = MultipleValues(required=False)
    country = MultipleValues(required=False)
    region = MultipleValues(required=False)
    topic = MultipleValues(required=False)
    sdg = MultipleValues(required=False)
    lang = MultipleValues(required=False)
    year_from = forms.IntegerField(
        label=_("From the year"), required=False, min_value=YEARS[0], max_value=YEARS[1]
    )
    year_to = forms.IntegerField(
        label=_("To the year"), required=False, min_value=YEARS[0], max_value=YEARS[1]
    )
    mode = forms.ChoiceField(label=_("Match"), choices=MODE_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def params(self, per_page: int) -> Params:
        """The search asked for (the form must be valid), on the page it names."""
        data = self.cleaned_data
        page = data["page"] or 1
        return parse(data | {"limit": per_page, "offset": (page - 1) * per_page})

    def error_message(self) -> str:
        """One sentence naming each refused parameter, for the page's alert."""
        return " ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in self.errors.items()
        )
