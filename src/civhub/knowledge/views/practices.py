"""Good-practice pages: list, record, submission, workflow actions, review queue, feed."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView

from civhub.core import attachments
from civhub.core.forms import VersionedEditMixin, read_version
from civhub.core.lists import FilteredListView
from civhub.core.permissions import visible_or_404
from civhub.directory.models import Country
from civhub.knowledge.choices import ContentLanguage
from civhub.knowledge.filters.practices import PracticeFilter
from civhub.knowledge.forms.practices import (
    AttachmentForm,
    EndorseForm,
    PracticeForm,
    TransitionForm,
)
from civhub.knowledge.models import Practice
from civhub.knowledge.services import practices as services
from civhub.search import services as search

LIST_RELATED = ("countries", "topics")


class PracticeListView(FilteredListView):
    template_name = "knowledge/practice_list.html"
    filterset_class = PracticeFilter
    paginate_by = 20
    unfiltered_ordering = ("-publication_date", "-created_at")

    def get_base_queryset(self):
        # What the reader may see, as the API lists it (knowledge.api.practices_for).
        return Practice.objects.visible_to(self.request.user).prefetch_related(*LIST_RELATED)


def _practice_for(request, slug) -> Practice:
    return visible_or_404(Practice.objects.select_related("created_by"), request.user, slug=slug)


class PracticeDetailView(DetailView):
    template_name = "knowledge/practice_detail.html"
    context_object_name = "practice"

    def get_object(self, queryset=None):
        return _practice_for(self.request, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, user = self.object, self.request.user
        endorsable = [
            c
            for c in practice.countries.all()
            if c.pk in (user.focal_country_ids if user.is_authenticated else set())
        ]
        endorsed = set(practice.endorsements.values_list("country_id", flat=True))
        context.update(
            countries=practice.countries.all(),
            topics=practice.topics.all(),
            sdg_targets=practice.sdg_targets.select_related("goal"),
            supported_by=practice.supported_by.all(),
            implementing=practice.implementing_entities.all(),
            contacts=practice.contacts_for(user),
            related=search.related("practice", practice.pk, user),
            show_contacts=practice.contacts_visible_to(user),
            endorsements=practice.endorsements.select_related("country"),
            endorsable=[c for c in endorsable if c.pk not in endorsed]
            if practice.can_endorse(user)
            else [],
            transitions=practice.allowed_transitions(user),
            can_edit=practice.can_edit(user),
            files=attachments.attachments_of(practice),
            attachment_form=AttachmentForm() if practice.can_edit(user) else None,
            json_ld=_script_safe_json(_json_ld(self.request, practice)),
            # One version of the record, title and body alike (VersionedTextMixin).
            text=practice.shown,
            reading_language=practice.reading_language(),
            reading_language_name=ContentLanguage(practice.reading_language()).label,
            is_editor=user.is_authenticated and user.is_editor,
        )
        return context


def _script_safe_json(data: dict) -> str:
    """JSON that cannot close the <script> element it sits in."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_ld(request, practice: Practice) -> dict:
    """schema.org metadata, so that search engines and harvesters read the record."""
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "additionalType": "GoodPractice",
        "name": practice.shown_text("title"),
        "abstract": practice.shown_text("summary") or practice.shown_text("challenge")[:500],
        "inLanguage": practice.reading_language(),
        "url": request.build_absolute_uri(practice.get_absolute_url()),
        "about": [t.name for t in practice.topics.all()],
        "spatialCoverage": [
            {"@type": "Country", "name": c.name, "identifier": c.code}
            for c in practice.countries.all()
        ],
        "keywords": [f"SDG {t.code}" for t in practice.sdg_targets.all()],
        "publisher": {"@type": "Organization", "name": "Regional Hub of Civil Service"},
    }
    if practice.publication_date:
        data["datePublished"] = practice.publication_date.isoformat()
    if practice.url:
        data["sameAs"] = practice.url
    if practice.period_start:
        end = practice.period_end or ""
        data["temporalCoverage"] = (
            f"{practice.period_start}/{end}" if end else str(practice.period_start)
        )
    return data


class _PracticeFormMixin(VersionedEditMixin):
    model = Practice
    form_class: type[PracticeForm] | None = PracticeForm
    template_name: str | None = "knowledge/practice_form.html"
    saved_message = gettext_lazy("Saved as a draft. You can come back and finish it later.")

    def save_record(self, form):
        return services.save_practice(
            self.request.user,
            form.save(commit=False),
            m2m_form=form,
            version=read_version(self.request),
        )


class PracticeCreateView(_PracticeFormMixin, CreateView):
    extra_context = {"title": gettext_lazy("Submit a practice")}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not request.user.is_member:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"language": self.request.LANGUAGE_CODE}


class PracticeUpdateView(_PracticeFormMixin, UpdateView):
    slug_url_kwarg = "slug"

    def get_object(self, queryset=None):
        practice = get_object_or_404(Practice, slug=self.kwargs["slug"])
        if not self.request.user.is_authenticated:
            raise PermissionDenied
        if not practice.can_edit(self.request.user):
            raise PermissionDenied
        return practice


@login_required
@require_POST
def practice_transition(request, slug, action):
    practice = _practice_for(request, slug)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        practice = services.transition(
            request.user, practice, action, form.cleaned_data.get("message", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Done: the practice is now “%(state)s”.") % {"state": practice.get_state_display()},
        )
    return redirect(practice.get_absolute_url())


@login_required
@require_POST
def practice_endorse(request, slug, code):
    practice = _practice_for(request, slug)
    country = get_object_or_404(Country, code=code.upper())
    form = EndorseForm(request.POST)
    form.is_valid()
    try:
        services.endorse(request.user, practice, country, form.cleaned_data.get("comment", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(country)s endorses this practice.") % {"country": country.name}
        )
    return redirect(practice.get_absolute_url())


@login_required
@require_POST
def practice_attach(request, slug):
    practice = _practice_for(request, slug)
    attachments.attach_from_form(request, practice, AttachmentForm(request.POST, request.FILES))
    return redirect(practice.get_absolute_url())


@login_required
def review_queue(request):
    if not request.user.is_editor:
        raise PermissionDenied
    practices = (
        Practice.objects.for_review()
        .select_related("created_by")
        .prefetch_related("countries", "endorsements")
    )
    return render(
        request, "knowledge/review_queue.html", {"practices": practices.order_by("submitted_at")}
    )


@login_required
def my_practices(request):
    practices = Practice.objects.filter(created_by=request.user).order_by("-updated_at")
    return render(request, "knowledge/my_practices.html", {"practices": practices})


@login_required
def practice_history(request, slug):
    practice = get_object_or_404(Practice, slug=slug)
    if not request.user.is_editor:
        raise PermissionDenied
    return render(
        request,
        "knowledge/practice_history.html",
        {"practice": practice, "entries": services.history(practice)},
    )


class LatestPracticesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("New good practices")
    subtitle = gettext_lazy("Good practices published by the Regional Hub of Civil Service")

    def link(self):
        return reverse("knowledge:practices")

    def items(self):
        return Practice.objects.published().order_by("-published_at")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.challenge[:500]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


urlpatterns = [
    path("practices/", PracticeListView.as_view(), name="practices"),
    path("practices/feed/", LatestPracticesFeed(), name="practice_feed"),
    path("practices/submit/", PracticeCreateView.as_view(), name="practice_add"),
    path("practices/review/", review_queue, name="review_queue"),
    path("practices/mine/", my_practices, name="my_practices"),
    path("practices/<slug:slug>/", PracticeDetailView.as_view(), name="practice"),
    path("practices/<slug:slug>/edit/", PracticeUpdateView.as_view(), name="practice_edit"),
    path("practices/<slug:slug>/history/", practice_history, name="practice_history"),
    path("practices/<slug:slug>/files/", practice_attach, name="practice_attach"),
    path("practices/<slug:slug>/endorse/<str:code>/", practice_endorse, name="practice_endorse"),
    path("practices/<slug:slug>/<str:action>/", practice_transition, name="practice_transition"),
]
