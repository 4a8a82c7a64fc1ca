"""The secretariat's pages: a call's submissions with their workflow steps, the assignment
of evaluators, and the consolidation of the scores (editors and the steering committee)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civhub.awards.choices import ACTIVE_ASSIGNMENT, SubmissionState
from civhub.awards.forms.submissions import TransitionForm
from civhub.awards.models import Submission
from civhub.awards.services import assignment as assignment_services
from civhub.awards.services import scoring
from civhub.awards.services import submissions as services
from civhub.awards.views.public import call_for


@login_required
def manage(request, slug):
    call = call_for(request, slug)
    if not call.can_edit(request.user):
        raise PermissionDenied
    submissions = (
        Submission.objects.in_call(call)
        .select_related("country", "category", "applicant")
        .prefetch_related("assignments")
        .order_by("state", "submitted_at", "pk")
    )
    rows = [
        {
            "submission": s,
            "evaluators": sum(1 for a in s.assignments.all() if a.status in ACTIVE_ASSIGNMENT),
            "transitions": [
                t for t in s.allowed_transitions(request.user) if t.actor != "applicant"
            ],
        }
        for s in submissions
    ]
    return render(
        request,
        "awards/manage.html",
        {"call": call, "rows": rows, "form": TransitionForm()},
    )


@login_required
@require_POST
def assign(request, slug):
    call = call_for(request, slug)
    if not call.can_edit(request.user):
        raise PermissionDenied
    try:
        plan = assignment_services.assign_evaluators(request.user, call)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Evaluators assigned to %(count)s submissions.") % {"count": len(plan)},
        )
    return redirect("awards:manage", slug=call.slug)


@login_required
@require_POST
def submission_transition(request, pk, action):
    """Any step of the workflow, by whoever may take it (services.submissions.transition
    decides); back to the page the form was on."""
    submission = get_object_or_404(Submission.objects.select_related("call"), pk=pk)
    if not submission.can_view(request.user):
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        submission = services.transition(
            request.user, submission, action, form.cleaned_data.get("message", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Done: “%(title)s” is now “%(state)s”.")
            % {
                "title": submission.title,
                "state": SubmissionState(submission.state_shown_to(request.user)).label,
            },
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = (
            reverse("awards:manage", kwargs={"slug": submission.call.slug})
            if submission.call.can_edit(request.user)
            else reverse("awards:my_submission", kwargs={"pk": submission.pk})
        )
    return redirect(target)


@login_required
def consolidation(request, slug):
    call = call_for(request, slug)
    if not scoring.can_consolidate(request.user):
        raise PermissionDenied
    result = scoring.consolidate(call, request.user)
    titles = dict(Submission.objects.in_call(call).values_list("pk", "title"))
    rows = [(titles.get(r.submission, "?"), r) for r in result.results]
    return render(
        request,
        "awards/consolidation.html",
        {"call": call, "result": result, "rows": rows},
    )


urlpatterns = [
    path("<slug:slug>/manage/", manage, name="manage"),
    path("<slug:slug>/manage/assign/", assign, name="assign"),
    path("<slug:slug>/consolidation/", consolidation, name="consolidation"),
    path(
        "submissions/<int:pk>/<slug:action>/",
        submission_transition,
        name="transition",
    ),
]
