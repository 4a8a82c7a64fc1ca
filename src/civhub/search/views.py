"""The search page, and the editors' page of what readers search for.

The search page is a plain GET form: every facet value is a link that adds or removes its
filter in the query string, so the page works without JavaScript and every state of it has an
address to share.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civhub.search import indexing, queries, registry, services
from civhub.search.forms import FACET_PARAMS, FILTER_PARAMS, SearchForm
from civhub.search.params import country_code

PER_PAGE = 20

FACET_HEADINGS = {
    "type": gettext_lazy("Type"),
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    "topic": gettext_lazy("Topic"),
    "sdg_target": gettext_lazy("SDG target"),
    "year": gettext_lazy("Year"),
    "language": gettext_lazy("Language"),
}
#: facet values shown before the rest are folded under "more"
FACET_SHOWN = 8
#: example queries on the empty page, in the reader's language
EXAMPLES = [
    gettext_lazy("performance appraisal of civil servants"),
    gettext_lazy("merit-based recruitment"),
    gettext_lazy("e-government services"),
    gettext_lazy("law on civil service"),
]


@dataclass
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str  # the page with this value's filter added, or removed when selected


@dataclass
class FacetGroup:
    name: str
    heading: str
    links: list[FacetLink]

    @property
    def shown(self) -> list[FacetLink]:
        return self.links[:FACET_SHOWN]

    @property
    def folded(self) -> list[FacetLink]:
        return self.links[FACET_SHOWN:]


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


def search(request):
    form = SearchForm(request.GET)
    results, page_obj, error, status = None, None, "", 200
    if not form.is_valid():
        error, status = form.error_message(), 400
    else:
        try:
            results, page_obj = _search_page(form.params(PER_PAGE), request.user)
        except services.InvalidFilter as exc:
            error, status = str(exc), 400
        else:
            error = results.error
    facets = results.facets if results else {}
    labels = {name: {v.value: str(v.label) for v in values} for name, values in facets.items()}
    context = {
        "form": form,
        "query": form.cleaned_data.get("q", ""),
        "results": results,
        "error": error,
        "page_obj": page_obj,
        "query_string": _with(request.GET, {}).lstrip("?"),
        "facet_groups": _facet_groups(request.GET, facets),
        "active_filters": _active_filters(request.GET, labels),
        "clear_url": _with(request.GET, {name: [] for name in FILTER_PARAMS}),
        # The filters in use travel with a new query typed into the form.
        "hidden_filters": [
            (param, value)
            for param in FACET_PARAMS.values()
            for value in request.GET.getlist(param)
            if value.strip()
        ],
        "search_types": registry.types(),
        "examples": EXAMPLES,
        "indexing": indexing_under_way(),
    }
    return render(request, "search/search.html", context, status=status)


#: the count behind the "being brought up to date" notice, kept this long by each process
#: (it reads the whole index; a busy search page need not count it at every request)
PROGRESS_MAX_AGE = 5.0
_progress: tuple[float, indexing.Progress] | None = None


def indexing_under_way() -> indexing.Progress | None:
    """How far the vectors are while documents wait for theirs; None when none wait."""
    global _progress
    now = time.monotonic()
    if _progress is None or now - _progress[0] > PROGRESS_MAX_AGE:
        _progress = (now, indexing.progress())
    found = _progress[1]
    return found if found.waiting else None


def _search_page(params: services.Params, user):
    """The results of the page asked for; past the last page, those of the last page (the
    search moves params.offset there)."""
    results = services.search(params, user, log=True, last_page=True)
    page_obj = Paginator(range(results.total), PER_PAGE).get_page(params.offset // PER_PAGE + 1)
    return results, page_obj


# -- facets as links ----------------------------------------------------------------------


def _with(query: QueryDict, changes: dict[str, list[str]]) -> str:
    """The query string with the given parameters replaced, back on the first page."""
    query = query.copy()
    query.pop("page", None)
    for name, values in changes.items():
        query.setlist(name, values)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _same(param: str, a: str, b: str) -> bool:
    # Country codes are taken in any case.
    return country_code(a) == country_code(b) if param == "country" else a == b


def _toggled(query: QueryDict, param: str, value: str) -> str:
    values = query.getlist(param)
    kept = [v for v in values if not _same(param, v, value)]
    if len(kept) == len(values):
        kept.append(value)
    return _with(query, {param: kept})


def _year_toggled(query: QueryDict, year: str, selected: bool) -> str:
    return _with(
        query, {"year_from": [] if selected else [year], "year_to": [] if selected else [year]}
    )


def _facet_groups(query: QueryDict, facets: dict) -> list[FacetGroup]:
    groups = []
    for name, heading in FACET_HEADINGS.items():
        values = facets.get(name)
        if not values:
            continue
        if name == "year":
            links = [
                FacetLink(
                    str(v.label), v.count, v.selected, _year_toggled(query, v.value, v.selected)
                )
                for v in values
            ]
        else:
            param = FACET_PARAMS[name]
            links = [
                FacetLink(str(v.label), v.count, v.selected, _toggled(query, param, v.value))
                for v in values
            ]
        groups.append(FacetGroup(name, str(heading), links))
    return groups


def _active_filters(query: QueryDict, labels: dict[str, dict[str, str]]) -> list[ActiveFilter]:
    """Each filter in use, with the link that removes it."""
    active = []
    for name, param in FACET_PARAMS.items():
        known = labels.get(name, {})
        for value in query.getlist(param):
            if value.strip():
                label = known.get(country_code(value) if param == "country" else value, value)
                active.append(ActiveFilter(label, _toggled(query, param, value)))
    year_from, year_to = query.get("year_from", ""), query.get("year_to", "")
    if year_from and year_from == year_to:
        active.append(
            ActiveFilter(
                _("Year %(year)s") % {"year": year_from}, _year_toggled(query, year_from, True)
            )
        )
    else:
        if year_from:
            label = _("From %(year)s") % {"year": year_from}
            active.append(ActiveFilter(label, _with(query, {"year_from": []})))
        if year_to:
            label = _("Until %(year)s") % {"year": year_to}
            active.append(ActiveFilter(label, _with(query, {"year_to": []})))
    return active


# -- the demand signal --------------------------------------------------------------------


@login_required
def logged_queries(request):
    """For editors: what readers searched for in a period, and what found nothing."""
    if not request.user.is_editor:
        raise PermissionDenied
    try:
        days = int(request.GET.get("days", queries.DEFAULT_PERIOD))
    except ValueError:
        days = queries.DEFAULT_PERIOD
    if days not in queries.PERIODS:
        days = queries.DEFAULT_PERIOD
    return render(
        request,
        "search/queries.html",
        {
            "days": days,
            "periods": queries.PERIODS,
            "since": queries.since(days),
            "searches": queries.searches_in(days),
            "top": queries.top_queries(days),
            "unanswered": queries.unanswered_queries(days),
            "limit": queries.LIMIT,
        },
    )
