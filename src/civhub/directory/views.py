from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, Prefetch, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView

from civhub.core.forms import VersionedEditMixin, add_errors, read_version
from civhub.core.lists import FilteredListView
from civhub.core.models import VersionedTextMixin
from civhub.core.permissions import CanEditObjectMixin
from civhub.core.types import Viewer
from civhub.directory import services
from civhub.directory.filters import CountryFilter, ExpertFilter, OrganizationFilter
from civhub.directory.forms import CountryForm, MembershipForm, OrganizationForm, PersonForm
from civhub.directory.models import Country, GoverningBody, Organization, Person, Seat

if TYPE_CHECKING:
    from django.views.generic import View

    _ViewBase = View  # what _CanCreateMixin is mixed into, for mypy only
else:
    _ViewBase = object


def reading_context(record: VersionedTextMixin) -> dict[str, Any]:
    """The one language version of `record` the page shows, title and body alike (core's
    VersionedTextMixin, the rule of the API and the search index too), and its language's name
    for the notice shown when it is not the reader's language."""
    text = record.shown
    return {"text": text, "reading_language_name": dict(settings.LANGUAGES)[text["language"]]}


class CountryListView(FilteredListView):
    template_name = "directory/country_list.html"
    filterset_class = CountryFilter

    def get_base_queryset(self) -> QuerySet[Country]:
        return (
            Country.objects.in_hub()
            .with_status()
            .select_related("region")
            .annotate(agency_count=Count("organizations", distinct=True))
        )


class CountryDetailView(DetailView):
    template_name = "directory/country_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_object(self, queryset: QuerySet[Country] | None = None) -> Country:
        return get_object_or_404(
            Country.objects.with_status().select_related("region"),
            code=self.kwargs["code"].upper(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        country = self.object
        user: Viewer = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            **reading_context(country),
            memberships=country.memberships.order_by("joined_on"),
            organizations=country.organizations.select_related("parent").order_by("name"),
            experts=country.people.experts()
            .select_related("organization")
            .prefetch_related("topics"),
            seats=Seat.objects.current().filter(country=country).select_related("body", "person"),
            can_edit=country.can_edit(user),
            can_manage_membership=user.is_authenticated and user.is_editor,
            membership_form=MembershipForm() if user.is_authenticated and user.is_editor else None,
        )
        # Knowledge transfers come from the knowledge app's service, never its models.
        from civhub.knowledge.services.transfers import transfers_for_country

        context["learned_from"], context["shared_with"] = transfers_for_country(country, user)
        # The country's profile, practices and laws, counted as the lists they link to.
        from civhub.knowledge.services.countries import country_knowledge

        context["knowledge"] = country_knowledge(country, user)
        return context


class _RecordFormMixin(VersionedEditMixin):
    def save_record(self, form: ModelForm) -> Model:
        return services.save_record(
            self.request.user,
            form.save(commit=False),
            m2m_form=form,
            version=read_version(self.request),
        )


class CountryUpdateView(CanEditObjectMixin, _RecordFormMixin, UpdateView):
    template_name = "directory/form.html"
    form_class = CountryForm

    def get_object(self, queryset: QuerySet[Country] | None = None) -> Country:
        country = get_object_or_404(Country, code=self.kwargs["code"].upper())
        if not country.can_edit(self.request.user):
            raise PermissionDenied
        return country


@login_required
@require_POST
def add_membership(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    form = MembershipForm(request.POST, instance=None)
    if form.is_valid():
        membership = form.save(commit=False)
        membership.country = country
        try:
            services.add_membership(request.user, membership)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Membership period added."))
            return HttpResponseRedirect(country.get_absolute_url())
    return render(
        request,
        "directory/form.html",
        {"form": form, "title": _("Add a membership period"), "object": country},
        status=400,
    )


class OrganizationListView(FilteredListView):
    template_name = "directory/organization_list.html"
    filterset_class = OrganizationFilter
    queryset = Organization.objects.select_related("country", "parent")


class OrganizationDetailView(DetailView):
    template_name = "directory/organization_detail.html"
    queryset = Organization.objects.select_related("country", "parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(reading_context(self.object))
        context["children"] = self.object.children.order_by("name")
        context["people"] = self.object.people.experts().order_by("name")
        context["can_edit"] = self.object.can_edit(self.request.user)
        return context


class _CountryScopedFormMixin(_RecordFormMixin):
    form_takes_user = True


class _CanCreateMixin(_ViewBase):
    """Editors, and focal points (for their own country), may add directory records."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Viewer = request.user
        if not user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not (user.is_editor or user.focal_country_ids):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrganizationCreateView(_CanCreateMixin, _CountryScopedFormMixin, CreateView):
    template_name = "directory/form.html"
    form_class = OrganizationForm
    extra_context = {"title": _("Add an organization")}


class OrganizationUpdateView(CanEditObjectMixin, _CountryScopedFormMixin, UpdateView):
    template_name = "directory/form.html"
    form_class = OrganizationForm
    model = Organization


class ExpertListView(FilteredListView):
    template_name = "directory/expert_list.html"
    filterset_class = ExpertFilter
    queryset = (
        Person.objects.experts()
        .select_related("country", "organization")
        .prefetch_related("topics")
    )


class PersonDetailView(DetailView):
    template_name = "directory/person_detail.html"
    queryset = Person.objects.select_related("country", "organization").prefetch_related("topics")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Viewer = self.request.user
        context.update(reading_context(self.object))
        context["show_contact"] = self.object.contact_visible_to(user)
        context["can_edit"] = self.object.can_edit(user)
        context["seats"] = self.object.seats.select_related("body").order_by("-started_on")
        return context


class PersonCreateView(_CanCreateMixin, _CountryScopedFormMixin, CreateView):
    template_name = "directory/form.html"
    form_class = PersonForm
    extra_context = {"title": _("Add a person")}


class PersonUpdateView(CanEditObjectMixin, _CountryScopedFormMixin, UpdateView):
    template_name = "directory/form.html"
    form_class = PersonForm
    model = Person


def governance(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    current_seats = Seat.objects.current(today).select_related(
        "person", "country", "person__organization"
    )
    bodies = list(
        GoverningBody.objects.prefetch_related(
            Prefetch("seats", queryset=current_seats, to_attr="current_seats")
        )
    )
    for body in bodies:
        body.reading = reading_context(body)  # type: ignore[attr-defined]  # for the template
    return render(request, "directory/governance.html", {"bodies": bodies, "today": today})
