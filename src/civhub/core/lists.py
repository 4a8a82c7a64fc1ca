"""The one list page: records narrowed by the model's filter class (the API's filters too),
sorted, paginated, with the query string the page links keep. Every app's list pages are
subclasses; none writes its own."""

from typing import Any

from django.db.models import QuerySet
from django.views.generic import ListView


class FilteredListView(ListView):
    """A list narrowed by `filterset_class`; the filter form shows above the table.

    A subclass says which records the list may show in `get_base_queryset` (by default the
    view's `queryset` or `model`), and may set:
    - `unfiltered_ordering`: the order of the list before anything is asked (a filter class
      with a sort field orders the list once the form is sent);
    - `distinct`: when a filter follows a many-valued relation and could repeat a row.
    """

    filterset_class: type
    paginate_by = 50
    unfiltered_ordering: tuple[str, ...] = ()
    distinct = False

    def get_base_queryset(self) -> QuerySet:
        """The records the list may show to this reader, before its filters."""
        return super().get_queryset()

    def get_queryset(self) -> QuerySet:
        base = self.get_base_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base)
        if not self.filterset.is_bound:
            return base.order_by(*self.unfiltered_ordering) if self.unfiltered_ordering else base
        found = self.filterset.qs
        return found.distinct() if self.distinct else found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        # The page links add their own `page=`; every other parameter is kept.
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context
