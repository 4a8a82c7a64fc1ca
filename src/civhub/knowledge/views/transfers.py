"""Knowledge transfers: the network page (a drawing and a table that says the same), a
transfer's page with its evidence, and recording and editing transfers."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView

from civhub.core import attachments
from civhub.core.forms import VersionedEditMixin, read_version
from civhub.core.permissions import visible_or_404
from civhub.knowledge.filters.transfers import TransferFilter
from civhub.knowledge.forms.transfers import EvidenceFileForm, TransferForm
from civhub.knowledge.models import KnowledgeTransfer
from civhub.knowledge.network import render_svg
from civhub.knowledge.services import transfers as services


def network_page(request):
    user = request.user
    filterset = TransferFilter(request.GET or None, queryset=KnowledgeTransfer.objects.all())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    graph = services.network(user, queryset)
    svg = ""
    if graph.edges:
        countries = ngettext("%(count)s country", "%(count)s countries", len(graph.nodes)) % {
            "count": len(graph.nodes)
        }
        links = ngettext("%(count)s link", "%(count)s links", len(graph.edges)) % {
            "count": len(graph.edges)
        }
        svg = render_svg(
            graph.nodes,
            graph.edges,
            title=_("Network of knowledge transfers between countries"),
            description=_(
                "%(countries)s and %(links)s. Each arrow goes from the country that shared "
                "knowledge to the country that learned from it; thicker arrows stand for more "
                "transfers. The table of transfers says the same in words."
            )
            % {"countries": countries, "links": links},
            id_prefix="transfer-network",
        )
    return render(
        request,
        "knowledge/network.html",
        {
            "filter": filterset,
            "network": graph,
            "svg": mark_safe(svg),  # render_svg escapes every text it puts in the markup
            "can_add": services.can_record_transfers(user),
        },
    )


def _transfer_for(request, pk) -> KnowledgeTransfer:
    related = KnowledgeTransfer.objects.select_related(*services.RELATED)
    return visible_or_404(related, request.user, pk=pk)


class TransferDetailView(DetailView):
    template_name = "knowledge/transfer_detail.html"
    context_object_name = "transfer"

    def get_object(self, queryset=None):
        return _transfer_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transfer, user = self.object, self.request.user
        can_edit = transfer.can_edit(user)
        context.update(
            can_edit=can_edit,
            files=attachments.attachments_of(transfer),
            file_form=EvidenceFileForm() if can_edit else None,
            # Only web addresses become links, whatever was stored (e.g. through the admin).
            evidence_links=[
                url
                for url in transfer.evidence_urls or []
                if isinstance(url, str) and url.startswith(("http://", "https://"))
            ],
        )
        return context


class _TransferFormMixin(VersionedEditMixin):
    model = KnowledgeTransfer
    form_class: type[TransferForm] | None = TransferForm
    template_name: str | None = "knowledge/transfer_form.html"
    form_takes_user = True
    invalid_status = 400

    def save_record(self, form):
        return services.save_transfer(
            self.request.user,
            form.save(commit=False),
            changed=form.changed_data,
            version=read_version(self.request),
        )

    def get_success_url(self):
        return reverse("knowledge:transfer", kwargs={"pk": self.object.pk})


class TransferCreateView(_TransferFormMixin, CreateView):
    extra_context = {"title": gettext_lazy("Record a knowledge transfer")}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_record_transfers(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TransferUpdateView(_TransferFormMixin, UpdateView):
    extra_context = {"title": gettext_lazy("Edit the knowledge transfer")}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        record = get_object_or_404(KnowledgeTransfer, pk=self.kwargs["pk"])
        if not record.can_edit(self.request.user):
            raise PermissionDenied
        return record


@login_required
@require_POST
def transfer_attach(request, pk):
    record = _transfer_for(request, pk)
    attachments.attach_from_form(request, record, EvidenceFileForm(request.POST, request.FILES))
    return redirect("knowledge:transfer", pk=record.pk)


urlpatterns = [
    path("transfers/", network_page, name="transfers"),
    path("transfers/add/", TransferCreateView.as_view(), name="transfer_add"),
    path("transfers/<int:pk>/", TransferDetailView.as_view(), name="transfer"),
    path("transfers/<int:pk>/edit/", TransferUpdateView.as_view(), name="transfer_edit"),
    path("transfers/<int:pk>/files/", transfer_attach, name="transfer_attach"),
]
