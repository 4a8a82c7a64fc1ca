"""core.lists.FilteredListView, the one list page: filters, sorting before and after the form
is sent, pagination, and the query string the page links keep."""

import django_filters
import pytest
from django.views.generic.list import MultipleObjectMixin

from civhub.core.lists import FilteredListView
from civhub.core.models import AuditEntry

pytestmark = pytest.mark.django_db


class EntryFilter(django_filters.FilterSet):
    action = django_filters.CharFilter()
    sort = django_filters.OrderingFilter(fields=["summary"])

    class Meta:
        model = AuditEntry
        fields = ["action"]


class EntryList(FilteredListView):
    filterset_class = EntryFilter
    paginate_by = 2
    unfiltered_ordering = ("-summary",)

    def get_base_queryset(self):
        return AuditEntry.objects.exclude(action="hidden")


@pytest.fixture
def entries():
    for action, summary in [("a", "1"), ("a", "2"), ("b", "3"), ("hidden", "4"), ("a", "5")]:
        AuditEntry.objects.create(action=action, summary=summary)


def listed(rf, query="", view_class=EntryList):
    view = view_class()
    view.setup(rf.get(f"/list/{query}"))
    view.object_list = view.get_queryset()
    return view, view.get_context_data()


def summaries(context) -> list[str]:
    return [entry.summary for entry in context["object_list"]]


def test_before_the_form_is_sent_the_base_records_in_their_default_order(rf, entries):
    _view, context = listed(rf)
    assert not context["filter"].is_bound
    assert summaries(context) == ["5", "3"]  # the first page of two
    assert context["paginator"].count == 4  # "hidden" is not the list's
    assert context["query_string"] == ""


def test_the_filters_narrow_the_base_records(rf, entries):
    _view, context = listed(rf, "?action=a&sort=summary")
    assert context["filter"].is_bound
    assert summaries(context) == ["1", "2"]
    assert context["paginator"].count == 3


def test_the_query_string_keeps_every_parameter_but_the_page(rf, entries):
    _view, context = listed(rf, "?action=a&page=2&sort=-summary")
    assert context["query_string"] == "action=a&sort=-summary"
    assert context["page_obj"].number == 2
    assert summaries(context) == ["1"]


def test_a_list_without_a_default_order_shows_the_base_queryset_as_it_is(rf, entries):
    class Plain(EntryList):
        unfiltered_ordering = ()

    view, _context = listed(rf, view_class=Plain)
    assert view.get_queryset().query.order_by == ()


def test_distinct_only_when_asked_and_only_once_filtered(rf, entries):
    class Distinct(EntryList):
        distinct = True

    assert not listed(rf, "?action=a")[0].get_queryset().query.distinct
    assert listed(rf, "?action=a", Distinct)[0].get_queryset().query.distinct
    assert not listed(rf, "", Distinct)[0].get_queryset().query.distinct


def test_the_base_queryset_defaults_to_the_views_queryset(rf, entries):
    class Everything(FilteredListView):
        filterset_class = EntryFilter
        queryset = AuditEntry.objects.order_by("summary")

    _view, context = listed(rf, view_class=Everything)
    assert summaries(context) == ["1", "2", "3", "4", "5"]
    assert Everything.paginate_by == 50
    assert issubclass(Everything, MultipleObjectMixin)
