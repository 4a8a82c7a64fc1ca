"""Laws and by-laws: the list with its filters, an act's page, and adding and editing acts
(focal points of the act's country, and editors)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, UpdateView

from civhub.core.forms import VersionedEditMixin, read_version
from civhub.core.lists import FilteredListView
from civhub.core.permissions import visible_or_404
from civhub.knowledge.choices import ContentLanguage
from civhub.knowledge.filters.legal import LegalActFilter
from civhub.knowledge.forms.legal import LegalActForm
from civhub.knowledge.models import LegalAct
from civhub.knowledge.services import legal as services
from civhub.knowledge.services.transfers import visible_transfers
from civhub.search import services as search


class LegalActListView(FilteredListView):
    template_name = "knowledge/legal_list.html"
    filterset_class = LegalActFilter
    paginate_by = 20
    distinct = True  # the topic filter follows a many-to-many relation

    def get_base_queryset(self):
        return (
            LegalAct.objects.visible_to(self.request.user)
            .select_related("country")
            .order_by("country__name", "-adopted_on", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = services.can_add_legal_acts(self.request.user)
        return context


def _act_for(request, slug) -> LegalAct:
    return visible_or_404(LegalAct.objects.select_related("country"), request.user, slug=slug)


class LegalActDetailView(DetailView):
    template_name = "knowledge/legal_detail.html"
    context_object_name = "act"

    def get_object(self, queryset=None):
        return _act_for(self.request, self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        act, user = self.object, self.request.user
        language = (get_language() or "en")[:2]
        title, title_language = services.shown_text(act, "title", language)
        summary, summary_language = services.shown_text(act, "summary", language)
        context.update(
            language=language,
            reading_notice=_reading_notice(act, language, title_language),
            title=title,
            title_language=title_language,
            summary=summary,
            summary_language=summary_language,
            relations=services.relations(act, user),
            related=search.related("law", act.pk, user),
            topics=act.topics.all(),
            transfers=visible_transfers(user).filter(legal_act=act),
            can_edit=act.can_edit(user),
        )
        return context


def _reading_notice(act: LegalAct, language: str, shown: str) -> str:
    names = dict(ContentLanguage.choices)
    if shown != language:
        return _("Not available in %(language)s; shown in %(shown)s.") % {
            "language": names.get(language, language),
            "shown": names.get(shown, shown),
        }
    if act.language != language:
        return _("You are reading a translation; the original is in %(original)s.") % {
            "original": names.get(act.language, act.language)
        }
    return ""


class _LegalActFormMixin(VersionedEditMixin):
    model = LegalAct
    form_class: type[LegalActForm] | None = LegalActForm
    template_name: str | None = "knowledge/legal_form.html"
    form_takes_user = True
    invalid_status = 400

    def save_record(self, form):
        return services.save_legal_act(
            self.request.user,
            form.save(commit=False),
            **form.relations(),
            changed=form.changed_data,
            version=read_version(self.request),
        )


class LegalActCreateView(_LegalActFormMixin, CreateView):
    extra_context = {"title": gettext_lazy("Add a law or by-law")}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_add_legal_acts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {"language": self.request.LANGUAGE_CODE}
        own = self.request.user.focal_country_ids
        if len(own) == 1 and not self.request.user.is_editor:
            initial["country"] = next(iter(own))
        return initial


class LegalActUpdateView(_LegalActFormMixin, UpdateView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        act = get_object_or_404(
            LegalAct.objects.select_related("country"), slug=self.kwargs["slug"]
        )
        if not act.can_edit(self.request.user):
            raise PermissionDenied
        return act


urlpatterns = [
    path("laws/", LegalActListView.as_view(), name="legal_acts"),
    path("laws/add/", LegalActCreateView.as_view(), name="legal_act_add"),
    path("laws/<slug:slug>/", LegalActDetailView.as_view(), name="legal_act"),
    path("laws/<slug:slug>/edit/", LegalActUpdateView.as_view(), name="legal_act_edit"),
]
