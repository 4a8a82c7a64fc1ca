"""Laws and by-laws: the list with its filters, an act's page, and adding and editing acts
(focal points of the act's country, and editors)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from civhub.core.forms import VersionedEditMixin, add_errors, read_version
from civhub.core.services import Conflict
from civhub.knowledge.choices import ContentLanguage
from civhub.knowledge.filters.legal import LegalActFilter
from civhub.knowledge.forms.legal import LegalActForm
from civhub.knowledge.models import LegalAct
from civhub.knowledge.services import legal as services
from civhub.knowledge.services.transfers import visible_transfers
from civhub.search import services as search


class LegalActListView(ListView):
    template_name = "knowledge/legal_list.html"
    paginate_by = 20

    def get_queryset(self):
        base = (
            LegalAct.objects.visible_to(self.request.user)
            .select_related("country")
            .order_by("country__name", "-adopted_on", "pk")
        )
        self.filterset = LegalActFilter(self.request.GET or None, queryset=base)
        return self.filterset.qs.distinct() if self.filterset.is_bound else base

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            query_string=query.urlencode(),
            can_add=services.can_add_legal_acts(self.request.user),
        )
        return context


def _act_for(request, slug) -> LegalAct:
    visible = LegalAct.objects.visible_to(request.user).select_related("country")
    try:
        return visible.get(slug=slug)
    except LegalAct.DoesNotExist:
        raise Http404 from None


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
    form_class = LegalActForm
    template_name = "knowledge/legal_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            act = services.save_legal_act(
                self.request.user,
                form.save(commit=False),
                **form.relations(),
                changed=form.changed_data,
                version=read_version(self.request),
            )
        except Conflict as exc:
            return self.edit_conflict(form, exc)
        except ValidationError as exc:
            add_errors(form, exc)
            response = self.form_invalid(form)
            response.status_code = 400
            return response
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(act.get_absolute_url())


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
